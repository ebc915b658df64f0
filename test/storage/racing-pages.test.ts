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
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import type { AgentEvent } from '../../lambdas/domain/model/types.js';
import { AgentConflictError, DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { simulate } from '../../cli/simulator/index.js';
import { MemoryDynamo } from '../../bench/memory-dynamo.js';
import { engineOf } from '../support/metrics.js';
import { planWork, prng, runConcurrently, sequenced } from '../support/racing-writers.js';
import { engineCells, storeCells } from '../support/store-compare.js';

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
    const writers = Array.from({ length: 3 }, () => new DynamoMetricStore(jittered, 'racing', { concurrency: 8 }));
    await runConcurrently(writers, planWork([], events, writers.length, rnd));
    expect(calls).toBeGreaterThan(events.length);
    const start = Date.parse(sim.truth.start) - 86_400_000;
    const end = Date.parse(sim.truth.end) + 86_400_000;
    const reader = new DynamoMetricStore(table, 'racing');
    expect(await storeCells(reader, start, end)).toEqual(engineCells(engineOf([], events), start, end));
  });
});

describe('an agent writer that keeps losing races', () => {
  /** The table, except that the agent-state puts of the first `losses` attempts fail their condition, as if another writer got there first. */
  const losing = (losses: number) => {
    const table = new MemoryDynamo(0).client();
    const send = table.send.bind(table);
    let lost = 0;
    const client = {
      send: async (command: Parameters<typeof send>[0]) => {
        const item = (command.input as { Item?: { pk?: unknown } }).Item;
        if (command instanceof PutCommand && typeof item?.pk === 'string' && item.pk.startsWith('S#') && lost < losses) {
          lost++;
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        }
        return send(command);
      },
    } as unknown as typeof table;
    return { table, client, lost: () => lost };
  };
  const oneAgent = events.filter((e) => e.agentArn === (events[0] as AgentEvent).agentArn).slice(0, 20);
  const batch = sequenced(oneAgent, 'shardId-000000000000');

  it('retries past ten lost races within its time budget, and ends equal to one clean pass', async () => {
    const { table, client, lost } = losing(12);
    const r = await new DynamoMetricStore(client, 'losing').applyAgentEvents(batch);
    expect(lost()).toBe(12);
    expect(r.added).toBe(oneAgent.length);
    const start = Date.parse(sim.truth.start) - 86_400_000;
    const end = Date.parse(sim.truth.end) + 86_400_000;
    expect(await storeCells(new DynamoMetricStore(table, 'losing'), start, end)).toEqual(engineCells(engineOf([], oneAgent), start, end));
  });

  it('fails the batch with AgentConflictError, naming the agent, once its budget is spent', async () => {
    const { client, lost } = losing(Infinity);
    const store = new DynamoMetricStore(client, 'losing', { conflictBudgetMs: 300 });
    const t0 = Date.now();
    const err = await store.applyAgentEvents(batch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentConflictError);
    expect((err as AgentConflictError).agentArn).toBe((events[0] as AgentEvent).agentArn);
    expect((err as AgentConflictError).attempts).toBe(lost());
    expect(lost()).toBeGreaterThan(1);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
