/**
 * One consumer of the agent-event stream under a parallelization factor, in its own worker thread (the way Lambda
 * runs each concurrent batch of a shard in its own execution environment): it takes the records whose partition key
 * (the agent ARN) falls to it, applies the warm-up minutes to its own in-memory table without latency, then, on
 * the driver's signal, applies its share of the measured records with the chosen latency per DynamoDB call and
 * reports how long that took. See scale-consumers.ts.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parentPort, workerData } from 'node:worker_threads';
import type { KinesisStreamEvent } from 'aws-lambda';
import { ingestAgentEventBatch } from '../lambdas/pipeline/ingest.js';
import { shardOf } from '../lambdas/storage/dynamodb/keys.js';
import { DynamoMetricStore } from '../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { MemoryDynamo } from './memory-dynamo.js';

export interface ConsumerJob {
  readonly dir: string;
  readonly index: number;
  readonly consumers: number;
  /** Records before this time are the warm-up. */
  readonly fromMs: number;
  /** The measured records: the first this many of the stream (all consumers' together) from `fromMs` on. */
  readonly records: number;
  readonly latencyMs: number;
  readonly maxSockets: number;
}

const job = workerData.job as ConsumerJob;
const port = parentPort as NonNullable<typeof parentPort>;
const BATCH = 1000;
const clock = { nowMs: 0 };
const table = new MemoryDynamo(0, job.maxSockets);
const store = new DynamoMetricStore(table.client(), 'scale-consumers', { now: () => clock.nowMs });
let seq = 1;

async function applyBatch(lines: readonly string[], firstMs: number): Promise<void> {
  clock.nowMs = firstMs + 60_000;
  const Records = lines.map((line, i) => {
    const s = String(seq + i).padStart(21, '0');
    return {
      kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'bench', sequenceNumber: s, data: Buffer.from(line, 'utf8').toString('base64'), approximateArrivalTimestamp: 0 },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000001:${s}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/bench',
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/agent-events',
    };
  });
  seq += lines.length;
  const { response } = await ingestAgentEventBatch({ Records } as KinesisStreamEvent, { store });
  if (response.batchItemFailures.length > 0) throw new Error(`${response.batchItemFailures.length} record(s) failed in a batch`);
}

const warm: string[] = [];
const measured: string[] = [];
let seen = 0;
const rl = createInterface({ input: createReadStream(join(job.dir, 'agent-events.jsonl'), { encoding: 'utf8' }), crlfDelay: Infinity });
for await (const line of rl) {
  if (line.trim() === '') continue;
  const e = JSON.parse(line) as { AgentARN: string; EventTimestamp: string };
  const ms = Date.parse(e.EventTimestamp);
  if (ms >= job.fromMs && ++seen > job.records) break;
  if (shardOf(e.AgentARN, job.consumers) !== job.index) continue;
  if (ms < job.fromMs) {
    warm.push(line);
    if (warm.length === BATCH) await applyBatch(warm.splice(0), Date.parse((JSON.parse(line) as { EventTimestamp: string }).EventTimestamp));
  } else measured.push(line);
}
if (warm.length > 0) await applyBatch(warm.splice(0), job.fromMs);

port.postMessage({ ready: true });
await new Promise<void>((resolve) => port.once('message', () => resolve()));
table.latencyMs = job.latencyMs;
const t0 = performance.now();
for (let i = 0; i < measured.length; i += BATCH) {
  const lines = measured.slice(i, i + BATCH);
  await applyBatch(lines, Date.parse((JSON.parse(lines[0] as string) as { EventTimestamp: string }).EventTimestamp));
}
port.postMessage({ records: measured.length, seconds: (performance.now() - t0) / 1000 });
