import { it, expect } from 'vitest';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import type { AgentEvent } from '../../lambdas/domain/model/types.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { simulate } from '../../cli/simulator/index.js';
import { engineOf } from '../support/metrics.js';
import { engineCells, storeCells } from '../support/store-compare.js';
import { MemoryDynamo } from '../../bench/memory-dynamo.js';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32; };
}
function shuffle<T>(items: readonly T[], rnd: () => number): T[] { const out = [...items]; for (let i = out.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [out[i], out[j]] = [out[j] as T, out[i] as T]; } return out; }

class JitterDynamo extends MemoryDynamo {}

it('races', async () => {
  const sim = simulate({ seed: 11, agents: 2, hours: 3, start: '2026-03-10T10:00:00', timeZone: 'America/New_York' });
  const all0 = sim.agentEventLines.map((l) => { const r = parseAgentEvent(JSON.parse(l)); if (!r.ok) throw new Error('bad'); return r.value; }); const all = all0.filter((e) => e.agentArn === all0[0]!.agentArn); console.log('ALL', all.length);
  for (let seed = Number(process.env.SEED ?? 1); seed <= Number(process.env.SEED ?? 200); seed++) {
    const rnd = prng(seed);
    const n = Math.min(all.length, 6 + Math.floor(rnd() * 14));
    const off = Math.floor(rnd() * (all.length - n));
    const events = all.slice(off, off + n);
    const mem = new MemoryDynamo(0);
    const client = mem.client();
    const send = (client as any).send;
    (client as any).send = async (c: any) => { await new Promise((r) => setTimeout(r, Math.floor(rnd() * 3))); return send(c); };
    const log: string[] = [];
    const writers = [0, 1].map((w) => new DynamoMetricStore({ send: async (c: any) => {
      const n = c.constructor.name; const it = c.input.Item ?? c.input.Key;
      const tag = it ? `${it.pk.slice(0, 2)} ${String(it.sk).slice(-18)}` : '';
      const desc = it?.j ? JSON.parse(String(it.j).split('\u0001').join('P')).ev?.map((p: any) => events.findIndex((e) => e.eventId === p.i)).join(',') : it?.lp ? 'lp=' + events.findIndex((e) => e.eventId === JSON.parse(String(it.lp).split('\u0001').join('P')).i) : '';
      try { const r = await (client as any).send(c); if (n === 'PutCommand' || n === 'DeleteCommand') log.push(`W${w} ${n} ${tag} [${desc}] rv=${it?.rv} cond=${JSON.stringify(c.input.ExpressionAttributeValues ?? null)} OK`); if (n === 'QueryCommand' && c.input.ExpressionAttributeValues[':pk'].startsWith('A#')) log.push(`W${w} Query -> ${(r as any).Items.map((i: any) => String(i.sk).slice(-3) + ':' + JSON.parse(String(i.j).split('\u0001').join('P')).ev?.map((p: any) => events.findIndex((e) => e.eventId === p.i)).join(',') + ' rv' + i.rv).join(' | ')}`); return r; }
      catch (e) { log.push(`W${w} ${n} ${tag} [${desc}] FAILED`); throw e; } } } as any, 't', { concurrency: 4 }));
    const lists: AgentEvent[][] = [[], []];
    for (const e of events) { const h = process.env.W1 ? 0 : Math.floor(rnd() * 2); lists[h]!.push(e); if (!process.env.W1 && rnd() < 0.35) lists[1 - h]!.push(e); }
    const plans = lists.map((l) => { const s = shuffle(l, rnd); const out: AgentEvent[][] = []; for (let i = 0; i < s.length;) { const k = 1 + Math.floor(rnd() * 3); out.push(s.slice(i, i + k)); i += k; } return out; });
    await Promise.all(writers.map(async (w, i) => { let seq = 0; for (const b of plans[i]!) await w.applyAgentEvents(b.map((value) => ({ value, position: { shardId: `s${i}`, sequenceNumber: String(++seq) } }))); }));
    const reader = new DynamoMetricStore(send ? client : client, 't');
    const start = events[0]!.eventMs - 86400000, end = events[events.length - 1]!.eventMs + 86400000;
    const got = (await storeCells(reader, start, end)).filter((c: any) => true);
    const want = engineCells(engineOf([], events), start, end);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      console.log('SEED', seed, 'n', n, JSON.stringify(plans.map((p) => p.map((b) => b.map((e) => events.indexOf(e))))));
      const g = new Map(got.map((c: any) => [JSON.stringify([c.bucket ?? c[0], c.dims ?? c[1]]), c]));
      console.log('LOG\n' + log.join('\n'));
      console.log('GOT', JSON.stringify(got, null, 0).slice(0, 3000));
      console.log('WANT', JSON.stringify(want, null, 0).slice(0, 3000));
      console.log('EVENTS', JSON.stringify(events.map((e, i) => [i, new Date(e.eventMs).toISOString().slice(11, 19), e.eventType, e.current?.status?.ref.name, e.current?.contacts.map((c) => c.state).join('/')])));
      expect(got).toEqual(want);
    }
  }
}, 600000);
