/**
 * The single-table layout. Every item has `pk` and `sk`; aggregate items are
 * partitioned by UTC day so a report reads whole days with a few queries.
 *
 * | item                          | pk                  | sk                         |
 * | contact-record cell           | C#<utc day>         | <bucket>#<dims hash>       |
 * | agent timeline bucket         | A#<utc day>         | <agent ARN>#<bucket>       |
 * | dims dictionary entry         | D#dims              | <dims hash>                |
 * | entity (queue, agent, …)      | N#<kind>            | <id>                       |
 * | agent's latest state          | S#agents            | <agent ARN>                |
 * | login/logout session          | L#<utc login day>   | <agent ARN>#<login ms>     |
 * | dead-lettered record          | X#<source>          | <shard>#<sequence number>  |
 */
import { createHash } from 'node:crypto';
import { BUCKET_MS } from '../../domain/time/intervals.js';
import type { Key } from './table-io.js';

export const BUCKETS_PER_DAY = (24 * 60 * 60 * 1000) / BUCKET_MS;
const DAY_MS = 24 * 60 * 60 * 1000;

export const utcDay = (ms: number): string => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
export const dayOfBucket = (bucket: number): string => utcDay(bucket * BUCKET_MS);
export const padBucket = (bucket: number): string => String(bucket).padStart(10, '0');
export const padMs = (ms: number): string => String(ms).padStart(15, '0');

/** Days (yyyy-MM-dd, UTC) overlapping [startMs, endMs). */
export function utcDaysBetween(startMs: number, endMs: number): string[] {
  const out: string[] = [];
  for (let d = Math.floor(startMs / DAY_MS) * DAY_MS; d < endMs; d += DAY_MS) out.push(utcDay(d));
  return out;
}

/** A short, stable name for a dims tuple; the dictionary maps it back. */
export const dimsHash = (dimsKey: string): string => createHash('sha256').update(dimsKey).digest('base64url').slice(0, 16);

export const ctrCellKey = (bucket: number, hash: string): Key => ({ pk: `C#${dayOfBucket(bucket)}`, sk: `${padBucket(bucket)}#${hash}` });
export const agentBucketKey = (agentArn: string, bucket: number): Key => ({ pk: `A#${dayOfBucket(bucket)}`, sk: `${agentArn}#${padBucket(bucket)}` });
export const dimsEntryKey = (hash: string): Key => ({ pk: 'D#dims', sk: hash });
export const entityKey = (kind: string, id: string): Key => ({ pk: `N#${kind}`, sk: id });
export const agentStateKey = (agentArn: string): Key => ({ pk: 'S#agents', sk: agentArn });
export const sessionKey = (agentArn: string, loginMs: number): Key => ({ pk: `L#${utcDay(loginMs)}`, sk: `${agentArn}#${padMs(loginMs)}` });
export const deadLetterKey = (source: string, shardId: string, seq: string): Key => ({ pk: `X#${source}`, sk: `${shardId}#${seq.padStart(64, '0')}` });
