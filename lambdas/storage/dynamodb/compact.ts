/**
 * Smaller items, because a write costs one unit per started KiB: stored JSON
 * writes the Amazon Connect instance prefix of its ARNs
 * (`arn:aws:connect:<region>:<account>:instance/<id>/`, 89 bytes) as one
 * control character, and an agent's snapshot as positional arrays.
 *
 * The marker is U+0001, which JSON text never holds raw (JSON.stringify
 * escapes every control character), so compaction is unambiguous; the prefix
 * is the one of the item's own agent ARN (its sort key), so nothing more is
 * stored. Text without a Connect ARN prefix is stored as it is.
 */
import type { AgentSnapshot, EntityRef, HierarchyLevels } from '../../domain/model/types.js';

const MARK = '\u0001';
const PREFIX = /^arn:[a-z-]+:connect:[a-z0-9-]*:[0-9]*:instance\/[^/]+\//;

/** The instance prefix of a Connect ARN, or null. */
export function instancePrefix(arn: string): string | null {
  const m = PREFIX.exec(arn);
  return m ? m[0] : null;
}

/** JSON text with every occurrence of `prefix` written as the marker. */
export function compactJson(json: string, prefix: string | null): string {
  return prefix === null || !json.includes(prefix) ? json : json.split(prefix).join(MARK);
}

/** The JSON text compactJson was given. */
export function expandJson(stored: string, prefix: string | null): string {
  if (!stored.includes(MARK)) return stored;
  if (prefix === null) throw new Error('Stored JSON holds a compacted ARN but its item has no instance prefix');
  return stored.split(MARK).join(prefix);
}

// ------------------------------------------------------------------ snapshots

type RefJson = [string, string | 1 | null, string | null] | null;
const refJson = (r: EntityRef | null): RefJson => (r ? [r.id, r.arn !== null && r.arn === r.id ? 1 : r.arn, r.name] : null);
const refOf = (j: RefJson): EntityRef | null => (j ? { id: j[0], arn: j[1] === 1 ? j[0] : j[1], name: j[2] } : null);
const LEVELS = ['level1', 'level2', 'level3', 'level4', 'level5'] as const;

/** An agent snapshot as positional arrays (field names are most of its JSON otherwise). */
export function encodeSnapshot(s: AgentSnapshot | null): unknown {
  if (!s) return null;
  const c = s.configuration;
  const h = LEVELS.map((l) => refJson(c.hierarchy[l]));
  return [
    s.status ? [refJson(s.status.ref), s.status.type, s.status.startMs] : null,
    [c.username, c.firstName, c.lastName, refJson(c.routingProfile), c.inboundQueues.map(refJson), h.every((x) => x === null) ? 0 : h],
    s.contacts.map((x) => [x.contactId, x.initialContactId, x.channel, x.initiationMethod, x.state, x.stateStartMs, x.connectedToAgentMs, x.queueMs, refJson(x.queue)]),
  ];
}

type SnapshotJson = [
  [RefJson, string, number | null] | null,
  [string | null, string | null, string | null, RefJson, RefJson[], RefJson[] | 0],
  Array<[string, string | null, string, string, string, number | null, number | null, number | null, RefJson]>,
];

export function decodeSnapshot(j: unknown): AgentSnapshot | null {
  if (j === null || j === undefined) return null;
  const [st, cfg, contacts] = j as SnapshotJson;
  const h = cfg[5];
  const hierarchy = Object.fromEntries(LEVELS.map((l, i) => [l, h === 0 ? null : refOf(h[i] ?? null)])) as unknown as HierarchyLevels;
  return {
    status: st ? { ref: refOf(st[0]) as EntityRef, type: st[1], startMs: st[2] } : null,
    configuration: { username: cfg[0], firstName: cfg[1], lastName: cfg[2], routingProfile: refOf(cfg[3]), inboundQueues: cfg[4].map((r) => refOf(r) as EntityRef), hierarchy },
    contacts: contacts.map((x) => ({ contactId: x[0], initialContactId: x[1], channel: x[2], initiationMethod: x[3], state: x[4], stateStartMs: x[5], connectedToAgentMs: x[6], queueMs: x[7], queue: refOf(x[8]) })),
  };
}
