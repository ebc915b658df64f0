/**
 * Report definitions: the JSON file of scheduled reports, validated.
 *
 * Every problem in the file is reported at once, each naming the report (by
 * index and name) and the field path:
 *   reports[2] "queues-daily".metrics[1]: "Occupancy" cannot be grouped by QUEUE: <reason>
 *
 * zod checks the shape of each field; the rules that span fields (a metric
 * against the groupings and filters, a custom range against the zone, a
 * schedule against the report type) are checked here with the registry, so
 * the messages can carry the registry's reasons.
 *
 * Choices (each documented where it is enforced):
 * - HISTORICAL: `metrics`, `timeRange` and `schedule` are required; `interval`
 *   defaults to THIRTY_MIN (the seed's first interval, "30 Minutes"); `groupings`
 *   default to none: one row per interval for the whole instance.
 * - HISTORICAL `includeAgentQueues` (default false): rows for agent queues in a
 *   QUEUE-grouped report. Amazon Connect excludes agent queues by default ("To
 *   include agent queues in the report, select agent queues as a filter for the
 *   report", 2019 guide); a QUEUE filter naming agent queues includes them too.
 * - LOGIN_LOGOUT and AGENT_ACTIVITY_AUDIT: `metrics`, `groupings`, `interval`,
 *   `agentName` and `includeAgentQueues` are rejected (not ignored): their columns are fixed. Both default
 *   to `schedule` DAILY at 00:00 and `timeRange` YESTERDAY.
 * - LOGIN_LOGOUT follows login-logout-reports.md: DAILY or WEEKLY only ("schedule
 *   the report to run daily or on specific days of the week"), always at 00:00
 *   ("A scheduled report always runs at 12AM ... in the time zone that you
 *   choose"), over YESTERDAY, LAST_24_HOURS, LAST_2_DAYS, LAST_3_DAYS (the seed's
 *   list less Today, empty at 12 AM) or a custom range "up to 7 days".
 * - Filters: HISTORICAL takes every grouping as a filter key; the agent reports
 *   take AGENT, ROUTING_PROFILE and the hierarchy levels ("filter the report on
 *   agent, agent hierarchy, or routing profile"). Several hierarchy levels may
 *   be filtered; only one may be grouped by.
 * - `daysOfWeek` is only for WEEKLY (required there); `dayOfMonth` (1–28 or
 *   LAST: days 29–31 are not in every month) only for MONTHLY (required there);
 *   `everyHours` and `startingAt` only for HOURLY, together, and then not `at`;
 *   `agentName` needs AGENT.
 * - Relative ranges (`previousHours`, `previousDays`) must hold whole report
 *   intervals from runs on interval boundaries (see `relativeRangeProblems`);
 *   not for LOGIN_LOGOUT, which runs at 12 AM over its fixed ranges.
 * - `prefix` is `/`-separated segments of S3's safe characters
 *   [A-Za-z0-9!_.*'()-], none empty, `.` or `..` (Connect's CTI guide uses
 *   "SFDC/Queue"). Durations default to SECONDS, as Connect's CSVs.
 * - Unknown fields are errors, so a misspelt optional field is not silently
 *   ignored.
 * - A metric must be groupable by every grouping AND by every filtered dimension:
 *   a rollup filter drops cells that lack the dimension, so Occupancy filtered by
 *   QUEUE would be all dashes.
 * - `at` and custom range ends must fall on 15-minute boundaries: metrics are
 *   kept per 15-minute interval, so a report can only start and end on one.
 */
import { z } from 'zod';
import { GROUPINGS } from '../dimensions.js';
import type { Grouping } from '../dimensions.js';
import { findMetric } from '../metrics/registry.js';
import type { SupportedMetric } from '../metrics/registry.js';
import { BUCKET_MS, INTERVAL_SIZES, isValidTimeZone } from '../time/intervals.js';
import type { IntervalSize } from '../time/intervals.js';
import { DURATION_FORMATS } from './format.js';
import type { DurationFormat } from './format.js';
import { isRelativeTimeRange, NAMED_TIME_RANGES, parseRangeInstant, relativeRangeMs } from './time-range.js';
import type { NamedTimeRange, RelativeTimeRange, TimeRange } from './time-range.js';

export const REPORT_TYPES = ['HISTORICAL', 'LOGIN_LOGOUT', 'AGENT_ACTIVITY_AUDIT'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export const FREQUENCIES = ['EVERY_15_MIN', 'EVERY_30_MIN', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Amazon Connect's "Hourly, every N hour(s)" choices (0.25 and 0.5 are its every-15/30-minute options); each divides a day. */
export const EVERY_HOURS = [0.25, 0.5, 1, 2, 3, 4, 6, 8, 12] as const;
/** Days of the month a MONTHLY schedule may name: every month has days 1–28; "LAST" is the month's last day. */
export const MAX_DAY_OF_MONTH = 28;
/** Longest relative range: a leap year. */
export const MAX_PREVIOUS_DAYS = 366;

/** Where the StartInterval/EndInterval columns go: after the grouping columns (the default), or first ("Interval" as the first grouping). */
export const INTERVAL_COLUMNS = ['AFTER_GROUPINGS', 'FIRST'] as const;
export type IntervalColumn = (typeof INTERVAL_COLUMNS)[number];

/** Index = `dayOfWeek()` of intervals.ts (0 = Sunday). */
export const DAYS_OF_WEEK = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

export const GROUPING_KEYS = Object.keys(GROUPINGS) as [Grouping, ...Grouping[]];
export const HIERARCHY_GROUPINGS = [
  'AGENT_HIERARCHY_LEVEL_ONE',
  'AGENT_HIERARCHY_LEVEL_TWO',
  'AGENT_HIERARCHY_LEVEL_THREE',
  'AGENT_HIERARCHY_LEVEL_FOUR',
  'AGENT_HIERARCHY_LEVEL_FIVE',
] as const satisfies readonly Grouping[];
/** Filters of the agent reports (login/logout, activity audit): "filter ... on agent, agent hierarchy, or routing profile". */
export const AGENT_FILTER_KEYS = ['AGENT', 'ROUTING_PROFILE', ...HIERARCHY_GROUPINGS] as const satisfies readonly Grouping[];
export type AgentFilterKey = (typeof AGENT_FILTER_KEYS)[number];

/** "Selected groupings (Maximum 5)". */
export const MAX_GROUPINGS = 5;
export const DEFAULT_INTERVAL: IntervalSize = 'THIRTY_MIN';
export const DEFAULT_TIME_ZONE = 'UTC';
/** "All times in the downloaded report are in seconds" (download-historical-metrics-report.md). */
export const DEFAULT_DURATION_FORMAT: DurationFormat = 'SECONDS';
/** "Choose Custom time range to specify a range up to 7 days" (login-logout-reports.md). */
export const LOGIN_LOGOUT_MAX_CUSTOM_RANGE_MS = 7 * 24 * 60 * 60 * 1000;
/** Named ranges a login/logout report may use: the seed's list, less Today (empty at 12 AM, when these reports run). */
export const LOGIN_LOGOUT_TIME_RANGES = ['YESTERDAY', 'LAST_24_HOURS', 'LAST_2_DAYS', 'LAST_3_DAYS'] as const satisfies readonly NamedTimeRange[];

export interface Schedule {
  readonly frequency: Frequency;
  /**
   * Local time "HH:MM" in the report's zone. DAILY/WEEKLY/MONTHLY: the run
   * time. EVERY_15_MIN/EVERY_30_MIN/HOURLY: the phase of the grid (HOURLY with
   * `everyHours` takes it from `startingAt`); runs happen whenever the local
   * clock shows `at` plus a whole number of periods.
   */
  readonly at: string;
  /**
   * Minutes between runs of a clock grid: 15, 30, 60, or `everyHours` × 60;
   * null for DAILY, WEEKLY and MONTHLY.
   */
  readonly periodMinutes: number | null;
  /** WEEKLY only (empty otherwise): the local days to run on. */
  readonly daysOfWeek: readonly DayOfWeek[];
  /** MONTHLY only (null otherwise): the local day of the month, 1–28 or LAST. */
  readonly dayOfMonth: number | 'LAST' | null;
}

export type Filters<K extends Grouping = Grouping> = { readonly [G in K]?: readonly string[] };

interface ReportCommon {
  /** Unique; letters, digits, `-`, `_`, `.` (it is part of the S3 key). */
  readonly name: string;
  readonly timeZone: string;
  readonly timeRange: TimeRange;
  readonly schedule: Schedule;
  /** S3 key segment(s) between /Reports and the file name; null when none. */
  readonly prefix: string | null;
  readonly durationFormat: DurationFormat;
}

export interface HistoricalReportDefinition extends ReportCommon {
  readonly type: 'HISTORICAL';
  /** In nesting order. */
  readonly groupings: readonly Grouping[];
  readonly filters: Filters;
  /** Registry ids, in the order asked. */
  readonly metrics: readonly string[];
  readonly interval: IntervalSize;
  /** Adds "Agent Name" (Last, First) after the Agent column; needs the AGENT grouping. */
  readonly agentName: boolean;
  /** Where StartInterval and EndInterval go (not for TOTAL, which has none). */
  readonly intervalColumn: IntervalColumn;
  /**
   * Queue rows for agent queues. Amazon Connect leaves them out by default; a
   * QUEUE filter that names agent queues, or this flag, brings them in. Absent: false.
   */
  readonly includeAgentQueues?: boolean;
}

export interface LoginLogoutReportDefinition extends ReportCommon {
  readonly type: 'LOGIN_LOGOUT';
  readonly filters: Filters<AgentFilterKey>;
}

export interface AgentActivityAuditReportDefinition extends ReportCommon {
  readonly type: 'AGENT_ACTIVITY_AUDIT';
  readonly filters: Filters<AgentFilterKey>;
}

export type ReportDefinition = HistoricalReportDefinition | LoginLogoutReportDefinition | AgentActivityAuditReportDefinition;

export class ReportDefinitionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid report definitions (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'ReportDefinitionError';
  }
}

// ---------------------------------------------------------------- field schemas

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (iss) => `must be one of ${values.join(', ')} (got ${show(iss.input)})` });

const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;
const isSafeSegment = (s: string) => SAFE_SEGMENT.test(s) && s !== '.' && s !== '..';
/** S3's "safe characters" for object key names (Amazon S3 user guide, "Object key naming guidelines"). */
const S3_SAFE_SEGMENT = /^[A-Za-z0-9!_.*'()-]+$/;

/** Why a `/`-separated key prefix is not usable, or null when it is: each segment non-empty, not `.` or `..`, S3-safe characters only. */
export function keyPrefixProblem(prefix: string): string | null {
  const segments = prefix.split('/');
  for (const [i, seg] of segments.entries()) {
    if (seg.length === 0) {
      const where = i === 0 ? 'a leading "/"' : i === segments.length - 1 ? 'a trailing "/"' : 'an empty segment ("//")';
      return `has ${where}: write segments separated by single "/", e.g. "SFDC/Queue"`;
    }
    if (seg === '.' || seg === '..') return `segment "${seg}" is not allowed (it means a directory to tools that copy keys to paths)`;
    if (!S3_SAFE_SEGMENT.test(seg)) {
      const bad = [...seg].find((c) => !S3_SAFE_SEGMENT.test(c)) ?? '';
      return `segment ${JSON.stringify(seg)} has ${JSON.stringify(bad)}: use only S3's safe characters, letters, digits and ! - _ . * ' ( )`;
    }
  }
  return null;
}

const NameSchema = z
  .string({ error: (iss) => `must be a string (got ${show(iss.input)})` })
  .min(1, { error: 'must not be empty' })
  .max(128, { error: 'must be at most 128 characters' })
  .refine(isSafeSegment, { error: 'may contain only letters, digits, "-", "_" and "." (it is part of the S3 key)' });

const PrefixSchema = z
  .string({ error: (iss) => `must be a string (got ${show(iss.input)})` })
  .min(1, { error: 'must not be empty (leave it out for no prefix)' })
  .max(512, { error: 'must be at most 512 characters' })
  .superRefine((p, ctx) => {
    const problem = keyPrefixProblem(p);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `${show(p)} ${problem}` });
  });

const ReportTypeSchema = oneOf(REPORT_TYPES);
const GroupingSchema = oneOf(GROUPING_KEYS);
const IntervalSchema = oneOf(INTERVAL_SIZES);
const DurationFormatSchema = oneOf(DURATION_FORMATS);
const FrequencySchema = oneOf(FREQUENCIES);
const DayOfWeekSchema = oneOf(DAYS_OF_WEEK);
const NamedTimeRangeSchema = oneOf(NAMED_TIME_RANGES);
const IntervalColumnSchema = oneOf(INTERVAL_COLUMNS);

const TimeZoneSchema = z
  .string({ error: (iss) => `must be a string (got ${show(iss.input)})` })
  .refine(isValidTimeZone, { error: (iss) => `${show(iss.input)} is not an IANA time zone (e.g. America/New_York)` });

const AtSchema = z
  .string({ error: (iss) => `must be a string "HH:MM" (got ${show(iss.input)})` })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (iss) => `must be a 24-hour local time "HH:MM" (got ${show(iss.input)})` })
  .refine((s) => Number(s.slice(3)) % 15 === 0, {
    error: (iss) => `must be on a 15-minute boundary (:00, :15, :30 or :45): metrics are kept per 15 minutes (got ${show(iss.input)})`,
  });

const StringListSchema = z
  .array(z.string({ error: (iss) => `must be a string (got ${show(iss.input)})` }).min(1, { error: 'must not be empty' }), {
    error: (iss) => `must be a list of names or ARNs (got ${show(iss.input)})`,
  })
  .min(1, { error: 'must list at least one name or ARN' });

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------- validation

const COMMON_FIELDS = ['name', 'type', 'timeZone', 'timeRange', 'schedule', 'prefix', 'durationFormat', 'filters'] as const;
const HISTORICAL_FIELDS = ['groupings', 'metrics', 'interval', 'agentName', 'intervalColumn', 'includeAgentQueues'] as const;
const ALL_FIELDS: readonly string[] = [...COMMON_FIELDS, ...HISTORICAL_FIELDS];

const FIXED_COLUMNS: Record<Exclude<ReportType, 'HISTORICAL'>, string> = {
  LOGIN_LOGOUT: 'a LOGIN_LOGOUT report has fixed columns, one row per login session',
  AGENT_ACTIVITY_AUDIT: 'an AGENT_ACTIVITY_AUDIT report has fixed columns, one row per status or contact-state change per agent and day',
};

type Report = (path: string, message: string) => void;

/** Formats a zod issue path after a field path: metrics[1], schedule.at. */
function joinPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

function check<T>(schema: z.ZodType<T>, value: unknown, path: string, report: Report): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) report(joinPath(path, issue.path), issue.message);
  return undefined;
}

function unknownFields(obj: Record<string, unknown>, known: readonly string[], path: string, report: Report): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) report(`${path}.${key}`, `unknown field (known fields: ${known.join(', ')})`);
  }
}

/** Why a metric cannot be grouped or filtered by a grouping: the registry's note when it says so, else from its category. */
function groupingReason(m: SupportedMetric, g: Grouping): string {
  if (m.notes && /cannot be grouped/i.test(m.notes)) return m.notes;
  const allowed = `it can be grouped only by ${m.groupableBy.join(', ')}`;
  if (m.category === 'agent-activity-driven' && !m.groupableBy.includes('QUEUE')) return `agent-level metric (agent status time has no queue, phone number or channel); ${allowed}`;
  if (m.category === 'agent-activity-driven') return `computed from agent events, which carry no ${g.toLowerCase().replace(/_/g, ' ')}; ${allowed}`;
  return allowed;
}

const RANGE_CHOICES = `one of ${NAMED_TIME_RANGES.join(', ')}, { "previousHours": N }, { "previousDays": N } or { "start": ISO 8601, "end": ISO 8601 }`;

function parseRelativeRange(value: Record<string, unknown>, type: ReportType | undefined, report: Report): RelativeTimeRange | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    report('', `give either "previousHours" or "previousDays", not both and nothing else (got ${show(value)})`);
    return undefined;
  }
  if (type === 'LOGIN_LOGOUT') {
    report('', `a LOGIN_LOGOUT report covers ${LOGIN_LOGOUT_TIME_RANGES.join(', ')} or a custom range of up to 7 days (it runs at 12 AM)`);
    return undefined;
  }
  if ('previousHours' in value) {
    const n = value.previousHours;
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || !Number.isInteger(n * 4) || n > MAX_PREVIOUS_DAYS * 24) {
      report('.previousHours', `must be a number of hours above 0, a multiple of 0.25 (metrics are kept per 15 minutes), at most ${MAX_PREVIOUS_DAYS * 24} (got ${show(n)})`);
      return undefined;
    }
    return { previousHours: n };
  }
  const n = value.previousDays;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_PREVIOUS_DAYS) {
    report('.previousDays', `must be a whole number of days from 1 to ${MAX_PREVIOUS_DAYS} (got ${show(n)})`);
    return undefined;
  }
  return { previousDays: n };
}

function parseTimeRange(value: unknown, zone: string | undefined, type: ReportType | undefined, report: Report): TimeRange | undefined {
  if (typeof value === 'string') {
    const named = check(NamedTimeRangeSchema, value, '', report);
    if (named === undefined) return undefined;
    if (type === 'LOGIN_LOGOUT' && !(LOGIN_LOGOUT_TIME_RANGES as readonly string[]).includes(named)) {
      report('', `a LOGIN_LOGOUT report covers ${LOGIN_LOGOUT_TIME_RANGES.join(', ')} or a custom range of up to 7 days (got "${named}")`);
      return undefined;
    }
    return named;
  }
  if (!isPlainObject(value)) {
    report('', `must be ${RANGE_CHOICES} (got ${show(value)})`);
    return undefined;
  }
  if ('previousHours' in value || 'previousDays' in value) return parseRelativeRange(value, type, report);
  unknownFields(value, ['start', 'end'], '', report);
  // Syntax is checked in UTC when the zone itself is invalid; the order check needs the real zone.
  const z0 = zone ?? DEFAULT_TIME_ZONE;
  const ends: Array<[string, number | undefined]> = (['start', 'end'] as const).map((k) => {
    const v = value[k];
    if (v === undefined) {
      report(`.${k}`, 'is required');
      return [k, undefined];
    }
    if (typeof v !== 'string') {
      report(`.${k}`, `must be an ISO 8601 date or date-time string (got ${show(v)})`);
      return [k, undefined];
    }
    const ms = parseRangeInstant(v, z0);
    if (ms === null) {
      report(`.${k}`, `must be an ISO 8601 date or date-time, e.g. 2026-03-01 or 2026-03-01T08:00:00-05:00 (got ${show(v)})`);
      return [k, undefined];
    }
    if (ms % BUCKET_MS !== 0) {
      report(`.${k}`, `must be on a 15-minute boundary: metrics are kept per 15 minutes (got ${show(v)})`);
      return [k, undefined];
    }
    return [k, ms];
  });
  const startMs = ends[0]?.[1];
  const endMs = ends[1]?.[1];
  if (startMs === undefined || endMs === undefined || zone === undefined) return undefined;
  if (!(startMs < endMs)) {
    report('', `start must be before end (got start ${show(value.start)}, end ${show(value.end)})`);
    return undefined;
  }
  if (type === 'LOGIN_LOGOUT' && endMs - startMs > LOGIN_LOGOUT_MAX_CUSTOM_RANGE_MS) {
    report('', 'a LOGIN_LOGOUT custom range may cover at most 7 days');
    return undefined;
  }
  return { start: value.start as string, end: value.end as string };
}

const SCHEDULE_FIELDS = ['frequency', 'at', 'daysOfWeek', 'everyHours', 'startingAt', 'dayOfMonth'] as const;
const FIXED_PERIOD_MINUTES: Partial<Record<Frequency, number>> = { EVERY_15_MIN: 15, EVERY_30_MIN: 30, HOURLY: 60 };

/**
 * The schedule: `frequency` and its own fields only.
 * - EVERY_15_MIN, EVERY_30_MIN, HOURLY: `at` is the phase of the grid (default 00:00).
 * - HOURLY with `everyHours` (one of EVERY_HOURS) and `startingAt`: Connect's
 *   "Hourly, every N hour(s), starting at HH:MM"; `at` is not used then.
 * - DAILY: `at`. WEEKLY: `at` and `daysOfWeek`. MONTHLY: `at` and `dayOfMonth` (1–28 or "LAST").
 */
function parseSchedule(value: unknown, type: ReportType | undefined, report: Report): Schedule | undefined {
  if (!isPlainObject(value)) {
    report('', `must be an object { "frequency", "at", ... } (got ${show(value)})`);
    return undefined;
  }
  unknownFields(value, SCHEDULE_FIELDS, '', report);
  let ok = true;
  const fail = (path: string, message: string) => {
    report(path, message);
    ok = false;
  };
  let frequency: Frequency | undefined;
  if (value.frequency === undefined) fail('.frequency', 'is required');
  else {
    frequency = check(FrequencySchema, value.frequency, '.frequency', report);
    if (frequency === undefined) ok = false;
  }
  const only = (field: (typeof SCHEDULE_FIELDS)[number], allowed: boolean, what: string) => {
    if (value[field] !== undefined && frequency !== undefined && !allowed) fail(`.${field}`, `only for ${what} (frequency is ${frequency})`);
  };

  // everyHours / startingAt: HOURLY only; with them, startingAt replaces at.
  let periodMinutes: number | null = frequency === undefined ? null : (FIXED_PERIOD_MINUTES[frequency] ?? null);
  let at: string | undefined = '00:00';
  only('everyHours', frequency === 'HOURLY', 'HOURLY schedules');
  only('startingAt', frequency === 'HOURLY', 'HOURLY schedules with everyHours (other frequencies use "at")');
  if (frequency === 'HOURLY' && value.everyHours !== undefined) {
    const n = value.everyHours;
    if (typeof n !== 'number' || !(EVERY_HOURS as readonly number[]).includes(n)) {
      fail('.everyHours', `must be one of ${EVERY_HOURS.join(', ')} (each divides a day, so runs repeat at the same clock times every day; got ${show(n)})`);
    } else periodMinutes = n * 60;
    if (value.at !== undefined) fail('.at', 'not with everyHours: give the first run of the day as "startingAt"');
    if (value.startingAt === undefined) fail('.startingAt', 'is required with everyHours, e.g. "01:00"');
    else at = check(AtSchema, value.startingAt, '.startingAt', report);
  } else {
    if (frequency === 'HOURLY' && value.startingAt !== undefined) fail('.startingAt', 'only with everyHours (a plain HOURLY schedule uses "at")');
    if (value.at !== undefined) at = check(AtSchema, value.at, '.at', report);
  }
  if (at === undefined) ok = false;

  let daysOfWeek: DayOfWeek[] = [];
  only('daysOfWeek', frequency === 'WEEKLY', 'WEEKLY schedules');
  if (value.daysOfWeek !== undefined && frequency === 'WEEKLY') {
    const days = check(z.array(DayOfWeekSchema, { error: (iss) => `must be a list of days, e.g. ["MONDAY"] (got ${show(iss.input)})` }), value.daysOfWeek, '.daysOfWeek', report);
    if (days === undefined) ok = false;
    else {
      if (days.length === 0) fail('.daysOfWeek', 'must list at least one day');
      days.forEach((d, i) => {
        const first = days.indexOf(d);
        if (first !== i) fail(`.daysOfWeek[${i}]`, `duplicate day ${d} (also daysOfWeek[${first}])`);
      });
      daysOfWeek = DAYS_OF_WEEK.filter((d) => days.includes(d));
    }
  } else if (frequency === 'WEEKLY') fail('.daysOfWeek', 'is required for WEEKLY schedules, e.g. ["MONDAY", "THURSDAY"]');

  let dayOfMonth: number | 'LAST' | null = null;
  only('dayOfMonth', frequency === 'MONTHLY', 'MONTHLY schedules');
  if (frequency === 'MONTHLY') {
    const d = value.dayOfMonth;
    if (d === undefined) fail('.dayOfMonth', `is required for MONTHLY schedules: 1–${MAX_DAY_OF_MONTH} or "LAST"`);
    else if (d === 'LAST' || (typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= MAX_DAY_OF_MONTH)) dayOfMonth = d;
    else fail('.dayOfMonth', `must be a day from 1 to ${MAX_DAY_OF_MONTH} (every month has it) or "LAST" for the month's last day (got ${show(d)})`);
  }

  if (type === 'LOGIN_LOGOUT') {
    // "you can schedule the report to run daily or on specific days of the week"; "A scheduled report always runs at 12AM".
    if (frequency !== undefined && frequency !== 'DAILY' && frequency !== 'WEEKLY') fail('.frequency', `a LOGIN_LOGOUT report runs DAILY or WEEKLY (got "${frequency}")`);
    if (at !== undefined && at !== '00:00') fail('.at', `a LOGIN_LOGOUT report always runs at 12 AM ("00:00") in its time zone (got "${at}")`);
  }
  return ok && frequency !== undefined && at !== undefined ? { frequency, at, periodMinutes, daysOfWeek, dayOfMonth } : undefined;
}

const INTERVAL_MINUTES: Partial<Record<IntervalSize, number>> = { FIFTEEN_MIN: 15, THIRTY_MIN: 30, HOUR: 60, DAY: 24 * 60 };

/**
 * A relative range must hold whole report intervals: its length and every run
 * time on the interval's grid (local clock), or its rows would be partial
 * intervals labelled as whole ones, and two runs would write different values
 * for the same interval. DAY needs whole days from runs at 00:00; WEEK does not
 * go with a relative range (use LAST_WEEK).
 */
function relativeRangeProblems(range: RelativeTimeRange, schedule: Schedule, atField: string, interval: IntervalSize, report: Report): void {
  if (interval === 'TOTAL') return;
  const rangeField = 'previousHours' in range ? 'previousHours' : 'previousDays';
  const lengthMin = relativeRangeMs(range) / 60_000;
  if (interval === 'WEEK') {
    report('interval', `WEEK does not go with a relative time range (timeRange.${rangeField}): use LAST_WEEK, or a DAY interval`);
    return;
  }
  if (interval === 'DAY' && rangeField === 'previousHours') {
    report('interval', 'DAY goes with "previousDays" (local days are 23 or 25 hours on DST days), not "previousHours"');
    return;
  }
  const step = INTERVAL_MINUTES[interval] ?? 15;
  if (lengthMin < step) {
    report('interval', `${interval} is longer than the time range (timeRange.${rangeField}): each run would cover part of one interval`);
    return;
  }
  if (lengthMin % step !== 0) {
    report(`timeRange.${rangeField}`, `must be a whole number of ${interval} intervals (${step} minutes each), so every row is a whole interval`);
  }
  const atMin = Number(schedule.at.slice(0, 2)) * 60 + Number(schedule.at.slice(3, 5));
  if (atMin % step !== 0) report(atField, `"${schedule.at}" is not on the ${interval} grid of the local clock: with a relative range, runs must fall on interval boundaries`);
  if (schedule.periodMinutes !== null && schedule.periodMinutes % step !== 0) {
    const field = atField === 'schedule.startingAt' ? 'schedule.everyHours' : 'schedule.frequency';
    report(field, `runs every ${schedule.periodMinutes / 60} hour(s) do not all fall on ${interval} boundaries: with a relative range, runs must fall on interval boundaries`);
  }
}

/** The valid filters (problems are reported; the caller's `ok` flag decides whether the report is usable). */
function parseFilters(value: unknown, keys: readonly Grouping[], type: ReportType | undefined, report: Report): Filters {
  if (!isPlainObject(value)) {
    report('', `must be an object of grouping → list of names or ARNs (got ${show(value)})`);
    return {};
  }
  const out: Record<string, readonly string[]> = {};
  for (const [key, list] of Object.entries(value)) {
    if (!(keys as readonly string[]).includes(key)) {
      report(`.${key}`, `not a filter of ${type ?? 'any'} reports (filters: ${keys.join(', ')})`);
      continue;
    }
    const values = check(StringListSchema, list, `.${key}`, report);
    if (values !== undefined) out[key] = [...new Set(values)];
  }
  return out as Filters;
}

/** The valid, distinct groupings in order (problems are reported). */
function parseGroupings(value: unknown, report: Report): Grouping[] {
  if (!Array.isArray(value)) {
    report('', `must be a list of groupings (got ${show(value)})`);
    return [];
  }
  if (value.length > MAX_GROUPINGS) report('', `at most ${MAX_GROUPINGS} groupings (got ${value.length})`);
  const out: Grouping[] = [];
  const seenAt = new Map<Grouping, number>();
  let hierarchyAt = -1;
  value.forEach((item: unknown, i) => {
    const g = check(GroupingSchema, item, `[${i}]`, report);
    if (g === undefined) return;
    const first = seenAt.get(g);
    if (first !== undefined) {
      report(`[${i}]`, `duplicate grouping ${g} (also groupings[${first}])`);
      return;
    }
    seenAt.set(g, i);
    if ((HIERARCHY_GROUPINGS as readonly string[]).includes(g)) {
      if (hierarchyAt >= 0) {
        // "You can select only one agent hierarchy at a time for grouping."
        report(`[${i}]`, `only one agent hierarchy level may be grouped by (also ${String(value[hierarchyAt])} at groupings[${hierarchyAt}])`);
        return;
      }
      hierarchyAt = i;
    }
    out.push(g);
  });
  return out;
}

function parseMetrics(value: unknown, groupings: readonly Grouping[], filterKeys: readonly Grouping[], report: Report): string[] | undefined {
  const list = check(
    z.array(z.string({ error: (iss) => `must be a metric id or Amazon Connect metric name (got ${show(iss.input)})` }), {
      error: (iss) => `must be a list of metric ids or Amazon Connect metric names (got ${show(iss.input)})`,
    }),
    value,
    '',
    report,
  );
  if (list === undefined) return undefined;
  if (list.length === 0) {
    report('', 'must list at least one metric ("You must select at least one metric for a report")');
    return undefined;
  }
  const ids: string[] = [];
  const firstAt = new Map<string, number>();
  list.forEach((asked, i) => {
    const at = `[${i}]`;
    const m = findMetric(asked);
    if (!m) {
      report(at, `"${asked}" is not a known metric (use a registry id such as "contacts_handled" or the Amazon Connect name such as "Contacts handled")`);
      return;
    }
    if (!m.supported) {
      report(at, `"${asked}" is not supported: ${m.reason}`);
      return;
    }
    const first = firstAt.get(m.id);
    if (first !== undefined) {
      report(at, `"${asked}" is the same metric as metrics[${first}] (${m.id})`);
      return;
    }
    firstAt.set(m.id, i);
    ids.push(m.id);
    for (const g of groupings) {
      if (!m.groupableBy.includes(g)) {
        report(at, `"${asked}" cannot be grouped by ${g}: ${groupingReason(m, g)}`);
      }
    }
    for (const g of filterKeys) {
      if (!m.groupableBy.includes(g) && !groupings.includes(g)) {
        report(at, `"${asked}" cannot be filtered by ${g}: ${groupingReason(m, g)}`);
      }
    }
  });
  return ids;
}

function parseReport(raw: unknown, index: number, problems: string[]): ReportDefinition | undefined {
  const here = `reports[${index}]`;
  if (!isPlainObject(raw)) {
    problems.push(`${here}: must be an object (got ${show(raw)})`);
    return undefined;
  }
  const label = typeof raw.name === 'string' ? `${here} ${JSON.stringify(raw.name)}` : here;
  let ok = true;
  const at =
    (field: string): Report =>
    (path, message) => {
      ok = false;
      problems.push(`${label}.${field}${path}: ${message}`);
    };
  const top: Report = (path, message) => {
    ok = false;
    problems.push(`${label}${path}: ${message}`);
  };

  unknownFields(raw, ALL_FIELDS, '', top);

  const required = <T>(field: string, schema: z.ZodType<T>, hint = ''): T | undefined => {
    if (raw[field] !== undefined) return check(schema, raw[field], '', at(field));
    at(field)('', `is required${hint}`);
    return undefined;
  };
  const name = required('name', NameSchema);
  const type = required('type', ReportTypeSchema, ` (one of ${REPORT_TYPES.join(', ')})`);

  const timeZone = raw.timeZone === undefined ? DEFAULT_TIME_ZONE : check(TimeZoneSchema, raw.timeZone, '', at('timeZone'));
  const prefix = raw.prefix === undefined ? null : check(PrefixSchema, raw.prefix, '', at('prefix'));
  const durationFormat = raw.durationFormat === undefined ? DEFAULT_DURATION_FORMAT : check(DurationFormatSchema, raw.durationFormat, '', at('durationFormat'));

  // Without a valid type, fields are still checked where present, but nothing is required or defaulted by type.
  const historical = type === 'HISTORICAL';
  const agentReport = type === 'LOGIN_LOGOUT' || type === 'AGENT_ACTIVITY_AUDIT';

  let timeRange: TimeRange | undefined;
  if (raw.timeRange !== undefined) timeRange = parseTimeRange(raw.timeRange, timeZone, type, at('timeRange'));
  else if (historical) at('timeRange')('', `is required (${RANGE_CHOICES})`);
  else timeRange = 'YESTERDAY';

  let schedule: Schedule | undefined;
  if (raw.schedule !== undefined) schedule = parseSchedule(raw.schedule, type, at('schedule'));
  else if (historical) at('schedule')('', 'is required, e.g. { "frequency": "DAILY", "at": "00:00" }');
  else schedule = { frequency: 'DAILY', at: '00:00', periodMinutes: null, daysOfWeek: [], dayOfMonth: null };

  const filterKeys: readonly Grouping[] = agentReport ? AGENT_FILTER_KEYS : GROUPING_KEYS;
  const filters = raw.filters === undefined ? {} : parseFilters(raw.filters, filterKeys, type, at('filters'));

  let groupings: Grouping[] = [];
  let metrics: string[] | undefined;
  let interval: IntervalSize | undefined = DEFAULT_INTERVAL;
  let agentName: boolean | undefined = false;
  let intervalColumn: IntervalColumn | undefined = 'AFTER_GROUPINGS';
  let includeAgentQueues: boolean | undefined = false;
  if (agentReport) {
    for (const f of HISTORICAL_FIELDS) if (raw[f] !== undefined) at(f)('', `not allowed: ${FIXED_COLUMNS[type]}`);
  } else {
    if (raw.groupings !== undefined) groupings = parseGroupings(raw.groupings, at('groupings'));
    if (raw.interval !== undefined) interval = check(IntervalSchema, raw.interval, '', at('interval'));
    if (raw.agentName !== undefined) agentName = check(z.boolean({ error: (iss) => `must be true or false (got ${show(iss.input)})` }), raw.agentName, '', at('agentName'));
    if (agentName && !groupings.includes('AGENT')) at('agentName')('', 'needs the AGENT grouping (Agent Name follows the Agent column)');
    if (raw.intervalColumn !== undefined) intervalColumn = check(IntervalColumnSchema, raw.intervalColumn, '', at('intervalColumn'));
    if (intervalColumn === 'FIRST' && interval === 'TOTAL') at('intervalColumn')('', 'a TOTAL report has no interval columns to place first');
    if (interval !== undefined && timeRange !== undefined && schedule !== undefined && isRelativeTimeRange(timeRange)) {
      const atField = isPlainObject(raw.schedule) && raw.schedule.startingAt !== undefined ? 'schedule.startingAt' : 'schedule.at';
      relativeRangeProblems(timeRange, schedule, atField, interval, (field, message) => at(field)('', message));
    }
    if (raw.includeAgentQueues !== undefined)
      includeAgentQueues = check(z.boolean({ error: (iss) => `must be true or false (got ${show(iss.input)})` }), raw.includeAgentQueues, '', at('includeAgentQueues'));
    if (raw.metrics !== undefined) metrics = parseMetrics(raw.metrics, groupings, Object.keys(filters) as Grouping[], at('metrics'));
    else if (historical) at('metrics')('', 'is required: list at least one metric');
  }

  if (!ok || name === undefined || type === undefined || timeZone === undefined || timeRange === undefined || schedule === undefined) return undefined;
  if (prefix === undefined || durationFormat === undefined) return undefined;
  const common = { name, timeZone, timeRange, schedule, prefix, durationFormat };
  if (type === 'HISTORICAL') {
    if (metrics === undefined || interval === undefined || agentName === undefined || intervalColumn === undefined || includeAgentQueues === undefined) return undefined;
    return { ...common, type, groupings, filters, metrics, interval, agentName, intervalColumn, ...(includeAgentQueues ? { includeAgentQueues } : {}) };
  }
  return { ...common, type, filters: filters as Filters<AgentFilterKey> };
}

/**
 * Validates a report-definitions file (parsed JSON, or its text) and returns
 * the definitions with defaults applied and metrics resolved to registry ids.
 * Throws `ReportDefinitionError` listing every problem.
 */
export function parseReportDefinitions(json: unknown): ReportDefinition[] {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json) as unknown;
    } catch (e) {
      throw new ReportDefinitionError([`(file): not valid JSON: ${e instanceof Error ? e.message : String(e)}`]);
    }
  }
  if (!isPlainObject(doc)) throw new ReportDefinitionError([`(file): must be an object { "reports": [...] } (got ${show(doc)})`]);
  const problems: string[] = [];
  unknownFields(doc, ['reports'], '', (path, message) => problems.push(`${path.slice(1)}: ${message}`));
  if (!Array.isArray(doc.reports)) throw new ReportDefinitionError([...problems, `reports: must be a list of report definitions (got ${show(doc.reports)})`]);

  const out: ReportDefinition[] = [];
  const seen = new Map<string, number>();
  doc.reports.forEach((raw: unknown, i) => {
    const def = parseReport(raw, i, problems);
    const name = isPlainObject(raw) && typeof raw.name === 'string' ? raw.name : undefined;
    if (name !== undefined) {
      const first = seen.get(name);
      if (first !== undefined) problems.push(`reports[${i}] ${JSON.stringify(name)}.name: duplicate report name (also reports[${first}])`);
      else seen.set(name, i);
    }
    if (def) out.push(def);
  });
  if (problems.length > 0) throw new ReportDefinitionError(problems);
  return out;
}
