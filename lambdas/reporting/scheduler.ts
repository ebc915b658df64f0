/**
 * The report scheduler, woken every 15 minutes (EventBridge in AWS, a
 * simulated clock locally). Each wake-up registers the runs whose generation
 * time (schedule time T + 15 minutes) has come since the last wake-up — all
 * of them after downtime — and generates every open run it can claim:
 * - a run is generated at T + 15 min or later, never earlier, over its time range as of T;
 * - its S3 key carries T (Amazon Connect's naming), so a retry overwrites its own file;
 * - a claim with a lease keeps an overlapping invocation from generating it twice;
 * - a failed run is released and retried at the next wake-up (up to a limit);
 *   a login/logout report over 10,000 rows fails for good and writes nothing;
 * - for `correctionWindowMs` after its scheduled time, a finished run whose data
 *   changed after it was read (the ChangeLog's late changes, wall clock against
 *   the wall-clock `dataAsOfMs` in the ledger) is regenerated under a claim of
 *   its own and rewritten under the same key, only when a cell differs.
 */
import type { ReportDefinition } from '../domain/reports/definitions.js';
import { RowLimitExceededError } from '../domain/reports/login-logout.js';
import { dueRuns, reportKey } from '../domain/reports/schedule.js';
import type { ChangeLog, MetricReader } from '../storage/metric-store.js';
import { changedCells, coveredStretches, parseReportCsv, staleSince } from './corrections.js';
import { csvChunks } from './csv-stream.js';
import { buildReport } from './generate-report.js';
import type { ReportSink } from './report-sink.js';
import type { RunLedger, RunRecord } from '../storage/run-ledger.js';

export const WAKE_INTERVAL_MS = 15 * 60 * 1000;
/** Default of `correctionWindowMs` (the `reports.correctionWindowHours` setting): 24 hours. */
export const DEFAULT_CORRECTION_WINDOW_MS = 24 * 3600 * 1000;

export interface SchedulerOptions {
  readonly definitions: readonly ReportDefinition[];
  readonly ledger: RunLedger;
  readonly reader: MetricReader;
  readonly sink: ReportSink;
  /** Keys are `<reportsKeyPrefix>/Reports/<report prefix>/<name>-<T>.csv`; default setting `connect/<instance alias>`. */
  readonly reportsKeyPrefix: string;
  /** How long a claim is held (longer than the generating function's timeout). Default 20 min. */
  readonly leaseMs?: number;
  /** Missed runs older than this are not caught up (and a notice is logged). Default 7 days. */
  readonly maxCatchUpMs?: number;
  /** Attempts before a failing run is given up. Default 5. */
  readonly maxAttempts?: number;
  /**
   * Where late changes are recorded; without one, nothing is corrected. The
   * DynamoDB store is both the reader and the change log.
   */
  readonly changeLog?: ChangeLog;
  /** How long after its scheduled time a run is corrected for late data; 0 disables corrections. Default 24 hours. */
  readonly correctionWindowMs?: number;
  /**
   * The wall clock the change log's times are on (Date.now by default). The
   * scheduler's own clock (`wake(nowMs)`) may be simulated; the ledger's data
   * times and the change log's are always this one.
   */
  readonly wallClock?: () => number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

export interface WakeSummary {
  readonly registered: number;
  readonly generated: Array<{ runId: string; key: string; rows: number; bytes: number }>;
  readonly failed: Array<{ runId: string; error: string; permanent: boolean }>;
  /** Open runs another invocation holds right now. */
  readonly busy: number;
  readonly skippedNotice: string | null;
  /** Finished runs rewritten with corrected cells under their own key. */
  readonly corrected: Array<{ runId: string; report: string; key: string; startMs: number; endMs: number; cellsChanged: number; bytes: number }>;
  /** Runs whose data changed that were regenerated and compared (corrected or not). */
  readonly correctionsChecked: number;
  readonly correctionsFailed: Array<{ runId: string; error: string; givenUp: boolean }>;
}

export interface CorrectionPass {
  readonly corrected: WakeSummary['corrected'];
  readonly checked: number;
  readonly failed: WakeSummary['correctionsFailed'];
  /** Corrections another invocation holds right now. */
  readonly busy: number;
}

export class ReportScheduler {
  private readonly byName: Map<string, ReportDefinition>;

  constructor(private readonly opts: SchedulerOptions) {
    this.byName = new Map(opts.definitions.map((d) => [d.name, d]));
  }

  async wake(nowMs: number): Promise<WakeSummary> {
    const { ledger, definitions } = this.opts;
    const maxCatchUpMs = this.opts.maxCatchUpMs ?? 7 * 24 * 3600 * 1000;
    const last = (await ledger.watermark()) ?? nowMs - WAKE_INTERVAL_MS;
    const due = dueRuns(definitions, { lastCheckedMs: last, nowMs, maxCatchUpMs });
    if (due.skipped) this.opts.log?.('warn', due.skipped.notice);
    await ledger.register(due.runs, nowMs);

    const generated: WakeSummary['generated'] = [];
    const failed: WakeSummary['failed'] = [];
    let busy = 0;
    for (const run of await ledger.open(nowMs, maxCatchUpMs)) {
      const token = await ledger.claim(run, nowMs, this.opts.leaseMs ?? 20 * 60 * 1000);
      if (!token) {
        busy++;
        continue;
      }
      try {
        // Read before generating: a change made while the report is built is newer than this, and checked later.
        const dataAsOfMs = this.wallClock();
        const result = await this.generate(run);
        await ledger.succeed(run, token, { ...result, finishedMs: nowMs, dataAsOfMs });
        generated.push({ runId: run.runId, ...result });
        this.opts.log?.('info', 'Report generated', { runId: run.runId, ...result });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        const permanent = err instanceof RowLimitExceededError || err instanceof UnknownReportError || run.attempts + 1 >= (this.opts.maxAttempts ?? 5);
        await ledger.fail(run, token, error, permanent);
        failed.push({ runId: run.runId, error, permanent });
        this.opts.log?.('error', permanent ? 'Report run failed for good; nothing was written' : 'Report run failed; it will be retried at the next wake-up', { runId: run.runId, error });
      }
    }
    const corrections = await this.correct(nowMs);
    return {
      registered: due.runs.length,
      generated,
      failed,
      busy: busy + corrections.busy,
      skippedNotice: due.skipped?.notice ?? null,
      corrected: corrections.corrected,
      correctionsChecked: corrections.checked,
      correctionsFailed: corrections.failed,
    };
  }

  private wallClock(): number {
    return (this.opts.wallClock ?? Date.now)();
  }

  /**
   * Checks the finished runs scheduled within the correction window whose
   * data changed after it was read; rewrites those with a cell that differs.
   */
  async correct(nowMs: number): Promise<CorrectionPass> {
    const pass = { corrected: [] as WakeSummary['corrected'], checked: 0, failed: [] as WakeSummary['correctionsFailed'], busy: 0 };
    const windowMs = this.opts.correctionWindowMs ?? DEFAULT_CORRECTION_WINDOW_MS;
    const changeLog = this.opts.changeLog;
    if (!changeLog || windowMs <= 0) return pass;
    const { ledger } = this.opts;
    const runs = (await ledger.finished(nowMs, nowMs - windowMs)).filter((r) => r.key !== null && this.byName.has(r.report));
    if (runs.length === 0) return pass;
    // One read of the change markers per stretch of time the runs' ranges cover (a report of a fixed
    // day years ago and today's reports are two stretches, not every day in between).
    const changes = new Map<number, number>();
    for (const stretch of coveredStretches(runs)) {
      for (const [hour, at] of await changeLog.changedHours(stretch.startMs, stretch.endMs)) changes.set(hour, at);
    }
    if (changes.size === 0) return pass;
    const maxAttempts = this.opts.maxAttempts ?? 5;
    for (const run of runs) {
      if (staleSince(run, changes) === null) continue;
      const token = await ledger.claimCorrection(run, nowMs, this.opts.leaseMs ?? 20 * 60 * 1000);
      if (!token) {
        pass.busy++;
        continue;
      }
      const dataAsOfMs = this.wallClock();
      try {
        const result = await this.regenerate(run);
        const rewritten = result.cellsChanged > 0;
        await ledger.finishCorrection(run, token, { dataAsOfMs, rewritten, cellsChanged: result.cellsChanged, checkedMs: nowMs });
        pass.checked++;
        const range = { start: new Date(run.startMs).toISOString(), end: new Date(run.endMs).toISOString() };
        if (rewritten) {
          pass.corrected.push({ runId: run.runId, report: run.report, key: result.key, startMs: run.startMs, endMs: run.endMs, cellsChanged: result.cellsChanged, bytes: result.bytes });
          this.opts.log?.('info', 'Report corrected for late data', {
            report: run.report,
            runId: run.runId,
            key: result.key,
            range,
            cellsChanged: result.cellsChanged,
            corrections: run.corrections + 1,
          });
        } else {
          this.opts.log?.('info', 'Late data changed no cell of the report; left as it was', { report: run.report, runId: run.runId, range });
        }
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        const givenUp = err instanceof RowLimitExceededError || run.correctionAttempts + 1 >= maxAttempts;
        await ledger.failCorrection(run, token, error, givenUp ? dataAsOfMs : null);
        pass.failed.push({ runId: run.runId, error, givenUp });
        this.opts.log?.('error', givenUp ? 'Report correction given up; the file keeps its earlier values' : 'Report correction failed; it will be retried at the next wake-up', {
          report: run.report,
          runId: run.runId,
          error,
        });
      }
    }
    return pass;
  }

  /** Regenerates a finished run and rewrites its file only if a cell differs from the file at its key. */
  private async regenerate(run: RunRecord): Promise<{ key: string; cellsChanged: number; bytes: number }> {
    const def = this.byName.get(run.report);
    if (!def) throw new UnknownReportError(run.report);
    const key = run.key ?? reportKey(this.opts.reportsKeyPrefix, def, run.scheduledMs);
    const report = await buildReport(def, { startMs: run.startMs, endMs: run.endMs }, this.opts.reader);
    const rows = [...report.rows];
    const current = await this.opts.sink.get(key);
    const cellsChanged = changedCells(current === null ? null : parseReportCsv(current), [report.header, ...rows]);
    if (cellsChanged === 0) return { key, cellsChanged, bytes: 0 };
    const { bytes } = await this.opts.sink.put(key, csvChunks(report.header, rows));
    return { key, cellsChanged, bytes };
  }

  private async generate(run: RunRecord): Promise<{ key: string; rows: number; bytes: number }> {
    const def = this.byName.get(run.report);
    if (!def) throw new UnknownReportError(run.report);
    const report = await buildReport(def, { startMs: run.startMs, endMs: run.endMs }, this.opts.reader);
    for (const w of report.warnings) this.opts.log?.('warn', w, { runId: run.runId });
    let rows = 0;
    const counted = (function* () {
      for (const r of report.rows) {
        rows++;
        yield r;
      }
    })();
    const key = reportKey(this.opts.reportsKeyPrefix, def, run.scheduledMs);
    const { bytes } = await this.opts.sink.put(key, csvChunks(report.header, counted));
    return { key, rows, bytes };
  }
}

export class UnknownReportError extends Error {
  constructor(readonly report: string) {
    super(`Report "${report}" is no longer in the report definitions`);
    this.name = 'UnknownReportError';
  }
}
