/**
 * Agent pages under racing writers, fast: three stores on one in-memory table
 * (bench/memory-dynamo.ts, every call delayed 0–2 ms at random so the writers
 * interleave at every step) apply shuffled, overlapping, duplicated batches of
 * a simulated center's agent events; the stored cells must equal one clean
 * pass of the reference engine. This is the test that found torn reads (a
 * carry point seen before the point itself) and lost page moves; the dynalite
 * suite (concurrent-writers.test.ts) checks the same on the real protocol.
 */
import { describe, expect, it } from 'vitest';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import type { AgentEvent } from '../../lambdas/domain/model/types.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { simulate } from '../../cli/simulator/index.js';
import { MemoryDynamo } from '../../bench/memory-dynamo.js';
import { engineOf } from '../support/metrics.js';
import { engineCells, storeCells } from '../support/store-compare.js';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function shuffle<T>(items: readonly T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const sim = simulate({ seed: 11, agents: 8, hours: 6, start: '2026-03-10T07:00:00', timeZone: 'America/New_York' });
const events = sim.agentEventLines.map((l) => {
  const r = parseAgentEvent(JSON.parse(l));
  if (!r.ok) throw new Error(`simulated event did not parse: ${l.slice(0, 200)}`);
  return r.value;
});

describe('agent pages under racing writers', () => {
  it.each([1, 2, 3])('seed %i: three writers with jittered calls end equal to one clean pass', async (seed) => {
    const rnd = prng(seed);
    const table = new MemoryDynamo(0).client();
    const send = table.send.bind(table);
    let calls = 0;
    const jittered = {
      send: async (command: Parameters<typeof send>[0]) => {
        calls++;
        await new Promise((r) => setTimeout(r, Math.floor(rnd() * 3)));
        return send(command);
      },
    } as unknown as typeof table;
    const WRITERS = 3;
    const writers = Array.from({ length: WRITERS }, () => new DynamoMetricStore(jittered, 'racing', { concurrency: 8 }));
    const lists: AgentEvent[][] = Array.from({ length: WRITERS }, () => []);
    for (const e of events) {
      const home = Math.floor(rnd() * WRITERS);
      (lists[home] as AgentEvent[]).push(e);
      for (let w = 0; w < WRITERS; w++) if (w !== home && rnd() < 0.35) (lists[w] as AgentEvent[]).push(e);
      if (rnd() < 0.1) (lists[home] as AgentEvent[]).push(e);
    }
    const plans = lists.map((l) => {
      const s = shuffle(l, rnd);
      const out: AgentEvent[][] = [];
      for (let i = 0; i < s.length; ) {
        const n = 1 + Math.floor(rnd() * 60);
        out.push(s.slice(i, i + n));
        i += n;
      }
      return out;
    });
    await Promise.all(
      writers.map(async (store, w) => {
        let seq = 0;
        for (const batch of plans[w] ?? []) {
          const r = await store.applyAgentEvents(batch.map((value) => ({ value, position: { shardId: `shardId-${w}`, sequenceNumber: String(++seq) } })));
          expect(r.rejected ?? []).toEqual([]);
        }
      }),
    );
    expect(calls).toBeGreaterThan(events.length);
    const start = Date.parse(sim.truth.start) - 86_400_000;
    const end = Date.parse(sim.truth.end) + 86_400_000;
    const reader = new DynamoMetricStore(table, 'racing');
    expect(await storeCells(reader, start, end)).toEqual(engineCells(engineOf([], events), start, end));
  });
});
