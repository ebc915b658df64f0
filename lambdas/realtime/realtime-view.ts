/**
 * Reads what a real-time report needs from the store, at an instant, and
 * builds the report (domain/realtime/report.ts). Used by the `realtime`
 * command, locally or against a deployed table.
 *
 * Agent states come from the store's latest state per agent. When the
 * report instant is older than an agent's latest event (a report "as of"
 * a past instant), the state is rebuilt from the agent's timeline
 * (domain/realtime/point-in-time.ts), so the answer does not depend on what
 * was ingested after the instant.
 */
import { listsAgent, agentRow } from '../domain/realtime/agents-view.js';
import type { AgentRow } from '../domain/realtime/agents-view.js';
import type { LatestAgentState } from '../domain/realtime/agent-state.js';
import { waitingByQueue } from '../domain/realtime/contact-state.js';
import type { WaitingByQueue } from '../domain/realtime/contact-state.js';
import type { WindowContact } from '../domain/realtime/performance.js';
import { profileQueues, stateAt } from '../domain/realtime/point-in-time.js';
import type { ContactFactsLookup } from '../domain/realtime/point-in-time.js';
import { buildRealtimeReport } from '../domain/realtime/report.js';
import type { RealtimeReport } from '../domain/realtime/report.js';
import { windowRange } from '../domain/realtime/windows.js';
import type { RealtimeWindow } from '../domain/realtime/windows.js';
import type { EntityCatalog } from '../domain/engine/entities.js';
import type { MetricReader } from '../storage/metric-store.js';
import { pool } from '../domain/concurrency.js';
import type { ContactEventSource } from '../storage/contact-event-source.js';

/** How far back the Agents view looks for the start of an agent's current activity and their last contact. */
export const AGENT_LOOKBACK_MS = 24 * 3600 * 1000;

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export function contactLookup(contacts: Iterable<WindowContact>): ContactFactsLookup {
  const byId = new Map<string, WindowContact>();
  for (const c of contacts) byId.set(c.contactId, c);
  return (id) => {
    const c = byId.get(id);
    return c ? { method: c.facts.m, queueId: c.dims.queue, channel: c.dims.channel } : undefined;
  };
}

/** Every agent's state at `nowMs` (agents with no event by then are left out). */
export async function agentStatesAt(reader: MetricReader, nowMs: number, contactFacts: ContactFactsLookup, latest?: readonly LatestAgentState[]): Promise<LatestAgentState[]> {
  const states = latest ?? (await reader.agentStates());
  const queues = profileQueues(states);
  const out: LatestAgentState[] = [];
  await pool(states, 8, async (s) => {
    if (s.eventMs <= nowMs) {
      out.push(s);
      return;
    }
    const at = stateAt(s, await reader.timeline(s.agentArn, nowMs, nowMs + 1), nowMs, queues, contactFacts);
    if (at) out.push(at);
  });
  return out.sort((a, b) => a.agentArn.localeCompare(b.agentArn));
}

/** How far past the report instant contact records are read to rebuild a past state: covers contacts that were on at the instant. */
export const LOOKAHEAD_MS = 2 * 3600 * 1000;

/**
 * Contact records after `nowMs`, read only when some agent's latest event is
 * newer than the instant (a report on a past instant): they give the
 * initiation method and queue of contacts that were on at the instant, which
 * timeline points do not carry. Those are properties of the contact, known at
 * the instant from the agent event itself; only the store's points lack them.
 */
export async function laterContacts(reader: MetricReader, latest: readonly LatestAgentState[], nowMs: number): Promise<WindowContact[]> {
  return latest.some((s) => s.eventMs > nowMs) ? collect(reader.contacts(nowMs, nowMs + LOOKAHEAD_MS)) : [];
}

export async function waitingAt(source: ContactEventSource | null, nowMs: number, contacts: readonly WindowContact[]): Promise<WaitingByQueue | null> {
  if (!source || !(await source.enabled())) return null;
  return waitingByQueue(await source.open(), nowMs, new Map(contacts.map((c) => [c.contactId, c.disconnectMs])));
}

export interface RealtimeViewOptions {
  readonly nowMs: number;
  readonly window: RealtimeWindow;
}

export interface LoadedRealtimeReport {
  readonly report: RealtimeReport;
  readonly entities: EntityCatalog;
}

export async function loadRealtimeReport(reader: MetricReader, contactEvents: ContactEventSource | null, opts: RealtimeViewOptions): Promise<LoadedRealtimeReport> {
  const { nowMs } = opts;
  const range = windowRange(opts.window, nowMs);
  const lookbackStart = Math.min(range.startMs, nowMs - AGENT_LOOKBACK_MS);
  const [entities, contacts, latest] = await Promise.all([reader.entities(), collect(reader.contacts(lookbackStart, nowMs)), reader.agentStates()]);
  const lookup = contactLookup([...contacts, ...(await laterContacts(reader, latest, nowMs))]);
  const states = await agentStatesAt(reader, nowMs, lookup, latest);
  const windowContacts = contacts.filter((c) => c.disconnectMs >= range.startMs);

  const byAgent = new Map<string, WindowContact[]>();
  for (const c of contacts) {
    if (c.dims.agent === null) continue;
    let l = byAgent.get(c.dims.agent);
    if (!l) byAgent.set(c.dims.agent, (l = []));
    l.push(c);
  }
  const agentRows: AgentRow[] = [];
  await pool(states.filter(listsAgent), 8, async (state) => {
    const points = await reader.timeline(state.agentArn, lookbackStart, nowMs + 1);
    agentRows.push(agentRow({ state, points, contacts: byAgent.get(state.agentArn) ?? [], window: range, nowMs }));
  });

  const waiting = await waitingAt(contactEvents, nowMs, contacts);
  const report = buildRealtimeReport({ nowMs, window: range, agents: states, contacts: windowContacts, agentRows, entities, waiting });
  return { report, entities };
}
