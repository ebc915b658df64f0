/**
 * Lambda handler for Amazon Connect contact events, delivered one event per
 * invocation by the stack's EventBridge rule (source `aws.connect`,
 * detail-type `Amazon Connect Contact Event`). Validates the event, merges it
 * into its contact's lifecycle (storage/dynamodb/contact-event-store.ts) and
 * publishes pipeline-health counters with the embedded metric format
 * (dimension Source = contact-events). An event that fails validation
 * (a deeply nested or oversized one included) is dead-lettered with its raw
 * payload and the invocation succeeds: retrying it cannot help. A storage failure throws, so Lambda's asynchronous retries
 * (and the rule's dead-letter queue after them) take over.
 *
 * Environment:
 * - TABLE_NAME (required): the metrics table.
 * - METRICS_NAMESPACE (optional, default ConnectMetrics): namespace of the pipeline-health metrics.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsClients, clientConfigFromEnv } from '../adapters/aws-clients.js';
import { parseContactEvent } from '../domain/model/contact-event.js';
import { safeJsonStringify } from '../domain/model/json-shape.js';
import { DEFAULT_NAMESPACE, PIPELINE_METRICS } from '../domain/realtime/cloudwatch-catalog.js';
import type { IngestLog } from '../pipeline/ingest.js';
import { DynamoContactEventStore } from '../storage/dynamodb/contact-event-store.js';
import type { ContactEventOutcome, ContactEventSink } from '../storage/contact-event-source.js';
import { boundedReason } from '../storage/dynamodb/dead-letters.js';
import { loggerAdapter, requireEnv } from './runtime.js';

export const CONTACT_EVENTS_SOURCE = 'contact-events';

export type ContactEventResult = { readonly outcome: ContactEventOutcome | 'dead-lettered'; readonly contactId: string | null };

export interface ContactEventCounters {
  readonly outcome: ContactEventResult['outcome'];
  /** Age of the event when applied, in seconds; null when it was not applied. */
  readonly freshnessSec: number | null;
}

export interface ContactEventDeps {
  readonly store: ContactEventSink;
  readonly log: IngestLog;
  readonly report: (c: ContactEventCounters) => void;
  readonly now: () => number;
}

export async function handleContactEvent(raw: unknown, deps: ContactEventDeps): Promise<ContactEventResult> {
  const parsed = parseContactEvent(raw, { nowMs: deps.now() });
  if (!parsed.ok) {
    const eventId = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : null;
    // safeJsonStringify: the payload may be nested too deep for JSON.stringify (which would throw a RangeError).
    await deps.store.putDeadLetter({ reason: parsed.error.message, data: safeJsonStringify(raw), failedAtMs: deps.now(), eventId });
    // The reason names fields and values of the event, never the whole payload (it may hold customer data).
    deps.log.warn('Contact event dead-lettered', { eventId: eventId?.slice(0, 256), reason: boundedReason(parsed.error.message) });
    deps.report({ outcome: 'dead-lettered', freshnessSec: null });
    return { outcome: 'dead-lettered', contactId: null };
  }
  const e = parsed.value;
  const outcome = await deps.store.apply(e);
  if (parsed.unknownEnums.length > 0) deps.log.info('Contact event with values the model does not know', { eventId: e.eventId, values: parsed.unknownEnums });
  deps.report({ outcome, freshnessSec: outcome === 'applied' ? Math.max(0, (deps.now() - e.eventMs) / 1000) : null });
  return { outcome, contactId: e.contactId };
}

/** Counters as EMF: the same names (catalog) and Source dimension as the stream handlers' batch counters. */
export function emfContactEventReport(metrics: Metrics): ContactEventDeps['report'] {
  return ({ outcome, freshnessSec }) => {
    metrics.addDimension(PIPELINE_METRICS.recordsProcessed.dimensions[0] ?? 'Source', CONTACT_EVENTS_SOURCE);
    metrics.addMetric(PIPELINE_METRICS.recordsProcessed.name, MetricUnit.Count, 1);
    metrics.addMetric(PIPELINE_METRICS.recordsApplied.name, MetricUnit.Count, outcome === 'applied' ? 1 : 0);
    metrics.addMetric(PIPELINE_METRICS.duplicatesIgnored.name, MetricUnit.Count, outcome === 'duplicate' ? 1 : 0);
    metrics.addMetric(PIPELINE_METRICS.deadLettered.name, MetricUnit.Count, outcome === 'dead-lettered' ? 1 : 0);
    if (freshnessSec !== null) metrics.addMetric(PIPELINE_METRICS.dataFreshness.name, MetricUnit.Seconds, freshnessSec);
    metrics.publishStoredMetrics();
  };
}

let deps: ContactEventDeps | undefined;

function build(): ContactEventDeps {
  const clients = awsClients(clientConfigFromEnv());
  const logger = new Logger({ serviceName: 'contact-events' });
  const metrics = new Metrics({ namespace: process.env.METRICS_NAMESPACE ?? DEFAULT_NAMESPACE, serviceName: 'contact-events' });
  return {
    store: new DynamoContactEventStore(clients.dynamoDocument, requireEnv('TABLE_NAME')),
    log: loggerAdapter(logger),
    report: emfContactEventReport(metrics),
    now: () => Date.now(),
  };
}

export async function handler(event: unknown): Promise<ContactEventResult> {
  return handleContactEvent(event, (deps ??= build()));
}
