/**
 * The real-time publisher: at an instant, reads the store (and the
 * contact-event store when there is one), computes the catalog's metrics
 * (domain/realtime/datapoints.ts) and hands them to a `MetricsPublisher`:
 * CloudWatch in Lambda, a recorder locally.
 */
import { z } from 'zod';
import { agentFlags, viewOfState } from '../domain/realtime/agent-state.js';
import { agentWindowPrimitives } from '../domain/realtime/agent-window.js';
import { profileQueues, stateAt } from '../domain/realtime/point-in-time.js';
import type { TimelinePoint } from '../domain/engine/agent-activity.js';
import { DEFAULT_SL_THRESHOLD, realtimeDatapoints, TRAILING_MS } from '../domain/realtime/datapoints.js';
import type { Datapoint } from '../domain/realtime/datapoints.js';
import { addPrimitives, SL_THRESHOLDS } from '../domain/metrics/primitives.js';
import type { Primitives, SlThreshold } from '../domain/metrics/primitives.js';
import type { MetricReader } from '../storage/metric-store.js';
import { pool } from '../domain/concurrency.js';
import type { ContactEventSource } from '../storage/contact-event-source.js';
import type { MetricsPublisher, PublishResult } from './metrics-publisher.js';
import { collect, contactLookup, laterContacts, waitingAt } from './realtime-view.js';

export interface PublisherConfig {
  readonly namespace: string;
  /** Queue name → service-level threshold in seconds. */
  readonly slThresholds: ReadonlyMap<string, SlThreshold>;
  readonly defaultSlThreshold: SlThreshold;
}

export class SlThresholdConfigError extends Error {
  constructor(detail: string) {
    super(`SL_THRESHOLDS_JSON must be a JSON object of queue name → seconds, each one of ${SL_THRESHOLDS.join(', ')}: ${detail}`);
    this.name = 'SlThresholdConfigError';
  }
}

const ThresholdsSchema = z.record(
  z.string().min(1),
  z.number().refine((v): v is SlThreshold => (SL_THRESHOLDS as readonly number[]).includes(v), { message: `expected one of ${SL_THRESHOLDS.join(', ')}` }),
);

/**
 * Parses SL_THRESHOLDS_JSON. Thresholds are limited to the service levels the
 * registry defines (15 … 600 s): each has its primitive, so the service level
 * is the registry's formula and is never computed a second way here.
 */
export function parseSlThresholds(json: string | undefined): Map<string, SlThreshold> {
  if (json === undefined || json.trim() === '') return new Map();
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new SlThresholdConfigError(err instanceof Error ? err.message : String(err));
  }
  const r = ThresholdsSchema.safeParse(raw);
  if (!r.success) throw new SlThresholdConfigError(r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return new Map(Object.entries(r.data) as Array<[string, SlThreshold]>);
}

export const defaultPublisherConfig = (namespace: string, slThresholds: ReadonlyMap<string, SlThreshold> = new Map()): PublisherConfig => ({
  namespace,
  slThresholds,
  defaultSlThreshold: DEFAULT_SL_THRESHOLD,
});

export interface RealtimePublisherDeps {
  readonly reader: MetricReader;
  readonly contactEvents: ContactEventSource | null;
  readonly publisher: MetricsPublisher;
  readonly config: PublisherConfig;
}

export class RealtimePublisher {
  constructor(private readonly deps: RealtimePublisherDeps) {}

  /** The datapoints of the run at `nowMs`. */
  async datapoints(nowMs: number): Promise<Datapoint[]> {
    const { reader, contactEvents, config } = this.deps;
    const from = nowMs - TRAILING_MS;
    const [entities, latest, contacts] = await Promise.all([reader.entities(), reader.agentStates(), collect(reader.contacts(from, nowMs))]);

    // One timeline read per agent that needs it: for occupancy (status time over the trailing window) and, when its
    // latest event is newer than the instant (events of the current minute), to rebuild its state at the instant.
    // Agents offline since before the window have no status time and a state that is still current.
    const needs = latest.filter((s) => s.eventMs >= from || agentFlags(viewOfState(s)).online);
    const timelines = new Map<string, TimelinePoint[]>();
    await pool(needs, 8, async (s) => {
      timelines.set(s.agentArn, await reader.timeline(s.agentArn, from, nowMs + 1));
    });
    const lookup = contactLookup([...contacts, ...(await laterContacts(reader, latest, nowMs))]);
    const queues = profileQueues(latest);
    const agents = latest.flatMap((s) => stateAt(s, timelines.get(s.agentArn) ?? [], nowMs, queues, lookup) ?? []);

    const occupancy = new Map<string, Record<string, number>>();
    for (const [, points] of timelines) {
      for (const item of agentWindowPrimitives(points, from, nowMs)) {
        const rp = item.dims.routingProfile;
        if (rp === null) continue;
        let acc = occupancy.get(rp);
        if (!acc) occupancy.set(rp, (acc = {}));
        addPrimitives(acc, item.values);
      }
    }

    const kinds = [...entities.all()];
    // From the states at the instant (not the latest ones, which may be newer when replaying a past day).
    const newest = agents.reduce<number | null>((m, s) => (m === null || s.eventMs > m ? s.eventMs : m), null);
    return realtimeDatapoints({
      nowMs,
      agents,
      contacts,
      occupancyByProfile: occupancy as Map<string, Primitives>,
      waiting: await waitingAt(contactEvents, nowMs, contacts),
      queueIds: kinds.filter((e) => e.kind === 'queue').map((e) => e.id),
      routingProfileIds: kinds.filter((e) => e.kind === 'routingProfile').map((e) => e.id),
      queueName: (id) => entities.nameOf(id),
      routingProfileName: (id) => entities.nameOf(id),
      slThreshold: (name) => config.slThresholds.get(name) ?? config.defaultSlThreshold,
      newestAgentEventMs: newest,
    });
  }

  async run(nowMs: number): Promise<PublishResult> {
    return this.deps.publisher.publish(this.deps.config.namespace, await this.datapoints(nowMs));
  }
}
