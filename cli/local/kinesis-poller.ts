/**
 * A local stand-in for Lambda's Kinesis event source mapping (ESM), so the
 * stream handlers run unchanged, with the same event shape and the same
 * failure semantics, against kinesalite (or any Kinesis endpoint).
 *
 * Mirrored Lambda behaviours (Kinesis ESM, standard iterator, no EFO):
 * - One poller per shard; batches of a shard are delivered strictly in
 *   order, one invocation at a time (ParallelizationFactor = 1). Shards are
 *   processed concurrently. A child shard is only read once its parent
 *   shard(s) are exhausted, as Lambda does after a reshard.
 * - The event is the exact KinesisStreamEvent Lambda delivers (see
 *   `toLambdaRecord`); data is base64, approximateArrivalTimestamp is epoch
 *   seconds with milliseconds, eventID is `${shardId}:${sequenceNumber}`.
 * - Start position: AFTER_SEQUENCE_NUMBER of the shard checkpoint if there is
 *   one, else TRIM_HORIZON or LATEST.
 * - Checkpoints: after a fully successful invocation, at its last sequence
 *   number; after a partial batch response, just before the lowest reported
 *   failure; after records are discarded to the on-failure destination, past
 *   them (Lambda continues with the next records).
 * - ReportBatchItemFailures (always on here): empty/null/absent
 *   `batchItemFailures`, or a void/null response, is complete success. An
 *   entry whose itemIdentifier is null, empty, not a string or missing is a
 *   complete failure, as in Lambda; so is, by this project's rule, an
 *   identifier that is not a sequence number of the batch. Otherwise the
 *   lowest reported sequence number is the checkpoint and the records from it
 *   onwards are retried; that retry consumes one retry attempt.
 * - A thrown error is a complete failure of the batch.
 * - BisectBatchOnFunctionError: a completely failed batch of more than one
 *   record is split in two halves, retried separately, first half first.
 *   Splitting does not consume the retry quota (documented Lambda
 *   behaviour); each half carries the retry count of the batch it came from.
 *   A partial batch response is "bisected at the returned sequence number"
 *   (the docs' wording): only the remainder is retried, it is not halved.
 * - MaximumRetryAttempts: a batch that fails after `maxRetryAttempts`
 *   retries (the first attempt is not a retry; -1 = retry forever) is passed
 *   to `onFailure` (the on-failure destination) and skipped. With a partial
 *   batch response that is the remainder from the failed record on, so a
 *   persistently failing record in the middle of a batch takes the records
 *   after it to the destination too, as in Lambda.
 *
 * Simplifications (differences from Lambda):
 * - GetRecords is called with Limit = batchSize and each GetRecords result is
 *   one batch: no MaximumBatchingWindowInSeconds, no 6 MB payload split, no
 *   MaximumRecordAgeInSeconds, no tumbling windows, no filter criteria.
 * - Retries happen immediately; Lambda's own backoff is not modelled.
 * - onFailure receives the records themselves rather than Lambda's metadata
 *   document (shard id, start/end sequence numbers, batch size); if it
 *   throws, the poll fails and nothing is checkpointed past the batch, so a
 *   restart re-delivers it.
 * - With LATEST and no checkpoint yet, the position is only held in memory
 *   until the first record of a shard is processed; a restart before that
 *   starts at LATEST again.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  type Shard,
  type _Record,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

// ---------------------------------------------------------------- checkpoints

/** Where the poller remembers, per shard, the last sequence number it is done with. */
export interface CheckpointStore {
  get(shardId: string): Promise<string | undefined>;
  put(shardId: string, sequenceNumber: string): Promise<void>;
}

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, string>();

  get(shardId: string): Promise<string | undefined> {
    return Promise.resolve(this.checkpoints.get(shardId));
  }

  put(shardId: string, sequenceNumber: string): Promise<void> {
    this.checkpoints.set(shardId, sequenceNumber);
    return Promise.resolve();
  }

  /** A copy of all checkpoints, for inspection. */
  snapshot(): Record<string, string> {
    return Object.fromEntries(this.checkpoints);
  }
}

export class CheckpointFileCorruptError extends Error {
  constructor(path: string, detail: string) {
    super(`checkpoint file ${path} is not a JSON object of shardId -> sequence number: ${detail}`);
    this.name = 'CheckpointFileCorruptError';
  }
}

/**
 * Checkpoints in a JSON file `{ "<shardId>": "<sequenceNumber>" }`, one file
 * per stream and consumer. Writes go to a temp file renamed over the old one
 * so a crash never leaves a half-written file, and they are serialised so
 * concurrent shard pollers cannot interleave.
 */
export class FileCheckpointStore implements CheckpointStore {
  private loaded: Promise<Map<string, string>> | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async get(shardId: string): Promise<string | undefined> {
    return (await this.load()).get(shardId);
  }

  async put(shardId: string, sequenceNumber: string): Promise<void> {
    const checkpoints = await this.load();
    checkpoints.set(shardId, sequenceNumber);
    // A failed write must not poison every later one, hence the catch before chaining.
    const write = this.writes.catch(() => undefined).then(() => this.flush(checkpoints));
    this.writes = write;
    return write;
  }

  private load(): Promise<Map<string, string>> {
    return (this.loaded ??= this.read());
  }

  private async read(): Promise<Map<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return new Map();
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new CheckpointFileCorruptError(this.path, err instanceof Error ? err.message : String(err));
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new CheckpointFileCorruptError(this.path, 'not an object');
    }
    const checkpoints = new Map<string, string>();
    for (const [shardId, seq] of Object.entries(parsed)) {
      if (typeof seq !== 'string') throw new CheckpointFileCorruptError(this.path, `value for ${shardId} is not a string`);
      checkpoints.set(shardId, seq);
    }
    return checkpoints;
  }

  private async flush(checkpoints: Map<string, string>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(Object.fromEntries(checkpoints), null, 2)}\n`, 'utf8');
    await rename(tmp, this.path);
  }
}

// -------------------------------------------------------------------- poller

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

export interface FailedBatch {
  readonly shardId: string;
  readonly records: KinesisStreamRecord[];
  readonly reason: string;
}

export interface KinesisPollerOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  /** Records per GetRecords call and per invocation, 1-10000. Default 100 (Lambda's default). */
  readonly batchSize?: number;
  /** Retries after the first failed attempt, -1 = until success. Default 3. */
  readonly maxRetryAttempts?: number;
  /** Default true. */
  readonly bisectBatchOnFunctionError?: boolean;
  readonly startingPosition: StartingPosition;
  readonly handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>;
  /** The on-failure destination: receives records discarded after the retries are exhausted. */
  readonly onFailure: (failed: FailedBatch) => Promise<void>;
  /** Default: in memory, so a new poller starts from `startingPosition`. */
  readonly checkpoints?: CheckpointStore;
  /** `awsRegion` of the records. Default: the Kinesis client's region. */
  readonly region?: string;
  /** `eventSourceARN` of the records. Default: the stream ARN from DescribeStreamSummary. */
  readonly eventSourceArn?: string;
  /** `invokeIdentityArn` of the records (Lambda puts the execution role there). Default: a local role ARN in the stream's account. */
  readonly invokeIdentityArn?: string;
  /** Sleep between polls of a caught-up stream in start() mode. Default 200 ms. */
  readonly idleSleepMs?: number;
  /** Errors of start() mode (which keeps polling) and other notices. */
  readonly log?: (msg: string) => void;
}

export interface PollerStats {
  /** Handler invocations, retries and bisected halves included. */
  batches: number;
  /** Records the handler processed successfully (each counted once, when checkpointed). */
  records: number;
  /** Invocations that were retries of a failed batch or remainder. */
  retries: number;
  /** Failed batches split in two. */
  bisections: number;
  /** Records handed to onFailure. */
  failedToDestination: number;
}

export interface DrainProgress {
  readonly shardId: string;
  /** Records of this shard resolved (processed or sent to onFailure) during this drain. */
  readonly processed: number;
  readonly behindLatestMs: number;
}

export interface DrainOptions {
  /** A shard counts as drained once it has returned no records for this long. Default 0: the first empty read at the tip. */
  readonly idleMs?: number;
  readonly onProgress?: (p: DrainProgress) => void;
}

export class PollerBusyError extends Error {
  constructor() {
    super('the poller is already running (start() or drain() in progress)');
    this.name = 'PollerBusyError';
  }
}

export class InvalidPollerOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPollerOptionError';
  }
}

interface ShardState {
  readonly shardId: string;
  /** Last sequence number done with (processed or discarded); mirrors the checkpoint. */
  lastSequenceNumber: string | undefined;
  /** Iterator for the next GetRecords; undefined = derive it from lastSequenceNumber / startingPosition. */
  iterator: string | undefined;
  /** A closed shard (after a reshard) whose records have all been read. */
  finished: boolean;
}

/** Work unit of the retry machine: consecutive records plus how many retries they have used. */
interface Attempt {
  readonly records: KinesisStreamRecord[];
  readonly retries: number;
  /** A re-invocation of records that already failed (a bisected half is not one). */
  readonly isRetry: boolean;
}

/** How Lambda reads one invocation's result. */
export type BatchOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly index: number; readonly reason: string }
  | { readonly kind: 'failure'; readonly reason: string };

interface RunContext {
  readonly stats: PollerStats;
  readonly shouldStop: () => boolean;
}

function emptyStats(): PollerStats {
  return { batches: 0, records: 0, retries: 0, bisections: 0, failedToDestination: 0 };
}

function addStats(into: PollerStats, from: PollerStats): void {
  into.batches += from.batches;
  into.records += from.records;
  into.retries += from.retries;
  into.bisections += from.bisections;
  into.failedToDestination += from.failedToDestination;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function isNamed(err: unknown, name: string): boolean {
  return err instanceof Error && err.name === name;
}

/**
 * Interprets a handler's return value the way Lambda interprets a
 * ReportBatchItemFailures response.
 */
export function interpretBatchResponse(response: unknown, records: readonly KinesisStreamRecord[]): BatchOutcome {
  if (response === undefined || response === null || typeof response !== 'object') return { kind: 'success' };
  const failures: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not an array' };
  if (failures.length === 0) return { kind: 'success' };
  const indexBySeq = new Map(records.map((r, i) => [r.kinesis.sequenceNumber, i]));
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures as unknown[]) {
    const id: unknown = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'failure', reason: 'batchItemFailures entry without a non-empty itemIdentifier' };
    }
    const index = indexBySeq.get(id);
    if (index === undefined) {
      return { kind: 'failure', reason: `batchItemFailures itemIdentifier ${id} is not a sequence number of the batch` };
    }
    lowest = Math.min(lowest, index);
  }
  const first = records[lowest];
  return {
    kind: 'partial',
    index: lowest,
    reason: `partial batch failure at sequence number ${first?.kinesis.sequenceNumber ?? '?'}`,
  };
}

/** The record exactly as Lambda puts it in a KinesisStreamEvent (same fields, same order). */
export function toLambdaRecord(
  record: _Record,
  ctx: { shardId: string; region: string; eventSourceArn: string; invokeIdentityArn: string },
): KinesisStreamRecord {
  const sequenceNumber = record.SequenceNumber ?? '';
  const data = record.Data ?? new Uint8Array();
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber,
      data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
      approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${ctx.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: ctx.invokeIdentityArn,
    awsRegion: ctx.region,
    eventSourceARN: ctx.eventSourceArn,
  };
}

/** Stoppable sleep: start()/stop() must not wait out an idle sleep. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class KinesisPoller {
  private readonly opts: KinesisPollerOptions;
  private readonly batchSize: number;
  private readonly maxRetryAttempts: number;
  private readonly bisect: boolean;
  private readonly checkpoints: CheckpointStore;
  private readonly shards = new Map<string, ShardState>();
  private readonly totals = emptyStats();
  private identity: { region: string; eventSourceArn: string; invokeIdentityArn: string } | undefined;
  private busy = false;
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;

  constructor(opts: KinesisPollerOptions) {
    this.opts = opts;
    this.batchSize = opts.batchSize ?? 100;
    this.maxRetryAttempts = opts.maxRetryAttempts ?? 3;
    this.bisect = opts.bisectBatchOnFunctionError ?? true;
    this.checkpoints = opts.checkpoints ?? new InMemoryCheckpointStore();
    // Same bounds as the Lambda API (GetRecords caps a call at 10000 records).
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10_000) {
      throw new InvalidPollerOptionError(`batchSize must be an integer 1-10000, got ${this.batchSize}`);
    }
    if (!Number.isInteger(this.maxRetryAttempts) || this.maxRetryAttempts < -1 || this.maxRetryAttempts > 10_000) {
      throw new InvalidPollerOptionError(`maxRetryAttempts must be -1 or an integer 0-10000, got ${this.maxRetryAttempts}`);
    }
  }

  /** Totals since construction. */
  get stats(): PollerStats {
    return { ...this.totals };
  }

  /**
   * Reads every shard until it is caught up (GetRecords returns no records
   * and MillisBehindLatest is 0, for `idleMs`) or, for a closed shard,
   * exhausted; returns the stats of this drain.
   */
  async drain(opts: DrainOptions = {}): Promise<PollerStats> {
    if (this.busy) throw new PollerBusyError();
    this.busy = true;
    const stats = emptyStats();
    try {
      await this.pollUntilCaughtUp({ stats, shouldStop: () => false }, opts);
      return stats;
    } finally {
      addStats(this.totals, stats);
      this.busy = false;
    }
  }

  /** Polls continuously in the background until stop(); errors are logged and polling resumes after a pause. */
  start(): void {
    if (this.busy) throw new PollerBusyError();
    this.busy = true;
    const abort = new AbortController();
    this.abort = abort;
    const log = this.opts.log ?? ((): void => undefined);
    const idleSleepMs = this.opts.idleSleepMs ?? 200;
    this.loop = (async () => {
      let failures = 0;
      while (!abort.signal.aborted) {
        const stats = emptyStats();
        try {
          await this.pollUntilCaughtUp({ stats, shouldStop: () => abort.signal.aborted }, {});
          failures = 0;
          await sleep(idleSleepMs, abort.signal);
        } catch (err) {
          failures++;
          log(`kinesis poller (${this.opts.streamName}): ${describeError(err)}`);
          // Back off on repeated errors (stream deleted, endpoint down) instead of spinning.
          await sleep(Math.min(30_000, idleSleepMs * 2 ** Math.min(failures, 8)), abort.signal);
        } finally {
          addStats(this.totals, stats);
        }
      }
    })();
  }

  /** Stops start() mode after the batch in flight, if any, is resolved and checkpointed. */
  async stop(): Promise<void> {
    this.abort?.abort();
    const loop = this.loop;
    this.loop = undefined;
    this.abort = undefined;
    if (loop !== undefined) {
      await loop;
      this.busy = false;
    }
  }

  // ------------------------------------------------------------------ reading

  private async resolveIdentity(): Promise<{ region: string; eventSourceArn: string; invokeIdentityArn: string }> {
    if (this.identity !== undefined) return this.identity;
    let eventSourceArn = this.opts.eventSourceArn;
    if (eventSourceArn === undefined) {
      const summary = await this.opts.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: this.opts.streamName }));
      eventSourceArn = summary.StreamDescriptionSummary?.StreamARN ?? `arn:aws:kinesis:::stream/${this.opts.streamName}`;
    }
    // arn:aws:kinesis:<region>:<account>:stream/<name>
    const arnParts = eventSourceArn.split(':');
    const region = this.opts.region ?? (await this.opts.kinesis.config.region());
    const account = arnParts[4] !== undefined && arnParts[4] !== '' ? arnParts[4] : '000000000000';
    const invokeIdentityArn = this.opts.invokeIdentityArn ?? `arn:aws:iam::${account}:role/connect-metrics-local-poller`;
    this.identity = { region, eventSourceArn, invokeIdentityArn };
    return this.identity;
  }

  private async listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      // ListShards rejects StreamName together with NextToken.
      const page = await this.opts.kinesis.send(
        new ListShardsCommand(nextToken === undefined ? { StreamName: this.opts.streamName } : { NextToken: nextToken }),
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return shards;
  }

  private async shardState(shardId: string): Promise<ShardState> {
    let state = this.shards.get(shardId);
    if (state === undefined) {
      state = { shardId, lastSequenceNumber: await this.checkpoints.get(shardId), iterator: undefined, finished: false };
      this.shards.set(shardId, state);
    }
    return state;
  }

  /**
   * Rounds over the shards: every shard whose parents are done is drained
   * concurrently; when a closed parent gets exhausted its children become
   * eligible in the next round. Ends when a round finishes no new shard.
   */
  private async pollUntilCaughtUp(ctx: RunContext, opts: DrainOptions): Promise<void> {
    const identity = await this.resolveIdentity();
    for (;;) {
      if (ctx.shouldStop()) return;
      const shards = await this.listShards();
      const known = new Set(shards.map((s) => s.ShardId));
      const states = new Map<string, ShardState>();
      for (const shard of shards) {
        if (shard.ShardId !== undefined) states.set(shard.ShardId, await this.shardState(shard.ShardId));
      }
      const parentDone = (parentId: string | undefined): boolean =>
        parentId === undefined || !known.has(parentId) || states.get(parentId)?.finished === true;
      const eligible = shards
        .filter((s) => parentDone(s.ParentShardId) && parentDone(s.AdjacentParentShardId))
        .map((s) => (s.ShardId === undefined ? undefined : states.get(s.ShardId)))
        .filter((s): s is ShardState => s !== undefined && !s.finished);
      if (eligible.length === 0) return;
      const outcomes = await Promise.all(eligible.map((state) => this.drainShard(state, identity, ctx, opts)));
      if (!outcomes.includes('finished')) return;
    }
  }

  private async iteratorFor(state: ShardState): Promise<string | undefined> {
    const input =
      state.lastSequenceNumber === undefined
        ? { ShardIteratorType: this.opts.startingPosition }
        : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, StartingSequenceNumber: state.lastSequenceNumber };
    const out = await this.opts.kinesis.send(
      new GetShardIteratorCommand({ StreamName: this.opts.streamName, ShardId: state.shardId, ...input }),
    );
    return out.ShardIterator;
  }

  private async drainShard(
    state: ShardState,
    identity: { region: string; eventSourceArn: string; invokeIdentityArn: string },
    ctx: RunContext,
    opts: DrainOptions,
  ): Promise<'finished' | 'caught-up' | 'stopped'> {
    const idleMs = opts.idleMs ?? 0;
    let processed = 0;
    let idleSince: number | undefined;
    for (;;) {
      if (ctx.shouldStop()) return 'stopped';
      const iterator = state.iterator ?? (await this.iteratorFor(state));
      if (iterator === undefined) {
        state.finished = true;
        return 'finished';
      }
      // Until this batch is resolved the iterator must come from the checkpoint:
      // a failure below must not leave an iterator that skips unprocessed records.
      state.iterator = undefined;
      let out;
      try {
        out = await this.opts.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.batchSize }));
      } catch (err) {
        // Iterators expire after 5 minutes (e.g. a long handler); re-derive one from the checkpoint.
        if (isNamed(err, 'ExpiredIteratorException')) continue;
        throw err;
      }
      const records = (out.Records ?? []).map((r) => toLambdaRecord(r, { shardId: state.shardId, ...identity }));
      const behindLatestMs = out.MillisBehindLatest ?? 0;
      if (records.length > 0) {
        await this.processBatch(state, records, ctx);
        processed += records.length;
        idleSince = undefined;
        opts.onProgress?.({ shardId: state.shardId, processed, behindLatestMs });
      }
      state.iterator = out.NextShardIterator;
      if (out.NextShardIterator === undefined) {
        // A closed shard has no next iterator once its last record was read.
        state.finished = true;
        return 'finished';
      }
      if (records.length === 0 && behindLatestMs === 0) {
        const now = Date.now();
        idleSince ??= now;
        if (now - idleSince >= idleMs) return 'caught-up';
        await sleep(Math.min(50, idleMs - (now - idleSince)), undefined);
      }
    }
  }

  // --------------------------------------------------------------- processing

  private async checkpoint(state: ShardState, record: KinesisStreamRecord | undefined): Promise<void> {
    if (record === undefined) return;
    await this.checkpoints.put(state.shardId, record.kinesis.sequenceNumber);
    state.lastSequenceNumber = record.kinesis.sequenceNumber;
  }

  private async invoke(records: KinesisStreamRecord[]): Promise<BatchOutcome> {
    try {
      // A fresh copy per invocation, as Lambda deserialises a new event each time:
      // a handler that mutates its event must not alter what a retry delivers.
      const response = await this.opts.handler({ Records: structuredClone(records) });
      return interpretBatchResponse(response, records);
    } catch (err) {
      return { kind: 'failure', reason: `function error: ${describeError(err)}` };
    }
  }

  /**
   * Resolves one GetRecords batch completely: every record ends up processed
   * or handed to onFailure, in sequence order, before the shard reads on.
   * `queue` holds the pending attempts in sequence order; halves and
   * remainders go to its front so order is kept.
   */
  private async processBatch(state: ShardState, batch: KinesisStreamRecord[], ctx: RunContext): Promise<void> {
    const { stats } = ctx;
    const queue: Attempt[] = [{ records: batch, retries: 0, isRetry: false }];
    for (let attempt = queue.shift(); attempt !== undefined; attempt = queue.shift()) {
      stats.batches++;
      if (attempt.isRetry) stats.retries++;
      const outcome = await this.invoke(attempt.records);
      if (outcome.kind === 'success') {
        await this.checkpoint(state, attempt.records.at(-1));
        stats.records += attempt.records.length;
        continue;
      }

      let failed = attempt.records;
      if (outcome.kind === 'partial') {
        const done = attempt.records.slice(0, outcome.index);
        failed = attempt.records.slice(outcome.index);
        await this.checkpoint(state, done.at(-1));
        stats.records += done.length;
      } else if (this.bisect && failed.length > 1) {
        const middle = Math.ceil(failed.length / 2);
        queue.unshift(
          { records: failed.slice(0, middle), retries: attempt.retries, isRetry: false },
          { records: failed.slice(middle), retries: attempt.retries, isRetry: false },
        );
        stats.bisections++;
        continue;
      }

      if (this.maxRetryAttempts !== -1 && attempt.retries >= this.maxRetryAttempts) {
        await this.opts.onFailure({
          shardId: state.shardId,
          records: failed,
          reason: `RetryAttemptsExhausted after ${attempt.retries} retries: ${outcome.reason}`,
        });
        await this.checkpoint(state, failed.at(-1));
        stats.failedToDestination += failed.length;
      } else {
        queue.unshift({ records: failed, retries: attempt.retries + 1, isRetry: true });
      }
    }
  }
}
