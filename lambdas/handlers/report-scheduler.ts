/**
 * Lambda handler woken every 15 minutes by an EventBridge schedule: generates
 * every report run that is due (schedule time + 15 minutes) and not yet done,
 * then corrects the runs of the correction window whose data changed late
 * (`REPORT_CORRECTION_WINDOW_HOURS`, default 24; 0 disables).
 * The report definitions are bundled next to the handler (report-definitions.json),
 * validated at synth time and again here.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsClients, clientConfigFromEnv } from '../adapters/aws-clients.js';
import { DEFAULT_NAMESPACE, PIPELINE_METRICS } from '../domain/realtime/cloudwatch-catalog.js';
import { parseReportDefinitions } from '../domain/reports/definitions.js';
import { S3ReportSink } from '../reporting/report-sink.js';
import { DEFAULT_CORRECTION_WINDOW_MS, ReportScheduler } from '../reporting/scheduler.js';
import type { WakeSummary } from '../reporting/scheduler.js';
import { DynamoMetricStore } from '../storage/dynamodb/dynamo-metric-store.js';
import { DynamoRunLedger } from '../storage/dynamodb/dynamo-run-ledger.js';
import { requireEnv } from './runtime.js';

let scheduler: ReportScheduler | undefined;
const logger = new Logger({ serviceName: 'report-scheduler' });
const metrics = new Metrics({ namespace: process.env.METRICS_NAMESPACE ?? DEFAULT_NAMESPACE, serviceName: 'report-scheduler' });

function definitionsPath(): string {
  return process.env.REPORT_DEFINITIONS_PATH ?? join(dirname(fileURLToPath(import.meta.url)), 'report-definitions.json');
}

/** `REPORT_CORRECTION_WINDOW_HOURS` in milliseconds: a whole number of hours, 0 to disable; 24 hours when unset. */
export function correctionWindowMs(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_CORRECTION_WINDOW_MS;
  if (!/^\d+$/.test(value)) throw new Error(`REPORT_CORRECTION_WINDOW_HOURS must be a whole number of hours (0 disables corrections); got "${value}"`);
  return Number(value) * 3600 * 1000;
}

function build(): ReportScheduler {
  const clients = awsClients(clientConfigFromEnv());
  const table = requireEnv('TABLE_NAME');
  const store = new DynamoMetricStore(clients.dynamoDocument, table);
  return new ReportScheduler({
    definitions: parseReportDefinitions(JSON.parse(readFileSync(definitionsPath(), 'utf8'))),
    ledger: new DynamoRunLedger(clients.dynamoDocument, table),
    reader: store,
    changeLog: store,
    correctionWindowMs: correctionWindowMs(process.env.REPORT_CORRECTION_WINDOW_HOURS),
    sink: new S3ReportSink(clients.s3, requireEnv('REPORTS_BUCKET')),
    reportsKeyPrefix: requireEnv('REPORTS_KEY_PREFIX'),
    log: (level, message, extra) => logger[level](message, extra ?? {}),
  });
}

export async function handler(event: { time?: string }): Promise<WakeSummary> {
  scheduler ??= build();
  // EventBridge gives the scheduled time; a late invocation still uses the real clock so nothing runs early.
  const now = Math.max(Date.now(), event.time ? Date.parse(event.time) : 0);
  const summary = await scheduler.wake(now);
  metrics.addMetric(PIPELINE_METRICS.reportRunsSucceeded.name, MetricUnit.Count, summary.generated.length);
  metrics.addMetric(PIPELINE_METRICS.reportRunsFailed.name, MetricUnit.Count, summary.failed.length);
  metrics.addMetric(PIPELINE_METRICS.reportsCorrected.name, MetricUnit.Count, summary.corrected.length);
  metrics.publishStoredMetrics();
  logger.info('Scheduler woke', {
    registered: summary.registered,
    generated: summary.generated.length,
    failed: summary.failed.length,
    busy: summary.busy,
    corrected: summary.corrected.length,
    correctionsChecked: summary.correctionsChecked,
    correctionsFailed: summary.correctionsFailed.length,
  });
  return summary;
}
