import { describe, expect, it } from 'vitest';
import { EMPTY_DIMS } from '../../../lambdas/domain/dimensions.js';
import type { AgentSession } from '../../../lambdas/domain/engine/agent-activity.js';
import { EntityCatalog } from '../../../lambdas/domain/engine/entities.js';
import type { AgentConfig } from '../../../lambdas/domain/reports/filters.js';
import { LOGIN_LOGOUT_HEADER, LOGIN_LOGOUT_ROW_LIMIT, loginLogoutRows, RowLimitExceededError } from '../../../lambdas/domain/reports/login-logout.js';

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
