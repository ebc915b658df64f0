/**
 * Shared pieces of the runtime validation of raw Amazon Connect JSON: the
 * error and result types returned by `parseCtr` / `parseAgentEvent`, the leaf
 * zod schemas both record shapes are built from, and small normalization
 * helpers.
 *
 * Everything here is built once at module load: the handlers validate tens of
 * thousands of records per second, so no schema is constructed per call.
 */
import { z } from 'zod';
import {
  MAX_ADDRESS_BYTES,
  MAX_ARN_BYTES,
  MAX_ENUM_BYTES,
  MAX_FUTURE_MS,
  MAX_ID_BYTES,
  MAX_NAME_BYTES,
  MIN_TIMESTAMP_MS,
} from './limits.js';
import type { EntityRef, HierarchyLevels, UnknownEnumValue } from './types.js';

export interface ValidationIssue {
  /** Location in the RAW JSON, with raw field names: `Agent.HierarchyGroups.Level1.ARN`, `CurrentAgentSnapshot.Contacts[0].State`. `''` is the document itself. */
  readonly path: string;
  /** The offending raw value (`undefined` when the field is missing). */
  readonly value: unknown;
  /** What was expected, e.g. `expected a non-negative integer`. */
  readonly message: string;
}

/** How many issues the error message spells out; the rest are only counted (all are in `issues`). */
const ISSUES_IN_MESSAGE = 3;
/** Long raw values (whole documents, big strings) are cut so that log lines stay readable. */
const MAX_RENDERED_VALUE = 80;

export class ValidationError extends Error {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(formatIssues(issues));
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** Options of `parseCtr`, `parseAgentEvent` and `parseContactEvent`. */
export interface ParseOptions {
  /** "Now" for the no-later-than-a-day-ahead check, epoch ms; defaults to `Date.now()` (right in production; tests and replays of future-dated data pass their own). */
  readonly nowMs?: number;
  /**
   * False when the record's JSON text is known to hold no escape that decodes
   * to a control character (see `mayHoldControlCharacters`): JSON cannot carry
   * one unescaped, so no string needs scanning. Default true: scan every string.
   */
  readonly controlCharacters?: boolean;
}

// An escape that decodes to U+0000–U+001F or U+007F, or a raw U+007F (JSON need not escape it); an escaped
// backslash before "n" is a harmless false positive.
const CONTROL_ESCAPE = /\\(?:u00[01][0-9a-fA-F]|u007[fF]|[bfnrt])|\u007f/;

/** Whether JSON text may hold a string with a control character: only through an escape (JSON forbids U+0000–U+001F raw) or a raw DEL. */
export function mayHoldControlCharacters(jsonText: string): boolean {
  return CONTROL_ESCAPE.test(jsonText);
}

export type ParseResult<T> =
  | { ok: true; value: T; unknownEnums: readonly UnknownEnumValue[] }
  | { ok: false; error: ValidationError };

function formatIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return 'invalid record';
  const shown = issues.slice(0, ISSUES_IN_MESSAGE).map(formatIssue);
  const rest = issues.length - shown.length;
  return rest > 0 ? `${shown.join('; ')} (and ${rest} more)` : shown.join('; ');
}

function formatIssue(issue: ValidationIssue): string {
  return `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}, got ${describeValue(issue.value)}`;
}

/** `"12" (string)`, `null (null)`, `[…] (array)`; never throws, even on cyclic or exotic values. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  let rendered: string;
  try {
    rendered = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  } catch {
    rendered = Object.prototype.toString.call(value);
  }
  if (rendered.length > MAX_RENDERED_VALUE) rendered = `${rendered.slice(0, MAX_RENDERED_VALUE - 1)}…`;
  return `${rendered} (${kind})`;
}

/** `['Agent', 'HierarchyGroups', 'Level1']` → `Agent.HierarchyGroups.Level1`; numbers become `[i]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** The raw value at `path`, looked up again because zod only reports inputs when asked to, and not for missing keys. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    // Own properties only: a raw `__proto__` or `constructor` must not resolve to Object.prototype members.
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function validationErrorFromZod(error: z.ZodError, raw: unknown): ValidationError {
  return new ValidationError(
    error.issues.map((issue) => ({ path: formatPath(issue.path), value: valueAt(raw, issue.path), message: issue.message })),
  );
}

/** A raw path, or a function building it: paths inside arrays are only formatted when something is wrong with them. */
export type PathRef = string | (() => string);

const NO_UNKNOWN_ENUMS: readonly UnknownEnumValue[] = Object.freeze([]);

/** What a string field is, for its length bound (see limits.ts). */
export type TextKind = 'arn' | 'id' | 'name' | 'address' | 'enum';

const MAX_BYTES: Readonly<Record<TextKind, number>> = {
  arn: MAX_ARN_BYTES,
  id: MAX_ID_BYTES,
  name: MAX_NAME_BYTES,
  address: MAX_ADDRESS_BYTES,
  enum: MAX_ENUM_BYTES,
};

/**
 * C0 controls and DEL. U+001F is the separator of dimension keys
 * (dimensions.ts), and no id, ARN, name or number Connect publishes has any
 * of them. U+2028 / U+2029 and C1 controls are left alone: they break nothing
 * here and may appear in user-chosen names.
 */
// A regex: about twice as fast as a charCodeAt loop on V8, and it runs for every string of every record.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export function hasControlCharacter(s: string): boolean {
  return CONTROL_CHARACTER.test(s);
}

export const MSG_CONTROL_CHARACTER = 'contains a control character';
export const msgTooLong = (maxBytes: number): string => `longer than ${maxBytes} bytes (UTF-8)`;

/**
 * Second validation pass, run by the normalizers on structurally valid input.
 *
 * zod checks the shape (objects, arrays, primitive types) and that is cheap:
 * its compiled object parser inlines primitive type tests. Value checks
 * attached to a zod schema (`.min()`, `.int()`, `.regex()`, `.refine()`,
 * `.transform()`) each cost 0.2-0.8 µs per field, and a contact record has
 * over a dozen of them (timestamps, durations): measured on the sample
 * records, validation ran at ~145k CTRs/s with those checks in zod and at
 * ~240k/s with them here. So timestamps, non-negative integers and non-empty
 * ids are checked here while the normalized object is built, and reported
 * with the same raw paths and messages as zod's. The price: a record with
 * structural issues reports only those; its value issues appear once the
 * structure is right.
 */
export class NormalizeContext {
  private issueList: ValidationIssue[] | null = null;
  private enumList: UnknownEnumValue[] | null = null;
  /** The latest acceptable timestamp: a day after "now". */
  private readonly latestMs: number;

  constructor(
    readonly nowMs: number = Date.now(),
    private readonly scanControl = true,
  ) {
    this.latestMs = nowMs + MAX_FUTURE_MS;
  }

  get issues(): readonly ValidationIssue[] {
    return this.issueList ?? [];
  }

  get unknownEnums(): readonly UnknownEnumValue[] {
    return this.enumList ?? NO_UNKNOWN_ENUMS;
  }

  get failed(): boolean {
    return this.issueList !== null;
  }

  fail(path: PathRef, value: unknown, message: string): void {
    const issue = { path: typeof path === 'string' ? path : path(), value, message };
    if (this.issueList === null) this.issueList = [issue];
    else this.issueList.push(issue);
  }

  /**
   * A required timestamp → epoch ms (NaN, with an issue recorded, when
   * unparseable). A time before 2000 or more than a day after now is
   * recorded as an issue too (and returned, so relative checks can run).
   */
  timestamp(value: string, path: PathRef): number {
    const ms = parseIsoTimestamp(value);
    if (Number.isNaN(ms)) this.fail(path, value, MSG_TIMESTAMP);
    else if (ms < MIN_TIMESTAMP_MS) this.fail(path, value, MSG_TOO_EARLY);
    else if (ms > this.latestMs) this.fail(path, value, `expected a time at most a day after now (${new Date(this.nowMs).toISOString()})`);
    return ms;
  }

  /**
   * Records an issue when a valid time `ms` lies outside [lo, hi]. Skipped
   * when `ms` or a bound is NaN: the unparseable timestamp is already reported.
   */
  within(ms: number | null, lo: number, hi: number, value: unknown, path: PathRef, message: string): void {
    if (ms === null || Number.isNaN(ms) || Number.isNaN(lo) || Number.isNaN(hi)) return;
    if (ms < lo || ms > hi) this.fail(path, value, message);
  }

  /**
   * An optional string that becomes a key, a name or a dimension: `''`,
   * `null` and missing → null; longer than its kind's bound or holding a
   * control character → an issue.
   */
  text(value: string | null | undefined, kind: TextKind, path: PathRef): string | null {
    if (value === null || value === undefined || value === '') return null;
    this.checkText(value, kind, path);
    return value;
  }

  /** A required, non-empty string bounded like `text`. */
  requiredText(value: string, kind: TextKind, path: PathRef): string {
    if (value === '') this.fail(path, value, MSG_NON_EMPTY_STRING);
    else this.checkText(value, kind, path);
    return value;
  }

  private checkText(value: string, kind: TextKind, path: PathRef): void {
    const max = MAX_BYTES[kind];
    // A UTF-16 code unit takes at most 3 UTF-8 bytes: short strings need no byte count.
    if (value.length * 3 > max && Buffer.byteLength(value, 'utf8') > max) this.fail(path, value, msgTooLong(max));
    if (this.scanControl && hasControlCharacter(value)) this.fail(path, value, MSG_CONTROL_CHARACTER);
  }

  /** `entityRef` with both parts checked: an ARN (`arn` kind) and a name (`name` kind, or `nameKind`). */
  ref(arn: string | null | undefined, name: string | null | undefined, arnPath: PathRef, namePath: PathRef, nameKind: TextKind = 'name'): EntityRef | null {
    return entityRef(this.text(arn, 'arn', arnPath), this.text(name, nameKind, namePath));
  }

  /** Records an issue when a raw list is longer than `max`, and says whether it is within bounds. */
  boundedList(list: readonly unknown[], max: number, path: PathRef): boolean {
    if (list.length <= max) return true;
    this.fail(path, `${list.length} items`, `expected at most ${max} items`);
    return false;
  }

  /** An optional timestamp: missing and `null` (Connect sends both) → null. */
  optTimestamp(value: string | null | undefined, path: PathRef): number | null {
    return value === null || value === undefined ? null : this.timestamp(value, path);
  }

  /** An optional count or whole-second duration: a non-negative safe integer, else an issue. */
  optCount(value: number | null | undefined, path: PathRef): number | null {
    if (value === null || value === undefined) return null;
    if (!Number.isSafeInteger(value) || value < 0) this.fail(path, value, MSG_COUNT);
    return value;
  }

  /** An identifier that must be present and non-empty (zod has already checked it is a string). */
  nonEmpty(value: string, path: PathRef): string {
    if (value === '') this.fail(path, value, MSG_NON_EMPTY_STRING);
    return value;
  }

  /** Carries `value` whatever it is (within the `enum` bounds), and records it when the model does not know it. */
  enumValue(known: ReadonlySet<string>, value: string, path: PathRef): string {
    if (!known.has(value)) {
      this.checkText(value, 'enum', path);
      const entry = { path: typeof path === 'string' ? path : path(), value };
      if (this.enumList === null) this.enumList = [entry];
      else this.enumList.push(entry);
    }
    return value;
  }
}

/**
 * Runs a compiled schema then a normalizer. Any exception (which would be a
 * bug, or an exotic non-JSON input such as a throwing getter) is turned into a
 * failed result: a poison record must never crash a batch.
 */
export function runParser<Raw, T>(
  schema: z.ZodType<Raw>,
  raw: unknown,
  normalize: (parsed: Raw, ctx: NormalizeContext) => T,
  options: ParseOptions = {},
): ParseResult<T> {
  try {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: validationErrorFromZod(parsed.error, raw) };
    const ctx = new NormalizeContext(options.nowMs ?? Date.now(), options.controlCharacters ?? true);
    const value = normalize(parsed.data, ctx);
    if (ctx.failed) return { ok: false, error: new ValidationError(ctx.issues) };
    return { ok: true, value, unknownEnums: ctx.unknownEnums };
  } catch (e) {
    const message = e instanceof Error ? `could not be validated (${e.message})` : 'could not be validated';
    return { ok: false, error: new ValidationError([{ path: '', value: raw, message }]) };
  }
}

// ---------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------

/**
 * Two ASCII digits as a number, or 100 – above every field's maximum, so one
 * range test rejects non-digits too. Out-of-range indexes give NaN from
 * charCodeAt, which fails the tests as well. Always a small integer: keeps
 * the parser on V8's fast integer path.
 */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : 100;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). Plain arithmetic: several times cheaper than Date.UTC, and
 * years 0-99 are not mapped to 19xx.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Epoch milliseconds of an ISO-8601 date-time with a zone, or NaN.
 *
 * Accepts what Connect writes – CTRs whole seconds (`2026-03-10T09:00:00Z`),
 * agent events milliseconds (`2018-10-25T18:55:27.027Z`) – plus 1-9 fraction
 * digits (truncated to ms, as Date.parse does) and `±hh:mm` / `±hhmm`
 * offsets. A zone is mandatory: a zone-less time would silently be read as
 * local time. Field ranges are checked (Date.parse would roll 2026-02-31 over
 * to March). Hand-written because it runs for every timestamp of every record:
 * it is several times faster than a regex test plus Date.parse, with the same
 * results on valid input (the tests compare the two).
 */
export function parseIsoTimestamp(s: string): number {
  const len = s.length;
  if (len < 20 || len > 35) return NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return NaN; // '-', '-', 'T', ':', ':'
  }
  const century = twoDigits(s, 0);
  const yearOfCentury = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (century > 99 || yearOfCentury > 99 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return NaN;
  const year = century * 100 + yearOfCentury;
  if (day < 1 || day > daysInMonth(year, month)) return NaN;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    // '.': 1-9 fraction digits; the first three give the milliseconds, the rest are truncated.
    i++;
    let n = 0;
    while (n < 9) {
      const d = s.charCodeAt(i) - 48;
      if (!(d >= 0 && d <= 9)) break;
      if (n < 3) ms = ms * 10 + d;
      n++;
      i++;
    }
    if (n === 0) return NaN;
    if (n === 1) ms *= 100;
    else if (n === 2) ms *= 10;
  }
  let offsetMinutes = 0;
  const zone = s.charCodeAt(i);
  if (zone === 90) {
    // 'Z'
    i++;
  } else if (zone === 43 || zone === 45) {
    // '+' or '-', then hh:mm or hhmm
    const oh = twoDigits(s, i + 1);
    const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
    const om = twoDigits(s, i + 3 + colon);
    if (oh > 23 || om > 59) return NaN;
    offsetMinutes = (zone === 43 ? 1 : -1) * (oh * 60 + om);
    i += 5 + colon;
  } else {
    return NaN;
  }
  if (i !== len) return NaN;
  const minutes = (daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes;
  return (minutes * 60 + second) * 1000 + ms;
}

export const MSG_TIMESTAMP = 'expected an ISO-8601 timestamp with a zone (e.g. 2026-03-10T09:00:00Z)';
export const MSG_TOO_EARLY = 'expected a time from 2000-01-01T00:00:00Z on';
export const MSG_STRING = 'expected a string';
export const MSG_NON_EMPTY_STRING = 'expected a non-empty string';
export const MSG_COUNT = 'expected a non-negative integer';
export const MSG_OBJECT = 'expected an object';
export const MSG_ARRAY = 'expected an array';

// Leaf schemas: type checks only (see NormalizeContext for why values are checked there).
export const str = z.string({ error: MSG_STRING });
export const optStr = str.nullish();
/** Identifiers; emptiness is checked by `NormalizeContext.nonEmpty`. */
export const idStr = z.string({ error: MSG_NON_EMPTY_STRING });
/** Timestamp strings; parsed by `NormalizeContext.timestamp`. */
export const tsStr = z.string({ error: MSG_TIMESTAMP });
export const optTsStr = tsStr.nullish();
/** Counts and whole seconds; a numeric string such as `"12"` is rejected here, non-integers in `NormalizeContext.optCount`. */
export const optNum = z.number({ error: MSG_COUNT }).nullish();

/** Object schemas strip unknown keys: Connect adds fields over time and they must not break or leak through. */
export function obj<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.object(shape, { error: MSG_OBJECT });
}

export function arr<T extends z.core.SomeType>(item: T) {
  return z.array(item, { error: MSG_ARRAY });
}

// ---------------------------------------------------------------------------
// Normalization helpers
// ---------------------------------------------------------------------------

/** `undefined` and `''` become null: an empty ARN or name identifies nothing. */
export function orNull(s: string | null | undefined): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}

/** `id` is the ARN when present, else the name; neither → null (nothing to attribute metrics to). */
export function entityRef(arn: string | null | undefined, name: string | null | undefined): EntityRef | null {
  const a = orNull(arn);
  const n = orNull(name);
  if (a !== null) return { id: a, arn: a, name: n };
  if (n !== null) return { id: n, arn: null, name: n };
  return null;
}

export type RawLevels<G> = {
  readonly Level1?: G | null | undefined;
  readonly Level2?: G | null | undefined;
  readonly Level3?: G | null | undefined;
  readonly Level4?: G | null | undefined;
  readonly Level5?: G | null | undefined;
};

const NO_HIERARCHY: HierarchyLevels = Object.freeze({ level1: null, level2: null, level3: null, level4: null, level5: null });

export type LevelKey = keyof RawLevels<unknown>;

/** Five hierarchy levels; `toRef` differs because CTRs name a group `GroupName` and agent events `Name`, and gets the raw level key for issue paths. */
export function hierarchyLevels<G>(levels: RawLevels<G> | null | undefined, toRef: (group: G, level: LevelKey) => EntityRef | null): HierarchyLevels {
  if (levels === null || levels === undefined) return NO_HIERARCHY;
  const ref = (g: G | null | undefined, level: LevelKey): EntityRef | null => (g === null || g === undefined ? null : toRef(g, level));
  return {
    level1: ref(levels.Level1, 'Level1'),
    level2: ref(levels.Level2, 'Level2'),
    level3: ref(levels.Level3, 'Level3'),
    level4: ref(levels.Level4, 'Level4'),
    level5: ref(levels.Level5, 'Level5'),
  };
}
