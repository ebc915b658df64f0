import { describe, expect, it } from 'vitest';
import { EMPTY_DIMS } from '../../../lambdas/domain/dimensions.js';
import type { AgentSession } from '../../../lambdas/domain/engine/agent-activity.js';
import { EntityCatalog } from '../../../lambdas/domain/engine/entities.js';
import type { AgentConfig } from '../../../lambdas/domain/reports/filters.js';
import { parseReportDefinitions } from '../../../lambdas/domain/reports/definitions.js';
import type { ReportDefinition } from '../../../lambdas/domain/reports/definitions.js';
import { LOGIN_LOGOUT_HEADER, LOGIN_LOGOUT_ROW_LIMIT, loginLogoutRows, RowLimitExceededError, sessionConfig } from '../../../lambdas/domain/reports/login-logout.js';
import { buildReport } from '../../../lambdas/reporting/generate-report.js';
import { EventReader, GINA, ginaEvent, ginaSnapshot } from './event-reader.js';

const t = (iso: string) => Date.parse(iso);
const ARN = 'arn:aws:connect:us-east-1:123456789012:instance/i-1';
const agent = (login: string) => `${ARN}/agent/${login}`;
const BASIC_PROFILE = `${ARN}/routing-profile/basic`;
const SALES_PROFILE = `${ARN}/routing-profile/sales`;
const NA = `${ARN}/agent-group/na`;
const SEATTLE = `${ARN}/agent-group/seattle`;
const NY = 'America/New_York';

function catalog(): EntityCatalog {
  const c = new EntityCatalog();
  for (const [login, first, last] of [
    ['dana', 'Dana', 'Scully'],
    ['erik', 'Erik', 'Lehnsherr'],
  ] as const) {
    c.put({ kind: 'agent', id: agent(login), arn: agent(login), name: login, firstName: first, lastName: last, seenMs: 1 });
  }
  c.put({ kind: 'routingProfile', id: BASIC_PROFILE, arn: BASIC_PROFILE, name: 'Basic Routing Profile', seenMs: 1 });
  c.put({ kind: 'routingProfile', id: SALES_PROFILE, arn: SALES_PROFILE, name: 'Sales', seenMs: 1 });
  c.put({ kind: 'hierarchyGroup', id: NA, arn: NA, name: 'North America', seenMs: 1 });
  c.put({ kind: 'hierarchyGroup', id: SEATTLE, arn: SEATTLE, name: 'Seattle', seenMs: 1 });
  return c;
}

const configs: Record<string, AgentConfig> = {
  [agent('dana')]: { ...EMPTY_DIMS, routingProfile: BASIC_PROFILE, hierarchy1: NA, hierarchy2: SEATTLE },
  [agent('erik')]: { ...EMPTY_DIMS, routingProfile: SALES_PROFILE },
};
const agentInfo = (arn: string) => configs[arn];

/** 2026-03-10 in New York (EDT). */
const range = { startMs: t('2026-03-10T00:00:00-04:00'), endMs: t('2026-03-11T00:00:00-04:00'), zone: NY, agentInfo };

const session = (login: string, inIso: string, outIso: string | null): AgentSession => ({
  agentArn: agent(login),
  loginMs: t(inIso),
  logoutMs: outIso === null ? null : t(outIso),
});

describe('loginLogoutRows', () => {
  it('has the documented columns', () => {
    expect(loginLogoutRows([], catalog(), range).header).toEqual([
      'Agent',
      'Agent First Name',
      'Agent Last Name',
      'Routing Profile',
      'Agent Hierarchy',
      'Login Time',
      'Logout Time',
      'Session Duration',
    ]);
    expect(LOGIN_LOGOUT_HEADER).toHaveLength(8);
  });

  it('shows a session inside the range with both times and its duration', () => {
    const { rows } = loginLogoutRows([session('dana', '2026-03-10T08:00:00-04:00', '2026-03-10T16:30:15-04:00')], catalog(), range);
    expect(rows).toEqual([
      ['dana', 'Dana', 'Scully', 'Basic Routing Profile', 'North America / Seattle', '2026-03-10T08:00:00-04:00', '2026-03-10T16:30:15-04:00', '08:30:15'],
    ]);
  });

  it('shows a session that began before the range and ended in it with both times and its whole duration', () => {
    const { rows } = loginLogoutRows([session('erik', '2026-03-09T22:00:00-04:00', '2026-03-10T02:00:00-04:00')], catalog(), range);
    expect(rows).toEqual([['erik', 'Erik', 'Lehnsherr', 'Sales', '', '2026-03-09T22:00:00-04:00', '2026-03-10T02:00:00-04:00', '04:00:00']]);
  });

  it('shows a session still open with no logout time and its duration up to the range end', () => {
    const { rows } = loginLogoutRows([session('dana', '2026-03-10T21:00:00-04:00', null)], catalog(), range);
    expect(rows.map((r) => r.slice(5))).toEqual([['2026-03-10T21:00:00-04:00', '', '03:00:00']]);
  });

  it('does not show a logout after the range end: the agent was still logged in at the end', () => {
    const { rows } = loginLogoutRows([session('dana', '2026-03-10T20:00:00-04:00', '2026-03-11T01:00:00-04:00')], catalog(), range);
    expect(rows.map((r) => r.slice(5))).toEqual([['2026-03-10T20:00:00-04:00', '', '04:00:00']]);
  });

  it('leaves out sessions with no login or logout in the range', () => {
    const sessions = [
      session('dana', '2026-03-09T08:00:00-04:00', '2026-03-09T17:00:00-04:00'), // before
      session('dana', '2026-03-11T08:00:00-04:00', null), // after
      session('erik', '2026-03-09T20:00:00-04:00', '2026-03-11T02:00:00-04:00'), // spans the whole range
      session('erik', '2026-03-09T21:00:00-04:00', null), // open since before the range
    ];
    expect(loginLogoutRows(sessions, catalog(), range).rows).toEqual([]);
  });

  it('includes a login at the range start and excludes one at the range end', () => {
    const sessions = [session('dana', '2026-03-10T00:00:00-04:00', null), session('erik', '2026-03-11T00:00:00-04:00', null)];
    expect(loginLogoutRows(sessions, catalog(), range).rows.map((r) => r[0])).toEqual(['dana']);
  });

  it('sorts by agent login, then login time', () => {
    const sessions = [
      session('erik', '2026-03-10T09:00:00-04:00', '2026-03-10T10:00:00-04:00'),
      session('dana', '2026-03-10T13:00:00-04:00', '2026-03-10T14:00:00-04:00'),
      session('dana', '2026-03-10T08:00:00-04:00', '2026-03-10T12:00:00-04:00'),
    ];
    expect(loginLogoutRows(sessions, catalog(), range).rows.map((r) => `${r[0]} ${r[5]}`)).toEqual([
      'dana 2026-03-10T08:00:00-04:00',
      'dana 2026-03-10T13:00:00-04:00',
      'erik 2026-03-10T09:00:00-04:00',
    ]);
  });

  it('filters by routing profile name and by hierarchy group', () => {
    const sessions = [session('dana', '2026-03-10T08:00:00-04:00', null), session('erik', '2026-03-10T09:00:00-04:00', null)];
    expect(loginLogoutRows(sessions, catalog(), { ...range, filters: { ROUTING_PROFILE: ['Sales'] } }).rows.map((r) => r[0])).toEqual(['erik']);
    expect(loginLogoutRows(sessions, catalog(), { ...range, filters: { AGENT_HIERARCHY_LEVEL_TWO: ['Seattle'] } }).rows.map((r) => r[0])).toEqual(['dana']);
  });

  it('filters by agent login or ARN', () => {
    const sessions = [session('dana', '2026-03-10T08:00:00-04:00', null), session('erik', '2026-03-10T09:00:00-04:00', null)];
    expect(loginLogoutRows(sessions, catalog(), { ...range, filters: { AGENT: ['dana', agent('erik')] } }).rows.map((r) => r[0])).toEqual(['dana', 'erik']);
  });

  it('writes the duration in seconds when asked', () => {
    const { rows } = loginLogoutRows([session('dana', '2026-03-10T08:00:00-04:00', '2026-03-10T08:01:30-04:00')], catalog(), { ...range, durationFormat: 'SECONDS' });
    expect(rows[0]?.[7]).toBe('90');
  });

  it('accepts exactly 10,000 rows', () => {
    const sessions = Array.from({ length: LOGIN_LOGOUT_ROW_LIMIT }, (_, i) => ({ agentArn: agent('dana'), loginMs: range.startMs + i * 1000, logoutMs: null }));
    expect(loginLogoutRows(sessions, catalog(), range).rows).toHaveLength(10_000);
  });

  it('fails with RowLimitExceededError at 10,001 rows', () => {
    const sessions = Array.from({ length: LOGIN_LOGOUT_ROW_LIMIT + 1 }, (_, i) => ({ agentArn: agent('dana'), loginMs: range.startMs + i * 1000, logoutMs: null }));
    expect(() => loginLogoutRows(sessions, catalog(), range)).toThrow(RowLimitExceededError);
    expect(() => loginLogoutRows(sessions, catalog(), range)).toThrow('Login/logout report has 10001 rows, more than the limit of 10000');
  });

  it('counts only the rows the report would have (sessions outside the range do not count)', () => {
    const outside = Array.from({ length: LOGIN_LOGOUT_ROW_LIMIT + 1 }, (_, i) => ({ agentArn: agent('dana'), loginMs: range.endMs + i * 1000, logoutMs: null }));
    expect(loginLogoutRows(outside, catalog(), range).rows).toEqual([]);
  });
});

// ---------------------------------------------------------------- from real event shapes

describe('login/logout report from events whose LOGIN and LOGOUT carry no snapshot', () => {
  const day = { startMs: t('2026-03-10T00:00:00Z'), endMs: t('2026-03-11T00:00:00Z') };
  const [definition] = parseReportDefinitions({
    reports: [{ name: 'll', type: 'LOGIN_LOGOUT', timeZone: 'UTC', timeRange: { start: '2026-03-10', end: '2026-03-11' }, prefix: 'p', durationFormat: 'HH_MM_SS' }],
  });
  const def = definition as ReportDefinition;
  const events = [
    // The day before, Gina worked in Sales (EMEA).
    ginaEvent('LOGIN', '2026-03-09T16:00:00.000Z', null),
    ginaEvent('STATE_CHANGE', '2026-03-09T16:00:00.250Z', ginaSnapshot('Available', '2026-03-09T16:00:00.000Z', 'sales', 'emea')),
    ginaEvent('LOGOUT', '2026-03-09T21:00:00.000Z', null),
    // Moved to Basic (North America) overnight; no snapshot on LOGIN or LOGOUT.
    ginaEvent('LOGIN', '2026-03-10T08:00:00.000Z', null),
    ginaEvent('STATE_CHANGE', '2026-03-10T08:00:00.300Z', ginaSnapshot('Available', '2026-03-10T08:00:00.000Z', 'basic', 'na')),
    ginaEvent('HEART_BEAT', '2026-03-10T08:02:00.300Z', ginaSnapshot('Available', '2026-03-10T08:00:00.000Z', 'basic', 'na')),
    ginaEvent('LOGOUT', '2026-03-10T09:00:00.000Z', null),
    ginaEvent('HEART_BEAT', '2026-03-10T09:02:00.000Z', ginaSnapshot('Offline', '2026-03-10T09:00:00.000Z', 'basic', 'na')),
    // A short session with no snapshot at all: the latest one before its logout (the heart beat after the last logout).
    ginaEvent('LOGIN', '2026-03-10T10:00:00.000Z', null),
    ginaEvent('LOGOUT', '2026-03-10T10:01:00.000Z', null),
    // Back in Sales (EMEA) for the afternoon, still logged in at the end of the day.
    ginaEvent('LOGIN', '2026-03-10T13:00:00.000Z', null),
    ginaEvent('STATE_CHANGE', '2026-03-10T13:00:00.400Z', ginaSnapshot('Available', '2026-03-10T13:00:00.000Z', 'sales', 'emea')),
  ];

  it('takes routing profile and hierarchy from the latest snapshot at or before the logout, and the agent from any event naming her', async () => {
    const report = await buildReport(def, day, new EventReader(events));
    expect(report.rows).toEqual([
      ['gina', 'Gina', 'Rossi', 'Basic Routing Profile', 'North America', '2026-03-10T08:00:00Z', '2026-03-10T09:00:00Z', '01:00:00'],
      ['gina', 'Gina', 'Rossi', 'Basic Routing Profile', 'North America', '2026-03-10T10:00:00Z', '2026-03-10T10:01:00Z', '00:01:00'],
      ['gina', 'Gina', 'Rossi', 'Sales', 'EMEA', '2026-03-10T13:00:00Z', '', '11:00:00'],
    ]);
  });

  it('filters on the routing profile and hierarchy of each session', async () => {
    const sales = await buildReport({ ...def, filters: { ROUTING_PROFILE: ['Sales'] } }, day, new EventReader(events));
    expect([...sales.rows].map((r) => r[5])).toEqual(['2026-03-10T13:00:00Z']);
    const na = await buildReport({ ...def, filters: { AGENT_HIERARCHY_LEVEL_ONE: ['North America'] } }, day, new EventReader(events));
    expect([...na.rows].map((r) => r[5])).toEqual(['2026-03-10T08:00:00Z', '2026-03-10T10:00:00Z']);
  });

  it('uses the first snapshot after the login when none was seen before the logout', async () => {
    const first = [
      ginaEvent('LOGIN', '2026-03-10T08:00:00.000Z', null),
      ginaEvent('LOGOUT', '2026-03-10T08:00:30.000Z', null),
      ginaEvent('HEART_BEAT', '2026-03-10T08:02:30.000Z', ginaSnapshot('Offline', '2026-03-10T08:00:30.000Z', 'sales', 'emea')),
    ];
    const report = await buildReport(def, day, new EventReader(first));
    expect(report.rows).toEqual([['gina', 'Gina', 'Rossi', 'Sales', 'EMEA', '2026-03-10T08:00:00Z', '2026-03-10T08:00:30Z', '00:00:30']]);
  });

  it('shows the ARN only for an agent no event ever named, and blank configuration columns', async () => {
    const unnamed = [ginaEvent('LOGIN', '2026-03-10T08:00:00.000Z', null), ginaEvent('LOGOUT', '2026-03-10T08:10:00.000Z', null)];
    const report = await buildReport(def, day, new EventReader(unnamed));
    expect(report.rows).toEqual([[GINA, '', '', '', '', '2026-03-10T08:00:00Z', '2026-03-10T08:10:00Z', '00:10:00']]);
  });

  it('sessionConfig: latest configured point at or before the reference instant, else the first one after the login', () => {
    const p = (iso: string, routingProfile: string | null) => ({
      eventId: iso,
      eventMs: t(iso),
      type: 'STATE_CHANGE',
      statusType: null,
      statusName: null,
      dims: { ...EMPTY_DIMS, routingProfile },
      contacts: [],
    });
    const s = session('dana', '2026-03-10T08:00:00Z', '2026-03-10T09:00:00Z');
    const points = [p('2026-03-10T07:00:00Z', 'old'), p('2026-03-10T08:30:00Z', 'mid'), p('2026-03-10T09:00:00Z', null), p('2026-03-10T09:30:00Z', 'late')];
    expect(sessionConfig(s, points, t('2026-03-10T09:00:00Z'))?.routingProfile).toBe('mid');
    expect(sessionConfig(s, points.slice(2), t('2026-03-10T09:00:00Z'))?.routingProfile).toBe('late');
    expect(sessionConfig(s, [points[2] as (typeof points)[number]], t('2026-03-10T09:00:00Z'))).toBeUndefined();
  });
});
