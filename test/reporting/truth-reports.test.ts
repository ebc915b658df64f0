/**
 * Report CSVs against the simulator's ground truth. Two simulated days of a
 * 6-agent center in America/New_York (an ordinary day, 2026-03-10, and the
 * 25-hour fall-back day, 2026-11-01) go through the local pipeline; reports are
 * then generated from the store with the real report generator and CSV writer
 * for QUEUE, AGENT and ROUTING_PROFILE at FIFTEEN_MIN, THIRTY_MIN, HOUR and DAY,
 * in UTC and in New York, with every metric the truth computes, and each cell
 * is compared with a value computed here from `sim.truth`:
 *
 * - 15-minute rows map 1:1 onto truth intervals (every UTC offset in use is a
 *   multiple of 15 minutes), so every metric is compared, formatted, in both zones.
 * - Coarser rows: truth values per 15 minutes cannot be averaged, so only
 *   additive metrics are compared — sums (counts, total times; added in whole
 *   milliseconds) and the maximum queued time (the max of maxima). Ratios and
 *   averages are left out there.
 * - Local intervals (StartInterval, EndInterval, which rows exist, their order)
 *   are computed here with Intl, independently of lambdas/domain/time.
 * Every CSV is parsed with papaparse and with csv-parse, which must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPipeline } from '../../cli/local/pipeline.js';
import { simulate, TRUTH_METRIC_IDS } from '../../cli/simulator/index.js';
import type { MetricValues, SimulateResult, TruthGrouping } from '../../cli/simulator/index.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import { getMetric } from '../../lambdas/domain/metrics/registry.js';
import type { MetricUnit } from '../../lambdas/domain/metrics/registry.js';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import type { HistoricalReportDefinition } from '../../lambdas/domain/reports/definitions.js';
import { csvChunks } from '../../lambdas/reporting/csv-stream.js';
import { buildReport } from '../../lambdas/reporting/generate-report.js';
import type { MetricReader } from '../../lambdas/storage/metric-store.js';
import { parseTwice } from './support.js';

const ZONE = 'America/New_York';
const SIMS = {
  ordinary: simulate({ seed: 11, agents: 6, hours: 24, start: '2026-03-10T00:00:00', timeZone: ZONE }),
  fallBack: simulate({ seed: 12, agents: 6, hours: 25, start: '2026-11-01T00:00:00', timeZone: ZONE }),
};
type SimName = keyof typeof SIMS;
const GROUPINGS: readonly TruthGrouping[] = ['QUEUE', 'AGENT', 'ROUTING_PROFILE'];
const INTERVALS = ['FIFTEEN_MIN', 'THIRTY_MIN', 'HOUR', 'DAY'] as const;
type Interval = (typeof INTERVALS)[number];
const MIN = 60_000;

// ---------------------------------------------------------------- local time, independently of the code under test

interface Wall {
  readonly date: string;
  readonly minuteOfHour: number;
  readonly text: string;
}
const formatters = new Map<string, Intl.DateTimeFormat>();
function wall(ms: number, zone: string): Wall {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const offset = (p.timeZoneName ?? 'GMT').replace('GMT', '');
  const date = `${p.year}-${p.month}-${p.day}`;
  // ISO 8601 as the reports write it: a zero offset is "Z".
  const zero = offset === '' || /^[+-]00:00$/.test(offset);
  return { date, minuteOfHour: Number(p.minute), text: `${date}T${p.hour}:${p.minute}:${p.second}${zero ? 'Z' : offset}` };
}

/** The local interval of a given size that holds the 15-minute bucket starting at `ms`: [start, end). */
const intervals = new Map<string, [number, number]>();
function intervalOf(ms: number, size: Interval, zone: string): [number, number] {
  const key = `${ms}|${size}|${zone}`;
  let v = intervals.get(key);
  if (!v) {
    v = computeInterval(ms, size, zone);
    intervals.set(key, v);
  }
  return v;
}

function computeInterval(ms: number, size: Interval, zone: string): [number, number] {
  switch (size) {
    case 'FIFTEEN_MIN':
      return [ms, ms + 15 * MIN];
    case 'THIRTY_MIN': {
      const start = ms - (wall(ms, zone).minuteOfHour % 30) * MIN;
      return [start, start + 30 * MIN];
    }
    case 'HOUR': {
      const start = ms - wall(ms, zone).minuteOfHour * MIN;
      return [start, start + 60 * MIN];
    }
    case 'DAY': {
      const date = wall(ms, zone).date;
      let start = ms;
      while (wall(start - 15 * MIN, zone).date === date) start -= 15 * MIN;
      let end = ms;
      while (wall(end, zone).date === date) end += 15 * MIN;
      return [start, end];
    }
  }
}

// ---------------------------------------------------------------- expected cells from the truth

const pad2 = (n: number) => String(n).padStart(2, '0');
function format(unit: MetricUnit, v: number | null): string {
  if (v === null) return '-';
  if (unit === 'count') return String(Math.round(v));
  if (unit === 'percent') return `${(Math.round(v * 100) / 100).toFixed(2)}%`;
  const s = Math.round(v);
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}

/** A coarse cell from 15-minute truth values: sums and maxima only (null: not comparable, an average or ratio). */
function combine(metricId: string, values: ReadonlyArray<number | null>): { comparable: boolean; value: number | null } {
  const m = getMetric(metricId);
  const present = values.filter((v): v is number => v !== null);
  if (m.formula.kind === 'sum') {
    if (present.length === 0) return { comparable: true, value: null };
    // Seconds metrics are sums of integer milliseconds: add those, then divide once.
    return { comparable: true, value: m.unit === 'seconds' ? present.reduce((a, v) => a + Math.round(v * 1000), 0) / 1000 : present.reduce((a, v) => a + v, 0) };
  }
  if (m.formula.kind === 'max') return { comparable: true, value: present.length === 0 ? null : Math.max(...present) };
  return { comparable: false, value: null };
}

/** Display names of a simulation's queues, agents (login) and routing profiles, read from its raw records. */
function namesOf(sim: SimulateResult): Record<TruthGrouping, Map<string, string>> {
  const out = { QUEUE: new Map<string, string>(), AGENT: new Map<string, string>(), ROUTING_PROFILE: new Map<string, string>() };
  type Ref = { ARN?: string; Name?: string } | null | undefined;
  const put = (g: TruthGrouping, r: Ref) => {
    if (r?.ARN && r.Name) out[g].set(r.ARN, r.Name);
  };
  for (const line of sim.agentEventLines) {
    const e = JSON.parse(line) as { AgentARN: string; CurrentAgentSnapshot?: { Configuration?: { Username?: string; RoutingProfile?: Ref & { InboundQueues?: Ref[] } } } };
    const c = e.CurrentAgentSnapshot?.Configuration;
    if (c?.Username) out.AGENT.set(e.AgentARN, c.Username);
    put('ROUTING_PROFILE', c?.RoutingProfile);
    for (const q of c?.RoutingProfile?.InboundQueues ?? []) put('QUEUE', q);
  }
  for (const line of sim.ctrLines) put('QUEUE', (JSON.parse(line) as { Queue?: Ref }).Queue);
  return out;
}

interface ExpectedRow {
  readonly name: string;
  readonly startMs: number;
  readonly start: string;
  readonly end: string;
  readonly values: Map<string, Array<number | null>>;
}

const collator = new Intl.Collator('en', { numeric: true });

function expectedRows(sim: SimulateResult, grouping: TruthGrouping, size: Interval, zone: string): ExpectedRow[] {
  const names = namesOf(sim)[grouping];
  const rows = new Map<string, ExpectedRow>();
  for (const iv of sim.truth.intervals) {
    const [startMs, endMs] = intervalOf(Date.parse(iv.start), size, zone);
    for (const [arn, values] of Object.entries(iv.groups[grouping]) as Array<[string, MetricValues]>) {
      const key = `${arn}|${startMs}`;
      let row = rows.get(key);
      if (!row) {
        const name = names.get(arn);
        if (name === undefined) throw new Error(`no name for ${arn}`);
        row = { name, startMs, start: wall(startMs, zone).text, end: wall(endMs, zone).text, values: new Map() };
        rows.set(key, row);
      }
      for (const [id, v] of Object.entries(values)) {
        const list = row.values.get(id) ?? [];
        list.push(v);
        row.values.set(id, list);
      }
    }
  }
  return [...rows.values()].sort((a, b) => collator.compare(a.name, b.name) || a.startMs - b.startMs);
}

// ---------------------------------------------------------------- the reports

interface Case {
  readonly sim: SimName;
  readonly grouping: TruthGrouping;
  readonly interval: Interval;
  readonly zone: string;
}
const CASES: Case[] = [];
for (const sim of ['ordinary', 'fallBack'] as const) {
  for (const zone of sim === 'ordinary' ? ['UTC', ZONE] : [ZONE]) {
    for (const grouping of GROUPINGS) for (const interval of INTERVALS) CASES.push({ sim, grouping, interval, zone });
  }
}
const caseName = (c: Case) => `${c.sim}-${c.grouping}-${c.interval}-${c.zone.replace('/', '_')}`;

function definition(c: Case): HistoricalReportDefinition {
  const truth = SIMS[c.sim].truth;
  const [def] = parseReportDefinitions({
    reports: [
      {
        name: caseName(c),
        type: 'HISTORICAL',
        groupings: [c.grouping],
        metrics: TRUTH_METRIC_IDS[c.grouping],
        interval: c.interval,
        timeZone: c.zone,
        // Exactly the simulated window.
        timeRange: { start: truth.start, end: truth.end },
        schedule: { frequency: 'DAILY', at: '00:00' },
        // The expected cells below are whole-second HH:MM:SS (the report default is now decimal seconds).
        durationFormat: 'HH_MM_SS',
      },
    ],
  });
  if (def?.type !== 'HISTORICAL') throw new Error('expected a historical definition');
  return def;
}

let pipeline: LocalPipeline | undefined;
const csv = new Map<string, string>();

beforeAll(async () => {
  pipeline = await LocalPipeline.start({ batchSize: 200 });
  for (const sim of Object.values(SIMS)) {
    await pipeline.put('ctr', sim.ctrLines);
    await pipeline.put('agent-events', sim.agentEventLines);
  }
  await pipeline.drain();
  const store = pipeline.store;
  // 36 reports over two windows: read each window's cells from dynalite once.
  const cellsRead = new Map<string, Cell[]>();
  const reader: MetricReader = Object.assign(Object.create(store) as MetricReader, {
    async *cells(startMs: number, endMs: number): AsyncGenerator<Cell> {
      const key = `${startMs}-${endMs}`;
      let cells = cellsRead.get(key);
      if (!cells) {
        cells = [];
        for await (const c of store.cells(startMs, endMs)) cells.push(c);
        cellsRead.set(key, cells);
      }
      yield* cells;
    },
  });
  const catalog = await store.entities();
  for (const c of CASES) {
    const truth = SIMS[c.sim].truth;
    const report = await buildReport(definition(c), { startMs: Date.parse(truth.start), endMs: Date.parse(truth.end) }, reader, catalog);
    csv.set(caseName(c), [...csvChunks(report.header, report.rows)].join(''));
  }
});
afterAll(async () => {
  await pipeline?.stop();
});

interface Mismatch {
  readonly row: string;
  readonly metric: string;
  readonly expected: string;
  readonly actual: string | undefined;
}

interface Comparison {
  readonly mismatches: Mismatch[];
  readonly compared: number;
  readonly rows: number;
  readonly actualKeys: string[];
  readonly expectedKeys: string[];
}
const comparisons = new Map<string, Comparison>();
function compare(c: Case): Comparison {
  let r = comparisons.get(caseName(c));
  if (!r) {
    r = computeComparison(c);
    comparisons.set(caseName(c), r);
  }
  return r;
}

function computeComparison(c: Case): Comparison {
  const text = csv.get(caseName(c));
  if (text === undefined) throw new Error(`no report for ${caseName(c)}`);
  const { csvParse } = parseTwice(text);
  const [header, ...body] = csvParse;
  if (!header) throw new Error('empty CSV');
  const metricIds = TRUTH_METRIC_IDS[c.grouping];
  const expected = expectedRows(SIMS[c.sim], c.grouping, c.interval, c.zone);
  const actualKeys = body.map((r) => `${r[0]}|${r[1]}|${r[2]}`);
  const expectedKeys = expected.map((r) => `${r.name}|${r.start}|${r.end}`);
  const mismatches: Mismatch[] = [];
  let compared = 0;
  expected.forEach((exp, i) => {
    const row = body[i];
    if (!row || actualKeys[i] !== expectedKeys[i]) return;
    metricIds.forEach((id, k) => {
      const values = exp.values.get(id) ?? [];
      const unit = getMetric(id).unit;
      let want: string;
      if (c.interval === 'FIFTEEN_MIN') want = format(unit, values[0] ?? null);
      else {
        const combined = combine(id, values);
        if (!combined.comparable) return;
        want = format(unit, combined.value);
      }
      compared++;
      const got = row[3 + k];
      if (got !== want) mismatches.push({ row: expectedKeys[i] ?? '', metric: id, expected: want, actual: got });
    });
  });
  return { mismatches, compared, rows: body.length, actualKeys, expectedKeys };
}

describe('reports of simulated days vs the simulator’s ground truth', () => {
  it('ingests both days without failed batches or dead letters', () => {
    expect(pipeline?.failedBatches).toEqual([]);
    expect(pipeline?.totals.ctr?.deadLettered).toBe(0);
    expect(pipeline?.totals['agent-events']?.deadLettered).toBe(0);
  });

  it.each(CASES.map((c) => [caseName(c), c] as const))('%s: papaparse and csv-parse read the same rows', (name, _c) => {
    const { papa, csvParse, papaErrors } = parseTwice(csv.get(name) ?? '');
    expect(papaErrors).toEqual([]);
    expect(papa).toEqual(csvParse);
    expect(csvParse.length).toBeGreaterThan(1);
  });

  it.each(CASES.map((c) => [caseName(c), c] as const))('%s: rows, intervals and order are those of the truth', (_name, c) => {
    const { actualKeys, expectedKeys } = compare(c);
    expect(actualKeys).toEqual(expectedKeys);
  });

  it.each(CASES.map((c) => [caseName(c), c] as const))('%s: every comparable cell equals the truth', (_name, c) => {
    const { mismatches, compared, rows } = compare(c);
    expect(mismatches).toEqual([]);
    // Not vacuous: at least a few comparable metrics per row.
    expect(compared).toBeGreaterThanOrEqual(rows * 5);
  });

  it('the fall-back day in New York has one DAY row per entity, 25 hours long', () => {
    const { csvParse } = parseTwice(csv.get(caseName({ sim: 'fallBack', grouping: 'QUEUE', interval: 'DAY', zone: ZONE })) ?? '');
    const intervals = new Set(csvParse.slice(1).map((r) => `${r[1]} → ${r[2]}`));
    expect([...intervals]).toEqual(['2026-11-01T00:00:00-04:00 → 2026-11-02T00:00:00-05:00']);
  });
});
