/**
 * The report scheduler, woken every 15 minutes (EventBridge in AWS, a
 * simulated clock locally). Each wake-up registers the runs whose generation
 * time (schedule time T + 15 minutes) has come since the last wake-up — all
 * of them after downtime — and generates every open run it can claim:
 * - a run is generated at T + 15 min or later, never earlier, over its time range as of T;
 * - its S3 key carries T (Amazon Connect's naming), so a retry overwrites its own file;
 * - a claim with a lease keeps an overlapping invocation from generating it twice;
 * - a failed run is released and retried at the next wake-up (up to a limit);
 *   a login/logout report over 10,000 rows fails for good and writes nothing.
 */
import type { ReportDefinition } from '../domain/reports/definitions.js';
import { RowLimitExceededError } from '../domain/reports/login-logout.js';
import { dueRuns, reportKey } from '../domain/reports/schedule.js';
import type { MetricReader } from '../storage/metric-store.js';
import { csvChunks } from './csv-stream.js';
import { buildReport } from './generate-report.js';
import type { ReportSink } from './report-sink.js';
import type { RunLedger, RunRecord } from './run-ledger.js';

export const WAKE_INTERVAL_MS = 15 * 60 * 1000;

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
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

export interface WakeSummary {
  readonly registered: number;
  readonly generated: Array<{ runId: string; key: string; rows: number; bytes: number }>;
  readonly failed: Array<{ runId: string; error: string; permanent: boolean }>;
  /** Open runs another invocation holds right now. */
  readonly busy: number;
  readonly skippedNotice: string | null;
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
        const result = await this.generate(run);
        await ledger.succeed(run, token, { ...result, finishedMs: nowMs });
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
    return { registered: due.runs.length, generated, failed, busy, skippedNotice: due.skipped?.notice ?? null };
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
