import { describe, expect, it } from 'vitest';
import { findMetric } from '../../../lambdas/domain/metrics/registry.js';
import { parseReportDefinitions, ReportDefinitionError } from '../../../lambdas/domain/reports/definitions.js';

/** The example of the issue. */
const queuesDaily = {
  name: 'queues-daily',
  type: 'HISTORICAL',
  groupings: ['QUEUE'],
  filters: { QUEUE: ['BasicQueue'] },
  metrics: ['Contacts queued', 'Contacts handled', 'Service level 60 seconds', 'Average handle time'],
  interval: 'THIRTY_MIN',
  timeRange: 'YESTERDAY',
  timeZone: 'America/New_York',
  schedule: { frequency: 'DAILY', at: '00:00' },
  prefix: 'daily',
  durationFormat: 'HH_MM_SS',
};

/** The problems a file is rejected with (fails the test if it is accepted). */
function problemsOf(file: unknown): readonly string[] {
  try {
    parseReportDefinitions(file);
  } catch (e) {
    if (e instanceof ReportDefinitionError) return e.problems;
    throw e;
  }
  throw new Error('expected the file to be rejected');
}

const withReport = (overrides: Record<string, unknown>, drop: string[] = []) => {
  const r: Record<string, unknown> = { ...queuesDaily, ...overrides };
  for (const k of drop) delete r[k];
  return { reports: [r] };
};

describe('parseReportDefinitions: accepted files', () => {
  it('parses the issue example, resolving metric names to registry ids in the order asked', () => {
    const [def] = parseReportDefinitions({ reports: [queuesDaily] });
    expect(def).toEqual({
      name: 'queues-daily',
      type: 'HISTORICAL',
      groupings: ['QUEUE'],
      filters: { QUEUE: ['BasicQueue'] },
      metrics: ['contacts_queued', 'contacts_handled', 'service_level_60', 'avg_handle_time'],
      interval: 'THIRTY_MIN',
      timeRange: 'YESTERDAY',
      timeZone: 'America/New_York',
      schedule: { frequency: 'DAILY', at: '00:00', periodMinutes: null, daysOfWeek: [], dayOfMonth: null },
      prefix: 'daily',
      durationFormat: 'HH_MM_SS',
      agentName: false,
      intervalColumn: 'AFTER_GROUPINGS',
    });
  });

  it('accepts registry ids, display names in any case, and both mixed', () => {
    const [def] = parseReportDefinitions(withReport({ metrics: ['contacts_queued', 'AVERAGE HANDLE TIME', 'Service level 60 seconds'] }));
    expect(def?.type === 'HISTORICAL' && def.metrics).toEqual(['contacts_queued', 'avg_handle_time', 'service_level_60']);
  });

  it('applies the defaults: UTC, THIRTY_MIN, no groupings, no prefix, durations in SECONDS, interval columns after the groupings', () => {
    const [def] = parseReportDefinitions({
      reports: [{ name: 'all', type: 'HISTORICAL', metrics: ['Contacts handled'], timeRange: 'TODAY', schedule: { frequency: 'HOURLY' } }],
    });
    expect(def).toMatchObject({ timeZone: 'UTC', interval: 'THIRTY_MIN', groupings: [], filters: {}, prefix: null, durationFormat: 'SECONDS', intervalColumn: 'AFTER_GROUPINGS' });
    expect(def?.schedule).toEqual({ frequency: 'HOURLY', at: '00:00', periodMinutes: 60, daysOfWeek: [], dayOfMonth: null });
  });

  it('defaults a LOGIN_LOGOUT report to DAILY at 00:00 covering YESTERDAY', () => {
    const [def] = parseReportDefinitions({ reports: [{ name: 'logins', type: 'LOGIN_LOGOUT', timeZone: 'Asia/Kolkata' }] });
    expect(def).toEqual({
      name: 'logins',
      type: 'LOGIN_LOGOUT',
      timeZone: 'Asia/Kolkata',
      timeRange: 'YESTERDAY',
      schedule: { frequency: 'DAILY', at: '00:00', periodMinutes: null, daysOfWeek: [], dayOfMonth: null },
      filters: {},
      prefix: null,
      durationFormat: 'SECONDS',
    });
  });

  it('defaults an AGENT_ACTIVITY_AUDIT report the same way and accepts agent filters', () => {
    const [def] = parseReportDefinitions({ reports: [{ name: 'audit', type: 'AGENT_ACTIVITY_AUDIT', filters: { ROUTING_PROFILE: ['Basic'] } }] });
    expect(def).toMatchObject({ timeRange: 'YESTERDAY', schedule: { frequency: 'DAILY', at: '00:00' }, filters: { ROUTING_PROFILE: ['Basic'] } });
  });

  it('orders WEEKLY days Sunday first', () => {
    const [def] = parseReportDefinitions(withReport({ schedule: { frequency: 'WEEKLY', at: '08:30', daysOfWeek: ['THURSDAY', 'MONDAY'] } }));
    expect(def?.schedule.daysOfWeek).toEqual(['MONDAY', 'THURSDAY']);
  });

  it('accepts a custom range of local dates and one with offsets', () => {
    const defs = parseReportDefinitions({
      reports: [
        { ...queuesDaily, name: 'a', timeRange: { start: '2026-03-01', end: '2026-03-08' } },
        { ...queuesDaily, name: 'b', timeRange: { start: '2026-03-01T08:00:00-05:00', end: '2026-03-01T17:00:00Z' } },
      ],
    });
    expect(defs.map((d) => d.timeRange)).toEqual([
      { start: '2026-03-01', end: '2026-03-08' },
      { start: '2026-03-01T08:00:00-05:00', end: '2026-03-01T17:00:00Z' },
    ]);
  });

  it('accepts the JSON text of the file', () => {
    expect(parseReportDefinitions(JSON.stringify({ reports: [queuesDaily] }))).toHaveLength(1);
  });
});

describe('parseReportDefinitions: rejected files name the report and the field', () => {
  it('rejects Occupancy grouped by queue with the registry reason', () => {
    expect(problemsOf(withReport({ metrics: ['Contacts handled', 'Occupancy'] }))).toEqual([
      'reports[0] "queues-daily".metrics[1]: "Occupancy" cannot be grouped by QUEUE: Cannot be grouped by queue, phone number or channel: both terms are agent-level wall-clock time.',
    ]);
  });

  it('names the report by index and name among several', () => {
    const file = {
      reports: [
        { ...queuesDaily, name: 'a' },
        { ...queuesDaily, name: 'b' },
        { ...queuesDaily, metrics: ['Contacts queued', 'Occupancy'] },
      ],
    };
    expect(problemsOf(file)[0]).toMatch(/^reports\[2\] "queues-daily"\.metrics\[1\]: "Occupancy" cannot be grouped by QUEUE: /);
  });

  it('explains an agent-level metric without a grouping note', () => {
    expect(problemsOf(withReport({ metrics: ['Online time'] }))).toEqual([
      'reports[0] "queues-daily".metrics[0]: "Online time" cannot be grouped by QUEUE: agent-level metric (agent status time has no queue, phone number or channel); ' +
        'it can be grouped only by AGENT, ROUTING_PROFILE, AGENT_HIERARCHY_LEVEL_ONE, AGENT_HIERARCHY_LEVEL_TWO, AGENT_HIERARCHY_LEVEL_THREE, AGENT_HIERARCHY_LEVEL_FOUR, AGENT_HIERARCHY_LEVEL_FIVE',
    ]);
  });

  it('rejects a metric that a filter would empty (Occupancy filtered by queue)', () => {
    expect(problemsOf(withReport({ groupings: ['AGENT'], metrics: ['Occupancy'] }))).toEqual([
      'reports[0] "queues-daily".metrics[0]: "Occupancy" cannot be filtered by QUEUE: Cannot be grouped by queue, phone number or channel: both terms are agent-level wall-clock time.',
    ]);
  });

  it('rejects an unsupported metric with the registry reason', () => {
    const reason = findMetric('contact_flow_time');
    expect(reason?.supported).toBe(false);
    expect(problemsOf(withReport({ metrics: ['Contact flow time'] }))).toEqual([
      `reports[0] "queues-daily".metrics[0]: "Contact flow time" is not supported: ${reason && !reason.supported ? reason.reason : ''}`,
    ]);
  });

  it('rejects an unknown metric', () => {
    expect(problemsOf(withReport({ metrics: ['Contacts handeld'] }))).toEqual([
      'reports[0] "queues-daily".metrics[0]: "Contacts handeld" is not a known metric (use a registry id such as "contacts_handled" or the Amazon Connect name such as "Contacts handled")',
    ]);
  });

  it('rejects the same metric asked twice, by id and by name', () => {
    expect(problemsOf(withReport({ metrics: ['Contacts handled', 'Contact flow time', 'contacts_handled'] }))).toContain(
      'reports[0] "queues-daily".metrics[2]: "contacts_handled" is the same metric as metrics[0] (contacts_handled)',
    );
  });

  it('requires at least one metric for a historical report', () => {
    expect(problemsOf(withReport({ metrics: [] }))).toEqual([
      'reports[0] "queues-daily".metrics: must list at least one metric ("You must select at least one metric for a report")',
    ]);
    expect(problemsOf(withReport({}, ['metrics']))).toEqual(['reports[0] "queues-daily".metrics: is required: list at least one metric']);
  });

  it('rejects duplicate report names', () => {
    expect(problemsOf({ reports: [queuesDaily, { ...queuesDaily, prefix: 'other' }] })).toEqual([
      'reports[1] "queues-daily".name: duplicate report name (also reports[0])',
    ]);
  });

  it('rejects a name that is not safe in an S3 key', () => {
    expect(problemsOf(withReport({ name: 'queues/daily' }))).toEqual([
      'reports[0] "queues/daily".name: may contain only letters, digits, "-", "_" and "." (it is part of the S3 key)',
    ]);
  });

  it('names a report without a name by index only', () => {
    expect(problemsOf(withReport({}, ['name']))).toEqual(['reports[0].name: is required']);
  });

  it('rejects an unknown type and still checks the other fields', () => {
    expect(problemsOf(withReport({ type: 'REALTIME', interval: 'HALF_HOUR' }))).toEqual([
      'reports[0] "queues-daily".type: must be one of HISTORICAL, LOGIN_LOGOUT, AGENT_ACTIVITY_AUDIT (got "REALTIME")',
      'reports[0] "queues-daily".interval: must be one of FIFTEEN_MIN, THIRTY_MIN, HOUR, DAY, WEEK, TOTAL (got "HALF_HOUR")',
    ]);
  });

  it('rejects more than five groupings', () => {
    const groupings = ['QUEUE', 'AGENT', 'ROUTING_PROFILE', 'PHONE_NUMBER', 'CHANNEL', 'AGENT_HIERARCHY_LEVEL_ONE'];
    expect(problemsOf(withReport({ groupings, metrics: ['Contacts handled'] }))).toContain('reports[0] "queues-daily".groupings: at most 5 groupings (got 6)');
  });

  it('rejects a duplicate grouping and a second hierarchy level', () => {
    const groupings = ['AGENT_HIERARCHY_LEVEL_ONE', 'QUEUE', 'QUEUE', 'AGENT_HIERARCHY_LEVEL_THREE'];
    expect(problemsOf(withReport({ groupings, metrics: ['Contacts handled'] }))).toEqual([
      'reports[0] "queues-daily".groupings[2]: duplicate grouping QUEUE (also groupings[1])',
      'reports[0] "queues-daily".groupings[3]: only one agent hierarchy level may be grouped by (also AGENT_HIERARCHY_LEVEL_ONE at groupings[0])',
    ]);
  });

  it('rejects an unknown grouping', () => {
    expect(problemsOf(withReport({ groupings: ['QUEUE', 'SKILL'] }))[0]).toMatch(/^reports\[0\] "queues-daily"\.groupings\[1\]: must be one of QUEUE, AGENT, .* \(got "SKILL"\)$/);
  });

  it('rejects unknown filter keys and empty filter lists', () => {
    expect(problemsOf(withReport({ filters: { QUEUE: [], SKILL: ['x'], AGENT: [''] } }))).toEqual([
      'reports[0] "queues-daily".filters.QUEUE: must list at least one name or ARN',
      'reports[0] "queues-daily".filters.SKILL: not a filter of HISTORICAL reports (filters: QUEUE, AGENT, ROUTING_PROFILE, PHONE_NUMBER, AGENT_HIERARCHY_LEVEL_ONE, AGENT_HIERARCHY_LEVEL_TWO, AGENT_HIERARCHY_LEVEL_THREE, AGENT_HIERARCHY_LEVEL_FOUR, AGENT_HIERARCHY_LEVEL_FIVE, CHANNEL)',
      'reports[0] "queues-daily".filters.AGENT[0]: must not be empty',
    ]);
  });

  it('rejects a queue filter on a login/logout report', () => {
    expect(problemsOf({ reports: [{ name: 'l', type: 'LOGIN_LOGOUT', filters: { QUEUE: ['BasicQueue'] } }] })).toEqual([
      'reports[0] "l".filters.QUEUE: not a filter of LOGIN_LOGOUT reports (filters: AGENT, ROUTING_PROFILE, AGENT_HIERARCHY_LEVEL_ONE, AGENT_HIERARCHY_LEVEL_TWO, AGENT_HIERARCHY_LEVEL_THREE, AGENT_HIERARCHY_LEVEL_FOUR, AGENT_HIERARCHY_LEVEL_FIVE)',
    ]);
  });

  it('rejects metrics, groupings and interval on the fixed-column reports', () => {
    expect(problemsOf({ reports: [{ name: 'a', type: 'AGENT_ACTIVITY_AUDIT', metrics: ['Occupancy'], groupings: ['AGENT'], interval: 'DAY' }] })).toEqual([
      'reports[0] "a".groupings: not allowed: an AGENT_ACTIVITY_AUDIT report has fixed columns, one row per status or contact-state change per agent and day',
      'reports[0] "a".metrics: not allowed: an AGENT_ACTIVITY_AUDIT report has fixed columns, one row per status or contact-state change per agent and day',
      'reports[0] "a".interval: not allowed: an AGENT_ACTIVITY_AUDIT report has fixed columns, one row per status or contact-state change per agent and day',
    ]);
  });

  it('keeps login/logout reports at 12 AM, daily or weekly', () => {
    expect(problemsOf({ reports: [{ name: 'l', type: 'LOGIN_LOGOUT', schedule: { frequency: 'HOURLY', at: '06:00' } }] })).toEqual([
      'reports[0] "l".schedule.frequency: a LOGIN_LOGOUT report runs DAILY or WEEKLY (got "HOURLY")',
      'reports[0] "l".schedule.at: a LOGIN_LOGOUT report always runs at 12 AM ("00:00") in its time zone (got "06:00")',
    ]);
  });

  it('rejects a login/logout custom range over 7 days', () => {
    expect(problemsOf({ reports: [{ name: 'l', type: 'LOGIN_LOGOUT', timeRange: { start: '2026-03-01', end: '2026-03-09' } }] })).toEqual([
      'reports[0] "l".timeRange: a LOGIN_LOGOUT custom range may cover at most 7 days',
    ]);
  });

  it('rejects an unknown interval', () => {
    expect(problemsOf(withReport({ interval: 'MONTH' }))).toEqual([
      'reports[0] "queues-daily".interval: must be one of FIFTEEN_MIN, THIRTY_MIN, HOUR, DAY, WEEK, TOTAL (got "MONTH")',
    ]);
  });

  it('rejects an unknown named time range', () => {
    expect(problemsOf(withReport({ timeRange: 'LAST_MONTH' }))).toEqual([
      'reports[0] "queues-daily".timeRange: must be one of TODAY, LAST_24_HOURS, YESTERDAY, LAST_2_DAYS, LAST_3_DAYS, LAST_7_DAYS, LAST_WEEK, MONTH_TO_DATE, LAST_30_DAYS, PREVIOUS_MONTH (got "LAST_MONTH")',
    ]);
  });

  it('rejects a custom range whose start is not before its end, in the report zone', () => {
    // 2026-03-01T00:00 in New York is 05:00Z: the end is before the start.
    expect(problemsOf(withReport({ timeRange: { start: '2026-03-01', end: '2026-03-01T04:00:00Z' } }))).toEqual([
      'reports[0] "queues-daily".timeRange: start must be before end (got start "2026-03-01", end "2026-03-01T04:00:00Z")',
    ]);
  });

  it('rejects custom range ends that are not ISO 8601 or not on a 15-minute boundary', () => {
    expect(problemsOf(withReport({ timeRange: { start: '2026-02-30', end: '2026-03-01T10:07' } }))).toEqual([
      'reports[0] "queues-daily".timeRange.start: must be an ISO 8601 date or date-time, e.g. 2026-03-01 or 2026-03-01T08:00:00-05:00 (got "2026-02-30")',
      'reports[0] "queues-daily".timeRange.end: must be on a 15-minute boundary: metrics are kept per 15 minutes (got "2026-03-01T10:07")',
    ]);
  });

  it('rejects a time zone that is not IANA', () => {
    expect(problemsOf(withReport({ timeZone: 'Eastern' }))).toEqual(['reports[0] "queues-daily".timeZone: "Eastern" is not an IANA time zone (e.g. America/New_York)']);
  });

  it('rejects a schedule time that is not HH:MM on a 15-minute boundary', () => {
    expect(problemsOf(withReport({ schedule: { frequency: 'DAILY', at: '7:00' } }))).toEqual([
      'reports[0] "queues-daily".schedule.at: must be a 24-hour local time "HH:MM" (got "7:00")',
    ]);
    expect(problemsOf(withReport({ schedule: { frequency: 'DAILY', at: '07:10' } }))).toEqual([
      'reports[0] "queues-daily".schedule.at: must be on a 15-minute boundary (:00, :15, :30 or :45): metrics are kept per 15 minutes (got "07:10")',
    ]);
  });

  it('requires daysOfWeek for WEEKLY and refuses it otherwise', () => {
    expect(problemsOf(withReport({ schedule: { frequency: 'WEEKLY', at: '00:00' } }))).toEqual([
      'reports[0] "queues-daily".schedule.daysOfWeek: is required for WEEKLY schedules, e.g. ["MONDAY", "THURSDAY"]',
    ]);
    expect(problemsOf(withReport({ schedule: { frequency: 'DAILY', daysOfWeek: ['MONDAY'] } }))).toEqual([
      'reports[0] "queues-daily".schedule.daysOfWeek: only for WEEKLY schedules (frequency is DAILY)',
    ]);
  });

  it('rejects unknown days of the week', () => {
    expect(problemsOf(withReport({ schedule: { frequency: 'WEEKLY', daysOfWeek: ['MONDAY', 'FUNDAY'] } }))).toEqual([
      'reports[0] "queues-daily".schedule.daysOfWeek[1]: must be one of SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY (got "FUNDAY")',
    ]);
  });

  it('requires a schedule and a time range for historical reports', () => {
    expect(problemsOf(withReport({}, ['schedule', 'timeRange']))).toEqual([
      'reports[0] "queues-daily".timeRange: is required (one of TODAY, LAST_24_HOURS, YESTERDAY, LAST_2_DAYS, LAST_3_DAYS, LAST_7_DAYS, LAST_WEEK, MONTH_TO_DATE, LAST_30_DAYS, PREVIOUS_MONTH, { "previousHours": N }, { "previousDays": N } or { "start": ISO 8601, "end": ISO 8601 })',
      'reports[0] "queues-daily".schedule: is required, e.g. { "frequency": "DAILY", "at": "00:00" }',
    ]);
  });

  it('rejects a prefix that is not path-safe', () => {
    expect(problemsOf(withReport({ prefix: '/daily//x' }))).toEqual([
      'reports[0] "queues-daily".prefix: "/daily//x" has a leading "/": write segments separated by single "/", e.g. "SFDC/Queue"',
    ]);
  });

  it('accepts a nested prefix', () => {
    expect(parseReportDefinitions(withReport({ prefix: 'ops/daily' }))[0]?.prefix).toBe('ops/daily');
  });

  it('rejects an unknown duration format', () => {
    expect(problemsOf(withReport({ durationFormat: 'MINUTES' }))).toEqual(['reports[0] "queues-daily".durationFormat: must be one of HH_MM_SS, SECONDS (got "MINUTES")']);
  });

  it('rejects Agent Name without the AGENT grouping', () => {
    expect(problemsOf(withReport({ agentName: true }))).toEqual(['reports[0] "queues-daily".agentName: needs the AGENT grouping (Agent Name follows the Agent column)']);
  });

  it('rejects unknown fields', () => {
    expect(problemsOf(withReport({ metric: ['Contacts handled'] }))).toEqual([
      'reports[0] "queues-daily".metric: unknown field (known fields: name, type, timeZone, timeRange, schedule, prefix, durationFormat, filters, groupings, metrics, interval, agentName, intervalColumn, includeAgentQueues)',
    ]);
  });

  it('takes includeAgentQueues (a boolean, HISTORICAL only); without it a definition parses as before', () => {
    expect(problemsOf(withReport({ includeAgentQueues: 'yes' }))).toEqual(['reports[0] "queues-daily".includeAgentQueues: must be true or false (got "yes")']);
    expect(parseReportDefinitions(withReport({ includeAgentQueues: true }))[0]).toMatchObject({ includeAgentQueues: true });
    expect(Object.keys(parseReportDefinitions(withReport({}))[0] ?? {})).not.toContain('includeAgentQueues');
  });

  it('rejects unknown fields inside the schedule and a custom range', () => {
    expect(problemsOf(withReport({ schedule: { frequency: 'DAILY', time: '08:00' }, timeRange: { start: '2026-03-01', end: '2026-03-02', zone: 'UTC' } }))).toEqual([
      'reports[0] "queues-daily".timeRange.zone: unknown field (known fields: start, end)',
      'reports[0] "queues-daily".schedule.time: unknown field (known fields: frequency, at, daysOfWeek, everyHours, startingAt, dayOfMonth)',
    ]);
  });

  it('reports every problem of every report at once', () => {
    const file = { reports: [withReport({ interval: 'X', timeZone: 'Nowhere' }).reports[0], { name: 'b', type: 'LOGIN_LOGOUT', interval: 'DAY' }, 42] };
    const err = (() => {
      try {
        parseReportDefinitions(file);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ReportDefinitionError);
    expect((err as ReportDefinitionError).problems).toHaveLength(4);
    expect((err as ReportDefinitionError).message).toContain('- reports[2]: must be an object (got 42)');
  });

  it('rejects a file without a reports list', () => {
    expect(problemsOf({ report: [] })).toEqual([
      'report: unknown field (known fields: reports)',
      'reports: must be a list of report definitions (got nothing)',
    ]);
  });

  it('rejects text that is not JSON', () => {
    expect(problemsOf('{ reports: ')[0]).toMatch(/^\(file\): not valid JSON: /);
  });
});
