/**
 * Ingestion benchmarks (issue: streaming ingestion):
 * 1. Handler throughput without I/O: decode + validate + engine per record,
 *    next to the raw cost of base64-decoding and JSON.parse of the same records.
 * 2. DynamoDB cost: write units per 1,000 records for batches of 100 and 1,000,
 *    next to a naive baseline that writes every record's own item (contact, or
 *    agent bucket) once per record, all measured in the same run against dynalite.
 */
import { performance } from 'node:perf_hooks';
import { simulate } from '../cli/simulator/index.js';
import { startLocalServices } from '../cli/local/services.js';
import { dynamoClient, dynamoDocumentClient } from '../lambdas/adapters/aws-clients.js';
import { eventContribution, toTimelinePoint } from '../lambdas/domain/engine/agent-activity.js';
import { ctrContribution } from '../lambdas/domain/engine/ctr-contribution.js';
import { parseAgentEvent } from '../lambdas/domain/model/agent-event.js';
import { parseCtr } from '../lambdas/domain/model/ctr.js';
import type { AgentEvent, Ctr } from '../lambdas/domain/model/types.js';
import { decodeRecordData } from '../lambdas/pipeline/decode.js';
import { DynamoMetricStore } from '../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { ensureTable } from '../lambdas/storage/dynamodb/table-schema.js';
import type { Sequenced } from '../lambdas/storage/metric-store.js';

export interface IngestionBenchOptions {
  readonly agents: number;
  readonly hours: number;
  /** Records per stream used for the DynamoDB cost runs. */
  readonly costRecords: number;
  readonly log: (line: string) => void;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function best(times: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

export async function ingestionBench(opts: IngestionBenchOptions): Promise<Record<string, number>> {
  const { log } = opts;
  const sim = simulate({ seed: 7, agents: opts.agents, hours: opts.hours, start: '2026-03-10T00:00:00Z', timeZone: 'America/New_York' });
  const ctrData = sim.ctrLines.map(b64);
  const agentData = sim.agentEventLines.map(b64);
  const all = [...ctrData.map((d) => ['ctr', d] as const), ...agentData.map((d) => ['agent', d] as const)];
  log(`Simulated ${opts.agents} agents × ${opts.hours} h: ${ctrData.length.toLocaleString('en-US')} CTRs, ${agentData.length.toLocaleString('en-US')} agent events`);

  // ---- 1. throughput
  let sink = 0;
  const raw = best(5, () => {
    for (const [, d] of all) sink += (JSON.parse(Buffer.from(d, 'base64').toString('utf8')) as object) ? 1 : 0;
  });
  const handler = best(5, () => {
    for (const [kind, d] of all) {
      const decoded = decodeRecordData(d);
      if (!decoded.ok) throw new Error(decoded.reason);
      if (kind === 'ctr') {
        const r = parseCtr(decoded.json, { controlCharacters: decoded.controlCharacters });
        if (!r.ok) throw r.error;
        sink += ctrContribution(r.value).bucket;
      } else {
        const r = parseAgentEvent(decoded.json, { controlCharacters: decoded.controlCharacters });
        if (!r.ok) throw r.error;
        sink += toTimelinePoint(r.value).eventMs + eventContribution(r.value).length;
      }
    }
  });
  const rawRate = all.length / (raw / 1000);
  const handlerRate = all.length / (handler / 1000);
  log('');
  log('Handler throughput without I/O (best of 5 passes, same records, same run)');
  log(`  raw base64 + JSON.parse           ${Math.round(rawRate).toLocaleString('en-US').padStart(10)} records/s`);
  log(`  decode + validate + engine        ${Math.round(handlerRate).toLocaleString('en-US').padStart(10)} records/s   (${((handlerRate / rawRate) * 100).toFixed(0)}% of raw; target ≥ 33%)`);
  if (sink === -1) log('unreachable');

  // ---- 2. DynamoDB cost
  const ctrs: Ctr[] = sim.ctrLines.slice(0, opts.costRecords).map((l) => {
    const r = parseCtr(JSON.parse(l));
    if (!r.ok) throw r.error;
    return r.value;
  });
  const events: AgentEvent[] = sim.agentEventLines.slice(0, opts.costRecords).map((l) => {
    const r = parseAgentEvent(JSON.parse(l));
    if (!r.ok) throw r.error;
    return r.value;
  });
  const services = await startLocalServices();
  const results: Record<string, number> = { rawRate, handlerRate };
  try {
    let n = 0;
    const newStore = async () => {
      const cfg = { region: services.region, endpoints: { dynamodb: services.endpoints.dynamodb } };
      const name = `bench-${++n}`;
      await ensureTable(dynamoClient(cfg), name);
      // A live stream: records arrive as they happen, so none is a late change (no clock reads them as late).
      return new DynamoMetricStore(dynamoDocumentClient(dynamoClient(cfg)), name, { now: () => 0 });
    };
    let seq = 0;
    const sequenced = <T>(v: readonly T[]): Sequenced<T>[] => v.map((value) => ({ value, position: { shardId: 'shardId-000000000000', sequenceNumber: String(++seq) } }));
    const run = async (batch: number, counterOnly: boolean) => {
      const out = { ctr: 0, agent: 0 };
      for (const [kind, records] of [
        ['ctr', ctrs],
        ['agent', events],
      ] as const) {
        const store = await newStore();
        for (let i = 0; i < records.length; i += batch) {
          const slice = records.slice(i, i + batch);
          if (kind === 'ctr') await store.applyCtrs(sequenced(slice as Ctr[]));
          else await store.applyAgentEvents(sequenced(slice as AgentEvent[]));
        }
        const m = store.io.meter;
        out[kind] = counterOnly ? (m.byKind.get('contact') ?? 0) + (m.byKind.get('agent-bucket') ?? 0) : m.writeUnits;
      }
      return out;
    };
    log('');
    log(`DynamoDB write units per 1,000 records (first ${ctrs.length.toLocaleString('en-US')} CTRs and ${events.length.toLocaleString('en-US')} agent events, dynalite)`);
    const t0 = performance.now();
    const naive = await run(1, true);
    const b100 = await run(100, false);
    const b1000 = await run(1000, false);
    const per1000 = (x: { ctr: number; agent: number }) => ({
      ctr: (x.ctr / ctrs.length) * 1000,
      agent: (x.agent / events.length) * 1000,
      both: ((x.ctr + x.agent) / (ctrs.length + events.length)) * 1000,
    });
    const rows: Array<[string, ReturnType<typeof per1000>]> = [
      ["naive: each record's own item, once per record", per1000(naive)],
      ['batches of 100 (everything written)', per1000(b100)],
      ['batches of 1,000 (everything written)', per1000(b1000)],
    ];
    const base = rows[0]?.[1] as ReturnType<typeof per1000>;
    log(`  ${''.padEnd(46)}${'CTR'.padStart(9)}${'agent ev.'.padStart(11)}${'both'.padStart(9)}${'vs naive'.padStart(10)}`);
    for (const [label, r] of rows) {
      log(`  ${label.padEnd(46)}${r.ctr.toFixed(0).padStart(9)}${r.agent.toFixed(0).padStart(11)}${r.both.toFixed(0).padStart(9)}${`${(base.both / r.both).toFixed(1)}×`.padStart(10)}`);
    }
    const b = rows[2]?.[1] as ReturnType<typeof per1000>;
    log(`  batches of 1,000: ${(b.agent / 1000).toFixed(2)} units per agent event (target ≤ 2) ${b.agent <= 2000 ? 'OK' : 'OVER'}, ${(b.ctr / 1000).toFixed(2)} per CTR (target ≤ 3) ${b.ctr <= 3000 ? 'OK' : 'OVER'}`);
    log(`  (a contact record is one item of its own, so CTRs cannot merge in a batch; cost runs took ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    Object.assign(results, {
      naivePer1000: base.both,
      batch100Per1000: rows[1]?.[1].both ?? 0,
      batch1000Per1000: rows[2]?.[1].both ?? 0,
    });
  } finally {
    await services.stop();
  }
  return results;
}
