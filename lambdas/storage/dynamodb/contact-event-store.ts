/**
 * Contact events in the metrics table (same single table as the aggregates):
 *
 * | item                              | pk                 | sk                       |
 * | a contact's merged lifecycle      | Y#contacts#<shard> | <contact id>             |
 * | index of waiting contacts         | Y#open#<shard>     | <contact id>             |
 * | "contact events are on" marker    | Y#meta             | contact-events           |
 * | dead-lettered contact event       | X#contact-events#<shard 0–15> | <event id or hash> |
 *
 * A contact's item holds the merge of every event seen for it
 * (domain/realtime/contact-state.ts): the furthest stage wins and each
 * timestamp is kept, so an older or repeated event never overwrites a newer
 * state. The merge is written with an optimistic revision check (`rv`), so
 * two concurrent deliveries for one contact cannot lose each other.
 *
 * Queries must not read every contact of the last week each minute, so
 * contacts that are waiting (queued, or a callback not yet queued) are also
 * listed under Y#open, and removed from it once they move on. The contact item
 * stays the truth: readers take each listed contact's state from its item,
 * so an index entry left behind by a race (an "open" write landing after the
 * "closed" delete) is harmless; a stage only moves forward, so an entry is
 * never missing for a contact that is waiting. Everything expires through
 * TTL a while after the longest a contact can live (7 days). Both are spread
 * over CONTACT_EVENT_SHARDS partitions by contact id, so no partition key
 * takes the whole center's contact events; dead letters over
 * DEAD_LETTER_SHARDS by their id, as the streams' are (a release that rejected
 * every contact event would otherwise put them all on one key). Letters of
 * releases before the shards, in `X#contact-events`, are still listed.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContactEvent } from '../../domain/model/contact-event.js';
import { isContactStage, isOpen, lifecycleOf, mergeLifecycle, sameLifecycle } from '../../domain/realtime/contact-state.js';
import type { ContactLifecycle } from '../../domain/realtime/contact-state.js';
import type { ContactEventDeadLetter, ContactEventOutcome, ContactEventSink, ContactEventSource } from '../contact-event-source.js';
import { boundedReason } from './dead-letters.js';
import { DEAD_LETTER_SHARDS, deadLetterPartition, legacyDeadLetterPartition, shardOf } from './keys.js';
import { keyString, TableIo } from './table-io.js';
import type { Item, Key } from './table-io.js';

export const CONTACT_EVENT_SHARDS = 8;
const SHARDS = Array.from({ length: CONTACT_EVENT_SHARDS }, (_, i) => i);
export const contactKey = (contactId: string): Key => ({ pk: `Y#contacts#${shardOf(contactId, CONTACT_EVENT_SHARDS)}`, sk: contactId });
export const openKey = (contactId: string): Key => ({ pk: `Y#open#${shardOf(contactId, CONTACT_EVENT_SHARDS)}`, sk: contactId });
export const CONTACT_EVENTS_MARKER: Key = { pk: 'Y#meta', sk: 'contact-events' };
export const contactEventDeadLetterKey = (id: string): Key => ({ pk: deadLetterPartition('contact-events', shardOf(id, DEAD_LETTER_SHARDS)), sk: id });
/** Where releases before the shards kept contact-event dead letters. */
const LEGACY_DEAD_LETTERS = legacyDeadLetterPartition('contact-events');

/** Items live this long after the event that last wrote them: a contact lasts at most 7 days. */
const TTL_DAYS = 8;
const MAX_ATTEMPTS = 8;

export type { ContactEventDeadLetter, ContactEventOutcome } from '../contact-event-source.js';

export class ContactConflictError extends Error {
  constructor(readonly contactId: string) {
    super(`Could not merge contact ${contactId}: it kept changing under concurrent writers`);
    this.name = 'ContactConflictError';
  }
}

function toItem(key: Key, l: ContactLifecycle, rv: number): Item {
  return {
    ...key,
    st: l.stage,
    sm: l.stageMs,
    m: l.initiationMethod,
    ch: l.channel,
    q: l.queueId,
    im: l.initiationMs,
    em: l.enqueueMs,
    cm: l.connectedToAgentMs,
    dm: l.disconnectMs,
    rv,
    ttl: Math.floor(l.stageMs / 1000) + TTL_DAYS * 86_400,
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function fromItem(item: Item): ContactLifecycle | null {
  const stage = String(item.st);
  if (!isContactStage(stage)) return null;
  return {
    contactId: item.sk,
    stage,
    stageMs: Number(item.sm),
    initiationMethod: strOrNull(item.m),
    channel: strOrNull(item.ch),
    queueId: strOrNull(item.q),
    initiationMs: num(item.im),
    enqueueMs: num(item.em),
    connectedToAgentMs: num(item.cm),
    disconnectMs: num(item.dm),
  };
}

export class DynamoContactEventStore implements ContactEventSource, ContactEventSink {
  readonly io: TableIo;
  private markerWritten = false;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.io = new TableIo(doc, tableName);
  }

  /** Merges one event into its contact's lifecycle and keeps the waiting index in step. */
  async apply(e: ContactEvent): Promise<ContactEventOutcome> {
    const incoming = lifecycleOf(e);
    if (!incoming) return 'unknown-type';
    await this.markEnabled(e.eventMs);
    const key = contactKey(e.contactId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const got = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      const stored = got.Item ? fromItem(got.Item as Item) : null;
      const rv = typeof got.Item?.rv === 'number' ? got.Item.rv : undefined;
      const merged = stored ? mergeLifecycle(stored, incoming) : incoming;
      if (stored && sameLifecycle(stored, merged)) {
        // Nothing new; still bring the index in step, in case the writer of this state stopped before doing so.
        await this.syncIndex(merged);
        return 'duplicate';
      }
      if (!(await this.io.putIfRevision(toItem(key, merged, (rv ?? 0) + 1), rv, 'contact'))) continue;
      await this.syncIndex(merged);
      return 'applied';
    }
    throw new ContactConflictError(e.contactId);
  }

  private async syncIndex(l: ContactLifecycle): Promise<void> {
    const key = openKey(l.contactId);
    if (isOpen(l)) await this.io.batchPut([{ item: toItem(key, l, 0), kind: 'contact-open' }]);
    else await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
  }

  private async markEnabled(eventMs: number): Promise<void> {
    if (this.markerWritten) return;
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...CONTACT_EVENTS_MARKER, firstEventMs: eventMs }, ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    this.markerWritten = true;
  }

  async enabled(): Promise<boolean> {
    const got = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: CONTACT_EVENTS_MARKER }));
    return got.Item !== undefined;
  }

  async open(): Promise<ContactLifecycle[]> {
    const ids: Key[] = [];
    for (const shard of SHARDS) for await (const item of this.io.query(`Y#open#${shard}`, undefined, ['pk', 'sk'])) ids.push(contactKey(item.sk));
    const items = await this.io.batchGet(ids);
    const out: ContactLifecycle[] = [];
    for (const k of ids) {
      const item = items.get(keyString(k));
      const l = item ? fromItem(item) : null;
      if (l && isOpen(l)) out.push(l);
    }
    return out;
  }

  /**
   * Every contact the table still holds (up to TTL, about a week), for
   * replaying In queue and Oldest over a past day (`waitingAt` reads the
   * timestamps, so any instant can be answered). Not for the per-minute path:
   * it reads the whole partition.
   */
  async all(): Promise<ContactLifecycle[]> {
    const out: ContactLifecycle[] = [];
    for (const shard of SHARDS) {
      for await (const item of this.io.query(`Y#contacts#${shard}`)) {
        const l = fromItem(item);
        if (l) out.push(l);
      }
    }
    return out;
  }

  /** One contact's merged lifecycle (tests, support). */
  async get(contactId: string): Promise<ContactLifecycle | null> {
    const got = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: contactKey(contactId), ConsistentRead: true }));
    return got.Item ? fromItem(got.Item as Item) : null;
  }

  /** Dead-lettered contact events, with the id each is stored under: every shard, then the partition of earlier releases. */
  async *deadLetters(): AsyncGenerator<ContactEventDeadLetter & { readonly id: string }> {
    const partitions = [...Array.from({ length: DEAD_LETTER_SHARDS }, (_, i) => deadLetterPartition('contact-events', i)), LEGACY_DEAD_LETTERS];
    for (const pk of partitions) {
      for await (const item of this.io.query(pk)) {
        yield { id: item.sk, reason: String(item.reason), data: String(item.data), failedAtMs: Number(item.failedAtMs), eventId: item.sk };
      }
    }
  }

  /** Deletes a letter wherever it is (its shard, or the partition of earlier releases). */
  async deleteDeadLetter(id: string): Promise<void> {
    await Promise.all([this.io.delete(contactEventDeadLetterKey(id)), this.io.delete({ pk: LEGACY_DEAD_LETTERS, sk: id })]);
  }

  /** Sets aside an event that could not be validated, with its raw payload: nothing is lost. */
  async putDeadLetter(d: ContactEventDeadLetter): Promise<void> {
    // The event's id is its key when it can be one (a redelivery rewrites its own dead letter); an id that cannot
    // (too long, control characters) is replaced by the payload's tag. The reason is bounded like the streams' (it
    // names paths of the event, which an event nested deep with long keys makes long); EventBridge bounds the payload
    // (256 KB), so the item stays under DynamoDB's 400 KB.
    const id = d.eventId !== null && d.eventId !== undefined && usableId(d.eventId) ? d.eventId : `${d.data.length}-${hash(d.data)}`;
    await this.io.batchPut([
      { item: { ...contactEventDeadLetterKey(id), source: 'contact-events', reason: boundedReason(d.reason), data: d.data, failedAtMs: d.failedAtMs, ttl: Math.floor(d.failedAtMs / 1000) + 90 * 86_400 }, kind: 'dead-letter' },
    ]);
  }
}

/** An event id that can be a sort key as it is: at most 256 UTF-8 bytes, no control characters. */
function usableId(id: string): boolean {
  if (id.length === 0 || id.length > 256 || Buffer.byteLength(id, 'utf8') > 256) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** A short stable tag for a payload without an event id (FNV-1a), so a redelivery rewrites its own dead letter. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}
