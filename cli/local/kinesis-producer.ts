/**
 * Writes records to a Kinesis stream with PutRecords, the way a well-behaved
 * producer must: within the API limits, retrying only the entries Kinesis
 * rejected, and never silently dropping one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';

/** PutRecords API limits. */
export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
/** Per record: data plus partition key. */
export const MAX_RECORD_BYTES = 1024 * 1024;
export const MAX_PARTITION_KEY_LENGTH = 256;

export interface ProducerRecord {
  readonly partitionKey: string;
  /** Strings are sent as UTF-8. */
  readonly data: Uint8Array | string;
}

export interface PutRecordsOptions {
  /** Attempts per chunk, the first one included, before giving up. Default 10. */
  readonly maxAttempts?: number;
  /** Backoff before the n-th retry: min(maxDelayMs, baseDelayMs * 2^(n-1)) with full jitter. Defaults 50 / 2000 ms. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface PutRecordResult {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

export interface PutRecordsResult {
  /** One entry per input record, in input order. */
  readonly records: PutRecordResult[];
  /** PutRecords calls made, retries included. */
  readonly calls: number;
  /** Entries that were sent again after Kinesis rejected them. */
  readonly retriedEntries: number;
  /**
   * Partition keys whose order may differ from input order: a rejected entry
   * was followed, in the same call, by an accepted entry with the same key.
   * Kinesis cannot undo the accepted one, so the retried entry lands after
   * it. 0 unless Kinesis throttled part of a call.
   */
  readonly reorderedKeys: number;
}

export class InvalidProducerRecordError extends Error {
  constructor(index: number, reason: string) {
    super(`record ${index}: ${reason}`);
    this.name = 'InvalidProducerRecordError';
  }
}

export class PutRecordsFailedError extends Error {
  constructor(
    readonly streamName: string,
    /** Number of records not written (this chunk's failures plus every later chunk, which was never sent). */
    readonly unsentRecords: number,
    readonly attempts: number,
    readonly lastErrors: string[],
  ) {
    super(
      `PutRecords to ${streamName} still failing after ${attempts} attempts; ` +
        `${unsentRecords} record(s) not written (last errors: ${lastErrors.join(', ') || 'none'})`,
    );
    this.name = 'PutRecordsFailedError';
  }
}

export class UnexpectedPutRecordsResponseError extends Error {
  constructor(streamName: string, results: number, entries: number) {
    super(`PutRecords to ${streamName} returned ${results} results for ${entries} entries`);
    this.name = 'UnexpectedPutRecordsResponseError';
  }
}

/** Errors thrown for a whole call that are worth retrying: throttling and server-side faults. */
const RETRYABLE_CALL_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'KMSThrottlingException',
  'ThrottlingException',
  'InternalFailure',
  'InternalFailureException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

interface PreparedRecord {
  readonly index: number;
  readonly entry: PutRecordsRequestEntry & { PartitionKey: string; Data: Uint8Array };
  readonly size: number;
}

const encoder = new TextEncoder();

function prepare(records: readonly ProducerRecord[]): PreparedRecord[] {
  return records.map((record, index) => {
    const data = typeof record.data === 'string' ? encoder.encode(record.data) : record.data;
    const keyLength = record.partitionKey.length;
    if (keyLength < 1 || keyLength > MAX_PARTITION_KEY_LENGTH) {
      throw new InvalidProducerRecordError(index, `partition key must be 1-${MAX_PARTITION_KEY_LENGTH} characters`);
    }
    const size = data.byteLength + Buffer.byteLength(record.partitionKey, 'utf8');
    // Checked up front: one oversized entry makes Kinesis reject the whole call with a ValidationException.
    if (size > MAX_RECORD_BYTES) {
      throw new InvalidProducerRecordError(index, `data plus partition key is ${size} bytes, over the ${MAX_RECORD_BYTES} byte limit`);
    }
    return { index, entry: { PartitionKey: record.partitionKey, Data: data }, size };
  });
}

/** Consecutive chunks within both PutRecords limits; input order is kept. */
function chunk(records: readonly PreparedRecord[]): PreparedRecord[][] {
  const chunks: PreparedRecord[][] = [];
  let current: PreparedRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    if (current.length === MAX_RECORDS_PER_CALL || bytes + record.size > MAX_BYTES_PER_CALL) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += record.size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function backoffMs(retry: number, base: number, max: number): number {
  // Full jitter: spreads retries of concurrent producers instead of synchronising them.
  return Math.random() * Math.min(max, base * 2 ** (retry - 1));
}

/**
 * Puts `records` in chunks of at most 500 records and 5 MiB, one chunk at a
 * time. Entries Kinesis rejects (FailedRecordCount > 0, e.g.
 * ProvisionedThroughputExceededException or InternalFailure) are sent again,
 * alone and in their original relative order, with exponential backoff; the
 * next chunk is only sent once every entry of the current one is written.
 * After `maxAttempts` attempts on a chunk it throws PutRecordsFailedError
 * rather than drop anything.
 *
 * Ordering: records with the same partition key land in input order, except
 * when Kinesis rejects an entry but accepts a later one with the same key in
 * the same call (see `reorderedKeys`). Callers who need strict order even
 * then must use PutRecord with SequenceNumberForOrdering.
 */
export async function putRecords(
  kinesis: KinesisClient,
  streamName: string,
  records: readonly ProducerRecord[],
  opts: PutRecordsOptions = {},
): Promise<PutRecordsResult> {
  const maxAttempts = opts.maxAttempts ?? 10;
  const baseDelayMs = opts.baseDelayMs ?? 50;
  const maxDelayMs = opts.maxDelayMs ?? 2_000;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be an integer >= 1');

  const prepared = prepare(records);
  const results: (PutRecordResult | undefined)[] = new Array<PutRecordResult | undefined>(prepared.length).fill(undefined);
  const chunks = chunk(prepared);
  let calls = 0;
  let retriedEntries = 0;
  const reordered = new Set<string>();

  for (const [chunkIndex, initial] of chunks.entries()) {
    let pending = initial;
    let lastErrors: string[] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) {
        const unsent = pending.length + chunks.slice(chunkIndex + 1).reduce((n, c) => n + c.length, 0);
        throw new PutRecordsFailedError(streamName, unsent, maxAttempts, lastErrors);
      }
      if (attempt > 1) {
        retriedEntries += pending.length;
        await sleep(backoffMs(attempt - 1, baseDelayMs, maxDelayMs));
      }
      calls++;
      let output;
      try {
        output = await kinesis.send(
          new PutRecordsCommand({ StreamName: streamName, Records: pending.map((p) => p.entry) }),
        );
      } catch (err) {
        const name = err instanceof Error ? err.name : 'UnknownError';
        if (!RETRYABLE_CALL_ERRORS.has(name)) throw err;
        lastErrors = [name];
        continue;
      }
      const entries = output.Records ?? [];
      if (entries.length !== pending.length) {
        // A response we cannot map back to our entries: nothing can be known about which were written.
        throw new UnexpectedPutRecordsResponseError(streamName, entries.length, pending.length);
      }
      const failed: PreparedRecord[] = [];
      const failedKeys = new Set<string>();
      const errors = new Set<string>();
      pending.forEach((record, i) => {
        const entry = entries[i];
        if (entry?.ErrorCode === undefined && entry?.SequenceNumber !== undefined && entry.ShardId !== undefined) {
          results[record.index] = { shardId: entry.ShardId, sequenceNumber: entry.SequenceNumber };
          if (failedKeys.has(record.entry.PartitionKey)) reordered.add(record.entry.PartitionKey);
        } else {
          failed.push(record);
          failedKeys.add(record.entry.PartitionKey);
          errors.add(entry?.ErrorCode ?? 'MissingResult');
        }
      });
      lastErrors = [...errors];
      pending = failed;
    }
  }

  const written = results.filter((r): r is PutRecordResult => r !== undefined);
  return { records: written, calls, retriedEntries, reorderedKeys: reordered.size };
}

export interface PutRecordStreamOptions extends PutRecordsOptions {
  /** Records per PutRecords call (the API takes at most 500). Default 500. */
  readonly recordsPerCall?: number;
  /** After each call: records written so far. */
  readonly onPut?: (written: number) => void;
  /** A record Kinesis could never take (over 1 MiB with its key): skipped, reported here with its input position. */
  readonly onRejected?: (index: number, reason: string) => void;
}

export interface PutRecordStreamResult {
  readonly written: number;
  readonly rejected: number;
  readonly calls: number;
  readonly retriedEntries: number;
  readonly reorderedKeys: number;
}

/**
 * Puts an (async) stream of records of any length, holding at most one call's
 * worth of records: the next record is only pulled from `records` once the
 * previous call's records are all written, so a fast reader never outruns
 * the stream (backpressure), and memory does not grow with the input. Calls
 * are made one at a time, so records with the same partition key land in
 * input order (see putRecords for the one exception).
 */
export async function putRecordStream(
  kinesis: KinesisClient,
  streamName: string,
  records: AsyncIterable<ProducerRecord> | Iterable<ProducerRecord>,
  opts: PutRecordStreamOptions = {},
): Promise<PutRecordStreamResult> {
  const perCall = opts.recordsPerCall ?? MAX_RECORDS_PER_CALL;
  if (!Number.isInteger(perCall) || perCall < 1 || perCall > MAX_RECORDS_PER_CALL) throw new RangeError(`recordsPerCall must be an integer 1-${MAX_RECORDS_PER_CALL}`);
  let written = 0;
  let rejected = 0;
  let calls = 0;
  let retriedEntries = 0;
  let reorderedKeys = 0;
  let pending: ProducerRecord[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const r = await putRecords(kinesis, streamName, pending, opts);
    written += r.records.length;
    calls += r.calls;
    retriedEntries += r.retriedEntries;
    reorderedKeys += r.reorderedKeys;
    pending = [];
    pendingBytes = 0;
    opts.onPut?.(written);
  };
  let index = 0;
  for await (const record of records) {
    const size = (typeof record.data === 'string' ? Buffer.byteLength(record.data, 'utf8') : record.data.byteLength) + Buffer.byteLength(record.partitionKey, 'utf8');
    if (size > MAX_RECORD_BYTES) {
      rejected++;
      opts.onRejected?.(index++, `data plus partition key is ${size} bytes, over the ${MAX_RECORD_BYTES} byte limit of a Kinesis record`);
      continue;
    }
    index++;
    if (pending.length > 0 && pendingBytes + size > MAX_BYTES_PER_CALL) await flush();
    pending.push(record);
    pendingBytes += size;
    if (pending.length >= perCall) await flush();
  }
  await flush();
  return { written, rejected, calls, retriedEntries, reorderedKeys };
}
