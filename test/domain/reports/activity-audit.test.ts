import { describe, expect, it } from 'vitest';
import { EMPTY_DIMS } from '../../../lambdas/domain/dimensions.js';
import type { TimelinePoint } from '../../../lambdas/domain/engine/agent-activity.js';
import { EntityCatalog } from '../../../lambdas/domain/engine/entities.js';
import { parseAgentEvent } from '../../../lambdas/domain/model/agent-event.js';
import { ACTIVITY_AUDIT_HEADER, activityAuditRows, auditSegments, contactStatusName, toAuditPoint } from '../../../lambdas/domain/reports/activity-audit.js';
import type { AuditPoint } from '../../../lambdas/domain/reports/activity-audit.js';
import { parseReportDefinitions } from '../../../lambdas/domain/reports/definitions.js';
import type { ReportDefinition } from '../../../lambdas/domain/reports/definitions.js';
import { buildReport } from '../../../lambdas/reporting/generate-report.js';
import { EventReader, ginaEvent, ginaSnapshot } from './event-reader.js';

const t = (iso: string) => Date.parse(iso);
const ARN = 'arn:aws:connect:us-east-1:123456789012:instance/i-1';
const DANA = `${ARN}/agent/dana`;
const ERIK = `${ARN}/agent/erik`;
const SALES_PROFILE = `${ARN}/routing-profile/sales`;
const NY = 'America/New_York';

function catalog(): EntityCatalog {
  const c = new EntityCatalog();
  c.put({ kind: 'agent', id: DANA, arn: DANA, name: 'dana', seenMs: 1 });
  c.put({ kind: 'agent', id: ERIK, arn: ERIK, name: 'erik', seenMs: 1 });
  c.put({ kind: 'routingProfile', id: SALES_PROFILE, arn: SALES_PROFILE, name: 'Sales', seenMs: 1 });
  return c;
}

let seq = 0;
function point(agentArn: string, iso: string, type: string, status: [string, string] | null, contacts: Array<[string, string]> = [], routingProfile: string | null = null): TimelinePoint {
  seq += 1;
  return {
    eventId: `e${seq}`,
    eventMs: t(iso),
    type,
    statusType: status?.[0] ?? null,
    statusName: status?.[1] ?? null,
    dims: { ...EMPTY_DIMS, agent: agentArn, routingProfile },
    contacts: contacts.map(([id, state]) => ({ id, state })),
  };
}
const AVAILABLE: [string, string] = ['ROUTABLE', 'Available'];
const LUNCH: [string, string] = ['CUSTOM', 'Lunch'];

/** Dana's evening of 2026-03-10 into the small hours of 2026-03-11, New York (EDT). */
const danaTimeline: TimelinePoint[] = [
  point(DANA, '2026-03-09T23:00:00-04:00', 'STATE_CHANGE', AVAILABLE), // in force before the range
  point(DANA, '2026-03-10T23:50:00-04:00', 'STATE_CHANGE', AVAILABLE, [['c1', 'CONNECTED']]),
  point(DANA, '2026-03-10T23:55:00-04:00', 'HEART_BEAT', AVAILABLE, [['c1', 'CONNECTED']]),
  point(DANA, '2026-03-11T00:10:00-04:00', 'STATE_CHANGE', AVAILABLE, [['c1', 'ENDED']]),
  point(DANA, '2026-03-11T00:12:00-04:00', 'STATE_CHANGE', AVAILABLE),
  point(DANA, '2026-03-11T00:20:00-04:00', 'STATE_CHANGE', LUNCH),
  point(DANA, '2026-03-11T00:50:00-04:00', 'LOGOUT', null),
];

/** 2026-03-10 and 2026-03-11 in New York. */
const range = { startMs: t('2026-03-10T00:00:00-04:00'), endMs: t('2026-03-12T00:00:00-04:00'), zone: NY };

describe('activityAuditRows', () => {
  it('has the audit columns', () => {
    expect(activityAuditRows([], catalog(), range).header).toEqual(['Agent', 'Date', 'Status', 'Contact ID', 'Contact State', 'Start', 'End', 'Duration']);
    expect(ACTIVITY_AUDIT_HEADER).toHaveLength(8);
  });

  it('lists every status and contact-state change, split at local midnight', () => {
    const { rows } = activityAuditRows([{ agentArn: DANA, points: danaTimeline }], catalog(), range);
    expect(rows).toEqual([
      ['dana', '2026-03-10', 'Available', '', '', '2026-03-10T00:00:00-04:00', '2026-03-11T00:00:00-04:00', '24:00:00'],
      ['dana', '2026-03-10', 'Busy', 'c1', 'CONNECTED', '2026-03-10T23:50:00-04:00', '2026-03-11T00:00:00-04:00', '00:10:00'],
      ['dana', '2026-03-11', 'Available', '', '', '2026-03-11T00:00:00-04:00', '2026-03-11T00:20:00-04:00', '00:20:00'],
      ['dana', '2026-03-11', 'Busy', 'c1', 'CONNECTED', '2026-03-11T00:00:00-04:00', '2026-03-11T00:10:00-04:00', '00:10:00'],
      ['dana', '2026-03-11', 'After Contact Work', 'c1', 'ENDED', '2026-03-11T00:10:00-04:00', '2026-03-11T00:12:00-04:00', '00:02:00'],
      ['dana', '2026-03-11', 'Lunch', '', '', '2026-03-11T00:20:00-04:00', '2026-03-11T00:50:00-04:00', '00:30:00'],
    ]);
  });

  it('uses the report zone for dates and times', () => {
    const { rows } = activityAuditRows([{ agentArn: DANA, points: danaTimeline }], catalog(), { ...range, zone: 'UTC', startMs: t('2026-03-11T00:00:00Z'), endMs: t('2026-03-12T00:00:00Z') });
    // 23:50 EDT is 03:50Z: in UTC the contact lies within one day.
    expect(rows.filter((r) => r[3] === 'c1').map((r) => [r[1], r[4], r[5], r[6]])).toEqual([
      ['2026-03-11', 'CONNECTED', '2026-03-11T03:50:00Z', '2026-03-11T04:10:00Z'],
      ['2026-03-11', 'ENDED', '2026-03-11T04:10:00Z', '2026-03-11T04:12:00Z'],
    ]);
  });

  it('ends an open segment at the range end when a later point shows it lasted', () => {
    const points = [point(ERIK, '2026-03-11T22:00:00-04:00', 'LOGIN', AVAILABLE), point(ERIK, '2026-03-12T00:01:00-04:00', 'HEART_BEAT', AVAILABLE)];
    const { rows } = activityAuditRows([{ agentArn: ERIK, points }], catalog(), range);
    expect(rows).toEqual([['erik', '2026-03-11', 'Available', '', '', '2026-03-11T22:00:00-04:00', '2026-03-12T00:00:00-04:00', '02:00:00']]);
  });

  it("ends the last status at the agent's last event, where the agent report stops counting its time", () => {
    const points = [point(ERIK, '2026-03-11T22:00:00-04:00', 'LOGIN', AVAILABLE), point(ERIK, '2026-03-11T22:02:00-04:00', 'HEART_BEAT', AVAILABLE)];
    const { rows } = activityAuditRows([{ agentArn: ERIK, points }], catalog(), range);
    expect(rows).toEqual([['erik', '2026-03-11', 'Available', '', '', '2026-03-11T22:00:00-04:00', '2026-03-11T22:02:00-04:00', '00:02:00']]);
  });

  it('sorts agents by login', () => {
    const erik = [point(ERIK, '2026-03-10T09:00:00-04:00', 'LOGIN', AVAILABLE), point(ERIK, '2026-03-10T10:00:00-04:00', 'LOGOUT', null)];
    const { rows } = activityAuditRows(
      [
        { agentArn: ERIK, points: erik },
        { agentArn: DANA, points: danaTimeline },
      ],
      catalog(),
      range,
    );
    expect([...new Set(rows.map((r) => r[0]))]).toEqual(['dana', 'erik']);
  });

  it('keeps only agents whose configuration matches a routing-profile filter', () => {
    const erik = [point(ERIK, '2026-03-10T09:00:00-04:00', 'LOGIN', AVAILABLE, [], SALES_PROFILE), point(ERIK, '2026-03-10T10:00:00-04:00', 'LOGOUT', null)];
    const { rows } = activityAuditRows(
      [
        { agentArn: ERIK, points: erik },
        { agentArn: DANA, points: danaTimeline },
      ],
      catalog(),
      { ...range, filters: { ROUTING_PROFILE: ['Sales'] } },
    );
    expect(rows.map((r) => r[0])).toEqual(['erik']);
  });
});

describe('auditSegments', () => {
  const start = t('2026-03-10T00:00:00Z');
  const end = t('2026-03-11T00:00:00Z');

  it('does not split a status on a heartbeat or a repeated status', () => {
    const points = [
      point(DANA, '2026-03-10T08:00:00Z', 'LOGIN', AVAILABLE),
      point(DANA, '2026-03-10T08:02:00Z', 'HEART_BEAT', AVAILABLE),
      point(DANA, '2026-03-10T08:05:00Z', 'STATE_CHANGE', AVAILABLE),
      point(DANA, '2026-03-10T09:00:00Z', 'LOGOUT', null),
    ];
    expect(auditSegments(points, start, end)).toEqual([{ kind: 'STATUS', status: 'Available', startMs: t('2026-03-10T08:00:00Z'), endMs: t('2026-03-10T09:00:00Z') }]);
  });

  it('records nothing between LOGOUT and the next LOGIN', () => {
    const points = [
      point(DANA, '2026-03-10T08:00:00Z', 'LOGIN', AVAILABLE),
      point(DANA, '2026-03-10T09:00:00Z', 'LOGOUT', null),
      point(DANA, '2026-03-10T10:00:00Z', 'LOGIN', ['OFFLINE', 'Offline']),
      point(DANA, '2026-03-10T10:30:00Z', 'LOGOUT', null),
    ];
    expect(auditSegments(points, start, end).map((s) => [s.kind === 'STATUS' ? s.status : '', s.startMs, s.endMs])).toEqual([
      ['Available', t('2026-03-10T08:00:00Z'), t('2026-03-10T09:00:00Z')],
      ['Offline', t('2026-03-10T10:00:00Z'), t('2026-03-10T10:30:00Z')],
    ]);
  });

  it('ends a contact segment when the contact leaves the snapshot and at LOGOUT', () => {
    const points = [
      point(DANA, '2026-03-10T08:00:00Z', 'STATE_CHANGE', AVAILABLE, [
        ['a', 'CONNECTED'],
        ['b', 'CONNECTED'],
      ]),
      point(DANA, '2026-03-10T08:05:00Z', 'STATE_CHANGE', AVAILABLE, [['b', 'CONNECTED']]),
      point(DANA, '2026-03-10T08:07:00Z', 'LOGOUT', null),
    ];
    const contacts = auditSegments(points, start, end).filter((s) => s.kind === 'CONTACT');
    expect(contacts).toEqual([
      { kind: 'CONTACT', contactId: 'a', state: 'CONNECTED', status: 'Busy', startMs: t('2026-03-10T08:00:00Z'), endMs: t('2026-03-10T08:05:00Z') },
      { kind: 'CONTACT', contactId: 'b', state: 'CONNECTED', status: 'Busy', startMs: t('2026-03-10T08:00:00Z'), endMs: t('2026-03-10T08:07:00Z') },
    ]);
  });

  it('ignores points after the range end', () => {
    const points = [point(DANA, '2026-03-10T23:00:00Z', 'LOGIN', AVAILABLE), point(DANA, '2026-03-11T01:00:00Z', 'STATE_CHANGE', LUNCH)];
    expect(auditSegments(points, start, end)).toEqual([{ kind: 'STATUS', status: 'Available', startMs: t('2026-03-10T23:00:00Z'), endMs: end }]);
  });
});

// ---------------------------------------------------------------- real event shapes

const at = (p: TimelinePoint, statusStartIso: string | null, methods: Record<string, string> = {}): AuditPoint => ({
  ...p,
  statusStartMs: statusStartIso === null ? null : t(statusStartIso),
  contacts: p.contacts.map((c) => ({ ...c, method: methods[c.id] })),
});

const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const FRED = `${INSTANCE}/agent/fred`;
function snapshot(status: string, type: string, since: string, contacts: Array<{ id: string; state: string; method: string }> = []) {
  return {
    AgentStatus: { ARN: `${INSTANCE}/agent-state/${status}`, Name: status, StartTimestamp: since, Type: type },
    Configuration: {
      AgentHierarchyGroups: null,
      FirstName: 'Fred',
      LastName: 'Fox',
      RoutingProfile: { ARN: `${INSTANCE}/routing-profile/basic`, Name: 'Basic', InboundQueues: [{ ARN: `${INSTANCE}/queue/agent/fred`, Name: null }] },
      Username: 'fred',
    },
    Contacts: contacts.map((c) => ({ ContactId: c.id, Channel: 'VOICE', InitiationMethod: c.method, State: c.state, StateStartTimestamp: since, Queue: null })),
  };
}
function event(type: string, iso: string, current: unknown, previous: unknown = null) {
  seq += 1;
  const r = parseAgentEvent({
    AWSAccountId: '123456789012',
    AgentARN: FRED,
    CurrentAgentSnapshot: current,
    EventId: `ev-${seq}`,
    EventTimestamp: iso,
    EventType: type,
    InstanceARN: INSTANCE,
    PreviousAgentSnapshot: previous,
    Version: '2017-10-01',
  });
  if (!r.ok) throw r.error;
  return toAuditPoint(r.value);
}

describe('activity audit from real event shapes', () => {
  const start = t('2026-03-10T00:00:00Z');
  const end = t('2026-03-11T00:00:00Z');
  const rows = (points: AuditPoint[], extra: Partial<Parameters<typeof auditSegments>[3]> = {}) =>
    auditSegments(points, start, end, extra)
      .sort((a, b) => a.startMs - b.startMs || (a.kind === 'STATUS' ? 0 : 1) - (b.kind === 'STATUS' ? 0 : 1))
      .map((s) => [s.status, s.kind === 'CONTACT' ? s.state : '', new Date(s.startMs).toISOString(), new Date(s.endMs).toISOString()]);

  it('starts a status at AgentStatus.StartTimestamp, not at the event that first shows it (LOGIN without a snapshot)', () => {
    const points = [
      event('LOGIN', '2026-03-10T08:00:00.000Z', null, null),
      event('STATE_CHANGE', '2026-03-10T08:00:00.450Z', snapshot('Available', 'ROUTABLE', '2026-03-10T08:00:00.000Z'), snapshot('Offline', 'OFFLINE', '2026-03-09T17:00:00.000Z')),
      // Break chosen at 09:59:58.7, published at 10:00:00.1.
      event('STATE_CHANGE', '2026-03-10T10:00:00.100Z', snapshot('Break', 'CUSTOM', '2026-03-10T09:59:58.700Z'), snapshot('Available', 'ROUTABLE', '2026-03-10T08:00:00.000Z')),
      // A heart beat repeats the status and its old StartTimestamp: no new segment.
      event('HEART_BEAT', '2026-03-10T10:02:00.100Z', snapshot('Break', 'CUSTOM', '2026-03-10T09:59:58.700Z')),
      event('LOGOUT', '2026-03-10T10:03:00.000Z', null, null),
    ];
    expect(rows(points)).toEqual([
      ['Available', '', '2026-03-10T08:00:00.000Z', '2026-03-10T09:59:58.700Z'],
      ['Break', '', '2026-03-10T09:59:58.700Z', '2026-03-10T10:03:00.000Z'],
    ]);
  });

  it('never starts a status before the LOGIN of its session', () => {
    const points = [
      event('LOGIN', '2026-03-10T08:00:00.000Z', null, null),
      // The snapshot still shows the status chosen before the previous logout.
      event('STATE_CHANGE', '2026-03-10T08:00:00.300Z', snapshot('Training', 'CUSTOM', '2026-03-09T16:00:00.000Z')),
      event('LOGOUT', '2026-03-10T08:30:00.000Z', null, null),
    ];
    expect(rows(points)).toEqual([['Training', '', '2026-03-10T08:00:00.000Z', '2026-03-10T08:30:00.000Z']]);
  });

  it('shows no status between a LOGOUT and the next LOGIN, whatever the heart beats after the logout say', () => {
    const points = [
      event('LOGIN', '2026-03-10T08:00:00.000Z', snapshot('Available', 'ROUTABLE', '2026-03-10T08:00:00.000Z'), snapshot('Offline', 'OFFLINE', '2026-03-09T17:00:00.000Z')),
      event('LOGOUT', '2026-03-10T09:00:00.000Z', null, null),
      event('HEART_BEAT', '2026-03-10T09:02:00.000Z', snapshot('Offline', 'OFFLINE', '2026-03-10T09:00:00.000Z')),
      event('HEART_BEAT', '2026-03-10T09:04:00.000Z', snapshot('Available', 'ROUTABLE', '2026-03-10T08:00:00.000Z')),
      event('LOGIN', '2026-03-10T12:00:00.000Z', null, null),
      event('STATE_CHANGE', '2026-03-10T12:00:00.200Z', snapshot('Available', 'ROUTABLE', '2026-03-10T12:00:00.000Z')),
      event('HEART_BEAT', '2026-03-10T12:02:00.200Z', snapshot('Available', 'ROUTABLE', '2026-03-10T12:00:00.000Z')),
    ];
    expect(rows(points)).toEqual([
      ['Available', '', '2026-03-10T08:00:00.000Z', '2026-03-10T09:00:00.000Z'],
      ['Available', '', '2026-03-10T12:00:00.000Z', '2026-03-10T12:02:00.200Z'],
    ]);
  });

  it('shows nothing before the first LOGIN when the point in force at the start is a heart beat after a logout', () => {
    const points = [
      event('HEART_BEAT', '2026-03-09T23:40:00.000Z', snapshot('Offline', 'OFFLINE', '2026-03-09T23:00:00.000Z')),
      event('LOGIN', '2026-03-10T08:00:00.000Z', snapshot('Available', 'ROUTABLE', '2026-03-10T08:00:00.000Z')),
      event('LOGOUT', '2026-03-10T09:00:00.000Z', null, null),
    ];
    expect(rows(points)).toEqual([['Available', '', '2026-03-10T08:00:00.000Z', '2026-03-10T09:00:00.000Z']]);
    // No session event at all in the range, and the caller knows the agent was logged out: no rows.
    expect(rows(points.slice(0, 1), { loggedInAtStart: false })).toEqual([]);
  });

  it('names contact rows with the system statuses of the audit report', () => {
    const points = [
      at(point(DANA, '2026-03-10T08:00:00Z', 'LOGIN', AVAILABLE), '2026-03-10T08:00:00Z'),
      at(point(DANA, '2026-03-10T08:01:00Z', 'STATE_CHANGE', AVAILABLE, [['in1', 'CONNECTING']]), '2026-03-10T08:00:00Z', { in1: 'INBOUND' }),
      at(point(DANA, '2026-03-10T08:01:20Z', 'STATE_CHANGE', AVAILABLE, [['in1', 'MISSED']]), '2026-03-10T08:00:00Z', { in1: 'INBOUND' }),
      at(point(DANA, '2026-03-10T08:01:25Z', 'STATE_CHANGE', AVAILABLE), '2026-03-10T08:00:00Z'),
      // Outbound dial; the method comes from the contact record (methodOf).
      at(point(DANA, '2026-03-10T08:02:00Z', 'STATE_CHANGE', AVAILABLE, [['out1', 'CONNECTING']]), '2026-03-10T08:00:00Z'),
      at(point(DANA, '2026-03-10T08:02:15Z', 'STATE_CHANGE', AVAILABLE, [['out1', 'CONNECTED']]), '2026-03-10T08:00:00Z'),
      at(point(DANA, '2026-03-10T08:05:00Z', 'STATE_CHANGE', AVAILABLE, [['out1', 'CONNECTED_ONHOLD']]), '2026-03-10T08:00:00Z'),
      at(point(DANA, '2026-03-10T08:06:00Z', 'STATE_CHANGE', AVAILABLE, [['out1', 'ENDED']]), '2026-03-10T08:00:00Z'),
      // A custom status chosen during ACW: the status row starts at its StartTimestamp, the contact stays in ACW.
      at(point(DANA, '2026-03-10T08:06:30Z', 'STATE_CHANGE', LUNCH, [['out1', 'ENDED']]), '2026-03-10T08:06:30Z'),
      at(point(DANA, '2026-03-10T08:07:00Z', 'STATE_CHANGE', LUNCH), '2026-03-10T08:06:30Z'),
      at(point(DANA, '2026-03-10T08:30:00Z', 'LOGOUT', null), null),
    ];
    expect(rows(points, { methodOf: (id) => (id === 'out1' ? 'OUTBOUND' : null) })).toEqual([
      ['Available', '', '2026-03-10T08:00:00.000Z', '2026-03-10T08:06:30.000Z'],
      ['Connecting Agent', 'CONNECTING', '2026-03-10T08:01:00.000Z', '2026-03-10T08:01:20.000Z'],
      ['Contact Missed', 'MISSED', '2026-03-10T08:01:20.000Z', '2026-03-10T08:01:25.000Z'],
      ['Calling Customer', 'CONNECTING', '2026-03-10T08:02:00.000Z', '2026-03-10T08:02:15.000Z'],
      ['Busy', 'CONNECTED', '2026-03-10T08:02:15.000Z', '2026-03-10T08:05:00.000Z'],
      ['Busy', 'CONNECTED_ONHOLD', '2026-03-10T08:05:00.000Z', '2026-03-10T08:06:00.000Z'],
      ['After Contact Work', 'ENDED', '2026-03-10T08:06:00.000Z', '2026-03-10T08:07:00.000Z'],
      ['Lunch', '', '2026-03-10T08:06:30.000Z', '2026-03-10T08:30:00.000Z'],
    ]);
  });

  it('maps every contact state to a status name', () => {
    expect(
      [
        ['CONNECTING', 'INBOUND'],
        ['CONNECTING', 'TRANSFER'],
        ['INCOMING', 'CALLBACK'],
        ['CONNECTING', 'CALLBACK'],
        ['CONNECTING', 'OUTBOUND'],
        ['CONNECTING', null],
        ['CONNECTED', 'INBOUND'],
        ['CONNECTED_ONHOLD', 'INBOUND'],
        ['ENDED', 'API'],
        ['MISSED', 'INBOUND'],
        ['REJECTED', 'API'],
        ['ERROR', 'INBOUND'],
        ['ERROR', 'OUTBOUND'],
        ['SOMETHING_NEW', 'INBOUND'],
      ].map(([state, method]) => contactStatusName(state as string, method)),
    ).toEqual([
      'Connecting Agent',
      'Connecting Agent',
      'Connecting Agent',
      'Calling Customer',
      'Calling Customer',
      'Connecting Agent',
      'Busy',
      'Busy',
      'After Contact Work',
      'Contact Missed',
      'Agent Disconnected',
      'Agent Disconnected',
      'Telecom issue',
      'SOMETHING_NEW',
    ]);
  });
});

describe('activity audit report built from stored events', () => {
  const day = { startMs: t('2026-03-10T00:00:00Z'), endMs: t('2026-03-11T00:00:00Z') };
  const [definition] = parseReportDefinitions({ reports: [{ name: 'aa', type: 'AGENT_ACTIVITY_AUDIT', timeZone: 'UTC', timeRange: { start: '2026-03-10', end: '2026-03-11' }, prefix: 'p' }] });
  const def = definition as ReportDefinition;

  it('shows no rows for heart beats after a logout, starts statuses at StartTimestamp and ends the last one at the last event', async () => {
    const events = [
      // Logged out the evening before; heart beats go on for a while, into the report day.
      ginaEvent('LOGOUT', '2026-03-09T23:30:00.000Z', null),
      ginaEvent('HEART_BEAT', '2026-03-09T23:58:00.000Z', ginaSnapshot('Offline', '2026-03-09T23:30:00.000Z', 'basic', 'na')),
      ginaEvent('HEART_BEAT', '2026-03-10T00:00:00.000Z', ginaSnapshot('Offline', '2026-03-09T23:30:00.000Z', 'basic', 'na')),
      ginaEvent('LOGIN', '2026-03-10T08:00:00.000Z', null),
      ginaEvent('STATE_CHANGE', '2026-03-10T08:00:00.300Z', ginaSnapshot('Available', '2026-03-10T08:00:00.000Z', 'basic', 'na')),
      ginaEvent('STATE_CHANGE', '2026-03-10T10:00:00.200Z', ginaSnapshot('Break', '2026-03-10T09:59:59.000Z', 'basic', 'na')),
      ginaEvent('LOGOUT', '2026-03-10T10:15:00.000Z', null),
      ginaEvent('HEART_BEAT', '2026-03-10T10:17:00.000Z', ginaSnapshot('Offline', '2026-03-10T10:15:00.000Z', 'basic', 'na')),
      ginaEvent('LOGIN', '2026-03-10T22:00:00.000Z', ginaSnapshot('Available', '2026-03-10T22:00:00.000Z', 'basic', 'na')),
      ginaEvent('HEART_BEAT', '2026-03-10T22:02:00.000Z', ginaSnapshot('Available', '2026-03-10T22:00:00.000Z', 'basic', 'na')),
    ];
    const report = await buildReport(def, day, new EventReader(events));
    expect([...report.rows].map((r) => [r[2], r[5], r[6]])).toEqual([
      ['Available', '2026-03-10T08:00:00Z', '2026-03-10T09:59:59Z'],
      ['Break', '2026-03-10T09:59:59Z', '2026-03-10T10:15:00Z'],
      ['Available', '2026-03-10T22:00:00Z', '2026-03-10T22:02:00Z'],
    ]);
  });
});
