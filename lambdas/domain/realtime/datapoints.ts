/**
 * The datapoints the real-time publisher sends every minute, computed from
 * the same domain as the real-time report (agent counts, window performance,
 * contact-event waiting), named, united and dimensioned by the catalog
 * (cloudwatch-catalog.ts). Pure: the publisher gathers the inputs.
 *
 * - Per queue (dimension Queue = queue name): ServiceLevel at the queue's
 *   threshold, AbandonRate, MaxQueuedTime and AverageHandleTime over the
 *   trailing 15 minutes; ContactsQueued, ContactsHandled and ContactsAbandoned
 *   of the minute that just ended (by disconnect, stamped with the minute's
 *   start, so CloudWatch's Sum over any period adds up); ContactsInQueue and
 *   OldestContactAge (0 when nothing waits) when contact events are on.
 * - Agent counts once per queue (Queue) and once per routing profile
 *   (RoutingProfile): each datum has one dimension; Occupancy per routing
 *   profile over the trailing 15 minutes.
 * - Agent queues (one per agent, for transfers to that agent) are left out.
 * - AgentEventAge (no dimension): seconds since the newest agent event.
 * A ratio with nothing to divide by (no contact queued, no agent time) has
 * no value, and no datum is sent: CloudWatch has no "no data" value, and an
 * alarm's missing-data setting then decides. Counts are sent as 0.
 * AbandonRate is Contacts abandoned / Contacts queued × 100, both computed by
 * the registry; every other value is a registry metric or an agent count.
 */
import { computeMetric, getMetric } from '../metrics/registry.js';
import type { Primitives, SlThreshold } from '../metrics/primitives.js';
import { byQueue, byRoutingProfile, classifyState, countAgents, zeroCounts } from './agent-counts.js';
import type { AgentCounts } from './agent-counts.js';
import { isAgentQueue } from '../agent-queue.js';
import type { LatestAgentState } from './agent-state.js';
import { AGENT_METRICS, PIPELINE_METRICS, QUEUE_METRICS } from './cloudwatch-catalog.js';
import type { CloudWatchMetricDef } from './cloudwatch-catalog.js';
import { emptyWaiting, oldestSeconds } from './contact-state.js';
import type { WaitingByQueue } from './contact-state.js';
import { queueOf, sumByGroup } from './performance.js';
import type { WindowContact } from './performance.js';

export const TRAILING_MS = 15 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;
export const DEFAULT_SL_THRESHOLD: SlThreshold = 60;

export interface Datapoint {
  readonly metric: CloudWatchMetricDef;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs: number;
}

export interface DatapointInput {
  readonly nowMs: number;
  /** Every agent's state at `nowMs`. */
  readonly agents: readonly LatestAgentState[];
  /** Contacts that disconnected in [nowMs − 15 min, nowMs). */
  readonly contacts: readonly WindowContact[];
  /** Agent-status primitives over the trailing 15 minutes, per routing profile id. */
  readonly occupancyByProfile: ReadonlyMap<string, Primitives>;
  /** Null without contact events. */
  readonly waiting: WaitingByQueue | null;
  /** Queue ids to publish for (every known queue). */
  readonly queueIds: Iterable<string>;
  readonly routingProfileIds: Iterable<string>;
  readonly queueName: (id: string) => string;
  readonly routingProfileName: (id: string) => string;
  /** The service-level threshold of a queue, by its name. */
  readonly slThreshold: (queueName: string) => SlThreshold;
  readonly newestAgentEventMs: number | null;
}

const AGENT_COUNT_METRICS: ReadonlyArray<readonly [keyof AgentCounts, CloudWatchMetricDef]> = [
  ['online', AGENT_METRICS.online],
  ['available', AGENT_METRICS.available],
  ['onContact', AGENT_METRICS.onContact],
  ['acw', AGENT_METRICS.afterContactWork],
  ['npt', AGENT_METRICS.nonProductive],
  ['error', AGENT_METRICS.error],
  ['staffed', AGENT_METRICS.staffed],
];

const M = {
  queued: getMetric('contacts_queued'),
  handled: getMetric('contacts_handled'),
  abandoned: getMetric('contacts_abandoned'),
  abandonmentRate: getMetric('abandonment_rate'),
  maxQueued: getMetric('max_queued_time'),
  aht: getMetric('avg_handle_time'),
  occupancy: getMetric('occupancy'),
};

export function realtimeDatapoints(input: DatapointInput): Datapoint[] {
  const { nowMs } = input;
  const minuteStart = nowMs - MINUTE_MS;
  const out: Datapoint[] = [];
  const put = (metric: CloudWatchMetricDef, dimensions: Record<string, string>, value: number | null, timestampMs = nowMs) => {
    if (value !== null && Number.isFinite(value)) out.push({ metric, dimensions, value, timestampMs });
  };

  const trailing = sumByGroup(input.contacts, queueOf);
  const lastMinute = sumByGroup(
    input.contacts.filter((c) => c.disconnectMs >= minuteStart),
    queueOf,
  );
  const classified = input.agents.map(classifyState);
  const perQueue = countAgents(classified, byQueue).rows;
  const perProfile = countAgents(classified, byRoutingProfile).rows;

  const queueIds = new Set([...input.queueIds, ...perQueue.keys(), ...trailing.keys(), ...(input.waiting?.byQueue.keys() ?? [])]);
  for (const id of [...queueIds].sort()) {
    if (isAgentQueue(id)) continue;
    const name = input.queueName(id);
    const dims = { Queue: name };
    const p15 = trailing.get(id) ?? {};
    const p1 = lastMinute.get(id) ?? {};
    put(QUEUE_METRICS.serviceLevel, dims, computeMetric(getMetric(`service_level_${input.slThreshold(name)}`), p15));
    put(QUEUE_METRICS.contactsQueued, dims, computeMetric(M.queued, p1) ?? 0, minuteStart);
    put(QUEUE_METRICS.contactsHandled, dims, computeMetric(M.handled, p1) ?? 0, minuteStart);
    put(QUEUE_METRICS.contactsAbandoned, dims, computeMetric(M.abandoned, p1) ?? 0, minuteStart);
    put(QUEUE_METRICS.abandonRate, dims, computeMetric(M.abandonmentRate, p15));
    put(QUEUE_METRICS.maxQueuedTime, dims, computeMetric(M.maxQueued, p15));
    put(QUEUE_METRICS.averageHandleTime, dims, computeMetric(M.aht, p15));
    if (input.waiting) {
      const w = input.waiting.byQueue.get(id) ?? emptyWaiting();
      put(QUEUE_METRICS.contactsInQueue, dims, w.inQueue);
      put(QUEUE_METRICS.oldestContactAge, dims, oldestSeconds(w, nowMs) ?? 0);
    }
    const counts = perQueue.get(id) ?? zeroCounts();
    for (const [k, metric] of AGENT_COUNT_METRICS) put(metric, dims, counts[k]);
  }

  const profileIds = new Set([...input.routingProfileIds, ...perProfile.keys(), ...input.occupancyByProfile.keys()]);
  for (const id of [...profileIds].sort()) {
    const dims = { RoutingProfile: input.routingProfileName(id) };
    const counts = perProfile.get(id) ?? zeroCounts();
    for (const [k, metric] of AGENT_COUNT_METRICS) put(metric, dims, counts[k]);
    put(AGENT_METRICS.occupancy, dims, computeMetric(M.occupancy, input.occupancyByProfile.get(id) ?? {}));
  }

  if (input.newestAgentEventMs !== null) put(PIPELINE_METRICS.agentEventAge, {}, Math.max(0, (nowMs - input.newestAgentEventMs) / 1000));
  return out;
}
