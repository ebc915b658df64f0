/**
 * Dead letters are spread over DEAD_LETTER_SHARDS partitions per stream (no stream's rejections all on one key),
 * listed once each, and those an earlier release kept in one partition per stream are still listed, moved to their
 * shard as they are read. On the in-memory table through the real SDK client.
 */
import { describe, expect, it } from 'vitest';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { DEAD_LETTER_SHARDS, deadLetterPartition, legacyDeadLetterPartition } from '../../lambdas/storage/dynamodb/keys.js';
import type { DeadLetter } from '../../lambdas/storage/metric-store.js';
import { MemoryDynamo } from '../../bench/memory-dynamo.js';

const letter = (i: number): DeadLetter => ({
  source: 'agent-events',
  shardId: `shardId-00000000000${i % 3}`,
  sequenceNumber: String(1_000_000 + i).padStart(21, '0'),
  partitionKey: `agent-${i}`,
  approximateArrivalMs: 1_773_000_000_000 + i,
  data: Buffer.from(`not json ${i}`).toString('base64'),
  reason: 'Record data is not JSON',
  failedAtMs: 1_773_000_000_000 + i,
});

async function all(store: DynamoMetricStore): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const d of store.deadLetters('agent-events')) out.push(d);
  return out;
}
async function count(store: DynamoMetricStore, pk: string): Promise<number> {
  let n = 0;
  for await (const _ of store.io.query(pk, undefined, ['pk', 'sk'])) n++;
  return n;
}

describe('dead-letter partitions', () => {
  it('spread a stream’s dead letters over its shards and list each once', async () => {
    const store = new DynamoMetricStore(new MemoryDynamo(0).client(), 'letters');
    const letters = Array.from({ length: 400 }, (_, i) => letter(i));
    await store.putDeadLetters(letters);
    const per = await Promise.all(Array.from({ length: DEAD_LETTER_SHARDS }, (_, s) => count(store, deadLetterPartition('agent-events', s))));
    expect(per.reduce((a, b) => a + b, 0)).toBe(400);
    expect(Math.max(...per)).toBeLessThan(400 / 4); // no shard takes a quarter
    expect(per.filter((n) => n > 0)).toHaveLength(DEAD_LETTER_SHARDS);
    const listed = await all(store);
    expect(listed.map((d) => d.sequenceNumber).sort()).toEqual(letters.map((d) => d.sequenceNumber).sort());
    expect(listed.find((d) => d.sequenceNumber === letters[7]?.sequenceNumber)).toEqual(letters[7]);
  });

  it('list, move and delete the letters an earlier release kept in one partition', async () => {
    const store = new DynamoMetricStore(new MemoryDynamo(0).client(), 'letters');
    const old = letter(1);
    const { data, ...rest } = old;
    await store.io.batchPut([{ item: { pk: legacyDeadLetterPartition('agent-events'), sk: `${old.shardId}#${old.sequenceNumber.padStart(64, '0')}`, ...rest, data }, kind: 'dead-letter' }]);
    expect(await all(store)).toEqual([old]);
    expect(await count(store, legacyDeadLetterPartition('agent-events'))).toBe(0);
    expect(await all(store)).toEqual([old]);
    await store.deleteDeadLetter(old);
    expect(await all(store)).toEqual([]);
  });
});
