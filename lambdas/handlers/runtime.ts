/**
 * What the stream handlers share: configuration from the environment (failing
 * loudly when a variable is missing), SDK clients, the store, the logger and
 * where batch reports go. In Lambda it is built once per container, at the
 * first invocation; the local runtime builds its own and drives the very same
 * handler functions with it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { awsClients, clientConfigFromEnv } from '../adapters/aws-clients.js';
import { DEFAULT_NAMESPACE } from '../domain/realtime/cloudwatch-catalog.js';
import type { BatchReport, IngestDeps, IngestLog } from '../pipeline/ingest.js';
import { S3BlobStore } from '../adapters/s3-blob-store.js';
import { DynamoMetricStore } from '../storage/dynamodb/dynamo-metric-store.js';
import type { MeteredMetricStore } from '../storage/metric-store.js';

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

/** Where a batch's counters go: CloudWatch (embedded metric format) in Lambda, a recorder locally. */
export type ReportSink = (source: string, report: BatchReport, writeUnits: number) => void;

export interface HandlerRuntime {
  readonly store: MeteredMetricStore;
  readonly log: IngestLog;
  readonly report: ReportSink;
}

export function loggerAdapter(logger: Logger): IngestLog {
  return {
    info: (m, extra) => (extra ? logger.info(m, extra) : logger.info(m)),
    warn: (m, extra) => (extra ? logger.warn(m, extra) : logger.warn(m)),
    error: (m, extra) => (extra ? logger.error(m, extra) : logger.error(m)),
  };
}

/** Publishes a batch's counters as pipeline-health metrics with the embedded metric format (no API calls). */
export function emfReportSink(metrics: Metrics): ReportSink {
  return (source, report, writeUnits) => {
    metrics.addDimension('Source', source);
    metrics.addMetric('RecordsProcessed', MetricUnit.Count, report.records);
    metrics.addMetric('RecordsApplied', MetricUnit.Count, report.applied);
    metrics.addMetric('DuplicatesIgnored', MetricUnit.Count, report.duplicates);
    metrics.addMetric('UpdatesApplied', MetricUnit.Count, report.updates);
    metrics.addMetric('DeadLetteredRecords', MetricUnit.Count, report.deadLettered);
    metrics.addMetric('FailedRecords', MetricUnit.Count, report.failed);
    metrics.addMetric('DynamoDbWriteUnits', MetricUnit.Count, writeUnits);
    if (report.newestEventMs !== null) metrics.addMetric('DataFreshness', MetricUnit.Seconds, Math.max(0, (Date.now() - report.newestEventMs) / 1000));
    metrics.publishStoredMetrics();
  };
}

/** The Lambda runtime, from the function's environment. */
export function lambdaRuntime(serviceName: string, env: NodeJS.ProcessEnv = process.env): HandlerRuntime {
  const clients = awsClients(clientConfigFromEnv(env));
  const deadLetterBucket = env.DEAD_LETTER_BUCKET;
  const store = new DynamoMetricStore(clients.dynamoDocument, requireEnv('TABLE_NAME', env), {
    retentionDays: Number(env.RETENTION_DAYS ?? 0),
    blobs: deadLetterBucket ? new S3BlobStore(clients.s3, deadLetterBucket) : undefined,
  });
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: env.METRICS_NAMESPACE ?? DEFAULT_NAMESPACE, serviceName });
  return { store, log: loggerAdapter(logger), report: emfReportSink(metrics) };
}

type Ingest = (event: KinesisStreamEvent, deps: IngestDeps) => Promise<{ response: KinesisStreamBatchResponse; report: BatchReport }>;

/**
 * The handler body shared by both streams: log the batch's position (never its
 * payload), ingest, report counters, return the partial batch response.
 */
export function streamHandler(source: string, ingest: Ingest, runtime: () => HandlerRuntime) {
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const rt = runtime();
    const first = event.Records[0];
    const last = event.Records[event.Records.length - 1];
    const unitsBefore = rt.store.writeUnits;
    const { response, report } = await ingest(event, { store: rt.store, log: rt.log });
    rt.log.info('Batch processed', {
      source,
      shard: first?.eventID.slice(0, first.eventID.lastIndexOf(':')),
      firstSequenceNumber: first?.kinesis.sequenceNumber,
      lastSequenceNumber: last?.kinesis.sequenceNumber,
      ...report,
    });
    rt.report(source, report, rt.store.writeUnits - unitsBefore);
    return response;
  };
}
