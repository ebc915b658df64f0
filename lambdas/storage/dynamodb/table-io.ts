/**
 * The few DynamoDB operations the store needs, with the retries that make them
 * safe: unprocessed keys and items are retried with backoff until done (never
 * dropped), throttling is retried by the SDK and again here, and every write is
 * metered.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { CapacityMeter, itemSize } from './capacity.js';
import { pool } from '../../domain/concurrency.js';
import { UnstorableRecordError } from '../metric-store.js';

export type Item = Record<string, unknown> & { pk: string; sk: string };
export interface Key {
  readonly pk: string;
  readonly sk: string;
}

export const keyString = (k: Key): string => `${k.pk}\u0000${k.sk}`;

/** DynamoDB's item limit is 400 KB; the store keeps every item below this, measured in UTF-8 bytes. */
export const MAX_ITEM_BYTES = 350 * 1024;

/** An item that would exceed the store's size bound: the input that made it is set aside, never retried. */
export class ItemTooLargeError extends UnstorableRecordError {
  constructor(
    readonly key: Key,
    readonly bytes: number,
    readonly kind: string,
  ) {
    super(`${kind} item ${key.pk}/${key.sk.slice(0, 200)} would be ${bytes} bytes, over the ${MAX_ITEM_BYTES}-byte bound`);
    this.name = 'ItemTooLargeError';
  }
}

/** Throws ItemTooLargeError when an item is over the bound (DynamoDB's rules, UTF-8 bytes: dynalite undercounts). */
export function checkItemSize(item: Item, kind: string): number {
  const bytes = itemSize(item);
  if (bytes > MAX_ITEM_BYTES) throw new ItemTooLargeError(item, bytes, kind);
  return bytes;
}

/** A condition for a conditional write. */
export interface Condition {
  readonly expression: string;
  readonly values?: Record<string, unknown>;
  readonly names?: Record<string, string>;
}

/** The item must not exist, or its revision `rv` must still be `expected`. */
export const revisionCondition = (expected: number | undefined): Condition =>
  expected === undefined ? { expression: 'attribute_not_exists(pk)' } : { expression: 'rv = :rv', values: { ':rv': expected } };

export class UnprocessedItemsError extends Error {
  constructor(
    readonly operation: string,
    readonly remaining: number,
  ) {
    super(`DynamoDB ${operation} left ${remaining} item(s) unprocessed after all retries; the batch will be retried`);
    this.name = 'UnprocessedItemsError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoff = (attempt: number) => Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);

export interface TableIoOptions {
  readonly maxAttempts?: number;
  /**
   * Tasks a batch runs side by side (per agent, per item); the client's socket pool bounds the requests actually
   * in flight (DYNAMO_MAX_SOCKETS in aws-clients.ts).
   */
  readonly concurrency?: number;
}

export class TableIo {
  readonly meter = new CapacityMeter();
  private readonly maxAttempts: number;
  readonly concurrency: number;

  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    opts: TableIoOptions = {},
  ) {
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.concurrency = opts.concurrency ?? 256;
  }

  /** Items by key, 100 keys a request, the requests in parallel (up to `concurrency`). */
  async batchGet(keys: readonly Key[], consistent = false): Promise<Map<string, Item>> {
    const out = new Map<string, Item>();
    const unique = [...new Map(keys.map((k) => [keyString(k), { pk: k.pk, sk: k.sk }])).values()];
    const chunks: Key[][] = [];
    for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
    await pool(chunks, this.concurrency, async (chunk) => {
      let pending: Key[] = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= this.maxAttempts) throw new UnprocessedItemsError('BatchGetItem', pending.length);
        if (attempt > 0) await sleep(backoff(attempt));
        this.meter.calls++;
        const res = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending.map((k) => ({ pk: k.pk, sk: k.sk })), ConsistentRead: consistent } } }),
        );
        for (const item of res.Responses?.[this.tableName] ?? []) {
          this.meter.read(itemSize(item));
          out.set(keyString(item as Item), item as Item);
        }
        pending = (res.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[];
      }
    });
    return out;
  }

  /** Unconditional puts, 25 per request; unprocessed items are retried until written. */
  async batchPut(items: ReadonlyArray<{ item: Item; oldSize?: number; kind: string }>): Promise<void> {
    for (const { item, oldSize, kind } of items) this.meter.write(kind, checkItemSize(item, kind), oldSize, item.pk);
    for (let i = 0; i < items.length; i += 25) {
      let pending: Array<Record<string, unknown>> = items.slice(i, i + 25).map(({ item }) => ({ PutRequest: { Item: item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= this.maxAttempts) throw new UnprocessedItemsError('BatchWriteItem', pending.length);
        if (attempt > 0) await sleep(backoff(attempt));
        this.meter.calls++;
        const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (res.UnprocessedItems?.[this.tableName] ?? []) as Array<Record<string, unknown>>;
      }
    }
  }

  /**
   * Optimistic-concurrency put: succeeds only if the stored item's revision is
   * still `expectedRev` (or the item does not exist when it is undefined).
   * Returns false on a lost race; the caller re-reads and merges again.
   */
  async putIfRevision(item: Item, expectedRev: number | undefined, kind: string, oldSize = 0): Promise<boolean> {
    return this.putIf(item, revisionCondition(expectedRev), kind, oldSize);
  }

  /** A conditional put; false when the condition did not hold (a failed condition still costs its write units). */
  async putIf(item: Item, condition: Condition, kind: string, oldSize = 0): Promise<boolean> {
    const size = checkItemSize(item, kind);
    this.meter.calls++;
    this.meter.write(kind, size, oldSize, item.pk);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition.expression,
          ExpressionAttributeValues: condition.values,
          ExpressionAttributeNames: condition.names,
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /**
   * Sets attributes of an item (creating it if needed), each independently of
   * the others: for facts that several writers add to one item without
   * reading it (no read-modify-write, so nothing to make conditional).
   */
  async set(key: Key, values: Record<string, unknown>, kind: string, approxSize = 200): Promise<void> {
    const names: Record<string, string> = {};
    const vals: Record<string, unknown> = {};
    const parts = Object.entries(values).map(([k, v], i) => {
      names[`#a${i}`] = k;
      vals[`:v${i}`] = v;
      return `#a${i} = :v${i}`;
    });
    this.meter.calls++;
    this.meter.write(kind, approxSize, 0, key.pk);
    await this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, UpdateExpression: `SET ${parts.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: vals }));
  }

  async delete(key: Key): Promise<void> {
    this.meter.calls++;
    this.meter.write('delete', 1, 0, key.pk);
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk } }));
  }

  /** All items of a partition, optionally within a sort-key range (inclusive); strongly consistent when asked. */
  async *query(pk: string, range?: { from: string; to: string }, projection?: readonly string[], consistent = false): AsyncGenerator<Item> {
    let start: Record<string, unknown> | undefined;
    do {
      const names: Record<string, string> = { '#pk': 'pk' };
      const input: QueryCommandInput = {
        TableName: this.tableName,
        KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :a AND :b' : '#pk = :pk',
        ExpressionAttributeValues: range ? { ':pk': pk, ':a': range.from, ':b': range.to } : { ':pk': pk },
        ExclusiveStartKey: start,
        ...(consistent ? { ConsistentRead: true } : {}),
      };
      if (range) names['#sk'] = 'sk';
      if (projection) {
        input.ProjectionExpression = projection.map((p, i) => `#p${i}`).join(', ');
        projection.forEach((p, i) => (names[`#p${i}`] = p));
      }
      input.ExpressionAttributeNames = names;
      this.meter.calls++;
      const res = await this.doc.send(new QueryCommand(input));
      for (const item of res.Items ?? []) {
        this.meter.read(itemSize(item));
        yield item as Item;
      }
      start = res.LastEvaluatedKey;
    } while (start);
  }
}

/**
 * Awaits all of the promises, like Promise.all, but rejects (with the first failure) only once every one has
 * settled: no write is still in flight when the caller retries.
 */
export async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises as readonly Promise<unknown>[]);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
