/**
 * The single-table layout. Every item has `pk` and `sk`. No partition key
 * takes a day's or the whole center's writes: time-keyed items are
 * partitioned by UTC hour and spread over shards by a hash of the contact or
 * the agent, and per-agent or per-entity items over hashed shards.
 *
 * | item                          | pk                              | sk                          | size bound            |
 * | contact (latest CTR version)  | C#<utc hour>#<shard of contact> | <contact id>                | < 2 KB (validated)    |
 * | contact link (joins)          | K#<shard of contact>            | <contact id>                | < 1 KB                |
 * | agent timeline page (head, minute) | A#<utc hour>#<shard of agent> | <agent ARN>#<bucket>#<page> | ~0.5 KB; bucket ≤ 350 KB |
 * | agent's latest state          | S#<shard of agent>              | <agent ARN>                 | ~1 KB (checked)       |
 * | routing profile's queues      | P#<shard of profile>            | <routing profile id>        | ≤ 350 KB (checked)    |
 * | dims dictionary entry         | D#<2 chars of hash>             | <dims hash>                 | < 3 KB                |
 * | entity (queue, agent, …)      | N#<kind>#<shard of id>          | <id>                        | < 2 KB                |
 * | entity by name or ARN         | E#<kind>#<shard of value hash>  | <value hash>#<id>           | < 1 KB                |
 * | login/logout session          | L#<utc login day>               | <agent ARN>#<login ms>      | < 1 KB                |
 * | dead-lettered record          | X#<source>#<shard of record>    | <shard>#<sequence number>   | ≤ 64 KB; larger in S3 |
 * | late-change marker            | M#<utc day>                     | <utc hour>                  | < 100 B               |
 */
import { createHash } from 'node:crypto';
import { BUCKET_MS } from '../../domain/time/intervals.js';
import type { Key } from './table-io.js';

export const BUCKETS_PER_DAY = (24 * 60 * 60 * 1000) / BUCKET_MS;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Shards of the hour partitions of contacts and agent buckets, and of the per-agent/per-entity partitions. */
export const CONTACT_SHARDS = 4;
export const LINK_SHARDS = 16;
export const AGENT_SHARDS = 8;
export const STATE_SHARDS = 16;
export const ENTITY_SHARDS = 4;
/**
 * Shards of each stream's dead letters: a release that rejected a whole stream's records would otherwise put 300
 * agent events a second, several write units each, on one key.
 */
export const DEAD_LETTER_SHARDS = 16;

export const utcDay = (ms: number): string => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
/** yyyy-MM-ddTHH (UTC). */
export const utcHour = (ms: number): string => {
  const h = Math.floor(ms / HOUR_MS);
  // Keys of one batch fall in a few hours: remember the last one (toISOString is most of a key's cost).
  if (h !== lastHour.h) {
    lastHour.h = h;
    lastHour.s = new Date(h * HOUR_MS).toISOString().slice(0, 13);
  }
  return lastHour.s;
};
const lastHour = { h: NaN, s: '' };
export const hourOfBucket = (bucket: number): string => utcHour(bucket * BUCKET_MS);
export const padBucket = (bucket: number): string => String(bucket).padStart(10, '0');
export const padMs = (ms: number): string => String(ms).padStart(15, '0');

/** Days (yyyy-MM-dd, UTC) overlapping [startMs, endMs). */
export function utcDaysBetween(startMs: number, endMs: number): string[] {
  const out: string[] = [];
  for (let d = Math.floor(startMs / DAY_MS) * DAY_MS; d < endMs; d += DAY_MS) out.push(utcDay(d));
  return out;
}

/** Hours (UTC) overlapping [startMs, endMs), as the start of each hour in ms. */
export function utcHoursBetween(startMs: number, endMs: number): number[] {
  const out: number[] = [];
  for (let h = Math.floor(startMs / HOUR_MS) * HOUR_MS; h < endMs; h += HOUR_MS) out.push(h);
  return out;
}

/** A stable shard number in [0, n) for a string. */
export function shardOf(s: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) % n;
}

/** A short, stable name for a dims tuple; the dictionary maps it back. */
export const dimsHash = (dimsKey: string): string => createHash('sha256').update(dimsKey).digest('base64url').slice(0, 16);

export const contactPartition = (hourMs: number, shard: number): string => `C#${utcHour(hourMs)}#${shard}`;
export const contactKey = (contactId: string, disconnectMs: number): Key => ({ pk: contactPartition(disconnectMs, shardOf(contactId, CONTACT_SHARDS)), sk: contactId });
export const contactLinkKey = (contactId: string): Key => ({ pk: `K#${shardOf(contactId, LINK_SHARDS)}`, sk: contactId });
export const agentPartition = (hourMs: number, shard: number): string => `A#${utcHour(hourMs)}#${shard}`;
/** A page of an agent's timeline bucket (agent-pages.ts): `<agent ARN>#<bucket, 10 digits>#<page, 3 digits>`. */
export const agentPageKey = (agentArn: string, bucket: number, page: number): Key => ({
  pk: agentPartition(bucket * BUCKET_MS, shardOf(agentArn, AGENT_SHARDS)),
  sk: `${agentArn}#${padBucket(bucket)}#${String(page).padStart(3, '0')}`,
});
/** The sort-key range of an agent's pages of buckets [from, to] (one partition: the buckets of one UTC hour). */
export const agentPageRange = (agentArn: string, from: number, to: number): { from: string; to: string } => ({ from: `${agentArn}#${padBucket(from)}#000`, to: `${agentArn}#${padBucket(to)}#999` });
export const agentStatePartition = (shard: number): string => `S#${shard}`;
export const agentStateKey = (agentArn: string): Key => ({ pk: agentStatePartition(shardOf(agentArn, STATE_SHARDS)), sk: agentArn });
export const routingProfilePartition = (shard: number): string => `P#${shard}`;
export const routingProfileKey = (id: string): Key => ({ pk: routingProfilePartition(shardOf(id, ENTITY_SHARDS)), sk: id });
export const dimsEntryKey = (hash: string): Key => ({ pk: `D#${hash.slice(0, 2)}`, sk: hash });
export const entityPartition = (kind: string, shard: number): string => `N#${kind}#${shard}`;
export const entityKey = (kind: string, id: string): Key => ({ pk: entityPartition(kind, shardOf(id, ENTITY_SHARDS)), sk: id });
/**
 * An entry of the name index: entity `id` of `kind` has (or had: entries are never deleted, readers check the entity)
 * the name or ARN `value`. Reports resolve their filters through it instead of reading the whole catalog.
 */
export const entityIndexKey = (kind: string, value: string, id: string): Key => {
  const h = dimsHash(value);
  return { pk: `E#${kind}#${shardOf(h, ENTITY_SHARDS)}`, sk: `${h}#${id}` };
};
/** The partition and sort-key range of the index entries of one name or ARN. */
export const entityIndexRange = (kind: string, value: string): { pk: string; from: string; to: string } => {
  const h = dimsHash(value);
  // Hashes are base64url, so `<hash>$` sorts after every `<hash>#<id>`.
  return { pk: `E#${kind}#${shardOf(h, ENTITY_SHARDS)}`, from: `${h}#`, to: `${h}$` };
};
/** Written once the index holds every entity stored before it existed (releases before it wrote none). */
export const ENTITY_INDEX_COMPLETE: Key = { pk: 'E#index', sk: 'complete' };
export const sessionPartition = (utcDayOf: string): string => `L#${utcDayOf}`;
export const sessionKey = (agentArn: string, loginMs: number): Key => ({ pk: sessionPartition(utcDay(loginMs)), sk: `${agentArn}#${padMs(loginMs)}` });
export const deadLetterPartition = (source: string, shard: number): string => `X#${source}#${shard}`;
export const deadLetterKey = (source: string, shardId: string, seq: string): Key => {
  const sk = `${shardId}#${seq.padStart(64, '0')}`;
  return { pk: deadLetterPartition(source, shardOf(sk, DEAD_LETTER_SHARDS)), sk };
};
/** Where releases before the shards kept a stream's dead letters (read, and moved to their shard, by `DeadLetters.list`). */
export const legacyDeadLetterPartition = (source: string): string => `X#${source}`;
export const changeMarkerPartition = (dayMs: number): string => `M#${utcDay(dayMs)}`;
export const changeMarkerKey = (hourMs: number): Key => ({ pk: changeMarkerPartition(hourMs), sk: utcHour(hourMs) });
