/**
 * `npm run bench -- scale`: a 10,000-agent contact center at its peak, applied
 * through the stream handlers' ingestion to the local services (dynalite, s3rver).
 *
 * 1. The simulator writes an hour of a 10,000-agent center to files (streamed;
 *    or BENCH_SCALE_DIR names files written before).
 * 2. Both files are read line by line and applied in batches of 1,000 records
 *    (the deployed batch size) through the handlers' ingestion, as one
 *    consumer per stream, the way Lambda consumes one shard. A warm-up (the
 *    first minutes: logins, new dictionary entries and entities) is applied
 *    first; then, over the measured minutes: write units per record by item
 *    kind, the highest write rate on any one partition key (per simulated
 *    minute, scaled to the peak of 300 agent events and 30 CTRs a
 *    second), records/s.
 * 3. The records right after the measured minutes, on the same table, with
 *    10 ms added to every DynamoDB call (Lambda to DynamoDB in a region is a
 *    few ms; 10 ms is a pessimistic figure) and the calls in flight bounded by
 *    the deployed client's socket pool: records/s of one consumer.
 * 4. From the same point, at least two batches per consumer, applied as the
 *    deployed parallelization factor applies them: one consumer per share of
 *    the agents, each with its own client, table and CPU (in turns on a
 *    machine with fewer CPUs, scale-consumers.ts): records/s per shard.
 * The table is an in-memory stand-in for DynamoDB (memory-dynamo.ts), so the
 * figures are this project's code and the chosen latency, not an emulator's
 * CPU; write units are metered by the store by DynamoDB's rules whatever the
 * backend (the storage tests run the same store on dynalite). Large dead
 * letters go to the local S3 (s3rver).
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { simulateToDir } from '../cli/simulator/index.js';
import { ensureBucket, startLocalServices } from '../cli/local/services.js';
import { awsClients, DYNAMO_MAX_SOCKETS } from '../lambdas/adapters/aws-clients.js';
import { AGENT_EVENT_PARALLELIZATION } from '../lib/ingestion-defaults.js';
import { S3BlobStore } from '../lambdas/adapters/s3-blob-store.js';
import { ingestAgentEventBatch, ingestCtrBatch } from '../lambdas/pipeline/ingest.js';
import { DynamoMetricStore } from '../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { kinesisBatch } from './kinesis-batch.js';
import { MemoryDynamo } from './memory-dynamo.js';
import { consumersThroughput } from './scale-consumers.js';

export interface ScaleBenchOptions {
  readonly agents: number;
  /** Minutes applied before measuring. */
  readonly warmupMinutes: number;
  /** Minutes measured after the warm-up. */
  readonly minutes: number;
  /** Agent events applied with 10 ms of injected latency, right after the measured minutes (CTRs: a tenth as many). */
  readonly latencyRecords: number;
  readonly log: (line: string) => void;
}

const BATCH = 1000;
const PEAK_AGENT_EVENTS_PER_S = 300;
const PEAK_CTRS_PER_S = 30;
const PARTITION_LIMIT = 1000;

type Source = 'ctr' | 'agent-events';

async function* lines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim() !== '') yield line;
}

const timeOf = (source: Source, line: string): number => {
  const j = JSON.parse(line) as Record<string, unknown>;
  return Date.parse(String(source === 'ctr' ? j.DisconnectTimestamp : j.EventTimestamp));
};

/** The simulated wall clock the stores read (DynamoMetricStoreOptions.now). */
const clock = { nowMs: 0 };
const now = () => clock.nowMs;

interface Applied {
  records: Record<Source, number>;
  seconds: Record<Source, number>;
  /** Write units metered while each stream's batches were applied (everything they wrote, shared items included). */
  units: Record<Source, number>;
  /** DynamoDB calls made while each stream's batches were applied. */
  calls: Record<Source, number>;
  firstMs: number;
}

async function apply(table: MemoryDynamo, store: DynamoMetricStore, dir: string, fromMs: number | null, untilMs: number | null, limits: Partial<Record<Source, number>>, track: boolean): Promise<Applied> {
  const out: Applied = { records: { ctr: 0, 'agent-events': 0 }, seconds: { ctr: 0, 'agent-events': 0 }, units: { ctr: 0, 'agent-events': 0 }, calls: { ctr: 0, 'agent-events': 0 }, firstMs: Infinity };
  for (const source of ['agent-events', 'ctr'] as const) {
    let batch: string[] = [];
    let seq = 1;
    const flush = async () => {
      if (batch.length === 0) return;
      const batchMs = timeOf(source, batch[0] as string);
      // The stream is live: the wall clock is the data's time (so nothing is a late change).
      clock.nowMs = batchMs + 60_000;
      if (track) store.io.meter.window = String(Math.floor(batchMs / 60_000));
      const t0 = performance.now();
      const u0 = store.io.meter.writeUnits;
      const c0 = table.calls;
      const event = kinesisBatch(source, batch, seq);
      const { response } = source === 'ctr' ? await ingestCtrBatch(event, { store }) : await ingestAgentEventBatch(event, { store });
      out.seconds[source] += (performance.now() - t0) / 1000;
      out.units[source] += store.io.meter.writeUnits - u0;
      out.calls[source] += table.calls - c0;
      if (response.batchItemFailures.length > 0) throw new Error(`${response.batchItemFailures.length} ${source} record(s) failed in a batch`);
      out.records[source] += batch.length;
      seq += batch.length;
      batch = [];
    };
    for await (const line of lines(join(dir, source === 'ctr' ? 'ctr.jsonl' : 'agent-events.jsonl'))) {
      const t = fromMs !== null || untilMs !== null ? timeOf(source, line) : null;
      if (t !== null) out.firstMs = Math.min(out.firstMs, t);
      if (fromMs !== null && t !== null && t < fromMs) continue;
      if (untilMs !== null && t !== null && t >= untilMs) continue;
      if (limits[source] !== undefined && out.records[source] + batch.length >= (limits[source] as number)) break;
      batch.push(line);
      if (batch.length === BATCH) await flush();
    }
    await flush();
  }
  return out;
}

export async function scaleBench(opts: ScaleBenchOptions): Promise<void> {
  const { log } = opts;
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  let dir = process.env.BENCH_SCALE_DIR;
  if (!dir || !existsSync(join(dir, 'agent-events.jsonl'))) {
    dir = await mkdtemp(join(tmpdir(), 'cm-scale-'));
    const t0 = performance.now();
    const s = simulateToDir({ seed: 3, agents: opts.agents, hours: 1, start: '2026-03-10T10:00:00', timeZone: 'America/New_York', outDir: dir, truth: false });
    log(`Simulated ${fmt(opts.agents)} agents, 10:00–11:00 America/New_York: ${fmt(s.agentEvents)} agent events, ${fmt(s.ctrLines)} CTR lines, streamed to ${dir} (${fmt((performance.now() - t0) / 1000, 1)} s)`);
  } else log(`Records from ${dir}`);

  const services = await startLocalServices();
  try {
    const clients = awsClients({ region: services.region, endpoints: services.endpoints });
    await ensureBucket(clients.s3, 'bench-dead-letters');
    const blobs = new S3BlobStore(clients.s3, 'bench-dead-letters');

    // ---- 1 and 2: cost, partition heat, throughput without added latency
    const table = new MemoryDynamo(0, DYNAMO_MAX_SOCKETS);
    const store = new DynamoMetricStore(table.client(), 'scale', { blobs, now });
    const firstLine = await lines(join(dir, 'agent-events.jsonl')).next();
    const startMs = timeOf('agent-events', String(firstLine.value));
    const measureFrom = startMs + opts.warmupMinutes * 60_000;
    const untilMs = measureFrom + opts.minutes * 60_000;
    const warm = await apply(table, store, dir, null, measureFrom, {}, false);
    log(`Warm-up: the first ${opts.warmupMinutes} simulated minutes, ${fmt(warm.records['agent-events'])} agent events and ${fmt(warm.records.ctr)} CTR lines`);
    store.io.meter.reset();
    store.io.meter.byPartition = new Map();
    const r = await apply(table, store, dir, measureFrom, untilMs, {}, true);
    const m = store.io.meter;
    const kinds = [...m.byKind.entries()].sort((a, b) => b[1] - a[1]);
    const total = r.records.ctr + r.records['agent-events'];
    log(`\nMeasured ${opts.minutes} simulated minutes: ${fmt(r.records['agent-events'])} agent events, ${fmt(r.records.ctr)} CTR lines, batches of ${fmt(BATCH)}`);
    log('Write units per record, by item kind');
    for (const [k, u] of kinds) log(`  ${k.padEnd(18)} ${fmt(u).padStart(9)} units   ${fmt(u / total, 3)} per record`);
    // Each stream's batches are applied on their own, so what was written while they ran is what they cost,
    // dictionary, entity and link items included.
    const perEvent = r.units['agent-events'] / Math.max(1, r.records['agent-events']);
    const perCtr = r.units.ctr / Math.max(1, r.records.ctr);
    log(`  per agent event    ${fmt(perEvent, 2)}   (target ≤ 2)  ${perEvent <= 2 ? 'OK' : 'OVER'}   (everything written while the agent-event batches ran)`);
    log(`  per CTR            ${fmt(perCtr, 2)}   (target ≤ 3)  ${perCtr <= 3 ? 'OK' : 'OVER'}   (everything written while the CTR batches ran)`);

    // Hottest partition key, per simulated minute, then scaled to the peak rates.
    const minutes = Math.max(1, opts.minutes);
    const agentRate = r.records['agent-events'] / (minutes * 60);
    const ctrRate = r.records.ctr / (minutes * 60);
    const scale = Math.max(PEAK_AGENT_EVENTS_PER_S / Math.max(agentRate, 1e-9), PEAK_CTRS_PER_S / Math.max(ctrRate, 1e-9));
    let hottest = { key: '', units: 0 };
    for (const [k, u] of m.byPartition ?? []) if (u > hottest.units) hottest = { key: k, units: u };
    const observed = hottest.units / 60;
    log(`Hottest partition key: ${hottest.key.split('|')[1] ?? '-'} with ${fmt(hottest.units)} units in one simulated minute = ${fmt(observed, 1)} units/s at the simulated ${fmt(agentRate, 0)} agent events/s and ${fmt(ctrRate, 1)} CTRs/s`);
    log(`  scaled to the peak (${PEAK_AGENT_EVENTS_PER_S} agent events/s, ${PEAK_CTRS_PER_S} CTRs/s, ×${fmt(scale, 1)}): ${fmt(observed * scale, 0)} units/s   (target well below ${PARTITION_LIMIT})  ${observed * scale < PARTITION_LIMIT / 2 ? 'OK' : 'OVER'}`);
    for (const s of ['agent-events', 'ctr'] as const) log(`Throughput, one shard, no added latency: ${s.padEnd(12)} ${fmt(r.records[s] / Math.max(r.seconds[s], 1e-9))} records/s`);

    // ---- 3: 10 ms per call, in the steady state: the records right after the measured minutes, on the same table,
    // with every call waiting 10 ms and at most DYNAMO_MAX_SOCKETS calls in flight (the deployed client's socket pool).
    table.latencyMs = 10;
    const rl = await apply(table, store, dir, untilMs, null, { 'agent-events': opts.latencyRecords, ctr: Math.ceil(opts.latencyRecords / 10) }, false);
    table.latencyMs = 0;
    for (const s of ['agent-events', 'ctr'] as const) {
      const rate = rl.records[s] / Math.max(rl.seconds[s], 1e-9);
      const verdict = s === 'agent-events' ? `   (per shard, target ≥ 2,000: with a parallelization factor, below)` : '';
      log(`Throughput, one shard, one consumer, +10 ms per DynamoDB call (${DYNAMO_MAX_SOCKETS} sockets): ${s.padEnd(12)} ${fmt(rate)} records/s over ${fmt(rl.records[s])} records, ${fmt(rl.calls[s] / Math.max(1, rl.records[s]), 2)} calls per record${verdict}`);
    }
    const consumerRss = process.resourceUsage().maxRSS / 1024;
    log(`Peak RSS of one consumer (and the in-memory table): ${fmt(consumerRss)} MiB   (target < 1,024)`);

    // ---- 4: the deployed parallelization factor: that many consumers, each in its own thread with its own client
    // and table, the records of each agent to one of them (as Lambda splits a shard by partition key), 10 ms per call.
    // Each has a CPU to itself, as each Lambda execution environment has; with fewer CPUs than consumers they run
    // in turns of as many as there are CPUs (scale-consumers.ts). Each consumer gets at least two full batches.
    const factor = AGENT_EVENT_PARALLELIZATION;
    const cpus = availableParallelism();
    const atOnce = Math.max(1, Math.min(factor, Number(process.env.BENCH_SCALE_CONSUMERS ?? cpus)));
    const shardRecords = Math.max(opts.latencyRecords, factor * 2 * BATCH);
    const pc = await consumersThroughput({ dir, consumers: factor, fromMs: untilMs, records: shardRecords, latencyMs: 10, maxSockets: DYNAMO_MAX_SOCKETS }, atOnce);
    const shardRate = pc.records / Math.max(pc.seconds, 1e-9);
    const rates = pc.consumers.map((c) => c.records / Math.max(c.seconds, 1e-9));
    const turns = atOnce >= factor ? 'all at once' : `${atOnce} at a time on this machine's ${cpus} CPUs`;
    log(`Throughput, one shard, +10 ms per DynamoDB call, the deployed parallelization factor ${factor} (${factor} consumers, a CPU each, ${turns}):`);
    log(`  agent-events ${fmt(shardRate)} records/s per shard: ${fmt(pc.records)} records over the slowest consumer's ${fmt(pc.seconds, 1)} s   (target ≥ 2,000)  ${shardRate >= 2000 ? 'OK' : 'UNDER'}`);
    const calls = pc.consumers.reduce((n, c) => n + c.calls, 0) / Math.max(1, pc.records);
    log(`  per consumer: ${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))} records/s, ${fmt(Math.min(...pc.consumers.map((c) => c.records)))}–${fmt(Math.max(...pc.consumers.map((c) => c.records)))} records each; ${fmt(calls, 2)} calls per record (each batch holds more events of each of its agents)`);
    log(`Peak RSS with ${atOnce} consumer threads at once (each with its own table): ${fmt(process.resourceUsage().maxRSS / 1024)} MiB`);
    clients.destroy();
  } finally {
    await services.stop();
  }
}
