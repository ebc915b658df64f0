/**
 * Reading agent timelines: the agent-activity cells of a range of buckets (for reports), one agent's points (for
 * real-time views), every agent's latest state, and login/logout sessions. The write side is agent-timelines.ts;
 * the page layout agent-pages.ts.
 */
import type { AgentSession, TimelinePoint } from '../../domain/engine/agent-activity.js';
import type { Cell } from '../../domain/engine/cell.js';
import { EMPTY_DIMS } from '../../domain/dimensions.js';
import type { Dims } from '../../domain/dimensions.js';
import type { Primitives } from '../../domain/metrics/primitives.js';
import { EntityCatalog } from '../../domain/engine/entities.js';
import type { EntityKey } from '../../domain/engine/entities.js';
import { bucketOf, BUCKET_MS } from '../../domain/time/intervals.js';
import type { AgentState } from '../metric-store.js';
import { contactsOf, parsePage, parsePages } from './agent-pages.js';
import type { PointJson, StoredBucket } from './agent-pages.js';
import { expandSnapshot, snapshotEntities, stateSnapshot } from './agent-state.js';
import type { Dictionary } from './dictionary.js';
import { AGENT_SHARDS, agentPageRange, agentPartition, agentStateKey, agentStatePartition, sessionPartition, shardOf, STATE_SHARDS, utcDaysBetween, utcHoursBetween } from './keys.js';
import { pool } from '../../domain/concurrency.js';
import type { Item, TableIo } from './table-io.js';

/** An agent's pages of buckets [from, to], one query per UTC hour, strongly consistent: a page another batch wrote is never missed. */
export async function queryAgentPages(io: TableIo, agent: string, from: number, to: number): Promise<Map<number, StoredBucket>> {
  const items: Item[] = [];
  if (to < from) return new Map();
  const shard = shardOf(agent, AGENT_SHARDS);
  const perHour = 3_600_000 / BUCKET_MS;
  for (const hourMs of utcHoursBetween(from * BUCKET_MS, (to + 1) * BUCKET_MS)) {
    const first = hourMs / BUCKET_MS;
    const range = agentPageRange(agent, Math.max(from, first), Math.min(to, first + perHour - 1));
    for await (const item of io.query(agentPartition(hourMs, shard), range, undefined, true)) items.push(item);
  }
  return parsePages(items);
}

export class AgentTimelineReads {
  constructor(
    private readonly io: TableIo,
    private readonly dict: Dictionary,
  ) {}

  /** Agent-activity cells of the buckets in [first, end) (bucket numbers). */
  async *cells(first: number, end: number): AsyncGenerator<Cell> {
    if (end <= first) return;
    for (const hour of utcHoursBetween(first * BUCKET_MS, end * BUCKET_MS)) {
      const found: Array<{ bucket: number; h: string; values: Primitives }> = [];
      await pool(
        Array.from({ length: AGENT_SHARDS }, (_, s) => s),
        AGENT_SHARDS,
        async (s) => {
          for await (const item of this.io.query(agentPartition(hour, s), undefined, ['sk', 'b', 'j'])) {
            const bucket = Number(item.b);
            if (bucket < first || bucket >= end) continue;
            const page = parsePage(item);
            for (const [h, values] of Object.entries(page.st ?? {})) found.push({ bucket, h, values });
            for (const p of page.ev ?? []) {
              for (const [h, values] of p.ic ?? []) found.push({ bucket, h, values });
              for (const [h, values] of p.s ?? []) found.push({ bucket, h, values });
            }
            for (const cells of Object.values(page.sp ?? {})) for (const [h, values] of cells) found.push({ bucket, h, values });
          }
        },
      );
      const dims = await this.dict.dimsOf(found.map((f) => f.h));
      found.sort((a, b) => a.bucket - b.bucket);
      for (const f of found) yield { bucket: f.bucket, dims: dims.get(f.h) as Dims, values: f.values };
    }
  }

  async timeline(agentArn: string, startMs: number, endMs: number): Promise<TimelinePoint[]> {
    const firstB = bucketOf(startMs);
    const lastB = bucketOf(endMs - 1);
    const items = await queryAgentPages(this.io, agentArn, firstB, lastB);
    const points: PointJson[] = [];
    let carry: PointJson | null = null;
    for (const b of [...items.keys()].sort((x, y) => x - y)) {
      const content = (items.get(b) as StoredBucket).content;
      if (carry === null && content.cp && content.cp.m < startMs) carry = content.cp;
      for (const p of content.ev) if (p.m >= startMs && p.m < endMs) points.push(p);
      for (const p of content.ev) if (p.m < startMs && (!carry || p.m > carry.m)) carry = p;
    }
    const all = carry ? [carry, ...points] : points;
    const dims = await this.dict.dimsOf(all.map((p) => p.d));
    return all.map((p) => ({
      eventId: p.i,
      eventMs: p.m,
      type: p.t,
      statusType: p.y,
      statusName: p.n,
      dims: dims.get(p.d) ?? { ...EMPTY_DIMS, agent: agentArn },
      contacts: contactsOf(p),
    }));
  }

  /** Every agent's latest state: each state partition, whole. */
  async agentStates(): Promise<AgentState[]> {
    const items: Item[] = [];
    await pool(
      Array.from({ length: STATE_SHARDS }, (_, s) => s),
      STATE_SHARDS,
      async (s) => {
        for await (const item of this.io.query(agentStatePartition(s))) items.push(item);
      },
    );
    return this.states(items);
  }

  /** The given agents' latest states, read by key (those that have one). */
  async agentStatesOf(agentArns: Iterable<string>): Promise<AgentState[]> {
    const got = await this.io.batchGet([...new Set(agentArns)].map(agentStateKey));
    return this.states([...got.values()]);
  }

  /** States as readers see them: snapshots expanded with their dims, the names of what they refer to and their profile's queues. */
  private async states(items: readonly Item[]): Promise<AgentState[]> {
    const raw = items.map((item) => ({ agentArn: item.sk, eventMs: Number(item.lm), eventType: String(item.lt), snapshot: stateSnapshot(item), sd: typeof item.sd === 'string' ? item.sd : null }));
    const dims = await this.dict.dimsOf(raw.flatMap((r) => (r.sd ? [r.sd] : [])));
    // Only the entities the snapshots refer to: never the whole catalog.
    const refs: EntityKey[] = [];
    for (const r of raw) refs.push(...snapshotEntities(r.snapshot, r.sd ? dims.get(r.sd) : undefined));
    const catalog = new EntityCatalog();
    for (const e of await this.dict.entitiesOf(refs)) catalog.put(e);
    const expanded = raw.map(({ sd, ...r }) => ({ ...r, snapshot: r.snapshot ? expandSnapshot(r.snapshot, sd ? dims.get(sd) : undefined, catalog) : null }));
    const profileIds = expanded.flatMap((r) => (r.snapshot?.configuration.routingProfile ? [r.snapshot.configuration.routingProfile.id] : []));
    const queues = await this.dict.profileQueues(profileIds);
    return expanded
      .map((r) => {
        const rp = r.snapshot?.configuration.routingProfile;
        if (!r.snapshot || !rp) return r;
        return { ...r, snapshot: { ...r.snapshot, configuration: { ...r.snapshot.configuration, inboundQueues: [...r.snapshot.configuration.inboundQueues, ...(queues.get(rp.id) ?? [])] } } };
      })
      .sort((a, b) => (a.agentArn < b.agentArn ? -1 : a.agentArn > b.agentArn ? 1 : 0));
  }

  async sessions(startMs: number, endMs: number): Promise<AgentSession[]> {
    const out: AgentSession[] = [];
    // A session that started up to 31 days before the range can still overlap it.
    await pool(utcDaysBetween(startMs - 31 * 24 * 3600 * 1000, endMs), 8, async (day) => {
      for await (const item of this.io.query(sessionPartition(day))) {
        const s: AgentSession = { agentArn: String(item.a), loginMs: Number(item.in), logoutMs: item.out === null || item.out === undefined ? null : Number(item.out) };
        if (s.loginMs < endMs && (s.logoutMs === null || s.logoutMs >= startMs)) out.push(s);
      }
    });
    return out.sort((a, b) => a.agentArn.localeCompare(b.agentArn) || a.loginMs - b.loginMs);
  }
}
