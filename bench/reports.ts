/**
 * Report generation benchmark (issue: scheduled reports): a month of data for
 * a 500-agent center, about a million contacts, and two reports with every
 * metric their grouping allows — a DAY-interval QUEUE report and a THIRTY_MIN
 * AGENT report — through the real `buildReport` and `csvChunks`.
 *
 * Running 720 simulated hours through the engine would take too long and
 * produce ~30 GB of agent events, so the month is made of one simulated day:
 * 1. simulate one weekday of a 500-agent center and run it through the
 *    in-memory `MetricEngine` to get that day's aggregate cells;
 * 2. serve the month from an in-memory `MetricReader` that replays the day's
 *    cells shifted by whole days (bucket + 96·day), lazily, as a store would
 *    stream them.
 * Each report runs in its own child process, which holds nothing but the
 * day's cells, so its time and peak memory are the report's alone. Peak RSS is
 * sampled while cells are read and CSV is written (`process.memoryUsage().rss`)
 * and taken from the kernel at the end (`process.resourceUsage().maxRSS`).
 * Peak RSS includes garbage V8 has not collected yet (it lets the heap grow
 * while allocation is fast), so the live set after a full GC is printed too.
 *
 * `BENCH_REPORTS_TRACE=1` prints memory (rss, heap, array buffers) as the report
 * progresses.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { simulate } from '../cli/simulator/index.js';
import type { AgentSession, TimelinePoint } from '../lambdas/domain/engine/agent-activity.js';
import { dimsKey } from '../lambdas/domain/dimensions.js';
import type { Dims } from '../lambdas/domain/dimensions.js';
import type { Cell } from '../lambdas/domain/engine/cell.js';
import { EntityCatalog } from '../lambdas/domain/engine/entities.js';
import type { EntityInfo, EntityKey, EntityKind } from '../lambdas/domain/engine/entities.js';
import { MetricEngine } from '../lambdas/domain/engine/metric-engine.js';
import type { Primitives } from '../lambdas/domain/metrics/primitives.js';
import { SUPPORTED_METRICS } from '../lambdas/domain/metrics/registry.js';
import { parseAgentEvent } from '../lambdas/domain/model/agent-event.js';
import { parseCtr } from '../lambdas/domain/model/ctr.js';
import { parseReportDefinitions } from '../lambdas/domain/reports/definitions.js';
import { BUCKET_MS } from '../lambdas/domain/time/intervals.js';
import { csvChunks } from '../lambdas/reporting/csv-stream.js';
import { buildReport } from '../lambdas/reporting/generate-report.js';
import type { AgentState, DeadLetter, MetricReader, StoredContact } from '../lambdas/storage/metric-store.js';

const CHILD_FLAG = '--reports-bench-child';
const ZONE = 'America/New_York';
/** April 2026: 30 local days in New York, no DST change. */
const MONTH = { start: '2026-04-01', end: '2026-05-01', days: 30 } as const;
const BUCKETS_PER_DAY = (24 * 3600 * 1000) / BUCKET_MS;
const TARGET_MS = 60_000;
const TARGET_BYTES = 2 ** 30;

interface DayData {
  readonly cells: Cell[];
  readonly entities: EntityInfo[];
}

/** The day on disk: each distinct dims tuple once, cells pointing at it (as a store's dims dictionary does). */
interface DayFile {
  readonly dims: Dims[];
  readonly cells: Array<[bucket: number, dims: number, values: Primitives]>;
  readonly entities: EntityInfo[];
  readonly contacts: number;
}

function writeDay(path: string, day: DayData, contacts: number): void {
  const index = new Map<string, number>();
  const dims: Dims[] = [];
  const cells = day.cells.map((c): [number, number, Primitives] => {
    const k = dimsKey(c.dims);
    let i = index.get(k);
    if (i === undefined) {
      i = dims.length;
      dims.push(c.dims);
      index.set(k, i);
    }
    return [c.bucket, i, c.values];
  });
  const file: DayFile = { dims, cells, entities: day.entities, contacts };
  writeFileSync(path, JSON.stringify(file));
}

function readDay(path: string): DayData & { contacts: number } {
  const file = JSON.parse(readFileSync(path, 'utf8')) as DayFile;
  const cells = file.cells.map(([bucket, i, values]): Cell => {
    const dims = file.dims[i];
    if (!dims) throw new Error(`day file: no dims ${i}`);
    return { bucket, dims, values };
  });
  return { cells, entities: file.entities, contacts: file.contacts };
}

/** A month served from one day of cells: day d is the day's cells shifted by 96·d buckets. Only what historical reports read. */
class ReplayedMonthReader implements MetricReader {
  constructor(
    private readonly day: DayData,
    private readonly days: number,
    private readonly onCell: (n: number) => void,
  ) {}

  async *cells(startMs: number, endMs: number): AsyncGenerator<Cell> {
    const first = Math.ceil(startMs / BUCKET_MS);
    const end = Math.ceil(endMs / BUCKET_MS);
    let n = 0;
    for (let d = 0; d < this.days; d++) {
      const shift = d * BUCKETS_PER_DAY;
      for (const c of this.day.cells) {
        const bucket = c.bucket + shift;
        if (bucket < first || bucket >= end) continue;
        if (++n % 100_000 === 0) this.onCell(n);
        yield { bucket, dims: c.dims, values: c.values };
      }
    }
    this.onCell(n);
  }

  async entities(): Promise<EntityCatalog> {
    const catalog = new EntityCatalog();
    for (const e of this.day.entities) catalog.put(e);
    return catalog;
  }

  async entitiesOf(keys: Iterable<EntityKey>): Promise<EntityInfo[]> {
    return (await this.entities()).entitiesOf(keys);
  }

  async entitiesNamed(kind: EntityKind, values: Iterable<string>): Promise<EntityInfo[]> {
    return (await this.entities()).entitiesNamed(kind, values);
  }

  // Not read by historical reports.
  async *contacts(): AsyncGenerator<StoredContact> {}
  async sessions(): Promise<AgentSession[]> {
    return [];
  }
  async timeline(): Promise<TimelinePoint[]> {
    return [];
  }
  async agentStates(): Promise<AgentState[]> {
    return [];
  }
  async agentStatesOf(): Promise<AgentState[]> {
    return [];
  }
  async *deadLetters(): AsyncGenerator<DeadLetter> {}
  async deleteDeadLetter(): Promise<void> {}
}

type Which = 'queue-day' | 'agent-30min';

interface ChildResult {
  readonly which: Which;
  readonly metrics: number;
  readonly cells: number;
  readonly rows: number;
  readonly bytes: number;
  readonly readMs: number;
  readonly totalMs: number;
  readonly peakSampledRss: number;
  readonly maxRss: number;
  readonly baseRss: number;
  /** Heap + array buffers the report itself still holds at its end (rollup rows), after a full GC, net of the day's cells. */
  readonly live: number;
  /** User + system CPU time of the report (less sensitive than wall time to other load on the machine). */
  readonly cpuMs: number;
}

function definitionFor(which: Which) {
  const grouping = which === 'queue-day' ? 'QUEUE' : 'AGENT';
  const metrics = SUPPORTED_METRICS.filter((m) => m.groupableBy.includes(grouping)).map((m) => m.id);
  const [def] = parseReportDefinitions({
    reports: [
      {
        name: `bench-${which}`,
        type: 'HISTORICAL',
        groupings: [grouping],
        agentName: grouping === 'AGENT',
        metrics,
        interval: which === 'queue-day' ? 'DAY' : 'THIRTY_MIN',
        timeZone: ZONE,
        timeRange: { start: MONTH.start, end: MONTH.end },
        schedule: { frequency: 'DAILY', at: '00:00' },
      },
    ],
  });
  if (!def) throw new Error('no definition');
  return { def, metrics: metrics.length };
}

/** Child process: loads the day, generates one report into a byte-counting null sink, reports figures to the parent. */
async function child(dataPath: string, which: Which): Promise<ChildResult> {
  const day = readDay(dataPath);
  global.gc?.();
  const base = process.memoryUsage();
  const baseRss = base.rss;
  const baseLive = base.heapUsed + base.arrayBuffers;
  let peak = baseRss;
  const trace = process.env.BENCH_REPORTS_TRACE === '1';
  const sample = (where = '') => {
    const m = process.memoryUsage();
    if (m.rss > peak) peak = m.rss;
    if (trace) console.error(`  [${which}] ${where.padEnd(16)} rss ${mib(m.rss)}  heapUsed ${mib(m.heapUsed)}  heapTotal ${mib(m.heapTotal)}  external ${mib(m.external)}  arrayBuffers ${mib(m.arrayBuffers)}`);
  };
  let cells = 0;
  const reader = new ReplayedMonthReader(day, MONTH.days, (n) => {
    cells = n;
    sample(`cells ${n}`);
  });
  const { def, metrics } = definitionFor(which);
  const range = { startMs: Date.parse('2026-04-01T04:00:00Z'), endMs: Date.parse('2026-05-01T04:00:00Z') };

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await buildReport(def, range, reader);
  const readMs = performance.now() - t0;
  sample('built');
  let rows = 0;
  let bytes = 0;
  const counted = (function* () {
    for (const r of report.rows) {
      if (++rows % 20_000 === 0) sample(`rows ${rows}`);
      yield r;
    }
  })();
  for (const chunk of csvChunks(report.header, counted)) bytes += Buffer.byteLength(chunk, 'utf8');
  const totalMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  sample('done');
  const maxRss = process.resourceUsage().maxRSS * 1024;
  // What the report really holds (its rollup rows), as opposed to garbage V8 had not collected yet.
  global.gc?.();
  const m = process.memoryUsage();
  const live = m.heapUsed + m.arrayBuffers - baseLive;
  sample('after full GC');
  // Keep the report and the day's cells alive until measured.
  if (report.header.length === 0 || day.cells.length === 0) throw new Error('empty report or day');
  return { which, metrics, cells, rows, bytes, readMs, totalMs, peakSampledRss: peak, maxRss, baseRss, live, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function runChild(dataPath: string, which: Which): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, dataPath, which], { execArgv: [...process.execArgv, '--expose-gc'], stdio: 'inherit' });
    let result: ChildResult | null = null;
    p.on('message', (m) => {
      result = m as ChildResult;
    });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`reports bench child (${which}) exited with ${String(code)}`))));
  });
}

/** One simulated weekday of the center, through the in-memory engine: that day's cells and entity catalog. */
function simulateDay(agents: number): { day: DayData; contacts: number; ctrLines: number; events: number; ms: number } {
  const t0 = performance.now();
  const sim = simulate({ seed: 3, agents, hours: 24, start: `${MONTH.start}T00:00:00`, timeZone: ZONE });
  const engine = new MetricEngine();
  for (const line of sim.ctrLines) {
    const r = parseCtr(JSON.parse(line));
    if (!r.ok) throw r.error;
    engine.addCtr(r.value);
  }
  for (const line of sim.agentEventLines) {
    const r = parseAgentEvent(JSON.parse(line));
    if (!r.ok) throw r.error;
    engine.addAgentEvent(r.value);
  }
  const cells = [...engine.cells().values()];
  const contacts = [...engine.contactRecords()].length;
  return { day: { cells, entities: [...engine.entities.all()] }, contacts, ctrLines: sim.ctrLines.length, events: sim.agentEventLines.length, ms: performance.now() - t0 };
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (x: number) => x.toLocaleString('en-US');

/**
 * `BENCH_REPORTS_DAY=<file>`: keep the simulated day in that file and reuse it
 * on later runs (simulating and aggregating the day takes most of a minute,
 * mostly JSON parsing and validation of 188,000 agent events).
 */
export async function reportsBench(log: (line: string) => void): Promise<Record<string, number>> {
  const agents = 500;
  const dir = mkdtempSync(join(tmpdir(), 'connect-metrics-bench-'));
  const cached = process.env.BENCH_REPORTS_DAY;
  const dataPath = cached ?? join(dir, 'day.json');
  const results: Record<string, number> = {};
  try {
    let cellCount: number;
    let contacts: number;
    if (cached !== undefined && existsSync(cached)) {
      const saved = readDay(cached);
      cellCount = saved.cells.length;
      contacts = saved.contacts;
      log(`One simulated weekday, ${agents} agents (${ZONE}), reused from ${cached}: ${n(contacts)} contacts, ${n(cellCount)} aggregate cells`);
    } else {
      const sim = simulateDay(agents);
      cellCount = sim.day.cells.length;
      contacts = sim.contacts;
      log(
        `One simulated weekday, ${agents} agents (${ZONE}): ${n(contacts)} contacts (${n(sim.ctrLines)} CTR lines), ${n(sim.events)} agent events, ${n(cellCount)} aggregate cells; simulated and aggregated in ${secs(sim.ms)}`,
      );
      writeDay(dataPath, sim.day, contacts);
    }
    log(`A month = that day replayed ${MONTH.days} times (${MONTH.start} → ${MONTH.end}): ${n(contacts * MONTH.days)} contacts, ${n(cellCount * MONTH.days)} cells`);
    log('');
    log('Each report in its own process: buildReport (read + rollup) + csvChunks into a byte-counting sink; targets: < 60 s, < 1 GiB');
    log(`  ${'report'.padEnd(46)}${'metrics'.padStart(8)}${'rows'.padStart(10)}${'CSV'.padStart(9)}${'rollup'.padStart(8)}${'total'.padStart(8)}${'CPU'.padStart(8)}${'peak RSS'.padStart(10)}${'maxRSS'.padStart(10)}  verdict`);
    for (const which of ['queue-day', 'agent-30min'] as const) {
      const r = await runChild(dataPath, which);
      const label = which === 'queue-day' ? 'QUEUE, DAY, all QUEUE metrics' : 'AGENT (+ name), THIRTY_MIN, all AGENT metrics';
      const peak = Math.max(r.peakSampledRss, r.maxRss);
      const ok = r.totalMs < TARGET_MS && peak < TARGET_BYTES;
      log(
        `  ${label.padEnd(46)}${String(r.metrics).padStart(8)}${n(r.rows).padStart(10)}${mib(r.bytes).padStart(9)}${secs(r.readMs).padStart(8)}${secs(r.totalMs).padStart(8)}${secs(r.cpuMs).padStart(8)}${mib(r.peakSampledRss).padStart(10)}${mib(r.maxRss).padStart(10)}  ${ok ? 'OK' : 'MISSED'}`,
      );
      log(`    ${n(r.cells)} cells read; RSS before the report ${mib(r.baseRss)} (the day's cells, the runtime); held by the report at its end, after a full GC: ${mib(r.live)}`);
      results[`${which}.cpuMs`] = r.cpuMs;
      results[`${which}.live`] = r.live;
      results[`${which}.ms`] = r.totalMs;
      results[`${which}.rows`] = r.rows;
      results[`${which}.bytes`] = r.bytes;
      results[`${which}.peakRss`] = peak;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[2] === CHILD_FLAG) {
  const [, , , dataPath, which] = process.argv;
  if (dataPath === undefined || (which !== 'queue-day' && which !== 'agent-30min')) throw new Error('usage: reports.ts --reports-bench-child <day.json> <queue-day|agent-30min>');
  const result = await child(dataPath, which);
  process.send?.(result);
}
