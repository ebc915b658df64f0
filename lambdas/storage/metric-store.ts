/**
 * The storage port. Handlers hand validated records to a `MetricStore`;
 * reports, real-time views and the CLI read through a `MetricReader`. The
 * DynamoDB adapter implements both; the domain never sees DynamoDB.
 */
import type { AgentSession, TimelinePoint } from '../domain/engine/agent-activity.js';
import type { Cell } from '../domain/engine/cell.js';
import type { EntityCatalog, EntityInfo, EntityKey, EntityKind } from '../domain/engine/entities.js';
import type { AgentEvent, AgentSnapshot, Ctr } from '../domain/model/types.js';
import type { ContactFacts } from '../domain/engine/ctr-contribution.js';
import type { Dims } from '../domain/dimensions.js';

export type SourceName = 'ctr' | 'agent-events';

/** Where a record came from: its shard and Kinesis sequence number. */
export interface SourcePosition {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

export interface Sequenced<T> {
  readonly value: T;
  readonly position: SourcePosition;
}

export interface CtrApplyResult {
  /** Contacts seen for the first time. */
  readonly added: number;
  /** Newer versions that replaced an earlier version's contribution. */
  readonly updated: number;
  /** Copies of a version already applied (redelivery, retry, replay). */
  readonly duplicates: number;
  /** Older versions arriving after a newer one: ignored. */
  readonly stale: number;
}

export interface AgentApplyResult {
  readonly added: number;
  readonly duplicates: number;
  /** Events that arrived after a later event of the same agent and were put in their place. */
  readonly late: number;
  /** Valid events the store cannot hold (e.g. an interval with more activity than an item can keep): to be dead-lettered. */
  readonly rejected?: readonly RejectedRecord[];
}

/** A record the store set aside, with the reason. */
/**
 * A record the store can never hold as it is (an item it makes would exceed the store's bounds): the pipeline sets
 * it aside with this reason instead of retrying it, so it never blocks its shard. Adapters' errors of this kind extend
 * it (ItemTooLargeError in the DynamoDB adapter).
 */
export class UnstorableRecordError extends Error {}

export interface RejectedRecord {
  readonly position: SourcePosition;
  readonly reason: string;
}

/** A record set aside because it could not be decoded or validated. Nothing is lost: the raw payload is kept. */
export interface DeadLetter {
  readonly source: SourceName;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly approximateArrivalMs: number;
  /** The record's data exactly as Kinesis delivered it (base64); large payloads are kept in a blob store and read back with the letter. */
  readonly data: string;
  readonly reason: string;
  readonly failedAtMs: number;
}

/** An agent's latest known state, for real-time metrics. */
export interface AgentState {
  readonly agentArn: string;
  readonly eventMs: number;
  readonly eventType: string;
  readonly snapshot: AgentSnapshot | null;
}

/**
 * `rebuild`: recompute what an input contributes even when the same version
 * is already stored, so a backfill after a change of metric definitions
 * replaces what the old definitions computed. Still idempotent.
 */
export interface ApplyOptions {
  readonly rebuild?: boolean;
}

/** Where large payloads are kept (S3 in AWS and locally). */
export interface BlobStore {
  put(key: string, body: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  delete(key: string): Promise<void>;
  /** Where a key is, for logs and operators (e.g. s3://bucket/key). */
  describe(key: string): string;
}

export interface MetricStore {
  applyCtrs(batch: readonly Sequenced<Ctr>[], opts?: ApplyOptions): Promise<CtrApplyResult>;
  /** Events of one shard, in the order the shard delivered them. */
  applyAgentEvents(batch: readonly Sequenced<AgentEvent>[], opts?: ApplyOptions): Promise<AgentApplyResult>;
  putDeadLetters(items: readonly DeadLetter[]): Promise<void>;
}

/** A store that meters what it writes, by DynamoDB's rules: the stream handlers report each batch's cost. */
export interface MeteredMetricStore extends MetricStore {
  /** Write units consumed since the store was made. */
  readonly writeUnits: number;
}

/** One contact (latest version of its record), for windows finer than the 15-minute bucket. */
export interface StoredContact {
  readonly contactId: string;
  readonly dims: Dims;
  readonly facts: ContactFacts;
  readonly disconnectMs: number;
}

export interface MetricReader {
  /** Contacts whose disconnect lies in [startMs, endMs) (real-time windows exact to the millisecond). */
  contacts(startMs: number, endMs: number): AsyncIterable<StoredContact>;
  /** Aggregate cells of the 15-minute buckets starting in [startMs, endMs). */
  cells(startMs: number, endMs: number): AsyncIterable<Cell>;
  /** Sessions overlapping [startMs, endMs): logged in before endMs and not logged out before startMs. */
  sessions(startMs: number, endMs: number): Promise<AgentSession[]>;
  /**
   * One agent's timeline points in [startMs, endMs), plus the point in force at startMs.
   * A point from an event without a snapshot (many LOGIN and LOGOUT events) has
   * null status and null routing-profile/hierarchy dims. The activity audit also
   * uses, when a store keeps them, `statusStartMs` (the current snapshot's
   * AgentStatus.StartTimestamp) and each contact's `method` (InitiationMethod):
   * see `AuditPoint` and `toAuditPoint` in lambdas/domain/reports/activity-audit.ts.
   */
  timeline(agentArn: string, startMs: number, endMs: number): Promise<TimelinePoint[]>;
  /** Every agent's latest state (real-time views: the whole center). */
  agentStates(): Promise<AgentState[]>;
  /** The latest states of the given agents that the store knows, read by key (reports: the agents of their range). */
  agentStatesOf(agentArns: Iterable<string>): Promise<AgentState[]>;
  /** The whole entity catalog (real-time views and the CLI; reports read only what they show, below). */
  entities(): Promise<EntityCatalog>;
  /** The catalog entries of the given entities that the store knows, read by key: the names a report shows. */
  entitiesOf(keys: Iterable<EntityKey>): Promise<EntityInfo[]>;
  /** The entities of `kind` whose current name or ARN is one of `values`: what a report's filters select. */
  entitiesNamed(kind: EntityKind, values: Iterable<string>): Promise<EntityInfo[]>;
  deadLetters(source?: SourceName): AsyncIterable<DeadLetter>;
  deleteDeadLetter(item: DeadLetter): Promise<void>;
}

/**
 * Where data changed after a report may have read it: the scheduler corrects
 * reports whose range holds an hour changed since they were written.
 */
export interface ChangeLog {
  /** Hour start (UTC ms) → wall-clock ms of the latest late change in it, for hours overlapping [startMs, endMs). */
  changedHours(startMs: number, endMs: number): Promise<Map<number, number>>;
}
