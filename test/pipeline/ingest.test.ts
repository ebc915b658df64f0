/**
 * The batch ingest function's failure paths, with a stub store: a valid record the store can never hold (an item
 * over its bound) is set aside with the reason and the batch goes on; any other failure reports that record and every
 * later one failed (Lambda retries from there), after the records before it were applied; a record that cannot be
 * set aside is reported failed with everything after it, and never fails the good records before it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../lambdas/domain/model/types.js';
import { ingestAgentEventBatch } from '../../lambdas/pipeline/ingest.js';
import { ItemTooLargeError } from '../../lambdas/storage/dynamodb/table-io.js';
import type { DeadLetter, MetricStore, Sequenced } from '../../lambdas/storage/metric-store.js';
import { kinesisBatch } from '../../bench/kinesis-batch.js';

const base = JSON.parse(readFileSync(new URL('../../sample-events/agent-events/sample-heartbeat.json', import.meta.url), 'utf8'));
const event = (id: string) => JSON.stringify({ ...base, EventId: id });
const seqOf = (i: number) => String(1 + i).padStart(21, '0');

/** A store that applies agent events, failing any batch that holds `poisonId` with `error`, and refusing dead letters of `unwritable` data. */
function stubStore(opts: { poisonId?: string; error?: () => Error; unwritable?: string }) {
  const applied = new Set<string>();
  const letters: DeadLetter[] = [];
  const store = {
    async applyAgentEvents(batch: readonly Sequenced<AgentEvent>[]) {
      if (batch.some((s) => s.value.eventId === opts.poisonId)) throw (opts.error as () => Error)();
      for (const s of batch) applied.add(s.value.eventId);
      return { added: batch.length, duplicates: 0, late: 0 };
    },
    async putDeadLetters(items: readonly DeadLetter[]) {
      if (items.some((d) => Buffer.from(d.data, 'base64').toString('utf8') === opts.unwritable)) throw new Error('dead-letter store unavailable');
      letters.push(...items);
    },
  } as unknown as MetricStore;
  return { store, applied, letters };
}

describe('ingest failure paths', () => {
  const lines = ['a', 'b', 'poison', 'c', 'd'].map(event);

  it('sets aside a valid record the store cannot hold, with the reason, and applies the rest', async () => {
    const { store, applied, letters } = stubStore({ poisonId: 'poison', error: () => new ItemTooLargeError({ pk: 'P#1', sk: 'rp' }, 500_000, 'routing-profile') });
    const { response, report } = await ingestAgentEventBatch(kinesisBatch('agent-events', lines, 1), { store });
    expect(response.batchItemFailures).toEqual([]);
    expect([...applied].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(letters).toHaveLength(1);
    expect(letters[0]?.sequenceNumber).toBe(seqOf(2));
    expect(letters[0]?.reason).toBe('The store cannot hold this record: routing-profile item P#1/rp would be 500000 bytes, over the 358400-byte bound');
    expect(Buffer.from(letters[0]?.data ?? '', 'base64').toString('utf8')).toBe(lines[2]);
    expect([report.applied, report.deadLettered, report.failed]).toEqual([4, 1, 0]);
  });

  it('reports a record that failed otherwise, and every later one, failed, after applying those before it', async () => {
    const { store, applied, letters } = stubStore({ poisonId: 'poison', error: () => new Error('ProvisionedThroughputExceededException') });
    const { response, report } = await ingestAgentEventBatch(kinesisBatch('agent-events', lines, 1), { store });
    expect(response.batchItemFailures).toEqual([seqOf(2), seqOf(3), seqOf(4)].map((itemIdentifier) => ({ itemIdentifier })));
    expect([...applied].sort()).toEqual(['a', 'b']);
    expect(letters).toEqual([]);
    expect(report.failed).toBe(3);
  });

  it('reports a record that cannot be set aside, and every later one, failed; good records before it are applied', async () => {
    const mixed = [event('a'), 'not json 1', event('b'), 'not json 2', event('c')];
    const { store, applied, letters } = stubStore({ unwritable: 'not json 2' });
    const { response, report } = await ingestAgentEventBatch(kinesisBatch('agent-events', mixed, 1), { store });
    expect(response.batchItemFailures).toEqual([seqOf(3), seqOf(4)].map((itemIdentifier) => ({ itemIdentifier })));
    expect(letters.map((d) => d.sequenceNumber)).toEqual([seqOf(1)]);
    expect(applied.has('a') && applied.has('b')).toBe(true);
    expect([report.deadLettered, report.failed]).toEqual([1, 2]);
  });
});
