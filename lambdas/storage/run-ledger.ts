/**
 * The report-run ledger port: remembers which scheduled runs exist, which are
 * done, and who is generating one right now, so every run happens exactly once
 * across retries, overlapping invocations and downtime.
 */
import type { DueRun } from '../domain/reports/schedule.js';

export type RunStatus = 'pending' | 'succeeded' | 'failed';

export interface RunRecord {
  readonly runId: string;
  readonly report: string;
  readonly scheduledMs: number;
  readonly generateAtMs: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly status: RunStatus;
  readonly attempts: number;
  /** A claim is held until this time; 0 when nobody holds it. */
  readonly leaseUntilMs: number;
  readonly lastError: string | null;
  readonly key: string | null;
  /**
   * Wall-clock time (never the scheduler's clock) at which the data behind the
   * file at `key` was read: a late change at or after it may not be in the file.
   * Null for a run not written yet, or written before corrections existed.
   */
  readonly dataAsOfMs: number | null;
  /** Times the file was rewritten with corrected cells. */
  readonly corrections: number;
  /** A correction claim is held until this time (scheduler clock); 0 when nobody holds one. */
  readonly correctionLeaseUntilMs: number;
  /** Failed attempts at correcting the current changes. */
  readonly correctionAttempts: number;
}

/** What a correction check did: the file was rewritten (`cellsChanged` > 0) or left as it was. */
export interface CorrectionResult {
  /** Wall-clock time the check read the data at; changes before it are accounted for. */
  readonly dataAsOfMs: number;
  readonly rewritten: boolean;
  readonly cellsChanged: number;
  /** Scheduler clock. */
  readonly checkedMs: number;
}

export interface RunLedger {
  /** Generation times up to this have been registered; null before the first wake-up. */
  watermark(): Promise<number | null>;
  /** Registers runs (idempotent: an existing run is left as it is) and then moves the watermark forward. */
  register(runs: readonly DueRun[], watermarkMs: number): Promise<void>;
  /** Runs due by `nowMs` that are not finished, oldest first (looking back `lookbackMs`). */
  open(nowMs: number, lookbackMs: number): Promise<RunRecord[]>;
  /** Takes the run for `leaseMs` if nobody holds it and it is not finished; returns a claim token, or null. */
  claim(run: RunRecord, nowMs: number, leaseMs: number): Promise<string | null>;
  /** `dataAsOfMs`: the wall-clock time generation began reading the data. */
  succeed(run: RunRecord, token: string, result: { key: string; rows: number; bytes: number; finishedMs: number; dataAsOfMs: number }): Promise<void>;
  /** Records a failure and releases the claim; a permanent failure is not retried. */
  fail(run: RunRecord, token: string, error: string, permanent: boolean): Promise<void>;
  get(runId: string, generateAtMs: number): Promise<RunRecord | null>;
  /** Succeeded runs scheduled in [sinceScheduledMs, nowMs]: the runs a correction may touch. */
  finished(nowMs: number, sinceScheduledMs: number): Promise<RunRecord[]>;
  /**
   * Takes the correction of a succeeded run for `leaseMs`, if nobody holds one
   * and nobody has checked it since `run.dataAsOfMs` was read (so a correction
   * is made once whoever else saw the same changes); returns a token, or null.
   */
  claimCorrection(run: RunRecord, nowMs: number, leaseMs: number): Promise<string | null>;
  /** Records the check (and the rewrite, if any) and releases the claim. */
  finishCorrection(run: RunRecord, token: string, result: CorrectionResult): Promise<void>;
  /**
   * Releases a failed correction to be retried at the next wake-up; with
   * `giveUpAsOfMs` the changes before it are given up on (after too many attempts).
   */
  failCorrection(run: RunRecord, token: string, error: string, giveUpAsOfMs: number | null): Promise<void>;
}
