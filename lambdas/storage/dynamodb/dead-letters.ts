/**
 * Dead-lettered records: the raw payload, where it came from and why it was
 * set aside. Payloads up to INLINE_MAX_BYTES stay in the item; larger ones
 * (Kinesis allows 1 MiB) go to the blob store (S3) and the item keeps a
 * pointer, so a letter of any size and any bytes can always be written. The
 * reason is cut to a bounded length (a validation message may quote a huge value).
 */
import type { BlobStore, DeadLetter, SourceName } from '../metric-store.js';
import { DEAD_LETTER_SHARDS, deadLetterKey, deadLetterPartition, legacyDeadLetterPartition } from './keys.js';
import type { Item, TableIo } from './table-io.js';

export const INLINE_MAX_BYTES = 64 * 1024;
const MAX_REASON = 2000;

export class NoBlobStoreError extends Error {
  constructor(bytes: number) {
    super(`A ${bytes}-byte dead letter needs a blob store (DEAD_LETTER_BUCKET) and none is configured`);
    this.name = 'NoBlobStoreError';
  }
}

export const blobKeyOf = (d: Pick<DeadLetter, 'source' | 'shardId' | 'sequenceNumber'>): string => `dead-letters/${d.source}/${d.shardId}/${d.sequenceNumber}`;

/**
 * A reason cut to MAX_REASON characters around the middle: its start names the field's path and its end says what
 * was expected and what came (a path can be long, e.g. in an event nested deep with long keys).
 */
export const boundedReason = (reason: string): string =>
  reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON / 2)} …(${reason.length - MAX_REASON} of ${reason.length} characters left out)… ${reason.slice(-MAX_REASON / 2)}` : reason;

export class DeadLetters {
  constructor(
    private readonly io: TableIo,
    private readonly blobs: BlobStore | undefined,
  ) {}

  async put(items: readonly DeadLetter[]): Promise<void> {
    const puts: Array<{ item: Item; kind: string }> = [];
    for (const d of items) {
      const key = deadLetterKey(d.source, d.shardId, d.sequenceNumber);
      const base = { ...key, source: d.source, shardId: d.shardId, sequenceNumber: d.sequenceNumber, partitionKey: d.partitionKey.slice(0, 512), approximateArrivalMs: d.approximateArrivalMs, reason: boundedReason(d.reason), failedAtMs: d.failedAtMs };
      const bytes = Buffer.byteLength(d.data, 'utf8');
      if (bytes <= INLINE_MAX_BYTES) {
        puts.push({ item: { ...base, data: d.data }, kind: 'dead-letter' });
        continue;
      }
      if (!this.blobs) throw new NoBlobStoreError(bytes);
      const blob = blobKeyOf(d);
      // The raw bytes, exactly as Kinesis delivered them (the record data is base64 of them).
      await this.blobs.put(blob, Buffer.from(d.data, 'base64'));
      puts.push({ item: { ...base, blob, bytes }, kind: 'dead-letter' });
    }
    await this.io.batchPut(puts);
  }

  /**
   * A stream's dead letters, shard by shard. Those an earlier release kept in one partition per stream are moved to
   * their shard as they are read (put, then deleted: a crash in between leaves a copy the next read moves again).
   */
  async *list(source?: SourceName): AsyncGenerator<DeadLetter> {
    for (const s of source ? [source] : (['ctr', 'agent-events'] as const)) {
      for await (const item of this.io.query(legacyDeadLetterPartition(s))) {
        const { pk, sk, ...rest } = item;
        await this.io.batchPut([{ item: { ...deadLetterKey(s, String(rest.shardId), String(rest.sequenceNumber)), ...rest }, kind: 'dead-letter' }]);
        await this.io.delete({ pk, sk });
      }
      for (let shard = 0; shard < DEAD_LETTER_SHARDS; shard++) {
        for await (const item of this.io.query(deadLetterPartition(s, shard))) {
          const { pk: _pk, sk: _sk, blob, bytes: _b, data, ...rest } = item;
          if (typeof blob === 'string' && !this.blobs) throw new Error(`Dead letter ${item.sk} keeps its payload in the dead-letter bucket (${blob}); give the bucket (--dead-letter-bucket, stack output DeadLetterBucketName)`);
          const payload = typeof blob === 'string' && this.blobs ? Buffer.from(await this.blobs.get(blob)).toString('base64') : String(data ?? '');
          yield { ...(rest as unknown as Omit<DeadLetter, 'data'>), data: payload };
        }
      }
    }
  }

  async delete(d: DeadLetter): Promise<void> {
    const key = deadLetterKey(d.source, d.shardId, d.sequenceNumber);
    await this.io.delete(key);
    if (this.blobs && Buffer.byteLength(d.data, 'utf8') > INLINE_MAX_BYTES) await this.blobs.delete(blobKeyOf(d));
  }
}
