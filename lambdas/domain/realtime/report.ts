/**
 * The real-time report: the Queues, Routing profiles and Agents views, as
 * values and as CSV like Amazon Connect's "Download CSV" ("Metrics for which
 * there is no data to include in the report show a dash"). Queues and
 * Routing profiles start with a summary row ("the first row of the report is
 * a summary of the activity included in the report").
 *
 * Columns: the agent counts (agent-counts.ts), In queue, Oldest and Scheduled
 * (contact-state.ts), then the performance metrics with the registry's
 * real-time labels (performance.ts).
 * - In queue, Oldest and Scheduled need contact events; without them
 *   (`waiting` null) every such cell is a dash: contact records arrive only
 *   after the contact ends, and agent events only show contacts offered to
 *   an agent, so neither can tell what is waiting in a queue.
 * - A routing profile's In queue, Oldest and Scheduled are those of its
 *   inbound queues taken together (Σ, Σ and the oldest of them): a waiting
 *   contact has no agent yet, so its queue is the only link to a profile.
 * - Summary rows: agent counts count each agent once; performance is the
 *   primitives of every contact of the rows summed (a contact has one queue
 *   and at most one routing profile, so nothing is counted twice); In queue
 *   and Scheduled are totals, Oldest the oldest; for routing profiles, of the
 *   queues of the profiles listed.
 * - Agent queues are not rows of the Queues view, and their contacts are not in
 *   its Summary performance, unless `includeAgentQueues` (Amazon Connect shows
 *   them in a separate "Agent queues" table); they are named after their agent.
 *   In queue / Oldest / Scheduled of the Summary still count every queue.
 */
import { GROUPING_HEADERS } from '../dimensions.js';
import { isAgentQueue } from '../agent-queue.js';
import type { EntityCatalog } from '../engine/entities.js';
import { findMetric } from '../metrics/registry.js';
import type { Primitives } from '../metrics/primitives.js';
import type { EntityRef } from '../model/types.js';
import { csvText, formatDuration, formatMetricValue, NO_DATA, toCsv } from '../reports/format.js';
import { AGENT_COUNT_COLUMNS, byQueue, byRoutingProfile, classifyState, countAgents, zeroCounts } from './agent-counts.js';
import type { AgentCounts } from './agent-counts.js';
import type { LatestAgentState } from './agent-state.js';
import { AGENT_PERFORMANCE_METRICS } from './agents-view.js';
import type { AgentRow } from './agents-view.js';
import { emptyWaiting, oldestSeconds } from './contact-state.js';
import type { QueueWaiting, WaitingByQueue } from './contact-state.js';
import { metricValues, PERFORMANCE_METRICS, queueOf, realTimeLabel, routingProfileOf, sumAll, sumByGroup } from './performance.js';
import type { WindowContact } from './performance.js';
import type { TimeRange } from './windows.js';

export interface WaitingCells {
  readonly inQueue: number;
  /** Seconds; null when nothing is in queue. */
  readonly oldestSec: number | null;
  readonly scheduled: number;
}

export interface GroupRow {
  /** Queue or routing profile id; null for the summary row. */
  readonly id: string | null;
  readonly name: string;
  readonly counts: AgentCounts;
  /** Null without contact events (the cells are dashes). */
  readonly waiting: WaitingCells | null;
  readonly values: Readonly<Record<string, number | null>>;
}

export interface RealtimeReport {
  readonly nowMs: number;
  readonly window: TimeRange;
  readonly contactEvents: boolean;
  readonly queues: readonly GroupRow[];
  readonly routingProfiles: readonly GroupRow[];
  readonly agents: readonly AgentRow[];
}

export interface RealtimeReportInput {
  readonly nowMs: number;
  readonly window: TimeRange;
  /** Every agent's state at `nowMs`. */
  readonly agents: readonly LatestAgentState[];
  /** Contacts that disconnected in the window. */
  readonly contacts: readonly WindowContact[];
  readonly agentRows: readonly AgentRow[];
  readonly entities: EntityCatalog;
  /** Waiting contacts by queue at `nowMs`; null without contact events. */
  readonly waiting: WaitingByQueue | null;
  /**
   * Rows (and Summary contributions) of agent queues in the Queues view. Off by
   * default, as in Amazon Connect, where agent queues are a table of their own
   * ("View real-time metrics for agent queues": add an Agent queues table).
   */
  readonly includeAgentQueues?: boolean;
}

export const SUMMARY_LABEL = 'Summary';

function cells(w: QueueWaiting, nowMs: number): WaitingCells {
  return { inQueue: w.inQueue, oldestSec: oldestSeconds(w, nowMs), scheduled: w.scheduled };
}

function combine(ws: Iterable<QueueWaiting | undefined>): QueueWaiting {
  const out = emptyWaiting();
  for (const w of ws) {
    if (!w) continue;
    out.inQueue += w.inQueue;
    out.scheduled += w.scheduled;
    if (w.oldestEnqueueMs !== null && (out.oldestEnqueueMs === null || w.oldestEnqueueMs < out.oldestEnqueueMs)) out.oldestEnqueueMs = w.oldestEnqueueMs;
  }
  return out;
}

function nameOf(entities: EntityCatalog, id: string, fallback?: string | null): string {
  const n = entities.get(id)?.name;
  // An agent queue has no name: the catalog names it after its agent.
  return n ?? fallback ?? entities.nameOf(id);
}

const byName = (a: GroupRow, b: GroupRow) => a.name.localeCompare(b.name) || (a.id ?? '').localeCompare(b.id ?? '');

export function buildRealtimeReport(input: RealtimeReportInput): RealtimeReport {
  const { entities, nowMs, waiting } = input;
  const classified = input.agents.map(classifyState);
  const queueCounts = countAgents(classified, byQueue);
  const rpCounts = countAgents(classified, byRoutingProfile);
  const queuePerf = sumByGroup(input.contacts, queueOf);
  const rpPerf = sumByGroup(input.contacts, routingProfileOf);

  const profileQueues = new Map<string, Set<string>>();
  const rpNames = new Map<string, string | null>();
  for (const s of input.agents) {
    const rp = s.snapshot?.configuration.routingProfile;
    if (!rp) continue;
    rpNames.set(rp.id, rp.name);
    let qs = profileQueues.get(rp.id);
    if (!qs) profileQueues.set(rp.id, (qs = new Set()));
    for (const q of s.snapshot?.configuration.inboundQueues ?? []) qs.add(q.id);
  }

  const queueIds = new Set<string>([...queueCounts.rows.keys(), ...queuePerf.keys(), ...(waiting?.byQueue.keys() ?? [])]);
  const rpIds = new Set<string>([...rpCounts.rows.keys(), ...rpPerf.keys(), ...profileQueues.keys()]);
  for (const e of entities.all()) {
    if (e.kind === 'queue') queueIds.add(e.id);
    if (e.kind === 'routingProfile') rpIds.add(e.id);
  }
  const withAgentQueues = input.includeAgentQueues === true;
  if (!withAgentQueues) for (const id of queueIds) if (isAgentQueue(id)) queueIds.delete(id);
  const shownQueueOf = withAgentQueues ? queueOf : (c: WindowContact) => (isAgentQueue(c.dims.queue) ? null : c.dims.queue);

  const row = (id: string | null, name: string, counts: AgentCounts | undefined, p: Primitives | undefined, w: QueueWaiting | null): GroupRow => ({
    id,
    name,
    counts: counts ?? zeroCounts(),
    waiting: w === null ? null : cells(w, nowMs),
    values: metricValues(PERFORMANCE_METRICS, p ?? {}),
  });

  const queues = [...queueIds].map((id) => row(id, nameOf(entities, id), queueCounts.rows.get(id), queuePerf.get(id), waiting ? (waiting.byQueue.get(id) ?? emptyWaiting()) : null)).sort(byName);
  const rpWaiting = (id: string) => (waiting ? combine([...(profileQueues.get(id) ?? [])].map((q) => waiting.byQueue.get(q))) : null);
  const rps = [...rpIds].map((id) => row(id, nameOf(entities, id, rpNames.get(id)), rpCounts.rows.get(id), rpPerf.get(id), rpWaiting(id))).sort(byName);
  const allProfileQueues = new Set([...rpIds].flatMap((id) => [...(profileQueues.get(id) ?? [])]));

  return {
    nowMs,
    window: input.window,
    contactEvents: waiting !== null,
    queues: [row(null, SUMMARY_LABEL, queueCounts.summary, sumAll(input.contacts, shownQueueOf), waiting ? waiting.summary : null), ...queues],
    routingProfiles: [
      row(null, SUMMARY_LABEL, rpCounts.summary, sumAll(input.contacts, routingProfileOf), waiting ? combine([...allProfileQueues].map((q) => waiting.byQueue.get(q))) : null),
      ...rps,
    ],
    agents: [...input.agentRows].sort((a, b) => (a.login ?? a.agentArn).localeCompare(b.login ?? b.agentArn)),
  };
}

// ---------------------------------------------------------------------------------------------- CSV

const label = (id: string): string => {
  const m = findMetric(id);
  if (!m) throw new Error(`Unknown metric ${id}`);
  return m.realTimeLabel ?? m.header;
};

/** In queue, Oldest, Scheduled: labels from the registry's entries for them (unsupported without contact events). */
export const WAITING_COLUMNS = [label('contacts_in_queue'), label('oldest_contact_age'), label('contacts_scheduled')] as const;

function groupCsv(first: string, rows: readonly GroupRow[]): string {
  const header = [first, ...AGENT_COUNT_COLUMNS.map(([, l]) => l), ...WAITING_COLUMNS, ...PERFORMANCE_METRICS.map(realTimeLabel)];
  return toCsv(
    header,
    rows.map((r) => [
      csvText(r.name),
      ...AGENT_COUNT_COLUMNS.map(([k]) => String(r.counts[k])),
      ...(r.waiting === null ? [NO_DATA, NO_DATA, NO_DATA] : [String(r.waiting.inQueue), r.waiting.oldestSec === null ? NO_DATA : formatDuration(r.waiting.oldestSec), String(r.waiting.scheduled)]),
      ...PERFORMANCE_METRICS.map((m) => formatMetricValue(m.unit, r.values[m.id] ?? null)),
    ]),
  );
}

export const AGENT_COLUMNS = [
  'Agent Login',
  'Agent Name',
  'Agent First Name',
  'Agent Last Name',
  'Status',
  'Duration',
  'Agent Status',
  'Contact State',
  GROUPING_HEADERS.QUEUE,
  GROUPING_HEADERS.ROUTING_PROFILE,
  'Agent Hierarchy',
  ...AGENT_PERFORMANCE_METRICS.map(realTimeLabel),
] as const;

function refName(entities: EntityCatalog, r: EntityRef): string {
  return r.name ?? nameOf(entities, r.id);
}

/** The Agents view's cells, formatted as the CSV shows them (columns: AGENT_COLUMNS). */
export function agentTableRows(rows: readonly AgentRow[], entities: EntityCatalog): string[][] {
  return rows.map((r) => [
    r.login ?? entities.get(r.agentArn)?.name ?? r.agentArn,
    r.lastName || r.firstName ? [r.lastName, r.firstName].filter((x) => x).join(', ') : NO_DATA,
    r.firstName ?? NO_DATA,
    r.lastName ?? NO_DATA,
    r.activity,
    r.durationSec === null ? NO_DATA : formatDuration(r.durationSec),
    r.status ?? NO_DATA,
    r.contactStates.length === 0 ? NO_DATA : r.contactStates.join('; '),
    r.queueId === null ? NO_DATA : nameOf(entities, r.queueId),
    r.routingProfile ? refName(entities, r.routingProfile) : NO_DATA,
    r.hierarchy.length === 0 ? NO_DATA : r.hierarchy.map((h) => refName(entities, h)).join(' / '),
    ...AGENT_PERFORMANCE_METRICS.map((m) => formatMetricValue(m.unit, r.values[m.id] ?? null)),
  ]);
}

export interface RealtimeCsv {
  readonly queues: string;
  readonly routingProfiles: string;
  readonly agents: string;
}

/** Columns of the Agents view holding text from input (names, statuses, states): every column before the metrics but Duration. */
const AGENT_TEXT_COLUMNS: ReadonlySet<number> = new Set(
  AGENT_COLUMNS.slice(0, AGENT_COLUMNS.length - AGENT_PERFORMANCE_METRICS.length)
    .map((_, i) => i)
    .filter((i) => AGENT_COLUMNS[i] !== 'Duration'),
);

/** The three views as CSV; text cells neutralised against formula injection (format.ts `csvText`), unlike the dashboard's HTML table of the same rows. */
export function realtimeCsv(report: RealtimeReport, entities: EntityCatalog): RealtimeCsv {
  const agentRows = agentTableRows(report.agents, entities).map((row) => row.map((cell, i) => (AGENT_TEXT_COLUMNS.has(i) ? csvText(cell) : cell)));
  return {
    queues: groupCsv(GROUPING_HEADERS.QUEUE, report.queues),
    routingProfiles: groupCsv(GROUPING_HEADERS.ROUTING_PROFILE, report.routingProfiles),
    agents: toCsv(AGENT_COLUMNS, agentRows),
  };
}
