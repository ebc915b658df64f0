/**
 * The DynamoDB store against dynalite: whatever the delivery (duplicates,
 * retries, out-of-order arrival, a crash after any DynamoDB call), the stored
 * aggregates equal one clean pass of the reference engine over the
 * de-duplicated input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoClient, dynamoDocumentClient } from '../../lambdas/adapters/aws-clients.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import type { Sequenced } from '../../lambdas/storage/metric-store.js';
import type { AgentEvent, Ctr } from '../../lambdas/domain/model/types.js';
import { startLocalServices } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';
import { contact, ctr, snapshot, timeline } from '../support/builders.js';
import { engineOf } from '../support/metrics.js';
import { engineCells, storeCells } from '../support/store-compare.js';

let services: LocalServices;
let tableCounter = 0;

beforeAll(async () => {
  services = await startLocalServices();
});
afterAll(async () => {
  await services?.stop();
});

async function newStore(wrap?: (doc: DynamoDBDocumentClient) => DynamoDBDocumentClient) {
  const cfg = { region: services.region, endpoints: { dynamodb: services.endpoints.dynamodb } };
  const client = dynamoClient(cfg);
  const name = `metrics-${++tableCounter}`;
  await ensureTable(client, name);
  const doc = dynamoDocumentClient(client);
  return new DynamoMetricStore(wrap ? wrap(doc) : doc, name, { concurrency: 4 });
}

let seq = 0;
const sequenced = <T>(values: T[], shardId = 'shardId-000000000000'): Sequenced<T>[] =>
  values.map((value) => ({ value, position: { shardId, sequenceNumber: String(++seq).padStart(20, '0') } }));

// Two agents' mornings, and contacts disconnecting across buckets.
const X = { id: 'X', queue: 'BasicQueue' };
const Y = { id: 'Y', queue: 'PrimaryQueue', method: 'CALLBACK' };
const alice = timeline('alice', [
  ['LOGIN', '2026-03-10T09:58:00.000Z', snapshot('Available')],
  ['STATE_CHANGE', '2026-03-10T10:05:00.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTING', since: '2026-03-10T10:05:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:05:10.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTED', since: '2026-03-10T10:05:10.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:12:00.000Z', snapshot('Available', [contact({ ...X, state: 'ENDED', since: '2026-03-10T10:12:00.000Z' })])],
  ['HEART_BEAT', '2026-03-10T10:14:00.000Z', snapshot('Available', [contact({ ...X, state: 'ENDED', since: '2026-03-10T10:12:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:16:30.500Z', snapshot('Available')],
  ['STATE_CHANGE', '2026-03-10T10:20:00.000Z', snapshot('Lunch')],
  ['STATE_CHANGE', '2026-03-10T11:05:00.000Z', snapshot('Available')],
  ['LOGOUT', '2026-03-10T11:40:00.000Z', snapshot('Offline')],
]);
const bob = timeline('bob', [
  ['LOGIN', '2026-03-10T10:01:00.000Z', snapshot('Available', [], 'Sales')],
  ['STATE_CHANGE', '2026-03-10T10:03:00.000Z', snapshot('Available', [contact({ ...Y, state: 'CONNECTING', since: '2026-03-10T10:03:00.000Z' })], 'Sales')],
  ['STATE_CHANGE', '2026-03-10T10:03:20.000Z', snapshot('Available', [contact({ ...Y, state: 'MISSED', since: '2026-03-10T10:03:20.000Z' })], 'Sales')],
  ['STATE_CHANGE', '2026-03-10T10:03:30.000Z', snapshot('Available', [], 'Sales')],
  ['STATE_CHANGE', '2026-03-10T10:40:00.000Z', snapshot('Available', [contact({ ...Y, state: 'CONNECTED', since: '2026-03-10T10:40:00.000Z' })], 'Sales')],
  ['STATE_CHANGE', '2026-03-10T10:44:00.000Z', snapshot('Available', [contact({ ...Y, state: 'CONNECTED_ONHOLD', since: '2026-03-10T10:44:00.000Z' })], 'Sales')],
  ['STATE_CHANGE', '2026-03-10T10:46:00.000Z', snapshot('Available', [contact({ ...Y, state: 'ENDED', since: '2026-03-10T10:46:00.000Z' })], 'Sales')],
  ['STATE_CHANGE', '2026-03-10T11:01:00.000Z', snapshot('Available', [], 'Sales')],
]);
const events: AgentEvent[] = [...alice, ...bob].sort((a, b) => a.eventMs - b.eventMs);
const ctrs: Ctr[] = [
  ctr({ id: 'C1', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:00:00Z', waitSec: 12 }, agent: { name: 'alice', connected: '2026-03-10T10:00:12Z', talk: 100, hold: 20, acw: 30 }, disconnect: '2026-03-10T10:02:12Z' }),
  ctr({ id: 'C2', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:01:00Z', waitSec: 45 }, disconnect: '2026-03-10T10:01:45Z' }),
  ctr({ id: 'C3', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:21:00Z', waitSec: 70 }, next: 'cb', reason: 'CONTACT_FLOW_DISCONNECT', disconnect: '2026-03-10T10:22:10Z' }),
  ctr({ id: 'C4', method: 'CALLBACK', queue: { name: 'PrimaryQueue', enqueue: '2026-03-10T10:39:40Z', waitSec: 20 }, agent: { name: 'bob', connected: '2026-03-10T10:40:00Z', talk: 240, hold: 120, acw: 900 }, disconnect: '2026-03-10T10:46:00Z' }),
  ctr({ id: 'C5', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:02:00Z', waitSec: 5 }, disconnect: '2026-03-10T10:02:05Z' }),
];
const updatedC1: Ctr = { ...(ctrs[0] as Ctr), lastUpdateMs: Date.parse('2026-03-10T10:30:00Z'), agent: { ...((ctrs[0] as Ctr).agent as NonNullable<Ctr['agent']>), afterContactWorkDurationSec: 45 } };

const START = Date.parse('2026-03-10T09:00:00Z');
const END = Date.parse('2026-03-10T13:00:00Z');
const reference = engineOf([...ctrs, updatedC1], events);

async function expectEqualToReference(store: DynamoMetricStore) {
  expect(await storeCells(store, START, END)).toEqual(engineCells(reference, START, END));
}

describe('DynamoMetricStore', () => {
  it('stores exactly what one clean pass computes', async () => {
    const store = await newStore();
    await store.applyCtrs(sequenced([...ctrs, updatedC1]));
    await store.applyAgentEvents(sequenced(events));
    await expectEqualToReference(store);
    expect(await store.sessions(START, END)).toEqual(reference.sessions().sort((a, b) => a.agentArn.localeCompare(b.agentArn)));
  });

  it('ignores every record delivered twice, in separate batches and in the same batch', async () => {
    const store = await newStore();
    const first = await store.applyCtrs(sequenced([...ctrs, updatedC1]));
    const again = await store.applyCtrs(sequenced([...ctrs, updatedC1, ...ctrs]));
    await store.applyAgentEvents(sequenced([...events, ...events]));
    const agentAgain = await store.applyAgentEvents(sequenced(events));
    expect(first).toEqual({ added: 5, updated: 0, duplicates: 0, stale: 1 });
    expect(again.added + again.updated).toBe(0);
    expect(agentAgain).toEqual({ added: 0, duplicates: events.length, late: 0 });
    await expectEqualToReference(store);
  });

  it('replaces an earlier CTR version and ignores an older copy arriving later', async () => {
    const store = await newStore();
    await store.applyCtrs(sequenced(ctrs));
    const upd = await store.applyCtrs(sequenced([updatedC1]));
    const old = await store.applyCtrs(sequenced([ctrs[0] as Ctr]));
    expect(upd.updated).toBe(1);
    expect(old.stale).toBe(1);
    await store.applyAgentEvents(sequenced(events));
    await expectEqualToReference(store);
  });

  it('puts late and out-of-order agent events in their place, across batches', async () => {
    const store = await newStore();
    // Deterministic shuffle, applied in small batches.
    const shuffled = [...events].sort((a, b) => ((a.eventMs * 7919) % 13) - ((b.eventMs * 7919) % 13));
    for (let i = 0; i < shuffled.length; i += 3) await store.applyAgentEvents(sequenced(shuffled.slice(i, i + 3)));
    await store.applyCtrs(sequenced([updatedC1, ...ctrs]));
    await expectEqualToReference(store);
    expect(await store.sessions(START, END)).toEqual(reference.sessions().sort((a, b) => a.agentArn.localeCompare(b.agentArn)));
  });

  it('keeps the ACW an event spills back past its previous point when an earlier event of the same batch is far from it', async () => {
    // The contact ends at 10:12 and leaves at 10:16:30.5: 3 minutes of its ACW belong to the 10:00 bucket, where
    // no event of the batch changes anything, while the batch's 09:40 event makes the store load from 09:30 on.
    const W = { id: 'W', queue: 'BasicQueue' };
    const carol = timeline('carol', [
      ['LOGIN', '2026-03-10T09:30:00.000Z', snapshot('Available')],
      ['HEART_BEAT', '2026-03-10T09:40:00.000Z', snapshot('Available')],
      ['HEART_BEAT', '2026-03-10T09:50:00.000Z', snapshot('Available')],
      ['STATE_CHANGE', '2026-03-10T10:05:00.000Z', snapshot('Available', [contact({ ...W, state: 'CONNECTED', since: '2026-03-10T10:05:00.000Z' })])],
      ['STATE_CHANGE', '2026-03-10T10:12:00.000Z', snapshot('Available', [contact({ ...W, state: 'ENDED', since: '2026-03-10T10:12:00.000Z' })])],
      ['HEART_BEAT', '2026-03-10T10:15:30.000Z', snapshot('Available', [contact({ ...W, state: 'ENDED', since: '2026-03-10T10:12:00.000Z' })])],
      ['STATE_CHANGE', '2026-03-10T10:16:30.500Z', snapshot('Available')],
    ]);
    const store = await newStore();
    const late = new Set([carol[1], carol[6]]);
    await store.applyAgentEvents(sequenced(carol.filter((e) => !late.has(e))));
    await store.applyAgentEvents(sequenced([...late] as AgentEvent[]));
    expect(await storeCells(store, START, END)).toEqual(engineCells(engineOf([], carol), START, END));
  });

  it('completes a batch retried after a crash following any DynamoDB call', async () => {
    let crashes = 0;
    for (let n = 0; ; n++) {
      let calls = 0;
      let armed = true;
      const store = await newStore((doc) => {
        const send = doc.send.bind(doc);
        return Object.assign(Object.create(doc) as DynamoDBDocumentClient, {
          send: ((command: Parameters<typeof send>[0]) => {
            if (armed && ++calls > n) {
              armed = false;
              return Promise.reject(new Error(`injected crash after call ${n}`));
            }
            return send(command);
          }) as typeof send,
        });
      });
      const ctrBatch = sequenced([...ctrs, updatedC1]);
      const agentBatch = sequenced(events);
      const run = async () => {
        await store.applyCtrs(ctrBatch);
        await store.applyAgentEvents(agentBatch);
      };
      const crashed = await run().then(
        () => false,
        () => true,
      );
      armed = false;
      if (!crashed) break; // n is past the last call of the batch: every crash point has been tried
      crashes++;
      await run(); // the retry of the same records
      await expectEqualToReference(store);
    }
    expect(crashes).toBeGreaterThan(10);
  });
});
