/**
 * Racing writers for the storage tests: a seeded PRNG, and plans that give
 * each writer shuffled, overlapping, duplicated batches of both streams.
 */
import { expect } from 'vitest';
import type { AgentEvent, Ctr } from '../../lambdas/domain/model/types.js';
import type { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import type { Sequenced } from '../../lambdas/storage/metric-store.js';

/** mulberry32: a small seeded PRNG, so every run of a seed applies the same batches. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function shuffle<T>(items: readonly T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

let seq = 0;
export const sequenced = <T>(values: readonly T[], shardId: string): Sequenced<T>[] =>
  values.map((value) => ({ value, position: { shardId, sequenceNumber: String(++seq).padStart(20, '0') } }));

export type Work = { kind: 'ctr'; batch: Sequenced<Ctr>[] } | { kind: 'agent'; batch: Sequenced<AgentEvent>[] };

/**
 * Each writer's list of batches: every record goes to one or more writers
 * (overlap), some are repeated within a writer (duplicates), each writer's
 * records are shuffled (agent events and CTR versions out of order, within
 * and across writers) and cut into batches of 1 to 60, both streams interleaved.
 */
export function planWork(ctrs: readonly Ctr[], events: readonly AgentEvent[], writers: number, rnd: () => number): Work[][] {
  const assign = <T>(items: readonly T[]): T[][] => {
    const lists: T[][] = Array.from({ length: writers }, () => []);
    for (const item of items) {
      const home = Math.floor(rnd() * writers);
      (lists[home] as T[]).push(item);
      for (let w = 0; w < writers; w++) if (w !== home && rnd() < 0.35) (lists[w] as T[]).push(item);
      if (rnd() < 0.1) (lists[home] as T[]).push(item);
    }
    return lists.map((l) => shuffle(l, rnd));
  };
  const cut = <T>(items: readonly T[]): T[][] => {
    const out: T[][] = [];
    for (let i = 0; i < items.length; ) {
      const n = 1 + Math.floor(rnd() * 60);
      out.push(items.slice(i, i + n));
      i += n;
    }
    return out;
  };
  const ctrLists = assign(ctrs);
  const eventLists = assign(events);
  return Array.from({ length: writers }, (_, w) => {
    const shard = `shardId-00000000000${w}`;
    const work: Work[] = [
      ...cut(ctrLists[w] as Ctr[]).map((b): Work => ({ kind: 'ctr', batch: sequenced(b, shard) })),
      ...cut(eventLists[w] as AgentEvent[]).map((b): Work => ({ kind: 'agent', batch: sequenced(b, shard) })),
    ];
    return shuffle(work, rnd);
  });
}

export async function runConcurrently(writers: readonly DynamoMetricStore[], plan: readonly Work[][]): Promise<void> {
  await Promise.all(
    writers.map(async (store, w) => {
      for (const work of plan[w] ?? []) {
        if (work.kind === 'ctr') await store.applyCtrs(work.batch);
        else {
          const r = await store.applyAgentEvents(work.batch);
          // Nothing in a simulated day is too big for an item: no event may be set aside.
          expect(r.rejected ?? []).toEqual([]);
        }
      }
    }),
  );
}

