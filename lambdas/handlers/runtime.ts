/**
 * What every handler shares, built once per container: configuration from the
 * environment (failing loudly when a variable is missing), SDK clients,
 * the store, the logger and the metrics emitter.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsClients, clientConfigFromEnv } from '../adapters/aws-clients.js';
import type { BatchReport, IngestLog } from '../pipeline/ingest.js';
import { DynamoMetricStore } from '../storage/dynamodb/dynamo-metric-store.js';

export class MissingEnvironmentError extends Error {
  constructor(readonly variable: string) {
    super(`Environment variable ${variable} is not set`);
    this.name = 'MissingEnvironmentError';
  }
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const v = env[name];
  if (!v) throw new MissingEnvironmentError(name);
  return v;
}

export const METRICS_NAMESPACE = process.env.METRICS_NAMESPACE ?? 'ConnectMetrics';

export function createRuntime(serviceName: string) {
  const clients = awsClients(clientConfigFromEnv());
  const store = new DynamoMetricStore(clients.dynamoDocument, requireEnv('TABLE_NAME'), {
    retentionDays: Number(process.env.RETENTION_DAYS ?? 0),
  });
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  const log: IngestLog = {
    info: (m, extra) => (extra ? logger.info(m, extra) : logger.info(m)),
    warn: (m, extra) => (extra ? logger.warn(m, extra) : logger.warn(m)),
    error: (m, extra) => (extra ? logger.error(m, extra) : logger.error(m)),
  };
  return { clients, store, logger, log, metrics };
}

/** Publishes a batch's counters as pipeline-health metrics (embedded metric format, no API calls). */
export function publishBatchReport(metrics: Metrics, source: string, report: BatchReport, writeUnits: number, now = Date.now()): void {
  metrics.addDimension('Source', source);
  metrics.addMetric('RecordsProcessed', MetricUnit.Count, report.records);
  metrics.addMetric('RecordsApplied', MetricUnit.Count, report.applied);
  metrics.addMetric('DuplicatesIgnored', MetricUnit.Count, report.duplicates);
  metrics.addMetric('UpdatesApplied', MetricUnit.Count, report.updates);
  metrics.addMetric('DeadLetteredRecords', MetricUnit.Count, report.deadLettered);
  metrics.addMetric('FailedRecords', MetricUnit.Count, report.failed);
  metrics.addMetric('DynamoDbWriteUnits', MetricUnit.Count, writeUnits);
  if (report.newestEventMs !== null) metrics.addMetric('DataFreshness', MetricUnit.Seconds, Math.max(0, (now - report.newestEventMs) / 1000));
  metrics.publishStoredMetrics();
}
