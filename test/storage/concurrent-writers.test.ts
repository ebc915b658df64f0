/**
 * Several independent writers on one table (a redrive or a backfill beside the
 * live consumers, a parallelization factor above 1): each its own
 * DynamoMetricStore and DynamoDB client, applying shuffled, overlapping,
 * duplicated batches of both streams at the same time. Every read-modify-write
 * is conditional, so whatever the interleaving the table ends equal to one
 * clean pass of the reference engine and to the simulator's ground truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoClient, dynamoDocumentClient } from '../../lambdas/adapters/aws-clients.js';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import { parseCtr } from '../../lambdas/domain/model/ctr.js';
import type { ParseResult } from '../../lambdas/domain/model/validation.js';
import type { AgentEvent, Ctr } from '../../lambdas/domain/model/types.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import { compareAgentEvents } from '../../lambdas/domain/engine/metric-engine.js';
import { bucketOf } from '../../lambdas/domain/time/intervals.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import { startLocalServices } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';
import { simulate } from '../../cli/simulator/index.js';
import { contact, ctr, snapshot, timeline } from '../support/builders.js';
import { engineOf } from '../support/metrics.js';
import { engineCells, storeCells } from '../support/store-compare.js';
import { compareWithTruth } from '../support/truth-compare.js';
import { planWork, prng, runConcurrently, sequenced, shuffle } from '../support/racing-writers.js';
import type { Work } from '../support/racing-writers.js';

let services: LocalServices;
let tableCounter = 0;

beforeAll(async () => {
  services = await startLocalServices();
});
afterAll(async () => {
  await services?.stop();
});

/** Counts the conditional writes that lost a race, so a test can show its writers really collided. */
interface RaceCounter {
  conflicts: number;
}

/** A fresh table, and `n` writers on it: each its own DynamoDB client and store, as separate Lambda instances have. */
async function writersOnOneTable(n: number, races: RaceCounter): Promise<{ writers: DynamoMetricStore[]; reader: DynamoMetricStore }> {
  const cfg = { region: services.region, endpoints: { dynamodb: services.endpoints.dynamodb } };
  const name = `concurrent-${++tableCounter}`;
  await ensureTable(dynamoClient(cfg), name);
  const counting = (doc: DynamoDBDocumentClient): DynamoDBDocumentClient => {
    const send = doc.send.bind(doc);
    return Object.assign(Object.create(doc) as DynamoDBDocumentClient, {
      send: (async (command: Parameters<typeof send>[0]) => {
        try {
          return await send(command);
        } catch (err) {
          if (err instanceof Error && err.name === 'ConditionalCheckFailedException') races.conflicts++;
          throw err;
        }
      }) as typeof send,
    });
  };
  const writers = Array.from({ length: n }, () => new DynamoMetricStore(counting(dynamoDocumentClient(dynamoClient(cfg))), name, { concurrency: 8 }));
  return { writers, reader: new DynamoMetricStore(dynamoDocumentClient(dynamoClient(cfg)), name) };
}

function parsedOrThrow<T>(r: ParseResult<T>, line: string): T {
  if (!r.ok) throw new Error(`simulator line does not parse (${r.error.message}): ${line.slice(0, 200)}`);
  return r.value;
}

async function allCells(store: DynamoMetricStore, startMs: number, endMs: number): Promise<Cell[]> {
  const out: Cell[] = [];
  for await (const c of store.cells(startMs, endMs)) out.push(c);
  return out;
}

describe('concurrent writers on one table', () => {
  it.each([
    { seed: 11, writers: 3, agents: 8, hours: 6 },
    { seed: 29, writers: 4, agents: 6, hours: 6 },
  ])(
    'simulated center (seed $seed, $agents agents, $hours h) applied by $writers concurrent writers equals the truth and the reference engine',
    async ({ seed, writers: n, agents, hours }) => {
      const sim = simulate({ seed, agents, hours, start: '2026-03-10T07:00:00', timeZone: 'America/New_York' });
      const ctrs = sim.ctrLines.map((l) => parsedOrThrow(parseCtr(JSON.parse(l)), l));
      const events = sim.agentEventLines.map((l) => parsedOrThrow(parseAgentEvent(JSON.parse(l)), l));
      const start = Date.parse(sim.truth.start);
      const end = Date.parse(sim.truth.end);
      const races = { conflicts: 0 };
      const { writers, reader } = await writersOnOneTable(n, races);
      const plan = planWork(ctrs, events, n, prng(seed));

      await runConcurrently(writers, plan);

      // The plan really overlaps and duplicates, and the writers really collided.
      const applied = plan.flat().reduce((sum, w) => sum + w.batch.length, 0);
      // Each record goes to one writer, to each other one with probability 0.35, and again with probability 0.1.
      expect(applied).toBeGreaterThan((1 + 0.25 * (n - 1)) * (ctrs.length + events.length));
      expect(races.conflicts).toBeGreaterThan(0);
      // Equal to the simulator's own timeline...
      const margin = 86_400_000;
      expect(compareWithTruth(sim.truth, await allCells(reader, start - margin, end + margin))).toEqual([]);
      const sessions = await reader.sessions(start, end + 1);
      expect(sessions.map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort()).toEqual(sim.truth.sessions.map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort());
      // ...and, every cell and primitive, to one clean pass of the reference engine.
      const reference = engineOf(ctrs, events);
      expect(await storeCells(reader, start - margin, end + margin)).toEqual(engineCells(reference, start - margin, end + margin));
      // Each agent's latest state is its newest event's snapshot, whichever writer applied what last. (A HEART_BEAT
      // that changes nothing but the time is stored at most once per bucket: the state's time may trail within the bucket.)
      const newest = new Map<string, AgentEvent>();
      for (const e of events) {
        const cur = newest.get(e.agentArn);
        if (!cur || compareAgentEvents(e, cur) > 0) newest.set(e.agentArn, e);
      }
      const states = await reader.agentStates();
      expect(states.map((s) => s.agentArn)).toEqual([...newest.keys()].sort());
      for (const s of states) {
        const e = newest.get(s.agentArn) as AgentEvent;
        expect(s.eventMs).toBeLessThanOrEqual(e.eventMs);
        expect(bucketOf(s.eventMs)).toBe(bucketOf(e.eventMs));
        expect([s.snapshot?.status, s.snapshot?.contacts]).toEqual([e.current?.status, e.current?.contacts]);
      }
    },
  );
});

// One agent's busy morning, and a contact published in two versions.
const X = { id: 'X', queue: 'BasicQueue' };
const Z = { id: 'Z', queue: 'BasicQueue' };
const alice = timeline('alice', [
  ['LOGIN', '2026-03-10T09:58:00.000Z', snapshot('Available')],
  ['STATE_CHANGE', '2026-03-10T10:05:00.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTING', since: '2026-03-10T10:05:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:05:10.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTED', since: '2026-03-10T10:05:10.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:09:00.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTED_ONHOLD', since: '2026-03-10T10:09:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:10:00.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTED', since: '2026-03-10T10:10:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:12:00.000Z', snapshot('Available', [contact({ ...X, state: 'ENDED', since: '2026-03-10T10:12:00.000Z' })])],
  ['HEART_BEAT', '2026-03-10T10:14:00.000Z', snapshot('Available', [contact({ ...X, state: 'ENDED', since: '2026-03-10T10:12:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:16:30.500Z', snapshot('Available')],
  ['STATE_CHANGE', '2026-03-10T10:20:00.000Z', snapshot('Lunch')],
  ['HEART_BEAT', '2026-03-10T10:22:00.000Z', snapshot('Lunch')],
  ['STATE_CHANGE', '2026-03-10T11:05:00.000Z', snapshot('Available')],
  ['STATE_CHANGE', '2026-03-10T11:20:00.000Z', snapshot('Available', [contact({ ...Z, state: 'CONNECTING', since: '2026-03-10T11:20:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T11:20:15.000Z', snapshot('Available', [contact({ ...Z, state: 'MISSED', since: '2026-03-10T11:20:15.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T11:21:00.000Z', snapshot('Available')],
  ['STATE_CHANGE', '2026-03-10T11:29:50.000Z', snapshot('Break')],
  ['STATE_CHANGE', '2026-03-10T11:31:00.000Z', snapshot('Available')],
  ['LOGOUT', '2026-03-10T11:40:00.000Z', snapshot('Offline')],
  ['LOGIN', '2026-03-10T12:10:00.000Z', snapshot('Available')],
  ['LOGOUT', '2026-03-10T12:50:00.000Z', snapshot('Offline')],
]);
const firstVersion = ctr({ id: 'C1', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:04:40Z', waitSec: 20 }, agent: { name: 'alice', connected: '2026-03-10T10:05:10Z', talk: 340, hold: 60, holds: 1, acw: 0 }, disconnect: '2026-03-10T10:12:00Z' });
const finalVersion: Ctr = {
  ...firstVersion,
  lastUpdateMs: Date.parse('2026-03-10T10:16:31Z'),
  agent: { ...(firstVersion.agent as NonNullable<Ctr['agent']>), afterContactWorkDurationSec: 270 },
};
const RANGE_START = Date.parse('2026-03-10T09:00:00Z');
const RANGE_END = Date.parse('2026-03-10T14:00:00Z');

describe('two writers racing on one agent and one contact', () => {
  it('interleaved, out-of-order events of one agent and both versions of one CTR, from two writers at once, end equal to the reference', async () => {
    const reference = engineOf([firstVersion, finalVersion], alice);
    const expected = engineCells(reference, RANGE_START, RANGE_END);
    const expectedSessions = reference.sessions().map((s) => [s.agentArn, s.loginMs, s.logoutMs]);
    let conflicts = 0;
    for (let round = 0; round < 4; round++) {
      const rnd = prng(1000 + round);
      const races = { conflicts: 0 };
      const { writers, reader } = await writersOnOneTable(2, races);
      // Each writer gets every event (so each alone would be complete), in its own shuffled order, one or two per call;
      // one writer applies the older CTR version, the other the newer one, each several times, between the events.
      const lists = writers.map((_, w) => {
        const events = shuffle(alice, rnd);
        const calls: Work[] = [];
        for (let i = 0; i < events.length; ) {
          const n = 1 + Math.floor(rnd() * 2);
          calls.push({ kind: 'agent', batch: sequenced(events.slice(i, i + n), `shardId-00000000000${w}`) });
          i += n;
        }
        const version = (w + round) % 2 === 0 ? firstVersion : finalVersion;
        for (let k = 0; k < 3; k++) calls.splice(Math.floor(rnd() * calls.length), 0, { kind: 'ctr', batch: sequenced([version], `shardId-00000000000${w}`) });
        return calls;
      });

      await runConcurrently(writers, lists);

      conflicts += races.conflicts;
      expect(await storeCells(reader, RANGE_START, RANGE_END)).toEqual(expected);
      expect((await reader.sessions(RANGE_START, RANGE_END)).map((s) => [s.agentArn, s.loginMs, s.logoutMs])).toEqual(expectedSessions);
      const [state] = await reader.agentStates();
      expect([state?.eventMs, state?.eventType]).toEqual([Date.parse('2026-03-10T12:50:00.000Z'), 'LOGOUT']);
      const stored = [];
      for await (const c of reader.contacts(RANGE_START, RANGE_END)) stored.push(c.contactId);
      expect(stored).toEqual(['C1']);
    }
    // The writers did collide on the agent's items (otherwise this proves nothing about races).
    expect(conflicts).toBeGreaterThan(0);
  });
});
