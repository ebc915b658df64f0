/**
 * The DynamoDB adapter of the storage port: a facade over the parts of the
 * single-table model (keys.ts has the layout and the size bound of every item).
 *
 * Exactly-once effect without idempotency records: every item is a
 * deterministic function of the inputs that belong to it, and every
 * read-modify-write is conditional, so duplicates, replays, a crash between
 * any two writes and concurrent writers all converge on the same items.
 * - contact-records.ts: one item per contact (latest version of its record);
 * - agent-timelines.ts (writes) and agent-timeline-reads.ts (reads): per agent
 *   and 15-minute bucket, the agent's points and the status time recomputed from
 *   them, laid out in pages (agent-pages.ts); the agent's latest state
 *   (agent-state.ts); sessions;
 * - dictionary.ts: dims dictionary, entity names, routing profiles' queues;
 * - dead-letters.ts: records set aside, large payloads in the blob store.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgentSession, TimelinePoint } from '../../domain/engine/agent-activity.js';
import type { Cell } from '../../domain/engine/cell.js';
import { contactsEndedOnHold } from '../../domain/engine/ctr-contribution.js';
import { entitiesOfAgentEvent, entitiesOfCtr } from '../../domain/engine/entities.js';
import type { EntityCatalog, EntityInfo, EntityKey, EntityKind } from '../../domain/engine/entities.js';
import type { AgentEvent, Ctr } from '../../domain/model/types.js';
import { BUCKET_MS } from '../../domain/time/intervals.js';
import type {
  AgentApplyResult,
  AgentState,
  ApplyOptions,
  BlobStore,
  ChangeLog,
  CtrApplyResult,
  DeadLetter,
  MeteredMetricStore,
  MetricReader,
  Sequenced,
  SourceName,
  StoredContact,
} from '../metric-store.js';
import { AgentTimelineReads } from './agent-timeline-reads.js';
import { AgentTimelines } from './agent-timelines.js';
import { ContactRecords } from './contact-records.js';
import { DeadLetters } from './dead-letters.js';
import { Dictionary } from './dictionary.js';
import { LateChanges } from './late-changes.js';
import { settleAll, TableIo } from './table-io.js';
import type { TableIoOptions } from './table-io.js';

export { AgentConflictError } from './agent-timelines.js';

export interface DynamoMetricStoreOptions extends TableIoOptions {
  /** Aggregates expire this many days after their interval (DynamoDB TTL); 0 keeps them. */
  readonly retentionDays?: number;
  /** Where dead-lettered payloads over 64 KB are kept. */
  readonly blobs?: BlobStore;
  /** Wall clock, for marking late changes (tests inject one). */
  readonly now?: () => number;
  /**
   * How long one agent's writer keeps retrying lost races on conditional writes before the batch fails with
   * AgentConflictError (default CONFLICT_BUDGET_MS, 20 s).
   */
  readonly conflictBudgetMs?: number;
}

export class DynamoMetricStore implements MeteredMetricStore, MetricReader, ChangeLog {
  readonly io: TableIo;
  private readonly dict: Dictionary;
  private readonly contactRecords: ContactRecords;
  private readonly agents: AgentTimelines;
  private readonly agentReads: AgentTimelineReads;
  private readonly letters: DeadLetters;
  private readonly late: LateChanges;

  /** Write units this store has consumed (its meter's total). */
  get writeUnits(): number {
    return this.io.meter.writeUnits;
  }

  constructor(doc: DynamoDBDocumentClient, tableName: string, opts: DynamoMetricStoreOptions = {}) {
    this.io = new TableIo(doc, tableName, opts);
    const retentionMs = (opts.retentionDays ?? 0) * 24 * 3600 * 1000;
    const ttl = (ms: number) => (retentionMs > 0 ? Math.floor((ms + retentionMs) / 1000) : undefined);
    this.dict = new Dictionary(this.io);
    this.late = new LateChanges(this.io, opts.now ?? Date.now);
    const changed = (bucketStartMs: number) => this.late.note(bucketStartMs);
    this.contactRecords = new ContactRecords(this.io, ttl, changed);
    this.agents = new AgentTimelines(this.io, ttl, this.dict, changed, opts.conflictBudgetMs);
    this.agentReads = new AgentTimelineReads(this.io, this.dict);
    this.letters = new DeadLetters(this.io, opts.blobs);
  }

  async applyCtrs(batch: readonly Sequenced<Ctr>[], opts: ApplyOptions = {}): Promise<CtrApplyResult> {
    const result = await this.contactRecords.apply(batch, opts);
    await this.dict.registerEntities(batch.flatMap((s) => entitiesOfCtr(s.value)));
    await this.late.flush();
    return result;
  }

  async applyAgentEvents(batch: readonly Sequenced<AgentEvent>[], opts: ApplyOptions = {}): Promise<AgentApplyResult> {
    // Independent of each other, so they overlap: the timelines, the hold ends on contacts ("Contacts hold
    // disconnect" is contact-record-driven but only agent events see the hold end) and the entity names.
    const [result] = await settleAll<[AgentApplyResult, void, void]>([
      this.agents.apply(batch, opts),
      this.contactRecords.markEndedOnHold(batch.flatMap((s) => contactsEndedOnHold(s.value))),
      this.dict.registerEntities(batch.flatMap((s) => entitiesOfAgentEvent(s.value))),
    ]);
    await this.late.flush();
    return result;
  }

  putDeadLetters(items: readonly DeadLetter[]): Promise<void> {
    return this.letters.put(items);
  }

  async *cells(startMs: number, endMs: number): AsyncGenerator<Cell> {
    yield* this.contactRecords.cells(startMs, endMs);
    yield* this.agentReads.cells(Math.ceil(startMs / BUCKET_MS), Math.ceil(endMs / BUCKET_MS));
  }

  contacts(startMs: number, endMs: number): AsyncIterable<StoredContact> {
    return this.contactRecords.contacts(startMs, endMs);
  }

  sessions(startMs: number, endMs: number): Promise<AgentSession[]> {
    return this.agentReads.sessions(startMs, endMs);
  }

  timeline(agentArn: string, startMs: number, endMs: number): Promise<TimelinePoint[]> {
    return this.agentReads.timeline(agentArn, startMs, endMs);
  }

  agentStates(): Promise<AgentState[]> {
    return this.agentReads.agentStates();
  }

  agentStatesOf(agentArns: Iterable<string>): Promise<AgentState[]> {
    return this.agentReads.agentStatesOf(agentArns);
  }

  entities(): Promise<EntityCatalog> {
    return this.dict.entities();
  }

  entitiesOf(keys: Iterable<EntityKey>): Promise<EntityInfo[]> {
    return this.dict.entitiesOf(keys);
  }

  entitiesNamed(kind: EntityKind, values: Iterable<string>): Promise<EntityInfo[]> {
    return this.dict.entitiesNamed(kind, values);
  }

  changedHours(startMs: number, endMs: number): Promise<Map<number, number>> {
    return this.late.changedHours(startMs, endMs);
  }

  deadLetters(source?: SourceName): AsyncIterable<DeadLetter> {
    return this.letters.list(source);
  }

  deleteDeadLetter(item: DeadLetter): Promise<void> {
    return this.letters.delete(item);
  }
}
