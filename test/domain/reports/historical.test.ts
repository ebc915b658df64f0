import { describe, expect, it } from 'vitest';
import { EMPTY_DIMS } from '../../../lambdas/domain/dimensions.js';
import type { Cell } from '../../../lambdas/domain/engine/cell.js';
import { EntityCatalog } from '../../../lambdas/domain/engine/entities.js';
import { rollup } from '../../../lambdas/domain/engine/rollup.js';
import type { RollupRow } from '../../../lambdas/domain/engine/rollup.js';
import { parseReportDefinitions } from '../../../lambdas/domain/reports/definitions.js';
import type { HistoricalReportDefinition } from '../../../lambdas/domain/reports/definitions.js';
import { historicalReportRows, historicalRollupQuery } from '../../../lambdas/domain/reports/historical.js';
import { resolveTimeRange } from '../../../lambdas/domain/reports/time-range.js';
import { bucketOf } from '../../../lambdas/domain/time/intervals.js';

const t = (iso: string) => Date.parse(iso);
const ARN = 'arn:aws:connect:us-east-1:123456789012:instance/i-1';
// Ids sort the other way round from names: rows must follow the names.
const BASIC = `${ARN}/queue/zz-basic`;
const SALES = `${ARN}/queue/aa-sales`;
const DANA = `${ARN}/agent/dana`;
const ERIK = `${ARN}/agent/erik`;

function catalog(): EntityCatalog {
  const c = new EntityCatalog();
  c.put({ kind: 'queue', id: BASIC, arn: BASIC, name: 'BasicQueue', seenMs: 1 });
  c.put({ kind: 'queue', id: SALES, arn: SALES, name: 'Sales', seenMs: 1 });
  c.put({ kind: 'agent', id: DANA, arn: DANA, name: 'dana', firstName: 'Dana', lastName: 'Scully', seenMs: 1 });
  c.put({ kind: 'agent', id: ERIK, arn: ERIK, name: 'erik', firstName: null, lastName: null, seenMs: 1 });
  return c;
}

function historical(overrides: Record<string, unknown> = {}): HistoricalReportDefinition {
  const [d] = parseReportDefinitions({
    reports: [
      {
        name: 'queues-half-hour',
        type: 'HISTORICAL',
        groupings: ['QUEUE'],
        metrics: ['Contacts queued', 'Contacts handled', 'Service level 60 seconds', 'Average handle time'],
        interval: 'THIRTY_MIN',
        timeRange: 'YESTERDAY',
        timeZone: 'America/New_York',
        schedule: { frequency: 'DAILY', at: '00:00' },
        ...overrides,
      },
    ],
  });
  if (d?.type !== 'HISTORICAL') throw new Error('expected a historical definition');
  return d;
}

/** 2026-03-10 09:00 and 09:30 in New York (EDT, UTC−4). */
const NINE = t('2026-03-10T13:00:00Z');
const NINE_THIRTY = t('2026-03-10T13:30:00Z');
const TEN = t('2026-03-10T14:00:00Z');

/** Rollup rows as the rollup returns them: sorted by id (Sales' id first). */
const rollupRows: RollupRow[] = [
  {
    group: [SALES],
    intervalStartMs: NINE,
    intervalEndMs: NINE_THIRTY,
    // Two contacts, both answered within 60 s; AHT (7,578,800 ms / 2) = 3789.4 s.
    primitives: { ctr_records: 2, contacts_queued: 2, contacts_handled: 2, removed_in_60: 2, agent_interaction_time: 7_000_000, customer_hold_time: 378_800, after_contact_work_time: 200_000 },
  },
  {
    group: [BASIC],
    intervalStartMs: NINE_THIRTY,
    intervalEndMs: TEN,
    // One abandoned contact after 90 s: nothing handled, so no handle time.
    primitives: { ctr_records: 1, contacts_queued: 1, contacts_abandoned: 1 },
  },
  {
    group: [BASIC],
    intervalStartMs: NINE,
    intervalEndMs: NINE_THIRTY,
    // Seven queued, six handled, six removed within 60 s: 6/7 = 85.71 %; AHT 1,980,000 ms / 6 = 330 s.
    primitives: { ctr_records: 7, contacts_queued: 7, contacts_handled: 6, removed_in_60: 6, agent_interaction_time: 1_800_000, customer_hold_time: 60_000, after_contact_work_time: 120_000 },
  },
];

describe('historicalReportRows', () => {
  it('heads the CSV with the grouping, the interval and the metrics’ Amazon Connect names', () => {
    const { header } = historicalReportRows(historical(), rollupRows, catalog());
    expect(header).toEqual(['Queue', 'StartInterval', 'EndInterval', 'Contacts queued', 'Contacts handled', 'Service level 60 seconds', 'Average handle time']);
  });

  it('gives two queues’ half hours sorted by queue name then interval, formatted (durations in seconds by default)', () => {
    const { rows } = historicalReportRows(historical(), rollupRows, catalog());
    expect([...rows]).toEqual([
      ['BasicQueue', '2026-03-10T09:00:00-04:00', '2026-03-10T09:30:00-04:00', '7', '6', '85.71%', '330'],
      ['BasicQueue', '2026-03-10T09:30:00-04:00', '2026-03-10T10:00:00-04:00', '1', '0', '0.00%', '-'],
      ['Sales', '2026-03-10T09:00:00-04:00', '2026-03-10T09:30:00-04:00', '2', '2', '100.00%', '3789.4'],
    ]);
  });

  it('writes HH:MM:SS when the definition asks for it', () => {
    const { rows } = historicalReportRows(historical({ durationFormat: 'HH_MM_SS' }), rollupRows, catalog());
    expect([...rows].map((r) => r[6])).toEqual(['00:05:30', '-', '01:03:09']);
  });

  it('puts StartInterval and EndInterval first, rows by interval then queue, with intervalColumn FIRST', () => {
    const def = historical({ intervalColumn: 'FIRST' });
    const { header, rows } = historicalReportRows(def, rollupRows, catalog());
    expect(header.slice(0, 3)).toEqual(['StartInterval', 'EndInterval', 'Queue']);
    expect([...rows]).toEqual([
      ['2026-03-10T09:00:00-04:00', '2026-03-10T09:30:00-04:00', 'BasicQueue', '7', '6', '85.71%', '330'],
      ['2026-03-10T09:00:00-04:00', '2026-03-10T09:30:00-04:00', 'Sales', '2', '2', '100.00%', '3789.4'],
      ['2026-03-10T09:30:00-04:00', '2026-03-10T10:00:00-04:00', 'BasicQueue', '1', '0', '0.00%', '-'],
    ]);
  });

  it('can be iterated more than once', () => {
    const { rows } = historicalReportRows(historical(), rollupRows, catalog());
    expect([...rows]).toEqual([...rows]);
  });

  it('leaves the interval columns out for TOTAL', () => {
    const total: RollupRow[] = [{ group: [SALES], intervalStartMs: NINE, intervalEndMs: TEN, primitives: { ctr_records: 1, contacts_queued: 1 } }];
    const report = historicalReportRows(historical({ interval: 'TOTAL', metrics: ['Contacts queued'] }), total, catalog());
    expect(report.header).toEqual(['Queue', 'Contacts queued']);
    expect([...report.rows]).toEqual([['Sales', '1']]);
  });

  it('writes decimal seconds in SECONDS format', () => {
    const { rows } = historicalReportRows(historical({ durationFormat: 'SECONDS', metrics: ['Average handle time'] }), rollupRows, catalog());
    expect([...rows].map((r) => r[3])).toEqual(['330', '-', '3789.4']);
  });

  it('shows the agent login and adds Agent Name (Last, First) after it', () => {
    const def = historical({ groupings: ['AGENT'], agentName: true, interval: 'TOTAL', metrics: ['Contacts handled'] });
    const agentRows: RollupRow[] = [
      { group: [ERIK], intervalStartMs: NINE, intervalEndMs: TEN, primitives: { ctr_records: 1, contacts_handled: 1 } },
      { group: [DANA], intervalStartMs: NINE, intervalEndMs: TEN, primitives: { ctr_records: 3, contacts_handled: 3 } },
    ];
    const report = historicalReportRows(def, agentRows, catalog());
    expect(report.header).toEqual(['Agent', 'Agent Name', 'Contacts handled']);
    expect([...report.rows]).toEqual([
      ['dana', 'Scully, Dana', '3'],
      ['erik', '-', '1'],
    ]);
  });

  it('nests groupings in the order asked and falls back to the id for unknown names', () => {
    const def = historical({ groupings: ['CHANNEL', 'QUEUE'], interval: 'TOTAL', metrics: ['Contacts queued'] });
    const unknown = `${ARN}/queue/unknown`;
    const nested: RollupRow[] = [
      { group: ['VOICE', SALES], intervalStartMs: NINE, intervalEndMs: TEN, primitives: { ctr_records: 1, contacts_queued: 1 } },
      { group: ['CHAT', unknown], intervalStartMs: NINE, intervalEndMs: TEN, primitives: { ctr_records: 1, contacts_queued: 2 } },
      { group: ['VOICE', BASIC], intervalStartMs: NINE, intervalEndMs: TEN, primitives: { ctr_records: 1, contacts_queued: 3 } },
    ];
    const report = historicalReportRows(def, nested, catalog());
    expect(report.header).toEqual(['Channel', 'Queue', 'Contacts queued']);
    expect([...report.rows]).toEqual([
      ['CHAT', unknown, '2'],
      ['VOICE', 'BasicQueue', '3'],
      ['VOICE', 'Sales', '1'],
    ]);
  });
});

describe('historicalRollupQuery', () => {
  const range = resolveTimeRange('YESTERDAY', t('2026-03-11T00:00:00-04:00'), 'America/New_York');

  it('groups by the groupings’ dimensions in the report zone and interval', () => {
    const { query } = historicalRollupQuery(historical({ groupings: ['QUEUE', 'AGENT'] }), range, catalog());
    expect(query).toMatchObject({ groupBy: ['queue', 'agent'], interval: 'THIRTY_MIN', timeZone: 'America/New_York', startMs: t('2026-03-10T04:00:00Z'), endMs: t('2026-03-11T04:00:00Z') });
  });

  it('resolves filter names to ids', () => {
    const { query, warnings } = historicalRollupQuery(historical({ filters: { QUEUE: ['BasicQueue'] } }), range, catalog());
    expect(query.filters?.queue).toEqual(new Set(['BasicQueue', BASIC]));
    expect(warnings).toEqual([]);
  });

  it('keeps only the filtered queue’s cells when rolled up', () => {
    const { query } = historicalRollupQuery(historical({ filters: { QUEUE: ['BasicQueue'] } }), range, catalog());
    const cells: Cell[] = [BASIC, SALES].map((q) => ({ bucket: bucketOf(NINE), dims: { ...EMPTY_DIMS, queue: q, channel: 'VOICE' }, values: { ctr_records: 1, contacts_queued: 1 } }));
    expect(rollup(cells, query).map((r) => r.group)).toEqual([[BASIC]]);
  });

  it('warns about a filter value that matches nothing, and the report has no rows', () => {
    const { query, warnings } = historicalRollupQuery(historical({ filters: { QUEUE: ['Basic Queue'] } }), range, catalog());
    const cells: Cell[] = [{ bucket: bucketOf(NINE), dims: { ...EMPTY_DIMS, queue: BASIC }, values: { ctr_records: 1, contacts_queued: 1 } }];
    expect(warnings).toEqual(['filters.QUEUE: "Basic Queue" matches no queue known to the catalog; no data matches it']);
    expect([...historicalReportRows(historical(), rollup(cells, query), catalog()).rows]).toEqual([]);
  });
});
