/**
 * Parity check between an Amazon Connect historical metrics CSV and one this
 * project wrote: parse both, match rows by grouping values and interval, and
 * compare every metric column both have, within rounding tolerances.
 *
 * Connect CSV shapes accepted (see README "Compare with Amazon Connect"):
 * - one column per grouping, headed as Connect names it (Queue, Agent,
 *   Routing Profile, Phone Number, Agent Hierarchy Level One..Five, Channel);
 * - the interval as StartInterval / EndInterval: the headers the CTI adapter's
 *   interval Lambdas read (amazon-connect/amazon-connect-salesforce-lambda,
 *   sam-app/lambda_functions/sfIntervalQueue.py and sfIntervalAgent.py build
 *   their record id from `StartInterval`), with ISO 8601 values ("The interval
 *   is downloaded in ISO date format", connect-docs/download-historical-metrics-report.md);
 *   also accepted: a single "Interval" column (a start, or "start - end" /
 *   "start/end"), "Start time" / "End time", "Interval start" / "Interval end";
 *   no interval column at all for a Total report;
 * - metric columns headed with the metric's Connect name (the registry's
 *   `header`), matched case-insensitively: durations in seconds ("All times in
 *   the downloaded report are in seconds", same page) or HH:MM:SS as this
 *   project writes by default, percentages with or without `%` (the CTI
 *   adapter strips it), counts; a dash or nothing where there is no data.
 *
 * Pure: no AWS, no file system. The CLI reads the files and the local store.
 */
import Papa from 'papaparse';
import { GROUPING_HEADERS, GROUPING_NAMES, GROUPINGS } from '../dimensions.js';
import type { Dims, Grouping } from '../dimensions.js';
import type { ContactFacts } from '../engine/ctr-contribution.js';
import { factsPrimitives } from '../engine/ctr-contribution.js';
import type { EntityCatalog } from '../engine/entities.js';
import { findMetric, metricPrimitives } from '../metrics/registry.js';
import type { MetricDef, MetricUnit, SupportedMetric } from '../metrics/registry.js';
import { resolveWallTime } from './local-time.js';

/** The input is not a file this command can compare (exit code 2). */
export class CompareInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompareInputError';
  }
}

export type Side = 'connect' | 'ours';
export const SIDE_NAMES: Record<Side, string> = { connect: 'Connect', ours: 'ours' };

/** What a column holds. `unknown`: a column no registry metric is named after; compared when both files have it. */
export type ColumnRole = 'grouping' | 'start' | 'end' | 'interval' | 'metric' | 'attribute' | 'unknown';

export interface ReportColumn {
  readonly index: number;
  /** The header as written. */
  readonly header: string;
  /** Trimmed, lower case, single spaces: what columns are matched by. */
  readonly key: string;
  readonly role: ColumnRole;
  readonly grouping?: Grouping;
  /** For metric columns: the registry entry, or null for a Connect metric the registry does not list (custom service levels). */
  readonly metric?: MetricDef | null;
  readonly unit?: MetricUnit;
}

export interface ReportRow {
  /** 1-based line number in the file (the header is line 1). */
  readonly line: number;
  /** Group values by grouping, as written (trimmed). */
  readonly groups: Partial<Record<Grouping, string>>;
  readonly startMs: number | null;
  readonly endMs: number | null;
  /** The interval as written, for messages. */
  readonly startText: string;
  readonly endText: string;
  /** Cell text by column key. */
  readonly cells: ReadonlyMap<string, string>;
}

export interface ParsedReport {
  readonly source: string;
  readonly columns: readonly ReportColumn[];
  /** Groupings in the file, in Connect's canonical order (column order does not matter for matching). */
  readonly groupings: readonly Grouping[];
  readonly hasInterval: boolean;
  readonly rows: readonly ReportRow[];
}

export const normaliseHeader = (h: string): string => h.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ').toLowerCase();

const HIERARCHY_LEVELS: ReadonlyArray<readonly [Grouping, string]> = [
  ['AGENT_HIERARCHY_LEVEL_ONE', 'one'],
  ['AGENT_HIERARCHY_LEVEL_TWO', 'two'],
  ['AGENT_HIERARCHY_LEVEL_THREE', 'three'],
  ['AGENT_HIERARCHY_LEVEL_FOUR', 'four'],
  ['AGENT_HIERARCHY_LEVEL_FIVE', 'five'],
];

/** Header → grouping: Connect's names (GROUPING_HEADERS), plus "level 1" and "Hierarchy level one" spellings. */
const GROUPING_BY_HEADER: ReadonlyMap<string, Grouping> = (() => {
  const m = new Map<string, Grouping>();
  for (const g of GROUPING_NAMES) m.set(normaliseHeader(GROUPING_HEADERS[g]), g);
  HIERARCHY_LEVELS.forEach(([g, word], i) => {
    for (const n of [String(i + 1), word]) {
      m.set(`agent hierarchy level ${n}`, g);
      m.set(`hierarchy level ${n}`, g);
    }
  });
  return m;
})();

const START_HEADERS = new Set(['startinterval', 'start interval', 'interval start', 'start time', 'start']);
const END_HEADERS = new Set(['endinterval', 'end interval', 'interval end', 'end time', 'end']);
const INTERVAL_HEADERS = new Set(['interval']);
/** Descriptive columns Connect offers with the Agent grouping: compared as text. */
const ATTRIBUTE_HEADERS = new Set(['agent name', 'agent first name', 'agent last name']);

/** Connect metrics whose name carries a threshold the registry may not list (custom service levels). */
function patternUnit(key: string): MetricUnit | undefined {
  if (/^service level \d+ seconds$/.test(key)) return 'percent';
  if (/^contacts (answered|abandoned) in \d+ seconds$/.test(key)) return 'count';
  return undefined;
}

function classify(header: string, index: number): ReportColumn {
  const key = normaliseHeader(header);
  const grouping = GROUPING_BY_HEADER.get(key);
  if (grouping) return { index, header, key, role: 'grouping', grouping };
  if (START_HEADERS.has(key)) return { index, header, key, role: 'start' };
  if (END_HEADERS.has(key)) return { index, header, key, role: 'end' };
  if (INTERVAL_HEADERS.has(key)) return { index, header, key, role: 'interval' };
  if (ATTRIBUTE_HEADERS.has(key)) return { index, header, key, role: 'attribute' };
  const metric = findMetric(key);
  if (metric) return { index, header, key, role: 'metric', metric, unit: metric.supported ? metric.unit : undefined };
  const unit = patternUnit(key);
  if (unit) return { index, header, key, role: 'metric', metric: null, unit };
  return { index, header, key, role: 'unknown' };
}

/**
 * An interval instant: ISO 8601 with a zone (Z or an offset) as Connect and
 * this project write it; a date-time without a zone is read as wall time in
 * `timeZone`; a date alone is local midnight.
 */
export function parseInstant(text: string, timeZone: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const zoned = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i.exec(t);
  if (zoned) {
    const [, date, hh, mm, ss, frac, zone] = zoned;
    const z = (zone ?? 'Z').toUpperCase();
    const offset = z === 'Z' ? 'Z' : z.length === 5 ? `${z.slice(0, 3)}:${z.slice(3)}` : z;
    const ms = Date.parse(`${date}T${hh}:${mm}:${ss ?? '00'}${frac ?? ''}${offset}`);
    return Number.isNaN(ms) ? null : ms;
  }
  const local = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (local) {
    const [, date, hh, mm, ss] = local;
    if (!date || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return null;
    const msOfDay = ((Number(hh ?? 0) * 60 + Number(mm ?? 0)) * 60 + Number(ss ?? 0)) * 1000;
    return resolveWallTime(date, msOfDay, timeZone);
  }
  return null;
}

/** A single "Interval" cell: a start, or a start and an end separated by " - ", " to " or "/". */
function splitInterval(text: string): [string, string] {
  const t = text.trim();
  const m = /^(.+?)\s*(?:\/|\s-\s|\sto\s)\s*(.+)$/i.exec(t);
  return m ? [m[1] ?? '', m[2] ?? ''] : [t, ''];
}

export interface ParseOptions {
  /** Zone of interval values written without an offset. */
  readonly timeZone: string;
}

/**
 * Parses one report. Throws `CompareInputError` for anything that is not a
 * historical metrics CSV: empty, binary, unparseable, no metric column, rows
 * whose interval cannot be read, or two rows with the same group and interval.
 */
export function parseReportCsv(text: string, source: string, opts: ParseOptions): ParsedReport {
  if (text.includes('\u0000')) throw new CompareInputError(`${source} is not a CSV file (it contains binary data)`);
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new CompareInputError(`${source} is empty`);
  const parsed = Papa.parse<string[]>(body, { skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw new CompareInputError(`${source} is not valid CSV: ${fatal.message} (row ${(fatal.row ?? 0) + 1})`);
  const [headerRow, ...dataRows] = parsed.data;
  if (!headerRow || headerRow.length === 0) throw new CompareInputError(`${source} is empty`);

  const columns = headerRow.map((h, i) => classify(h, i));
  const seen = new Map<string, ReportColumn>();
  for (const c of columns) {
    if (c.key === '') throw new CompareInputError(`${source}: column ${c.index + 1} has no header`);
    if (seen.has(c.key)) throw new CompareInputError(`${source}: the column "${c.header}" appears twice`);
    seen.set(c.key, c);
  }
  if (!columns.some((c) => c.role === 'metric')) {
    throw new CompareInputError(
      `${source} is not an Amazon Connect historical metrics report: no column is named after a Connect metric ` +
        `(expected headers such as "Contacts handled" or "Average handle time"; found: ${listHeaders(columns)})`,
    );
  }
  const start = columns.find((c) => c.role === 'start');
  const end = columns.find((c) => c.role === 'end');
  const single = columns.find((c) => c.role === 'interval');
  if (end && !start) throw new CompareInputError(`${source}: has an "${end.header}" column but no interval start column`);
  const groupingColumns = columns.filter((c) => c.role === 'grouping');
  const groupings = GROUPING_NAMES.filter((g) => groupingColumns.some((c) => c.grouping === g));

  const rows: ReportRow[] = [];
  const keys = new Map<string, number>();
  dataRows.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length !== columns.length) {
      throw new CompareInputError(`${source}: line ${line} has ${cells.length} fields, the header has ${columns.length}`);
    }
    const cell = (c: ReportColumn | undefined) => (c ? (cells[c.index] ?? '').trim() : '');
    let startText = cell(start);
    let endText = cell(end);
    if (single && !start) [startText, endText] = splitInterval(cell(single));
    const hasInterval = Boolean(start ?? single);
    const startMs = hasInterval ? parseInstant(startText, opts.timeZone) : null;
    const endMs = hasInterval && endText !== '' ? parseInstant(endText, opts.timeZone) : null;
    if (hasInterval && startMs === null) throw new CompareInputError(`${source}: line ${line}: cannot read the interval start "${startText}" (expected ISO 8601, such as 2026-03-10T09:00:00Z)`);
    if (endText !== '' && endMs === null) throw new CompareInputError(`${source}: line ${line}: cannot read the interval end "${endText}"`);
    const groups: Partial<Record<Grouping, string>> = {};
    for (const c of groupingColumns) if (c.grouping) groups[c.grouping] = cell(c);
    const byKey = new Map<string, string>();
    for (const c of columns) byKey.set(c.key, cell(c));
    const row: ReportRow = { line, groups, startMs, endMs, startText, endText, cells: byKey };
    const k = rowKey(row, groupings);
    const earlier = keys.get(k);
    if (earlier !== undefined) throw new CompareInputError(`${source}: lines ${earlier} and ${line} have the same groups and interval (${describeRow(row, groupings, columns)})`);
    keys.set(k, line);
    rows.push(row);
  });
  return { source, columns, groupings, hasInterval: Boolean(start ?? single), rows };
}

/** Headers for a message, shortened: a file that is not a report can have a "header" of any length. */
function listHeaders(columns: readonly ReportColumn[]): string {
  const shown = columns.slice(0, 12).map((c) => `"${c.header.length > 40 ? `${c.header.slice(0, 40)}…` : c.header}"`);
  return columns.length > shown.length ? `${shown.join(', ')} and ${columns.length - shown.length} more` : shown.join(', ');
}

function rowKey(row: ReportRow, groupings: readonly Grouping[]): string {
  return JSON.stringify([...groupings.map((g) => row.groups[g] ?? ''), row.startMs]);
}

/** "Queue=BasicQueue, StartInterval=2026-03-10T09:15:00Z": the row as a reader finds it in the file. */
export function describeRow(row: ReportRow, groupings: readonly Grouping[], columns: readonly ReportColumn[]): string {
  const parts = groupings.map((g) => `${columns.find((c) => c.grouping === g)?.header ?? GROUPING_HEADERS[g]}=${row.groups[g] ?? ''}`);
  const start = columns.find((c) => c.role === 'start' || c.role === 'interval');
  if (start) parts.push(`${start.role === 'interval' ? 'Interval' : start.header}=${row.startText}`);
  return parts.length > 0 ? parts.join(', ') : 'the total row';
}

// ---------------------------------------------------------------- values

/** A cell's value: a number, `null` for no data (a dash or empty), or `undefined` when it cannot be read as the unit. */
export type CellValue = number | null | undefined;

const NO_DATA_CELLS = new Set(['', '-', '—', '–']);

export function parseDuration(text: string): CellValue {
  const t = text.trim();
  if (NO_DATA_CELLS.has(t)) return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(-)?(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$/.exec(t);
  if (!m) return undefined;
  const v = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] ? -v : v;
}

export function parsePercent(text: string): CellValue {
  const t = text.trim();
  if (NO_DATA_CELLS.has(t)) return null;
  const m = /^(-?\d+(?:\.\d+)?)\s*%?$/.exec(t);
  return m ? Number(m[1]) : undefined;
}

export function parseCount(text: string): CellValue {
  const t = text.trim();
  if (NO_DATA_CELLS.has(t)) return null;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

export function parseCell(unit: MetricUnit, text: string): CellValue {
  return unit === 'seconds' ? parseDuration(text) : unit === 'percent' ? parsePercent(text) : parseCount(text);
}

/** The unit of a column no registry metric names, from what its cells look like on both sides. */
function inferUnit(texts: readonly string[]): MetricUnit | undefined {
  const filled = texts.map((t) => t.trim()).filter((t) => !NO_DATA_CELLS.has(t));
  if (filled.length === 0) return 'count';
  if (filled.some((t) => t.endsWith('%')) && filled.every((t) => parsePercent(t) !== undefined)) return 'percent';
  if (filled.some((t) => t.includes(':')) && filled.every((t) => parseDuration(t) !== undefined)) return 'seconds';
  if (filled.every((t) => parseCount(t) !== undefined)) return 'count';
  return undefined;
}

// ---------------------------------------------------------------- comparison

export interface Tolerances {
  /** Seconds a duration may differ by (rounding: HH:MM:SS is rounded to whole seconds). Default 1. */
  readonly seconds: number;
  /** Percentage points a percentage may differ by (two decimals). Default 0.01. */
  readonly percent: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { seconds: 1, percent: 0.01 };

/** Floating-point slack so that 0.01 pp is within a 0.01 pp tolerance. */
const EPSILON = 1e-9;

export interface MatchedRow {
  readonly connect: ReportRow;
  readonly ours: ReportRow;
}

export interface CellDifference {
  readonly row: MatchedRow;
  /** Display key of the row (Connect's headers and text). */
  readonly rowKey: string;
  /** The column as Connect heads it. */
  readonly column: string;
  readonly connect: string;
  readonly ours: string;
  /** "ours − Connect" in the column's unit, or why the cells cannot be compared. */
  readonly difference: string;
  /** The registry metric of the column, when it has one. */
  readonly metric: SupportedMetric | null;
}

export interface OneSidedRow {
  readonly side: Side;
  readonly row: ReportRow;
  readonly rowKey: string;
}

export interface CompareResult {
  readonly rowsCompared: number;
  readonly columnsCompared: readonly string[];
  readonly differences: readonly CellDifference[];
  readonly onlyInConnect: readonly OneSidedRow[];
  readonly onlyInOurs: readonly OneSidedRow[];
  /** Columns one file has and the other does not: reported, never a difference. */
  readonly columnsOnlyInConnect: readonly string[];
  readonly columnsOnlyInOurs: readonly string[];
  readonly equal: boolean;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

function signed(v: number, digits: number): string {
  const r = round(v, digits);
  return `${r > 0 ? '+' : ''}${r === 0 ? 0 : r}`;
}

function compareValues(unit: MetricUnit, a: string, b: string, tol: Tolerances): string | null {
  const x = parseCell(unit, a);
  const y = parseCell(unit, b);
  if (x === undefined || y === undefined) return `not a ${unit === 'seconds' ? 'duration' : unit === 'percent' ? 'percentage' : 'count'} (${x === undefined ? `Connect "${a}"` : `ours "${b}"`})`;
  if (x === null && y === null) return null;
  if (x === null) return 'Connect has no data';
  if (y === null) return 'ours has no data';
  const d = y - x;
  const allowed = unit === 'seconds' ? tol.seconds : unit === 'percent' ? tol.percent : 0;
  if (Math.abs(d) <= allowed + EPSILON) return null;
  return unit === 'seconds' ? `${signed(d, 3)} s` : unit === 'percent' ? `${signed(d, 4)} pp` : signed(d, 6);
}

function sameGroupings(a: ParsedReport, b: ParsedReport): void {
  const names = (r: ParsedReport) => (r.groupings.length === 0 ? 'no grouping' : r.groupings.map((g) => GROUPING_HEADERS[g]).join(', '));
  if (a.groupings.join() !== b.groupings.join()) {
    throw new CompareInputError(`The reports are grouped differently, so their rows cannot be matched: Connect by ${names(a)}; ours by ${names(b)}`);
  }
  if (a.hasInterval !== b.hasInterval) {
    const which = (r: ParsedReport) => (r.hasInterval ? 'has an interval column' : 'has no interval column (a Total report)');
    throw new CompareInputError(`The reports cover different intervals, so their rows cannot be matched: Connect ${which(a)}; ours ${which(b)}`);
  }
}

/** Compares a Connect report with ours, cell by cell, within `tol`. */
export function compareReports(connect: ParsedReport, ours: ParsedReport, tol: Tolerances = DEFAULT_TOLERANCES): CompareResult {
  sameGroupings(connect, ours);
  const comparable = (c: ReportColumn) => c.role === 'metric' || c.role === 'attribute' || c.role === 'unknown';
  const ourByKey = new Map(ours.columns.filter(comparable).map((c) => [c.key, c]));
  const connectKeys = new Set(connect.columns.filter(comparable).map((c) => c.key));
  const common = connect.columns.filter((c) => comparable(c) && ourByKey.has(c.key));
  if (!common.some((c) => c.role === 'metric' || ourByKey.get(c.key)?.role === 'metric')) {
    throw new CompareInputError(
      `The reports have no metric column in common: Connect has ${connect.columns.filter((c) => c.role === 'metric').map((c) => `"${c.header}"`).join(', ')}; ` +
        `ours has ${ours.columns.filter((c) => c.role === 'metric').map((c) => `"${c.header}"`).join(', ')}`,
    );
  }
  const groupings = connect.groupings;
  const ourRows = new Map(ours.rows.map((r) => [rowKey(r, groupings), r]));
  const matched: MatchedRow[] = [];
  const onlyInConnect: OneSidedRow[] = [];
  for (const r of connect.rows) {
    const o = ourRows.get(rowKey(r, groupings));
    if (o) {
      matched.push({ connect: r, ours: o });
      ourRows.delete(rowKey(r, groupings));
    } else onlyInConnect.push({ side: 'connect', row: r, rowKey: describeRow(r, groupings, connect.columns) });
  }
  const onlyInOurs: OneSidedRow[] = [...ourRows.values()].map((r) => ({ side: 'ours', row: r, rowKey: describeRow(r, groupings, ours.columns) }));

  // A column the registry does not know takes its unit from what both files hold.
  const units = new Map<string, MetricUnit | undefined>();
  for (const c of common) {
    const u = c.unit ?? ourByKey.get(c.key)?.unit;
    if (u) units.set(c.key, u);
    else if (c.role !== 'attribute') units.set(c.key, inferUnit(matched.flatMap((m) => [m.connect.cells.get(c.key) ?? '', m.ours.cells.get(c.key) ?? ''])));
    else units.set(c.key, undefined);
  }

  const differences: CellDifference[] = [];
  for (const m of matched) {
    const rk = describeRow(m.connect, groupings, connect.columns);
    const endColumn = connect.columns.find((c) => c.role === 'end');
    if (m.connect.endMs !== null && m.ours.endMs !== null && m.connect.endMs !== m.ours.endMs) {
      differences.push({ row: m, rowKey: rk, column: endColumn?.header ?? 'EndInterval', connect: m.connect.endText, ours: m.ours.endText, difference: `${signed((m.ours.endMs - m.connect.endMs) / 60_000, 2)} min`, metric: null });
    }
    for (const c of common) {
      const a = m.connect.cells.get(c.key) ?? '';
      const b = m.ours.cells.get(c.key) ?? '';
      const unit = units.get(c.key);
      const diff = unit ? compareValues(unit, a, b, tol) : a === b ? null : 'text differs';
      if (diff === null) continue;
      const metric = c.metric ?? ourByKey.get(c.key)?.metric ?? null;
      differences.push({ row: m, rowKey: rk, column: c.header, connect: a, ours: b, difference: diff, metric: metric && metric.supported ? metric : null });
    }
  }
  const columnsOnlyInConnect = connect.columns.filter((c) => comparable(c) && !ourByKey.has(c.key)).map((c) => c.header);
  const columnsOnlyInOurs = ours.columns.filter((c) => comparable(c) && !connectKeys.has(c.key)).map((c) => c.header);
  return {
    rowsCompared: matched.length,
    columnsCompared: common.map((c) => c.header),
    differences,
    onlyInConnect,
    onlyInOurs,
    columnsOnlyInConnect,
    columnsOnlyInOurs,
    equal: differences.length === 0 && onlyInConnect.length === 0 && onlyInOurs.length === 0,
  };
}

export function summaryLine(r: CompareResult): string {
  return `${r.rowsCompared} rows compared, ${r.differences.length} cells differ, ${r.onlyInConnect.length} rows only in Connect, ${r.onlyInOurs.length} rows only in ours`;
}

/** The result as the command prints it; `explanations` (from --explain) go under their cell. */
export function formatCompareResult(r: CompareResult, explanations: ReadonlyMap<CellDifference, readonly string[]> = new Map()): string[] {
  const out: string[] = [];
  if (r.columnsOnlyInConnect.length > 0) out.push(`Columns only in Connect (not compared): ${r.columnsOnlyInConnect.join(', ')}`);
  if (r.columnsOnlyInOurs.length > 0) out.push(`Columns only in ours (not compared): ${r.columnsOnlyInOurs.join(', ')}`);
  for (const d of r.differences) {
    out.push(`DIFF  ${d.rowKey} | ${d.column} | Connect ${show(d.connect)} | ours ${show(d.ours)} | ${d.difference}`);
    out.push(...(explanations.get(d) ?? []));
  }
  for (const o of r.onlyInConnect) out.push(`ONLY IN CONNECT  ${o.rowKey} (line ${o.row.line})`);
  for (const o of r.onlyInOurs) out.push(`ONLY IN OURS  ${o.rowKey} (line ${o.row.line})`);
  out.push(summaryLine(r));
  return out;
}

const show = (t: string) => (t === '' ? '(empty)' : t);

// ---------------------------------------------------------------- explain

/** A contact as the store keeps it (the MetricReader's StoredContact, structurally). */
export interface ContactLike {
  readonly contactId: string;
  readonly dims: Dims;
  readonly facts: ContactFacts;
  readonly disconnectMs: number;
}

export interface ExplainedContact {
  readonly contactId: string;
  readonly disconnectMs: number;
  /** The metric's primitives this contact contributes (non-zero only). */
  readonly contributes: Readonly<Record<string, number>>;
}

/** Whether a metric's value comes from contact records, so that contacts can explain it. */
export function isContactRecordDriven(m: SupportedMetric): boolean {
  return m.category === 'contact-record-driven';
}

/** Does a contact's dimension value show as `shown` in a report grouped by `g`? Mirrors how reports print names. */
function dimMatches(g: Grouping, id: string | null, shown: string | undefined, catalog: EntityCatalog): boolean {
  const s = shown ?? '';
  if (id === null) return s === '' || s === '-';
  if (g === 'PHONE_NUMBER' || g === 'CHANNEL') return id === s;
  return catalog.nameOf(id) === s || id === s || catalog.get(id)?.arn === s;
}

/**
 * The contacts that make up our value of a contact-record-driven metric in a
 * row: those disconnected in the row's interval (the caller reads them for
 * [startMs, endMs)), in the row's groups (names mapped back through the
 * catalog), whose facts give a non-zero value to one of the metric's primitives.
 */
export function explainContacts(
  contacts: Iterable<ContactLike>,
  groups: Partial<Record<Grouping, string>>,
  metric: SupportedMetric,
  catalog: EntityCatalog,
): ExplainedContact[] {
  const prims = metricPrimitives(metric);
  const out: ExplainedContact[] = [];
  for (const c of contacts) {
    let inGroup = true;
    for (const [g, shown] of Object.entries(groups) as Array<[Grouping, string]>) {
      if (!dimMatches(g, c.dims[GROUPINGS[g]], shown, catalog)) {
        inGroup = false;
        break;
      }
    }
    if (!inGroup) continue;
    const p = factsPrimitives(c.facts) as Record<string, number | undefined>;
    const contributes: Record<string, number> = {};
    for (const id of prims) {
      const v = p[id];
      if (v) contributes[id] = v;
    }
    if (Object.keys(contributes).length > 0) out.push({ contactId: c.contactId, disconnectMs: c.disconnectMs, contributes });
  }
  return out.sort((a, b) => a.disconnectMs - b.disconnectMs || (a.contactId < b.contactId ? -1 : 1));
}
