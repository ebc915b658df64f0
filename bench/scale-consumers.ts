/**
 * The agent-event stream of one shard applied by several consumers at once, as Lambda does with a parallelization
 * factor above 1: each consumer a worker thread (scale-consumer.ts) with its own CPU, its own SDK client and its own
 * in-memory table, taking the records of its partition keys. All warm up first; then they start together and the
 * shard's rate is all their records over the time the slowest took.
 */
import { Worker } from 'node:worker_threads';
import type { ConsumerJob } from './scale-consumer.js';

export async function consumersThroughput(base: Omit<ConsumerJob, 'index'>): Promise<{ records: number; seconds: number }> {
  const workers = Array.from(
    { length: base.consumers },
    (_, index) => new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { module: new URL('./scale-consumer.ts', import.meta.url).href, job: { ...base, index } satisfies ConsumerJob } }),
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
    const done = (await Promise.all(results)) as Array<{ records: number; seconds: number }>;
    return { records: done.reduce((n, d) => n + d.records, 0), seconds: Math.max(...done.map((d) => d.seconds)) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
