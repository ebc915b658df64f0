/**
 * Historical metrics report rows, in the shape of an Amazon Connect CSV:
 * one column per grouping (in the order asked), "Agent Name" after Agent when
 * asked for, StartInterval and EndInterval (ISO 8601 with the report zone's
 * offset; absent for TOTAL; first instead when the definition's
 * `intervalColumn` is FIRST, as when "Interval" is Connect's first grouping),
 * then the metrics in the order asked, headed with their Amazon Connect names. "Metrics for which there is no data to include
 * in the report show a dash in the downloaded .csv file" (seed user guide).
 *
 * Rows are sorted by the display names of their groups (the catalog name; the
 * id where the catalog has none), then by interval start; by interval start
 * first when the interval columns come first.
 */
import { isAgentQueue } from '../agent-queue.js';
import { GROUPING_HEADERS, GROUPINGS } from '../dimensions.js';
import type { Grouping } from '../dimensions.js';
import type { EntityCatalog } from '../engine/entities.js';
import type { RollupQuery, RollupRow } from '../engine/rollup.js';
import { computeMetric, getMetric } from '../metrics/registry.js';
import type { HistoricalReportDefinition } from './definitions.js';
import { csvPhoneNumber, csvText, formatInstant, formatMetricValue, NO_DATA } from './format.js';
import { resolveFilters } from './filters.js';
import type { ResolvedRange } from './time-range.js';

export const AGENT_NAME_HEADER = 'Agent Name';
export const START_INTERVAL_HEADER = 'StartInterval';
export const END_INTERVAL_HEADER = 'EndInterval';

export interface HistoricalRollupQuery {
  readonly query: RollupQuery;
  /** Filter values that match no known entity (the report then has no rows for them). */
  readonly warnings: readonly string[];
}

/** The rollup a historical report reads: its groupings in nesting order, filters resolved to ids, its interval and zone, over `range`. */
export function historicalRollupQuery(def: HistoricalReportDefinition, range: ResolvedRange, catalog: EntityCatalog): HistoricalRollupQuery {
  const { sets, warnings } = resolveFilters(def.filters, catalog);
  return {
    query: {
      groupBy: def.groupings.map((g) => GROUPINGS[g]),
      filters: sets,
      interval: def.interval,
      timeZone: def.timeZone,
      startMs: range.startMs,
      endMs: range.endMs,
    },
    warnings,
  };
}

export interface HistoricalRowOptions {
  /** Add "Agent Name" (Last, First) after the Agent column; defaults to the definition's `agentName`. Needs the AGENT grouping. */
  readonly agentName?: boolean;
}

export interface HistoricalReport {
  readonly header: readonly string[];
  /** Rows in report order, computed as they are read (each iteration starts afresh). */
  readonly rows: Iterable<string[]>;
}

/** "The agent's name, displayed as Last name, First name"; a dash when the catalog knows neither. */
export function agentDisplayName(catalog: EntityCatalog, agentId: string): string {
  const e = catalog.get(agentId);
  const parts = [e?.lastName, e?.firstName].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.length > 0 ? parts.join(', ') : NO_DATA;
}

/**
 * Whether a report shows rows of agent queues. "By default, agent queues are
 * excluded from historical metrics reports. To include agent queues in the
 * report, select agent queues as a filter for the report." (Amazon Connect
 * Administrator Guide, 2019, "Include Agent Queues in Historical Metric
 * Reports"): a QUEUE filter selects exactly the queues it names, agent queues
 * included; `includeAgentQueues` brings in every one.
 */
export function showsAgentQueues(def: HistoricalReportDefinition): boolean {
  return def.includeAgentQueues === true || def.filters.QUEUE !== undefined;
}

/** A group value as the report shows it: catalog names for queues (an agent queue: its agent's login), agents (login), routing profiles and hierarchy groups; phone numbers and channels as they are. */
function displayName(catalog: EntityCatalog, grouping: Grouping, id: string): string {
  return grouping === 'PHONE_NUMBER' || grouping === 'CHANNEL' ? id : catalog.nameOf(id);
}

function withAgentName(def: HistoricalReportDefinition, opts: HistoricalRowOptions): boolean {
  return (opts.agentName ?? def.agentName) && def.groupings.includes('AGENT');
}

function intervalFirst(def: HistoricalReportDefinition): boolean {
  return def.interval !== 'TOTAL' && def.intervalColumn === 'FIRST';
}

export function historicalHeader(def: HistoricalReportDefinition, opts: HistoricalRowOptions = {}): string[] {
  const header: string[] = [];
  if (intervalFirst(def)) header.push(START_INTERVAL_HEADER, END_INTERVAL_HEADER);
  for (const g of def.groupings) {
    header.push(GROUPING_HEADERS[g]);
    if (g === 'AGENT' && withAgentName(def, opts)) header.push(AGENT_NAME_HEADER);
  }
  if (def.interval !== 'TOTAL' && !intervalFirst(def)) header.push(START_INTERVAL_HEADER, END_INTERVAL_HEADER);
  for (const id of def.metrics) header.push(getMetric(id).header);
  return header;
}

const collator = new Intl.Collator('en', { numeric: true });

function compareNames(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    const c = collator.compare(x, y) || (x < y ? -1 : x > y ? 1 : 0);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Header and rows of a historical report from the rollup rows of its query
 * (`historicalRollupQuery`). Seconds metrics follow the definition's
 * `durationFormat`.
 */
export function historicalReportRows(
  def: HistoricalReportDefinition,
  rollupRows: readonly RollupRow[],
  catalog: EntityCatalog,
  opts: HistoricalRowOptions = {},
): HistoricalReport {
  const header = historicalHeader(def, opts);
  const metrics = def.metrics.map(getMetric);
  const agentName = withAgentName(def, opts);
  const agentAt = def.groupings.indexOf('AGENT');

  const first = intervalFirst(def);
  const queueAt = def.groupings.indexOf('QUEUE');
  const visible = queueAt < 0 || showsAgentQueues(def) ? rollupRows : rollupRows.filter((row) => !isAgentQueue(row.group[queueAt]));
  const keyed = visible.map((row) => ({ row, names: def.groupings.map((g, i) => displayName(catalog, g, row.group[i] ?? '')) }));
  keyed.sort(
    (a, b) =>
      (first ? a.row.intervalStartMs - b.row.intervalStartMs : 0) ||
      compareNames(a.names, b.names) ||
      compareNames(a.row.group, b.row.group) ||
      a.row.intervalStartMs - b.row.intervalStartMs,
  );

  // A month of 30-minute rows has a few thousand distinct interval ends but hundreds of thousands of rows.
  const instants = new Map<number, string>();
  const instant = (ms: number): string => {
    let s = instants.get(ms);
    if (s === undefined) {
      s = formatInstant(ms, def.timeZone);
      instants.set(ms, s);
    }
    return s;
  };

  function* rows(): Generator<string[]> {
    for (const { row, names } of keyed) {
      const out: string[] = [];
      if (first) out.push(instant(row.intervalStartMs), instant(row.intervalEndMs));
      // Names come from input: neutralised as CSV text (format.ts), after sorting on the names themselves.
      names.forEach((n, i) => {
        out.push(def.groupings[i] === 'PHONE_NUMBER' ? csvPhoneNumber(n) : csvText(n));
        if (agentName && i === agentAt) out.push(csvText(agentDisplayName(catalog, row.group[i] ?? '')));
      });
      if (def.interval !== 'TOTAL' && !first) out.push(instant(row.intervalStartMs), instant(row.intervalEndMs));
      // Read once per row: a rollup row may build its primitives on access.
      const primitives = row.primitives;
      for (const m of metrics) out.push(formatMetricValue(m.unit, computeMetric(m, primitives), def.durationFormat));
      yield out;
    }
  }
  return { header, rows: { [Symbol.iterator]: rows } };
}
