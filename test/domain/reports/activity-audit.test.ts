import { describe, expect, it } from 'vitest';
import { EMPTY_DIMS } from '../../../lambdas/domain/dimensions.js';
import type { TimelinePoint } from '../../../lambdas/domain/engine/agent-activity.js';
import { EntityCatalog } from '../../../lambdas/domain/engine/entities.js';
import { ACTIVITY_AUDIT_HEADER, activityAuditRows, auditSegments } from '../../../lambdas/domain/reports/activity-audit.js';

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
      ['dana', '2026-03-10', '', 'c1', 'CONNECTED', '2026-03-10T23:50:00-04:00', '2026-03-11T00:00:00-04:00', '00:10:00'],
      ['dana', '2026-03-11', 'Available', '', '', '2026-03-11T00:00:00-04:00', '2026-03-11T00:20:00-04:00', '00:20:00'],
      ['dana', '2026-03-11', '', 'c1', 'CONNECTED', '2026-03-11T00:00:00-04:00', '2026-03-11T00:10:00-04:00', '00:10:00'],
      ['dana', '2026-03-11', '', 'c1', 'ENDED', '2026-03-11T00:10:00-04:00', '2026-03-11T00:12:00-04:00', '00:02:00'],
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

  it('ends an open segment at the range end', () => {
    const points = [point(ERIK, '2026-03-11T22:00:00-04:00', 'LOGIN', AVAILABLE)];
    const { rows } = activityAuditRows([{ agentArn: ERIK, points }], catalog(), range);
    expect(rows).toEqual([['erik', '2026-03-11', 'Available', '', '', '2026-03-11T22:00:00-04:00', '2026-03-12T00:00:00-04:00', '02:00:00']]);
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
      { kind: 'CONTACT', contactId: 'a', state: 'CONNECTED', startMs: t('2026-03-10T08:00:00Z'), endMs: t('2026-03-10T08:05:00Z') },
      { kind: 'CONTACT', contactId: 'b', state: 'CONNECTED', startMs: t('2026-03-10T08:00:00Z'), endMs: t('2026-03-10T08:07:00Z') },
    ]);
  });

  it('ignores points after the range end', () => {
    const points = [point(DANA, '2026-03-10T23:00:00Z', 'LOGIN', AVAILABLE), point(DANA, '2026-03-11T01:00:00Z', 'STATE_CHANGE', LUNCH)];
    expect(auditSegments(points, start, end)).toEqual([{ kind: 'STATUS', status: 'Available', startMs: t('2026-03-10T23:00:00Z'), endMs: end }]);
  });
});
