/**
 * Conformance scenarios: a handful of hand-written CTRs and agent events in
 * sample-events/conformance/<scenario>/ (ctr.jsonl, agent-events.jsonl: one
 * JSON record per line; blank lines and lines starting with // are skipped),
 * run through the real report path — parsers, the in-memory MetricEngine, the
 * rollup and the historical report builder — and read back as CSV cells.
 *
 * Expected values live in the test files, written by hand from the Amazon
 * Connect documentation; nothing here computes an expected value.
 */
import { existsSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { MetricEngine } from '../../lambdas/domain/engine/metric-engine.js';
import { rollup } from '../../lambdas/domain/engine/rollup.js';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import { parseCtr } from '../../lambdas/domain/model/ctr.js';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import { historicalReportRows, historicalRollupQuery } from '../../lambdas/domain/reports/historical.js';
import { toCsv } from '../../lambdas/domain/reports/format.js';
import { resolveTimeRange } from '../../lambdas/domain/reports/time-range.js';

const ROOT = new URL('../../sample-events/conformance/', import.meta.url);

/**
 * What a scenario's report asks for: the fields of a HISTORICAL report
 * definition (config/reports.json); name, type and schedule are filled in, and
 * durations default to HH:MM:SS (the expected cells are written as Connect's
 * reports display them).
 * `timeRange` is usually `{ start, end }` in the report's zone.
 */
export interface ScenarioReport {
  readonly groupings: readonly string[];
  readonly metrics: readonly string[];
  readonly interval: string;
  readonly timeRange: unknown;
  readonly timeZone: string;
  readonly filters?: Record<string, readonly string[]>;
  readonly durationFormat?: 'HH_MM_SS' | 'SECONDS';
  readonly [extra: string]: unknown;
}

export type ScenarioRow = Record<string, string>;

/** The JSON records of one .jsonl file of a scenario (none when the file does not exist). */
export function scenarioRecords(dir: string, file: string): unknown[] {
  const at = new URL(`${dir}/${file}`, ROOT);
  if (!existsSync(at)) return [];
  return readFileSync(at, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('//'))
    .map((l, i) => {
      try {
        return JSON.parse(l) as unknown;
      } catch (e) {
        throw new Error(`${dir}/${file} line ${i + 1}: ${(e as Error).message}`);
      }
    });
}

/** A MetricEngine fed with a scenario's records. Every record must be valid: a scenario is hand-written. */
export function scenarioEngine(dir: string): MetricEngine {
  const engine = new MetricEngine();
  for (const raw of scenarioRecords(dir, 'ctr.jsonl')) {
    const r = parseCtr(raw);
    if (!r.ok) throw new Error(`${dir}/ctr.jsonl: ${r.error.message}`);
    engine.addCtr(r.value);
  }
  for (const raw of scenarioRecords(dir, 'agent-events.jsonl')) {
    const r = parseAgentEvent(raw);
    if (!r.ok) throw new Error(`${dir}/agent-events.jsonl: ${r.error.message}`);
    engine.addAgentEvent(r.value);
  }
  return engine;
}

/** The report as CSV text, exactly as the report path writes it. */
export function scenarioCsv(dir: string, report: ScenarioReport): string {
  const [def] = parseReportDefinitions({
    reports: [{ name: `conformance-${dir}`, type: 'HISTORICAL', schedule: { frequency: 'DAILY', at: '00:00' }, durationFormat: 'HH_MM_SS', ...report }],
  });
  if (def?.type !== 'HISTORICAL') throw new Error('expected a HISTORICAL definition');
  const engine = scenarioEngine(dir);
  const range = resolveTimeRange(def.timeRange, Date.now(), def.timeZone);
  const { query } = historicalRollupQuery(def, range, engine.entities);
  const built = historicalReportRows(def, rollup(engine.cells().values(), query), engine.entities);
  return toCsv(built.header, built.rows);
}

/** Runs a scenario and returns the report's rows, each keyed by CSV header. */
export function runScenario(dir: string, report: ScenarioReport): ScenarioRow[] {
  const parsed = Papa.parse<ScenarioRow>(scenarioCsv(dir, report), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`CSV: ${parsed.errors[0]?.message}`);
  return parsed.data;
}

/** The one row whose grouping columns have the given values (e.g. `{ Queue: 'Sales' }`); throws unless exactly one matches. */
export function rowOf(rows: readonly ScenarioRow[], where: Record<string, string>): ScenarioRow {
  const hits = rows.filter((r) => Object.entries(where).every(([k, v]) => r[k] === v));
  if (hits.length !== 1) throw new Error(`expected one row with ${JSON.stringify(where)}, found ${hits.length} in ${JSON.stringify(rows)}`);
  return hits[0] as ScenarioRow;
}

/** Amazon Connect Administrator Guide pages the expected values are taken from. */
export const DOCS = {
  historicalDefinitions: 'Historical metrics definitions — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html',
  historicalMetrics: 'Historical metrics reports — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics.html',
  ctrDataModel: 'Contact records data model — https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html',
  download: 'Download a historical metrics report — https://docs.aws.amazon.com/connect/latest/adminguide/download-historical-metrics-report.html',
  agentEventModel: 'Agent event streams data model — https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html',
} as const;
