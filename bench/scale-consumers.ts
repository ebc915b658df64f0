/**
 * The agent-event stream of one shard applied by several consumers, as Lambda does with a parallelization factor
 * above 1: each consumer a worker thread (scale-consumer.ts) with its own SDK client and its own in-memory table,
 * taking the records of its partition keys (the agent ARNs that fall to it).
 *
 * Lambda runs each of a shard's concurrent batches in its own execution environment, with its own vCPU; the
 * consumers share nothing but the table, whose per-key write rate the scale bench checks on its own. A machine with
 * fewer CPUs than consumers runs them `atOnce` at a time, so that each still has a CPU to itself, as it would
 * deployed: all warm up, then the consumers of a turn start together. The shard's rate is all the consumers' records
 * over the time the slowest of them took.
 */
import { Worker } from 'node:worker_threads';
import type { ConsumerJob } from './scale-consumer.js';

export interface ConsumerResult {
  readonly index: number;
  readonly records: number;
  readonly seconds: number;
  /** DynamoDB calls made over the measured records. */
  readonly calls: number;
}

export interface ShardResult {
  /** All consumers' records. */
  readonly records: number;
  /** The slowest consumer's time. */
  readonly seconds: number;
  readonly consumers: readonly ConsumerResult[];
}

async function runTurn(base: Omit<ConsumerJob, 'index'>, indices: readonly number[]): Promise<ConsumerResult[]> {
  const workers = indices.map(
    (index) => new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { module: new URL('./scale-consumer.ts', import.meta.url).href, job: { ...base, index } satisfies ConsumerJob } }),
  );
  try {
    const next = (w: Worker) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    await Promise.all(workers.map(next));
    const results = workers.map(next);
    for (const w of workers) w.postMessage('go');
    const done = (await Promise.all(results)) as Array<{ records: number; seconds: number; calls: number }>;
    return done.map((d, i) => ({ index: indices[i] as number, records: d.records, seconds: d.seconds, calls: d.calls }));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** `base.consumers` consumers, `atOnce` at a time (default: all at once). */
export async function consumersThroughput(base: Omit<ConsumerJob, 'index'>, atOnce = base.consumers): Promise<ShardResult> {
  const step = Math.max(1, Math.min(atOnce, base.consumers));
  const consumers: ConsumerResult[] = [];
  for (let first = 0; first < base.consumers; first += step) {
    const indices = Array.from({ length: Math.min(step, base.consumers - first) }, (_, i) => first + i);
    consumers.push(...(await runTurn(base, indices)));
  }
  return { records: consumers.reduce((n, c) => n + c.records, 0), seconds: Math.max(...consumers.map((c) => c.seconds)), consumers };
}
