/**
 * Queue and routing-profile performance over a real-time window.
 *
 * A window's row is the registry's primitives summed over the contacts whose
 * disconnect lies in [start, now), exactly as the 15-minute aggregates would
 * sum them if the window's edges were interval edges, and each metric is the
 * registry's formula over those sums (`computeMetric`): no formula is written
 * here. The window is exact to the millisecond because the store keeps each
 * contact's disconnect time (MetricReader.contacts).
 *
 * Rows are grouped like the historical reports group contact records: by the
 * record's queue, and by the routing profile of the agent who handled it
 * (Agent.RoutingProfile), so a contact no agent took counts for its queue but
 * for no routing profile.
 */
import type { Dims } from '../dimensions.js';
import type { ContactFacts } from '../engine/ctr-contribution.js';
import { factsPrimitives } from '../engine/ctr-contribution.js';
import { addPrimitives } from '../metrics/primitives.js';
import type { Primitives } from '../metrics/primitives.js';
import { SL_THRESHOLDS } from '../metrics/primitives.js';
import { computeMetric, getMetric } from '../metrics/registry.js';
import type { SupportedMetric } from '../metrics/registry.js';

/** A contact as the store returns it (MetricReader.contacts). */
export interface WindowContact {
  readonly contactId: string;
  readonly dims: Dims;
  readonly facts: ContactFacts;
  readonly disconnectMs: number;
}

/** The performance columns of the real-time Queues and Routing profiles reports, in report order. */
export const PERFORMANCE_METRIC_IDS: readonly string[] = [
  'contacts_queued',
  'contacts_handled',
  'contacts_abandoned',
  'avg_handle_time',
  ...SL_THRESHOLDS.map((x) => `service_level_${x}`),
  'max_queued_time',
  'avg_queue_answer_time',
  'avg_queue_abandon_time',
  'contacts_transferred_in',
  'contacts_transferred_out',
  'contacts_handled_incoming',
  'contacts_handled_outbound',
  'callback_contacts_handled',
  'api_contacts_handled',
];

export const PERFORMANCE_METRICS: readonly SupportedMetric[] = PERFORMANCE_METRIC_IDS.map(getMetric);

/** The real-time column label of a registry metric (its report header where Connect has no real-time name). */
export function realTimeLabel(m: { readonly realTimeLabel?: string; readonly header: string }): string {
  return m.realTimeLabel ?? m.header;
}

/** Σ primitives of the contacts, per group key (contacts whose key is null are left out). */
export function sumByGroup(contacts: Iterable<WindowContact>, keyOf: (c: WindowContact) => string | null): Map<string, Primitives> {
  const out = new Map<string, Record<string, number>>();
  for (const c of contacts) {
    const k = keyOf(c);
    if (k === null) continue;
    let acc = out.get(k);
    if (!acc) out.set(k, (acc = {}));
    addPrimitives(acc, factsPrimitives(c.facts));
  }
  return out as Map<string, Primitives>;
}

/** Σ primitives over every contact with a non-null key: the summary row. */
export function sumAll(contacts: Iterable<WindowContact>, keyOf: (c: WindowContact) => string | null): Primitives {
  const acc: Record<string, number> = {};
  for (const c of contacts) if (keyOf(c) !== null) addPrimitives(acc, factsPrimitives(c.facts));
  return acc as Primitives;
}

export const queueOf = (c: WindowContact): string | null => c.dims.queue;
export const routingProfileOf = (c: WindowContact): string | null => c.dims.routingProfile;

/** Each metric's value for a row's primitives: null where the registry says there is no data (a dash). */
export function metricValues(metrics: readonly SupportedMetric[], p: Primitives): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const m of metrics) out[m.id] = computeMetric(m, p);
  return out;
}
