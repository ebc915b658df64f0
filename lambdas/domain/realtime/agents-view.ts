/**
 * The Agents view of the real-time report: one row per agent who is online
 * (seed user guide: "Only agents with a status of Online are included"), or
 * who still has a contact while offline.
 *
 * - Status: the Agent Activity (agent-state.ts); the 2019 guide's Status
 *   column shows "Available or After Call Work", i.e. the activity, not only
 *   the CCP status, which is the separate Agent Status column.
 * - Duration: "Amount of time that the agent has been in the current Agent
 *   Activity State", i.e. now minus the first point of the run of timeline
 *   points that all show the current activity. When that run reaches back to
 *   the oldest point read (the lookback), the CCP status start time bounds it
 *   for a status activity (Available, a custom status); otherwise the oldest
 *   point is the best known start.
 * - Contact State: the states of the contacts in the snapshot, in snapshot
 *   order ("the state of the contacts the agent is currently handling").
 * - Queue: the queue of the current contact; with no contact, of the most
 *   recent one ("the queue associated with the most recent contact the agent
 *   handled"). The store's latest state is only the current snapshot, so the
 *   most recent contact is derived: the last contact the agent's timeline
 *   shows connected, on hold or in ACW (a missed offer was not handled),
 *   whose queue comes from its contact record; if that record has not
 *   arrived yet (Connect publishes it after ACW), the queue is unknown (a
 *   dash) rather than an older contact's; with no contact in the timeline,
 *   the agent's latest contact record in the lookback.
 * - Performance over the window: Avg ACW and Missed from the agent's events,
 *   Occupancy from status time (agent-window.ts), Handled in, Handled out and
 *   AHT from the contact records the agent handled that disconnected in the
 *   window; all through the registry's formulas.
 */
import { ACTIVE_STATES } from '../engine/agent-activity.js';
import type { TimelinePoint } from '../engine/agent-activity.js';
import { addPrimitives } from '../metrics/primitives.js';
import type { Primitives } from '../metrics/primitives.js';
import { getMetric } from '../metrics/registry.js';
import type { SupportedMetric } from '../metrics/registry.js';
import type { EntityRef } from '../model/types.js';
import { factsPrimitives } from '../engine/ctr-contribution.js';
import { agentActivity, contactStateLabel, viewOfState } from './agent-state.js';
import type { AgentView, LatestAgentState } from './agent-state.js';
import { agentWindowPrimitives, sumValues } from './agent-window.js';
import { metricValues } from './performance.js';
import type { WindowContact } from './performance.js';
import type { TimeRange } from './windows.js';

export const AGENT_PERFORMANCE_METRIC_IDS: readonly string[] = [
  'avg_acw_agent_events',
  'contacts_missed',
  'contacts_handled_incoming',
  'contacts_handled_outbound',
  'avg_handle_time',
  'occupancy',
];
export const AGENT_PERFORMANCE_METRICS: readonly SupportedMetric[] = AGENT_PERFORMANCE_METRIC_IDS.map(getMetric);

export interface AgentRowInput {
  readonly state: LatestAgentState;
  /** The agent's timeline from the lookback start (with the point in force then) to now. */
  readonly points: readonly TimelinePoint[];
  /** Contact records the agent handled (dims.agent) that disconnected from the lookback start to now. */
  readonly contacts: readonly WindowContact[];
  readonly window: TimeRange;
  readonly nowMs: number;
}

export interface AgentRow {
  readonly agentArn: string;
  readonly login: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly activity: string;
  /** Seconds in the current activity; null when unknown. */
  readonly durationSec: number | null;
  /** The CCP status name. */
  readonly status: string | null;
  readonly contactStates: readonly string[];
  readonly queueId: string | null;
  readonly routingProfile: EntityRef | null;
  readonly hierarchy: readonly EntityRef[];
  readonly values: Readonly<Record<string, number | null>>;
}

function pointView(p: TimelinePoint, methodOf: (id: string) => string | null): AgentView {
  return {
    loggedOut: p.type === 'LOGOUT',
    statusType: p.statusType,
    statusName: p.statusName,
    contacts: p.contacts.map((c) => ({ state: c.state, method: methodOf(c.id) })),
  };
}

/** With no contact, the activity is the CCP status itself, whose start time the snapshot carries. */
const activityIsStatus = (v: AgentView): boolean => v.contacts.length === 0;

function activityStartMs(input: AgentRowInput, activity: string, methodOf: (id: string) => string | null): number | null {
  const pts = input.points.filter((p) => p.eventMs <= input.nowMs);
  let start: number | null = null;
  let reachedOldest = true;
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i] as TimelinePoint;
    if (agentActivity(pointView(p, methodOf)) !== activity) {
      reachedOldest = false;
      break;
    }
    start = p.eventMs;
  }
  const statusStart = activityIsStatus(viewOfState(input.state)) ? (input.state.snapshot?.status?.startMs ?? null) : null;
  // The run reaches back to the oldest point read: the activity may have started earlier, as early as the status did.
  if (reachedOldest && statusStart !== null && (start === null || statusStart < start)) return statusStart;
  return start;
}

function lastContactQueue(input: AgentRowInput): string | null {
  const snap = input.state.snapshot;
  const current = snap?.contacts ?? [];
  if (current.length > 0) return current[current.length - 1]?.queue?.id ?? null;
  const byId = new Map(input.contacts.map((c) => [c.contactId, c]));
  for (let i = input.points.length - 1; i >= 0; i--) {
    const p = input.points[i] as TimelinePoint;
    const handled = p.contacts.filter((c) => ACTIVE_STATES.has(c.state));
    const last = handled[handled.length - 1];
    if (last) return byId.get(last.id)?.dims.queue ?? null;
  }
  let latest: WindowContact | undefined;
  for (const c of input.contacts) if (!latest || c.disconnectMs > latest.disconnectMs) latest = c;
  return latest?.dims.queue ?? null;
}

export function agentRow(input: AgentRowInput): AgentRow {
  const snap = input.state.snapshot;
  const view = viewOfState(input.state);
  const methods = new Map<string, string>();
  for (const c of input.contacts) methods.set(c.contactId, c.facts.m);
  for (const c of snap?.contacts ?? []) methods.set(c.contactId, c.initiationMethod);
  const methodOf = (id: string) => methods.get(id) ?? null;
  const activity = agentActivity(view);
  const started = activityStartMs(input, activity, methodOf);

  const { startMs, endMs } = input.window;
  const p: Record<string, number> = {};
  addPrimitives(p, sumValues(agentWindowPrimitives(input.points, startMs, endMs)));
  for (const c of input.contacts) if (c.disconnectMs >= startMs && c.disconnectMs < endMs) addPrimitives(p, factsPrimitives(c.facts));

  const cfg = snap?.configuration;
  const h = cfg?.hierarchy;
  return {
    agentArn: input.state.agentArn,
    login: cfg?.username ?? null,
    firstName: cfg?.firstName ?? null,
    lastName: cfg?.lastName ?? null,
    activity,
    durationSec: started === null ? null : Math.max(0, (input.nowMs - started) / 1000),
    status: snap?.status?.ref.name ?? null,
    contactStates: (snap?.contacts ?? []).map((c) => contactStateLabel({ state: c.state, method: c.initiationMethod })),
    queueId: lastContactQueue(input),
    routingProfile: cfg?.routingProfile ?? null,
    hierarchy: h ? [h.level1, h.level2, h.level3, h.level4, h.level5].filter((l): l is EntityRef => l !== null) : [],
    values: metricValues(AGENT_PERFORMANCE_METRICS, p as Primitives),
  };
}

/** Whether the Agents view lists the agent: online, or holding a contact while offline (not logged out). */
export function listsAgent(state: LatestAgentState): boolean {
  const v = viewOfState(state);
  if (v.loggedOut) return false;
  return (v.statusType !== null && v.statusType !== 'OFFLINE') || v.contacts.length > 0;
}
