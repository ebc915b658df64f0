/**
 * The report-scheduler Lambda handler on the local services, on the real
 * clock: a report written a moment ago, then a late CTR, then one invocation —
 * it corrects the report and publishes `ReportsCorrected` (EMF on stdout) in
 * the namespace METRICS_NAMESPACE names, beside the report-run counters.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import type { AwsClients } from '../../lambdas/adapters/aws-clients.js';
import { ensureBucket, startLocalServices } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import { S3ReportSink } from '../../lambdas/reporting/report-sink.js';
import { ReportScheduler, WAKE_INTERVAL_MS } from '../../lambdas/reporting/scheduler.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { DynamoRunLedger } from '../../lambdas/storage/dynamodb/dynamo-run-ledger.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import { ctr } from '../support/builders.js';
import { parseReportCsv } from '../../lambdas/reporting/corrections.js';
import { readObject } from './support.js';

const BUCKET = 'handler-corrections';
const TABLE = 'handler-corrections';
const PREFIX = 'connect/handler';
const NAMESPACE = 'ConnectMetrics/handler-test';
const MIN = 60_000;

let services: LocalServices;
let clients: AwsClients;
const saved = { ...process.env };

const reports = {
  reports: [
    {
      name: 'quarter-hours',
      type: 'HISTORICAL',
      groupings: ['QUEUE'],
      metrics: ['contacts_handled'],
      interval: 'FIFTEEN_MIN',
      timeRange: 'LAST_24_HOURS',
      schedule: { frequency: 'EVERY_15_MIN', at: '00:00' },
    },
  ],
};

beforeAll(async () => {
  services = await startLocalServices();
  clients = awsClients({ region: services.region, endpoints: services.endpoints });
  await ensureBucket(clients.s3, BUCKET);
  await ensureTable(clients.dynamodb, TABLE);
  const dir = mkdtempSync(join(tmpdir(), 'handler-corrections-'));
  writeFileSync(join(dir, 'report-definitions.json'), JSON.stringify(reports));
  Object.assign(process.env, {
    TABLE_NAME: TABLE,
    REPORTS_BUCKET: BUCKET,
    REPORTS_KEY_PREFIX: PREFIX,
    REPORT_DEFINITIONS_PATH: join(dir, 'report-definitions.json'),
    REPORT_CORRECTION_WINDOW_HOURS: '24',
    METRICS_NAMESPACE: NAMESPACE,
    AWS_REGION: services.region,
    CM_DYNAMODB_ENDPOINT: services.endpoints.dynamodb,
    CM_S3_ENDPOINT: services.endpoints.s3,
  });
});
afterAll(async () => {
  process.env = saved;
  clients?.destroy();
  await services?.stop();
});

describe('report-scheduler handler', () => {
  it('corrects a report that late data changed and publishes ReportsCorrected in the deployment’s namespace', async () => {
    // The store and the scheduler on the real wall clock, as in Lambda.
    const store = new DynamoMetricStore(clients.dynamoDocument, TABLE);
    const contact = (id: string, disconnectMs: number) =>
      ctr({
        id,
        disconnect: new Date(disconnectMs).toISOString(),
        queue: { name: 'Sales', enqueue: new Date(disconnectMs - 2 * MIN).toISOString(), waitSec: 20 },
        agent: { name: 'alice', connected: new Date(disconnectMs - 2 * MIN + 20_000).toISOString(), talk: 60 },
      });
    const position = (n: number) => ({ shardId: 'shardId-000000000000', sequenceNumber: String(n).padStart(20, '0') });
    const twoHoursAgo = Date.now() - 120 * MIN;
    await store.applyCtrs([{ value: contact('first', twoHoursAgo), position: position(1) }]);

    // The last wake-up on the clock wrote the run scheduled 15 minutes before it.
    const lastWake = Math.floor(Date.now() / WAKE_INTERVAL_MS) * WAKE_INTERVAL_MS;
    const written = await new ReportScheduler({
      definitions: parseReportDefinitions(reports),
      ledger: new DynamoRunLedger(clients.dynamoDocument, TABLE),
      reader: store,
      sink: new S3ReportSink(clients.s3, BUCKET),
      reportsKeyPrefix: PREFIX,
    }).wake(lastWake);
    const key = written.generated[0]?.key ?? '';
    expect(written.generated).toHaveLength(1);
    const handled = async () => parseReportCsv(await readObject(clients.s3, BUCKET, key)).slice(1).reduce((n, r) => n + Number(r.at(-1)), 0);
    expect(await handled()).toBe(1);

    // A contact of the same interval arrives late.
    await new Promise((r) => setTimeout(r, 5));
    await store.applyCtrs([{ value: contact('late', twoHoursAgo + 1000), position: position(2) }]);

    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    let summary;
    try {
      const { handler } = await import('../../lambdas/handlers/report-scheduler.js');
      summary = await handler({ time: new Date(lastWake).toISOString() });
    } finally {
      spy.mockRestore();
    }
    expect(summary.corrected.map((c) => c.key)).toEqual([key]);
    expect(await handled()).toBe(2);

    const emf = out
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> } });
    expect(emf).toHaveLength(1);
    const [doc] = emf;
    expect(doc?._aws.CloudWatchMetrics[0]?.Namespace).toBe(NAMESPACE);
    expect(doc?._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name).sort()).toEqual(['ReportRunsFailed', 'ReportRunsSucceeded', 'ReportsCorrected']);
    expect(doc?.ReportsCorrected).toBe(1);
  });
});
