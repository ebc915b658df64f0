/**
 * Lambda handler woken every minute by an EventBridge schedule: computes the
 * real-time metrics for the minute that just ended and publishes them to
 * CloudWatch with PutMetricData (realtime/cloudwatch-publisher.ts says why
 * not the embedded metric format).
 *
 * The run's instant is the scheduled time (EventBridge's `time`) floored to
 * the minute, so a late or retried invocation describes the same minute and
 * consecutive runs tile time without gaps or overlaps.
 *
 * Environment:
 * - TABLE_NAME (required): the metrics table (aggregates, agent states, contact events).
 * - METRICS_NAMESPACE (optional, default ConnectMetrics): the custom namespace.
 * - SL_THRESHOLDS_JSON (optional): JSON object, queue name → service-level threshold in seconds, each one of
 *   15, 20, 25, 30, 45, 60, 90, 120, 180, 240, 300, 600; queues not listed use 60.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients, clientConfigFromEnv } from '../adapters/aws-clients.js';
import { DEFAULT_NAMESPACE } from '../domain/realtime/cloudwatch-catalog.js';
import { MINUTE_MS } from '../domain/realtime/datapoints.js';
import { CloudWatchMetricsPublisher } from '../realtime/cloudwatch-publisher.js';
import type { PublishResult } from '../realtime/metrics-publisher.js';
import { defaultPublisherConfig, parseSlThresholds, RealtimePublisher } from '../realtime/publisher.js';
import { DynamoContactEventStore } from '../storage/dynamodb/contact-event-store.js';
import { DynamoMetricStore } from '../storage/dynamodb/dynamo-metric-store.js';
import { requireEnv } from './runtime.js';

const logger = new Logger({ serviceName: 'realtime-publisher' });
let publisher: RealtimePublisher | undefined;

function build(): RealtimePublisher {
  const clients = awsClients(clientConfigFromEnv());
  const table = requireEnv('TABLE_NAME');
  return new RealtimePublisher({
    reader: new DynamoMetricStore(clients.dynamoDocument, table),
    contactEvents: new DynamoContactEventStore(clients.dynamoDocument, table),
    publisher: new CloudWatchMetricsPublisher(clients.cloudWatch),
    config: defaultPublisherConfig(process.env.METRICS_NAMESPACE ?? DEFAULT_NAMESPACE, parseSlThresholds(process.env.SL_THRESHOLDS_JSON)),
  });
}

/** The instant a run describes: the scheduled time (or now), floored to the minute. */
export function runInstant(eventTime: string | undefined, nowMs: number): number {
  const scheduled = eventTime ? Date.parse(eventTime) : Number.NaN;
  const t = Number.isNaN(scheduled) ? nowMs : scheduled;
  return Math.floor(t / MINUTE_MS) * MINUTE_MS;
}

export async function handler(event: { time?: string }): Promise<PublishResult & { instant: string }> {
  publisher ??= build();
  const nowMs = runInstant(event.time, Date.now());
  const result = await publisher.run(nowMs);
  logger.info('Real-time metrics published', { instant: new Date(nowMs).toISOString(), ...result });
  return { ...result, instant: new Date(nowMs).toISOString() };
}
