/**
 * What a stream handler does with one Kinesis batch, independent of Lambda:
 * decode and validate each record, set malformed ones aside in the dead-letter
 * store (with raw payload, shard, sequence number and reason), hand the rest to
 * the store, and report a partial batch failure.
 *
 * Records are kept in shard order. The store's writes are idempotent, so on a
 * failure the batch is retried record by record to find the first record that
 * cannot be applied; it and every later record are reported failed (Lambda
 * checkpoints at the lowest failed sequence number), as an ordered stream needs.
 */
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { parseAgentEvent } from '../domain/model/agent-event.js';
import { parseCtr } from '../domain/model/ctr.js';
import type { AgentEvent, Ctr, UnknownEnumValue } from '../domain/model/types.js';
import type { ParseOptions, ParseResult } from '../domain/model/validation.js';
import { SpanTooLongError } from '../domain/time/intervals.js';
import { UnstorableRecordError } from '../storage/metric-store.js';
import type { DeadLetter, MetricStore, RejectedRecord, Sequenced, SourceName } from '../storage/metric-store.js';
import { decodeRecordData } from './decode.js';

/** Counters a batch reports (published as CloudWatch metrics by the handler). */
export interface BatchReport {
  records: number;
  applied: number;
  duplicates: number;
  updates: number;
  stale: number;
  late: number;
  deadLettered: number;
  failed: number;
  unknownEnums: number;
  /** Newest event time applied (data freshness), epoch ms. */
  newestEventMs: number | null;
}

export interface IngestLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface IngestDeps {
  readonly store: MetricStore;
  readonly log?: IngestLog;
  readonly now?: () => number;
}

const shardOf = (r: KinesisStreamRecord): string => r.eventID.slice(0, r.eventID.lastIndexOf(':')) || 'unknown-shard';

function emptyReport(records: number): BatchReport {
  return { records, applied: 0, duplicates: 0, updates: 0, stale: 0, late: 0, deadLettered: 0, failed: 0, unknownEnums: 0, newestEventMs: null };
}

interface SourceSpec<T> {
  readonly source: SourceName;
  parse(raw: unknown, options?: ParseOptions): ParseResult<T>;
  /** Applies the batch; returns the records the store could not hold (to be dead-lettered). */
  apply(store: MetricStore, batch: readonly Sequenced<T>[], report: BatchReport): Promise<readonly RejectedRecord[]>;
  eventMs(value: T): number;
}

const CTR_SPEC: SourceSpec<Ctr> = {
  source: 'ctr',
  parse: parseCtr,
  async apply(store, batch, report) {
    const r = await store.applyCtrs(batch);
    report.applied += r.added + r.updated;
    report.updates += r.updated;
    report.duplicates += r.duplicates;
    report.stale += r.stale;
    return [];
  },
  eventMs: (c) => c.lastUpdateMs,
};

const AGENT_SPEC: SourceSpec<AgentEvent> = {
  source: 'agent-events',
  parse: parseAgentEvent,
  async apply(store, batch, report) {
    const r = await store.applyAgentEvents(batch);
    report.applied += r.added;
    report.duplicates += r.duplicates;
    report.late += r.late;
    return r.rejected ?? [];
  },
  eventMs: (e) => e.eventMs,
};

function deadLetterOf(r: KinesisStreamRecord, index: number, source: SourceName, reason: string, failedAtMs: number): DeadLetter & { index: number } {
  return {
    index,
    source,
    shardId: shardOf(r),
    sequenceNumber: r.kinesis.sequenceNumber,
    partitionKey: r.kinesis.partitionKey,
    approximateArrivalMs: Math.round(r.kinesis.approximateArrivalTimestamp * 1000),
    data: r.kinesis.data,
    reason,
    failedAtMs,
  };
}

async function ingest<T>(spec: SourceSpec<T>, event: KinesisStreamEvent, deps: IngestDeps): Promise<{ response: KinesisStreamBatchResponse; report: BatchReport }> {
  const now = deps.now ?? Date.now;
  const records = event.Records;
  const report = emptyReport(records.length);
  const good: Array<Sequenced<T> & { index: number }> = [];
  const dead: Array<DeadLetter & { index: number }> = [];
  const unknown: UnknownEnumValue[] = [];

  records.forEach((r, index) => {
    const position = { shardId: shardOf(r), sequenceNumber: r.kinesis.sequenceNumber };
    const decoded = decodeRecordData(r.kinesis.data);
    const parsed = decoded.ok ? spec.parse(decoded.json, { controlCharacters: decoded.controlCharacters }) : null;
    if (parsed?.ok) {
      good.push({ value: parsed.value, position, index });
      unknown.push(...parsed.unknownEnums);
      return;
    }
    const reason = !decoded.ok ? decoded.reason : parsed && !parsed.ok ? `Validation failed: ${parsed.error.message}` : 'Unknown decode failure';
    dead.push(deadLetterOf(r, index, spec.source, reason, now()));
  });
  report.unknownEnums = unknown.length;
  if (unknown.length > 0) deps.log?.info('Unknown enum values carried through', { values: [...new Set(unknown.map((u) => `${u.path}=${u.value}`))] });

  const fail = (fromIndex: number) => {
    const failures = records.slice(fromIndex).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber }));
    report.failed = failures.length;
    return { response: { batchItemFailures: failures }, report };
  };
  const keep = { records: report.records, unknownEnums: report.unknownEnums };

  // Apply the good records first: a record that cannot be set aside never holds up the good ones.
  const rejected: RejectedRecord[] = [];
  let failedAt: number | null = null;
  try {
    if (good.length > 0) rejected.push(...(await spec.apply(deps.store, good, report)));
  } catch (err) {
    deps.log?.warn('Batch could not be applied as a whole; applying record by record', { error: String(err) });
    // Retry in order, one record at a time, to checkpoint as far as possible.
    const partial = emptyReport(records.length);
    rejected.length = 0;
    for (const g of good) {
      try {
        rejected.push(...(await spec.apply(deps.store, [g], partial)));
      } catch (inner) {
        if (inner instanceof UnstorableRecordError || inner instanceof SpanTooLongError) {
          // Valid, but more than the store can hold: set aside with the reason, like a malformed record.
          rejected.push({ position: g.position, reason: `The store cannot hold this record: ${inner.message}` });
          continue;
        }
        deps.log?.error('Record could not be applied; it and every later record are reported failed', {
          shardId: g.position.shardId,
          sequenceNumber: g.position.sequenceNumber,
          error: String(inner),
        });
        failedAt = g.index;
        break;
      }
    }
    Object.assign(report, { ...partial, ...keep });
  }

  // Set aside the malformed records and those the store could not hold, each with its reason.
  const bySeq = new Map(records.map((r, index) => [r.kinesis.sequenceNumber, index]));
  for (const r of rejected) {
    const index = bySeq.get(r.position.sequenceNumber);
    if (index === undefined || (failedAt !== null && index >= failedAt)) continue;
    dead.push(deadLetterOf(records[index] as KinesisStreamRecord, index, spec.source, r.reason, now()));
  }
  dead.sort((a, b) => a.index - b.index);
  const setAside = failedAt === null ? dead : dead.filter((d) => d.index < (failedAt as number));
  if (setAside.length > 0) {
    let unwritten: number | null = null;
    try {
      await deps.store.putDeadLetters(setAside.map(({ index: _i, ...d }) => d));
    } catch (err) {
      deps.log?.error('Could not write dead letters together; writing them one by one', { error: String(err) });
      for (const d of setAside) {
        try {
          await deps.store.putDeadLetters([(({ index: _i, ...rest }) => rest)(d)]);
        } catch (inner) {
          deps.log?.error('Could not set a record aside; it and every later record will be retried', { shardId: d.shardId, sequenceNumber: d.sequenceNumber, error: String(inner) });
          unwritten = d.index;
          break;
        }
      }
    }
    const written = unwritten === null ? setAside : setAside.filter((d) => d.index < (unwritten as number));
    report.deadLettered = written.length;
    for (const d of written) deps.log?.warn('Record dead-lettered', { shardId: d.shardId, sequenceNumber: d.sequenceNumber, reason: d.reason.slice(0, 500) });
    if (unwritten !== null) failedAt = failedAt === null ? unwritten : Math.min(failedAt, unwritten);
  }
  if (failedAt !== null) return fail(failedAt);
  for (const g of good) {
    const ms = spec.eventMs(g.value);
    if (report.newestEventMs === null || ms > report.newestEventMs) report.newestEventMs = ms;
  }
  return { response: { batchItemFailures: [] }, report };
}

export function ingestCtrBatch(event: KinesisStreamEvent, deps: IngestDeps) {
  return ingest(CTR_SPEC, event, deps);
}

export function ingestAgentEventBatch(event: KinesisStreamEvent, deps: IngestDeps) {
  return ingest(AGENT_SPEC, event, deps);
}
