/**
 * `connect-metrics compare --connect FILE --ours FILE`: the parity check a
 * team runs while this project runs beside Amazon Connect. Reads the two
 * historical metrics CSVs (local paths or s3://bucket/key), matches rows by
 * grouping values and interval, prints every cell that differs beyond the
 * rounding tolerances, rows present on one side only, and a summary line.
 * With --explain, each differing contact-record-driven cell is followed by
 * the contacts that make up our value, read from the store a replay left (or
 * a deployed table with --aws).
 *
 * Exit code: 0 when the reports agree, 1 when they differ, 2 on bad input
 * (or when the check cannot run at all).
 */
import { readFile } from 'node:fs/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { Command } from 'commander';
import { clientConfigFromEnv, s3Client } from '../../lambdas/adapters/aws-clients.js';
import type { EntityCatalog } from '../../lambdas/domain/engine/entities.js';
import {
  compareReports,
  CompareInputError,
  DEFAULT_TOLERANCES,
  explainContacts,
  formatCompareResult,
  isContactRecordDriven,
  parseInstant,
  parseReportCsv,
} from '../../lambdas/domain/reports/compare.js';
import type { CellDifference, CompareResult, ContactLike, Tolerances } from '../../lambdas/domain/reports/compare.js';
import { assertTimeZone, formatInZone, InvalidTimeZoneError } from '../../lambdas/domain/time/intervals.js';
import type { MetricReader } from '../../lambdas/storage/metric-store.js';
import { openAwsStore, openLocalStore, RealtimeCommandError } from './realtime.js';
import { DEFAULT_DATA_DIR } from './replay.js';

export const EXIT_EQUAL = 0;
export const EXIT_DIFFERENT = 1;
export const EXIT_BAD_INPUT = 2;

export interface CompareOptions {
  readonly connect?: string;
  readonly ours?: string;
  readonly toleranceSeconds: string;
  readonly tolerancePercent: string;
  readonly timeZone: string;
  readonly explain?: boolean;
  /** For --explain on rows without an interval (a Total report): START/END, ISO 8601. */
  readonly range?: string;
  readonly dataDir: string;
  readonly aws?: boolean;
  readonly table?: string;
}

/** Text of a local file or an S3 object. S3 goes through the project's client factory (CM_S3_ENDPOINT for a local S3). */
export async function readLocation(location: string, s3: () => S3Client): Promise<string> {
  if (location.startsWith('s3://')) {
    const path = location.slice('s3://'.length);
    const slash = path.indexOf('/');
    if (slash <= 0 || slash === path.length - 1) throw new CompareInputError(`${location}: expected s3://bucket/key`);
    try {
      const obj = await s3().send(new GetObjectCommand({ Bucket: path.slice(0, slash), Key: path.slice(slash + 1) }));
      if (!obj.Body) throw new Error('the object has no body');
      return await obj.Body.transformToString('utf8');
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      const detail = name === 'NoSuchKey' ? 'no such object' : name === 'NoSuchBucket' ? 'no such bucket' : err instanceof Error ? err.message : String(err);
      throw new CompareInputError(`Cannot read ${location}: ${detail}`);
    }
  }
  try {
    return await readFile(location, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CompareInputError(`Cannot read ${location}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : err instanceof Error ? err.message : String(err)}`);
  }
}

function tolerance(v: string, flag: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new CompareInputError(`${flag} must be a number ≥ 0, got "${v}"`);
  return n;
}

function parseRange(v: string, timeZone: string): { startMs: number; endMs: number } {
  const [a, b, ...rest] = v.split('/');
  const startMs = a ? parseInstant(a, timeZone) : null;
  const endMs = b ? parseInstant(b, timeZone) : null;
  if (rest.length > 0 || startMs === null || endMs === null || endMs <= startMs) {
    throw new CompareInputError(`--range must be START/END in ISO 8601 with END after START, such as 2026-03-10T00:00:00Z/2026-03-11T00:00:00Z, got "${v}"`);
  }
  return { startMs, endMs };
}

/** The explanation lines of one differing cell. */
async function explainDifference(
  d: CellDifference,
  catalog: EntityCatalog,
  timeZone: string,
  range: { startMs: number; endMs: number } | null,
  contactsOf: (startMs: number, endMs: number) => Promise<ContactLike[]>,
): Promise<string[]> {
  const m = d.metric;
  if (!m) return [];
  if (!isContactRecordDriven(m)) return [`    (${m.header} is agent-activity-driven: it comes from agent events, not from contacts)`];
  const startMs = d.row.ours.startMs ?? d.row.connect.startMs ?? range?.startMs ?? null;
  const endMs = d.row.ours.endMs ?? d.row.connect.endMs ?? (d.row.ours.startMs === null ? (range?.endMs ?? null) : null);
  if (startMs === null) return ['    (cannot explain: the report has no interval columns; give the range it covers with --range START/END)'];
  if (endMs === null) return ['    (cannot explain: the row gives no interval end, so the contacts it covers are unknown)'];
  const contacts = explainContacts(await contactsOf(startMs, endMs), d.row.ours.groups, m, catalog);
  const when = `${formatInZone(startMs, timeZone)} to ${formatInZone(endMs, timeZone)}`;
  if (contacts.length === 0) return [`    our value is made of no contact disconnected ${when} in this row's groups`];
  return [
    `    our value is made of ${contacts.length} contact(s) disconnected ${when}:`,
    ...contacts.map((c) => `      ${c.contactId}  disconnected ${formatInZone(c.disconnectMs, timeZone)}  ${Object.entries(c.contributes).map(([k, v]) => `${k}=${v}`).join(' ')}`),
  ];
}

export interface CompareRun {
  readonly exitCode: number;
  readonly result?: CompareResult;
}

/** Runs the comparison and prints it; never throws for bad input (exit code 2 instead). */
export async function runCompare(o: CompareOptions, log: (line: string) => void = (l) => console.log(l), error: (line: string) => void = (l) => console.error(l)): Promise<CompareRun> {
  try {
    if (!o.connect || !o.ours) throw new CompareInputError('give both --connect <csv from Connect> and --ours <csv from this project> (a path or s3://bucket/key)');
    try {
      assertTimeZone(o.timeZone);
    } catch (err) {
      if (err instanceof InvalidTimeZoneError) throw new CompareInputError(`--time-zone: ${err.message}`);
      throw err;
    }
    const tol: Tolerances = { seconds: tolerance(o.toleranceSeconds, '--tolerance-seconds'), percent: tolerance(o.tolerancePercent, '--tolerance-percent') };
    const range = o.range ? parseRange(o.range, o.timeZone) : null;
    if (o.aws && !o.table) throw new CompareInputError("--aws needs --table <name> (the stack's metrics table)");
    let client: S3Client | undefined;
    const s3 = () => (client ??= s3Client(clientConfigFromEnv()));
    let connectText: string;
    let oursText: string;
    try {
      [connectText, oursText] = await Promise.all([readLocation(o.connect, s3), readLocation(o.ours, s3)]);
    } finally {
      client?.destroy();
    }
    const connect = parseReportCsv(connectText, o.connect, { timeZone: o.timeZone });
    const ours = parseReportCsv(oursText, o.ours, { timeZone: o.timeZone });
    const result = compareReports(connect, ours, tol);
    const explanations = new Map<CellDifference, string[]>();
    if (o.explain && result.differences.length > 0) {
      const opened = o.aws && o.table ? openAwsStore(o.table) : await openLocalStore(o.dataDir);
      try {
        const reader: MetricReader = opened.store;
        const catalog = await reader.entities();
        const cache = new Map<string, ContactLike[]>();
        const contactsOf = async (startMs: number, endMs: number) => {
          const key = `${startMs}/${endMs}`;
          let got = cache.get(key);
          if (!got) {
            got = [];
            for await (const c of reader.contacts(startMs, endMs)) got.push(c);
            cache.set(key, got);
          }
          return got;
        };
        for (const d of result.differences) explanations.set(d, await explainDifference(d, catalog, o.timeZone, range, contactsOf));
      } finally {
        await opened.close();
      }
    }
    for (const l of formatCompareResult(result, explanations)) log(l);
    return { exitCode: result.equal ? EXIT_EQUAL : EXIT_DIFFERENT, result };
  } catch (err) {
    if (err instanceof CompareInputError || err instanceof RealtimeCommandError) {
      error(`connect-metrics compare: ${err.message}`);
      return { exitCode: EXIT_BAD_INPUT };
    }
    throw err;
  }
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description(
      "Compare an Amazon Connect historical metrics CSV with this project's report of the same definition: every differing cell, rows on one side only, a summary line. Exit code 0 when equal, 1 when different, 2 on bad input.",
    )
    .option('--connect <location>', 'the CSV Amazon Connect wrote (a path or s3://bucket/key)')
    .option('--ours <location>', 'the CSV this project wrote (a path or s3://bucket/key)')
    .option('--tolerance-seconds <n>', 'how far durations may differ, in seconds (covers HH:MM:SS rounding)', String(DEFAULT_TOLERANCES.seconds))
    .option('--tolerance-percent <n>', 'how far percentages may differ, in percentage points', String(DEFAULT_TOLERANCES.percent))
    .option('--time-zone <iana>', 'zone of interval times written without an offset, and of the printed times', 'UTC')
    .option('--explain', 'after each differing contact-record-driven cell, list the contacts that make up our value (reads the local store, or --aws --table)')
    .option('--range <start/end>', 'with --explain, for a report without interval columns: the range it covers, ISO 8601')
    .option('--data-dir <dir>', 'with --explain: the local data a replay left', DEFAULT_DATA_DIR)
    .option('--aws', "with --explain: read a deployed stack's table instead (default AWS credentials and region)")
    .option('--table <name>', 'with --aws: the metrics table name')
    .action(async (o: CompareOptions) => {
      try {
        process.exitCode = (await runCompare(o)).exitCode;
      } catch (err) {
        // Exit code 1 means "the reports differ"; a check that could not run (the store unreachable, say) must not read as that.
        console.error(`connect-metrics compare: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = EXIT_BAD_INPUT;
      }
    });
}
