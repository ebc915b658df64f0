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
  succeed(run: RunRecord, token: string, result: { key: string; rows: number; bytes: number; finishedMs: number }): Promise<void>;
  /** Records a failure and releases the claim; a permanent failure is not retried. */
  fail(run: RunRecord, token: string, error: string, permanent: boolean): Promise<void>;
  get(runId: string, generateAtMs: number): Promise<RunRecord | null>;
}
