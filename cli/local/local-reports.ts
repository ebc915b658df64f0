/**
 * Runs the report scheduler against a local pipeline on a simulated clock,
 * then copies what it wrote to the local S3 into a directory. Corrections
 * work as in AWS: the store's late changes and the ledger's data times are on
 * the real wall clock, the correction window on the simulated one, so data
 * replayed into a kept data directory after a `run` corrects the reports of
 * that run at the next `run` (within 24 simulated hours of their schedule).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { ReportDefinition } from '../../lambdas/domain/reports/definitions.js';
import { S3ReportSink } from '../../lambdas/reporting/report-sink.js';
import { ReportScheduler, WAKE_INTERVAL_MS } from '../../lambdas/reporting/scheduler.js';
import type { WakeSummary } from '../../lambdas/reporting/scheduler.js';
import { DynamoRunLedger } from '../../lambdas/storage/dynamodb/dynamo-run-ledger.js';
import { LOCAL_NAMES } from './pipeline.js';
import type { LocalPipeline } from './pipeline.js';

export interface LocalSchedulerRun {
  readonly wakeUps: number;
  readonly generated: WakeSummary['generated'];
  readonly failed: WakeSummary['failed'];
  readonly corrected: WakeSummary['corrected'];
}

/** Wakes the scheduler every 15 minutes of simulated time in (fromMs, untilMs]. */
export async function runSchedulerLocally(
  pipeline: LocalPipeline,
  definitions: readonly ReportDefinition[],
  opts: { fromMs: number; untilMs: number; reportsKeyPrefix: string; onWake?: (nowMs: number, s: WakeSummary) => void },
): Promise<LocalSchedulerRun> {
  const ledger = new DynamoRunLedger(pipeline.clients.dynamoDocument, LOCAL_NAMES.table);
  const scheduler = new ReportScheduler({
    definitions,
    ledger,
    reader: pipeline.store,
    changeLog: pipeline.store,
    sink: new S3ReportSink(pipeline.clients.s3, LOCAL_NAMES.bucket),
    reportsKeyPrefix: opts.reportsKeyPrefix,
  });
  const generated: WakeSummary['generated'] = [];
  const failed: WakeSummary['failed'] = [];
  const corrected: WakeSummary['corrected'] = [];
  let wakeUps = 0;
  // The first wake-up starts the scheduler's memory at fromMs: runs generated after it are due.
  const first = Math.ceil(opts.fromMs / WAKE_INTERVAL_MS) * WAKE_INTERVAL_MS;
  if ((await ledger.watermark()) === null) await ledger.register([], first - WAKE_INTERVAL_MS);
  for (let now = first; now <= opts.untilMs; now += WAKE_INTERVAL_MS) {
    const s = await scheduler.wake(now);
    wakeUps++;
    generated.push(...s.generated);
    failed.push(...s.failed);
    corrected.push(...s.corrected);
    opts.onWake?.(now, s);
  }
  return { wakeUps, generated, failed, corrected };
}

/** Copies every object of the local reports bucket to `dir`, keeping each key as a path. */
export async function copyBucket(pipeline: LocalPipeline, dir: string): Promise<string[]> {
  const s3 = pipeline.clients.s3;
  const written: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      const obj = await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: o.Key }));
      const path = join(dir, ...o.Key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await (obj.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
      written.push(path);
    }
    token = page.NextContinuationToken;
  } while (token);
  return written.sort();
}
