/**
 * The parity check's parsing and matching, on Connect-shaped CSVs
 * (test/fixtures/compare/README.md says where each shape comes from) and on
 * this project's own golden reports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contactFacts, ctrDims } from '../../../lambdas/domain/engine/ctr-contribution.js';
import { EntityCatalog, entitiesOfCtr } from '../../../lambdas/domain/engine/entities.js';
import { getMetric } from '../../../lambdas/domain/metrics/registry.js';
import { parseCtr } from '../../../lambdas/domain/model/ctr.js';
import type { Ctr } from '../../../lambdas/domain/model/types.js';
import {
  compareReports,
  CompareInputError,
  explainContacts,
  formatCompareResult,
  parseCount,
  parseDuration,
  parseInstant,
  parsePercent,
  parseReportCsv,
  summaryLine,
} from '../../../lambdas/domain/reports/compare.js';
import type { ContactLike, ParsedReport } from '../../../lambdas/domain/reports/compare.js';

const GOLDEN = new URL('../../golden/', import.meta.url);
const FIXTURES = new URL('../../fixtures/compare/', import.meta.url);
const read = (base: URL, name: string) => readFileSync(new URL(name, base), 'utf8');
const parse = (text: string, source = 'x.csv', timeZone = 'UTC'): ParsedReport => parseReportCsv(text, source, { timeZone });
const golden = (name: string) => parse(read(GOLDEN, name), name);

/** Replaces one cell of a CSV (1-based data row, header name), keeping everything else byte for byte. */
function withCell(csv: string, row: number, column: string, value: string): string {
  const lines = csv.split('\r\n');
  const header = (lines[0] ?? '').split(',');
  const at = header.indexOf(column);
  const cells = (lines[row] ?? '').split(',');
  cells[at] = value;
  lines[row] = cells.join(',');
  return lines.join('\r\n');
}

describe('value parsing', () => {
  it('reads durations in seconds, decimal seconds and HH:MM:SS, and a dash or nothing as no data', () => {
    expect([parseDuration('123'), parseDuration('123.4'), parseDuration('00:02:03'), parseDuration('27:02:09'), parseDuration('-'), parseDuration(''), parseDuration('2 min')]).toEqual([
      123,
      123.4,
      123,
      97329,
      null,
      null,
      undefined,
    ]);
  });

  it('reads percentages with or without the % sign (the CTI adapter strips it)', () => {
    expect([parsePercent('85.71%'), parsePercent('85.71'), parsePercent('100.00 %'), parsePercent('-'), parsePercent('n/a')]).toEqual([85.71, 85.71, 100, null, undefined]);
  });

  it('reads counts', () => {
    expect([parseCount('0'), parseCount('12'), parseCount('-'), parseCount('1.2.3')]).toEqual([0, 12, null, undefined]);
  });

  it('reads interval instants with Z, an offset, or no zone (wall time in the given zone)', () => {
    expect(parseInstant('2026-03-10T09:00:00Z', 'UTC')).toBe(Date.parse('2026-03-10T09:00:00Z'));
    expect(parseInstant('2026-03-10T09:00:00.000Z', 'UTC')).toBe(Date.parse('2026-03-10T09:00:00Z'));
    expect(parseInstant('2026-03-10T00:00:00-04:00', 'UTC')).toBe(Date.parse('2026-03-10T04:00:00Z'));
    expect(parseInstant('2026-03-10 00:00', 'America/New_York')).toBe(Date.parse('2026-03-10T04:00:00Z'));
    expect(parseInstant('2026-03-10', 'Asia/Kolkata')).toBe(Date.parse('2026-03-09T18:30:00Z'));
    expect(parseInstant('yesterday', 'UTC')).toBeNull();
  });
});

describe('parseReportCsv', () => {
  it("recognises this project's report columns: the grouping, StartInterval/EndInterval and registry metrics", () => {
    const r = golden('queues-15min.csv');
    expect(r.groupings).toEqual(['QUEUE']);
    expect(r.hasInterval).toBe(true);
    expect(r.rows).toHaveLength(8);
    expect(r.columns.filter((c) => c.role === 'metric')).toHaveLength(21);
    expect(r.rows[1]).toMatchObject({ line: 3, groups: { QUEUE: 'BasicQueue' }, startMs: Date.parse('2026-03-10T09:15:00Z'), endMs: Date.parse('2026-03-10T09:30:00Z') });
  });

  it('matches headers case-insensitively and ignores surrounding spaces and a byte-order mark', () => {
    const r = parse('\uFEFF QUEUE ,startinterval,ENDINTERVAL, contacts HANDLED \r\nQ1,2026-03-10T09:00:00Z,2026-03-10T09:30:00Z,3\r\n');
    expect(r.groupings).toEqual(['QUEUE']);
    expect(r.columns.map((c) => c.role)).toEqual(['grouping', 'start', 'end', 'metric']);
  });

  it('reads a single Interval column holding a start, or a start and an end', () => {
    const r = parse('Agent,Interval,Contacts handled\nann,2026-03-10T09:00:00Z - 2026-03-10T09:30:00Z,1\nbob,2026-03-10T09:00:00Z/2026-03-10T09:30:00Z,2\ncy,2026-03-10T09:30:00Z,3\n');
    expect(r.rows.map((x) => [x.startMs, x.endMs])).toEqual([
      [Date.parse('2026-03-10T09:00:00Z'), Date.parse('2026-03-10T09:30:00Z')],
      [Date.parse('2026-03-10T09:00:00Z'), Date.parse('2026-03-10T09:30:00Z')],
      [Date.parse('2026-03-10T09:30:00Z'), null],
    ]);
  });

  it('reads "Start time" / "End time" and hierarchy levels written with digits', () => {
    const r = parse('Agent Hierarchy Level 1,Start time,End time,Contacts handled\nNorth America,2026-03-10 09:00,2026-03-10 09:30,1\n', 'x.csv', 'Europe/Berlin');
    expect(r.groupings).toEqual(['AGENT_HIERARCHY_LEVEL_ONE']);
    expect(r.rows[0]?.startMs).toBe(Date.parse('2026-03-10T08:00:00Z'));
  });

  it('accepts a Total report (no interval column) and custom service levels the registry does not list', () => {
    const r = parse('Queue,Service level 75 seconds,Contacts handled\nQ1,50.00%,2\n');
    expect(r.hasInterval).toBe(false);
    expect(r.columns.find((c) => c.header === 'Service level 75 seconds')).toMatchObject({ role: 'metric', unit: 'percent', metric: null });
  });

  it('keeps the message short for a file whose first line is not a header at all', () => {
    const text = `${'x'.repeat(5000)},${Array.from({ length: 40 }, (_, i) => `c${i}`).join(',')}\n`;
    expect(() => parse(text)).toThrow(/found: "x{40}…", "c0", .* and 29 more\)$/);
  });

  it.each([
    ['an empty file', '', 'x.csv is empty'],
    ['a file of blank lines', '\r\n\r\n', 'x.csv is empty'],
    ['binary data', 'PK\u0003\u0004\u0000\u0000', 'not a CSV file'],
    ['a CSV with no Connect metric column', read(GOLDEN, 'login-logout.csv'), 'not an Amazon Connect historical metrics report'],
    ['JSON', '{"Queue": "BasicQueue", "Contacts handled": 3}', 'not an Amazon Connect historical metrics report'],
    ['an unreadable interval', 'Queue,StartInterval,Contacts handled\nQ,yesterday,1\n', 'cannot read the interval start "yesterday"'],
    ['a row with too few fields', 'Queue,Contacts handled\nQ\n', 'line 2 has 1 fields, the header has 2'],
    ['two rows with the same group and interval', 'Queue,StartInterval,Contacts handled\nQ,2026-03-10T09:00:00Z,1\nQ,2026-03-10T09:00:00+00:00,2\n', 'lines 2 and 3 have the same groups and interval'],
    ['a column twice', 'Queue,Contacts handled,contacts handled\nQ,1,1\n', 'the column "contacts handled" appears twice'],
  ])('rejects %s with a clear message', (_what, text, message) => {
    expect(() => parse(text)).toThrow(CompareInputError);
    expect(() => parse(text)).toThrow(message);
  });
});

describe('compareReports', () => {
  it('finds a golden report equal to itself', () => {
    for (const name of readdirSync(GOLDEN).filter((f) => /^(queues|agents|channels|phone-numbers|acw)/.test(f))) {
      const r = compareReports(golden(name), golden(name));
      expect({ name, equal: r.equal, summary: summaryLine(r) }).toEqual({ name, equal: true, summary: `${golden(name).rows.length} rows compared, 0 cells differ, 0 rows only in Connect, 0 rows only in ours` });
    }
  });

  it("finds Connect's CSV (seconds, its column order, metrics we lack) equal to our golden 15-minute queue report", () => {
    const r = compareReports(parse(read(FIXTURES, 'connect-queues-15min.csv')), golden('queues-15min.csv'));
    expect(r.differences).toEqual([]);
    expect(r).toMatchObject({ equal: true, rowsCompared: 8, columnsOnlyInConnect: ['Contacts consulted'], columnsOnlyInOurs: ['Avg ACW'] });
    expect(r.columnsCompared).toHaveLength(20);
  });

  it("finds Connect's daily agent CSV (decimal-second averages, Agent Name) equal to our golden agents report within rounding", () => {
    const r = compareReports(parse(read(FIXTURES, 'connect-agents-daily.csv')), golden('agents-daily.csv'));
    expect(r.differences).toEqual([]);
    expect(r).toMatchObject({ equal: true, rowsCompared: 2, columnsOnlyInConnect: ['Contacts consulted', 'Agent non-response'], columnsOnlyInOurs: [] });
    expect(r.columnsCompared).toContain('Agent Name');
  });

  it('reports exactly the cells of a modified copy, with the difference in the metric unit', () => {
    const base = read(GOLDEN, 'queues-15min.csv');
    let changed = withCell(base, 2, 'Contacts queued', '3'); // BasicQueue 09:15
    changed = withCell(changed, 6, 'Average queue abandon time', '00:01:33'); // PrimaryQueue 09:00: 90 → 93 s
    changed = withCell(changed, 7, 'Service level 60 seconds', '99.98%'); // PrimaryQueue 10:00
    changed = withCell(changed, 8, 'Average handle time', '-'); // PrimaryQueue 11:00
    const r = compareReports(parse(changed, 'connect.csv'), golden('queues-15min.csv'));
    expect(r.equal).toBe(false);
    expect(r.differences.map((d) => [d.rowKey, d.column, d.connect, d.ours, d.difference])).toEqual([
      ['Queue=BasicQueue, StartInterval=2026-03-10T09:15:00Z', 'Contacts queued', '3', '2', '-1'],
      ['Queue=PrimaryQueue, StartInterval=2026-03-10T09:00:00Z', 'Average queue abandon time', '00:01:33', '00:01:30', '-3 s'],
      ['Queue=PrimaryQueue, StartInterval=2026-03-10T10:00:00Z', 'Service level 60 seconds', '99.98%', '100.00%', '+0.02 pp'],
      ['Queue=PrimaryQueue, StartInterval=2026-03-10T11:00:00Z', 'Average handle time', '-', '00:08:00', 'Connect has no data'],
    ]);
    expect(r.differences[0]?.metric?.id).toBe('contacts_queued');
    expect(summaryLine(r)).toBe('8 rows compared, 4 cells differ, 0 rows only in Connect, 0 rows only in ours');
  });

  it('allows the rounding tolerances and no more: 1 s for durations, 0.01 pp for percentages, none for counts', () => {
    const ours = parse('Queue,Average handle time,Service level 60 seconds,Contacts handled\nQ,00:06:49,85.71%,3\n');
    const within = parse('Queue,Average handle time,Service level 60 seconds,Contacts handled\nQ,409.9,85.72,3\n');
    const beyond = parse('Queue,Average handle time,Service level 60 seconds,Contacts handled\nQ,410.2,85.7299,4\n');
    expect(compareReports(within, ours).differences).toEqual([]);
    expect(compareReports(beyond, ours).differences.map((d) => [d.column, d.difference])).toEqual([
      ['Average handle time', '-1.2 s'],
      ['Service level 60 seconds', '-0.0199 pp'],
      ['Contacts handled', '-1'],
    ]);
    expect(compareReports(beyond, ours, { seconds: 2, percent: 0.02 }).differences.map((d) => d.column)).toEqual(['Contacts handled']);
  });

  it('matches rows whatever the column order and however the interval offset is written, and lists rows only on one side', () => {
    const connect = parse('StartInterval,EndInterval,Queue,Contacts handled\n2026-03-10T04:00:00Z,2026-03-10T04:30:00Z,Q1,1\n2026-03-10T04:30:00Z,2026-03-10T05:00:00Z,Q1,2\n');
    const ours = parse('Queue,StartInterval,EndInterval,Contacts handled\nQ1,2026-03-10T00:00:00-04:00,2026-03-10T00:30:00-04:00,1\nQ2,2026-03-10T00:00:00-04:00,2026-03-10T00:30:00-04:00,5\n');
    const r = compareReports(connect, ours);
    expect(r.rowsCompared).toBe(1);
    expect(r.onlyInConnect.map((o) => o.rowKey)).toEqual(['Queue=Q1, StartInterval=2026-03-10T04:30:00Z']);
    expect(r.onlyInOurs.map((o) => o.rowKey)).toEqual(['Queue=Q2, StartInterval=2026-03-10T00:00:00-04:00']);
    expect(formatCompareResult(r)).toEqual([
      'ONLY IN CONNECT  Queue=Q1, StartInterval=2026-03-10T04:30:00Z (line 3)',
      'ONLY IN OURS  Queue=Q2, StartInterval=2026-03-10T00:00:00-04:00 (line 3)',
      '1 rows compared, 0 cells differ, 1 rows only in Connect, 1 rows only in ours',
    ]);
  });

  it('reports intervals of different lengths starting together as an EndInterval difference', () => {
    const connect = parse('Queue,StartInterval,EndInterval,Contacts handled\nQ,2026-03-10T09:00:00Z,2026-03-10T09:30:00Z,1\n');
    const ours = parse('Queue,StartInterval,EndInterval,Contacts handled\nQ,2026-03-10T09:00:00Z,2026-03-10T09:15:00Z,1\n');
    expect(compareReports(connect, ours).differences.map((d) => [d.column, d.difference])).toEqual([['EndInterval', '-15 min']]);
  });

  it('refuses reports grouped differently, or one with intervals against a Total', () => {
    expect(() => compareReports(golden('queues-15min.csv'), golden('agents-daily.csv'))).toThrow('grouped differently, so their rows cannot be matched: Connect by Queue; ours by Agent');
    expect(() => compareReports(golden('queues-15min.csv'), golden('queues-total.csv'))).toThrow('Connect has an interval column; ours has no interval column (a Total report)');
  });

  it('refuses reports with no metric column in common', () => {
    expect(() => compareReports(parse('Queue,Contacts handled\nQ,1\n'), parse('Queue,Contacts queued\nQ,1\n'))).toThrow('no metric column in common');
  });
});

describe('explainContacts', () => {
  const SAMPLES = new URL('../../../sample-events/ctr/', import.meta.url);
  const ctrs: Ctr[] = readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.json') && f !== 'answered-inbound.json') // the update replaces it
    .map((f) => {
      const r = parseCtr(JSON.parse(readFileSync(new URL(f, SAMPLES), 'utf8')));
      if (!r.ok) throw new Error(`${f}: ${r.error.message}`);
      return r.value;
    });
  const catalog = new EntityCatalog();
  for (const c of ctrs) for (const e of entitiesOfCtr(c)) catalog.put(e);
  const contacts: ContactLike[] = ctrs.map((c) => ({ contactId: c.contactId, dims: ctrDims(c), facts: contactFacts(c), disconnectMs: c.disconnectMs }));
  const inInterval = (start: string, end: string) => contacts.filter((c) => c.disconnectMs >= Date.parse(start) && c.disconnectMs < Date.parse(end));
  const id = (nn: string) => `5d0c6a1e-2f3b-4c4d-9e5f-6a7b8c9d00${nn}`;

  it('lists the contacts of the row (queue name mapped to its id) that count in the metric, with what each contributes', () => {
    const got = explainContacts(inInterval('2026-03-10T09:15:00Z', '2026-03-10T09:30:00Z'), { QUEUE: 'BasicQueue' }, getMetric('contacts_queued'), catalog);
    expect(got.map((c) => [c.contactId, c.contributes])).toEqual([
      [id('03'), { contacts_queued: 1 }],
      [id('04'), { contacts_queued: 1 }],
    ]);
  });

  it("keeps only contacts in the row's groups and only those that feed the metric's primitives", () => {
    const all = inInterval('2026-03-10T09:00:00Z', '2026-03-10T10:15:00Z');
    expect(explainContacts(all, { QUEUE: 'BasicQueue' }, getMetric('avg_queue_answer_time'), catalog).map((c) => c.contactId)).toEqual([id('01'), id('04'), id('06')]);
    expect(explainContacts(all, { QUEUE: 'PrimaryQueue' }, getMetric('contacts_abandoned'), catalog).map((c) => [c.contactId, c.contributes])).toEqual([[id('02'), { contacts_abandoned: 1 }]]);
    expect(explainContacts(all, { AGENT: 'jdoe' }, getMetric('avg_handle_time'), catalog).map((c) => c.contactId)).toEqual([id('01'), id('05'), id('06')]);
    expect(explainContacts(all, { QUEUE: 'NoSuchQueue' }, getMetric('contacts_queued'), catalog)).toEqual([]);
  });
});
