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
import { ingestAgentEventBatch } from '../lambdas/pipeline/ingest.js';
import { shardOf } from '../lambdas/storage/dynamodb/keys.js';
import { DynamoMetricStore } from '../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { kinesisBatch } from './kinesis-batch.js';
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
  const event = kinesisBatch('agent-events', lines, seq);
  seq += lines.length;
  const { response } = await ingestAgentEventBatch(event, { store });
  if (response.batchItemFailures.length > 0) throw new Error(`${response.batchItemFailures.length} record(s) failed in a batch`);
}

const warm: string[] = [];
let warmFirstMs = 0;
const measured: Array<{ line: string; ms: number }> = [];
let seen = 0;
const rl = createInterface({ input: createReadStream(join(job.dir, 'agent-events.jsonl'), { encoding: 'utf8' }), crlfDelay: Infinity });
for await (const line of rl) {
  if (line.trim() === '') continue;
  const e = JSON.parse(line) as { AgentARN: string; EventTimestamp: string };
  const ms = Date.parse(e.EventTimestamp);
  if (ms >= job.fromMs && ++seen > job.records) break;
  if (shardOf(e.AgentARN, job.consumers) !== job.index) continue;
  if (ms < job.fromMs) {
    if (warm.length === 0) warmFirstMs = ms;
    warm.push(line);
    if (warm.length === BATCH) await applyBatch(warm.splice(0), warmFirstMs);
  } else measured.push({ line, ms });
}
if (warm.length > 0) await applyBatch(warm.splice(0), warmFirstMs);

port.postMessage({ ready: true });
await new Promise<void>((resolve) => port.once('message', () => resolve()));
table.latencyMs = job.latencyMs;
const t0 = performance.now();
const calls0 = table.calls;
for (let i = 0; i < measured.length; i += BATCH) {
  const batch = measured.slice(i, i + BATCH);
  await applyBatch(batch.map((r) => r.line), (batch[0] as { ms: number }).ms);
}
port.postMessage({ records: measured.length, seconds: (performance.now() - t0) / 1000, calls: table.calls - calls0 });
