/**
 * Corrected reports for late data: which written runs may hold stale cells,
 * and how many cells a regenerated report changes in the file already at its key.
 */
import Papa from 'papaparse';
import type { RunRecord } from '../storage/run-ledger.js';

const HOUR_MS = 3600_000;
/**
 * Marker times come from the clock of the function that wrote the data, data
 * times from the scheduler's: a change stamped this little before the data
 * time still counts (an extra check at worst, never a missed correction).
 */
export const CLOCK_SKEW_MS = 1000;

/**
 * The latest late change (wall clock) in an hour overlapping the run's range
 * that the file may not hold — at or after the time its data was read, less
 * `CLOCK_SKEW_MS` — or
 * null when the file is up to date. A run written before corrections existed
 * (no data time) is checked on any change.
 */
export function staleSince(run: Pick<RunRecord, 'startMs' | 'endMs' | 'dataAsOfMs'>, changedHours: ReadonlyMap<number, number>): number | null {
  let latest: number | null = null;
  for (const [hour, changedAt] of changedHours) {
    if (hour >= run.endMs || hour + HOUR_MS <= run.startMs) continue;
    if (run.dataAsOfMs !== null && changedAt < run.dataAsOfMs - CLOCK_SKEW_MS) continue;
    if (latest === null || changedAt > latest) latest = changedAt;
  }
  return latest;
}

/** The union of the runs' ranges as disjoint stretches, in order (ranges that overlap or touch are merged). */
export function coveredStretches(ranges: readonly { readonly startMs: number; readonly endMs: number }[]): Array<{ startMs: number; endMs: number }> {
  const sorted = [...ranges].sort((a, b) => a.startMs - b.startMs);
  const out: Array<{ startMs: number; endMs: number }> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.startMs <= last.endMs) last.endMs = Math.max(last.endMs, r.endMs);
    else out.push({ startMs: r.startMs, endMs: r.endMs });
  }
  return out;
}

/** Parses a report CSV written by `csvChunks` (or anything RFC 4180) into rows of cells. */
export function parseReportCsv(text: string): string[][] {
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: false }).data;
  const last = rows[rows.length - 1];
  // The final line break reads as one empty row.
  if (last && last.length === 1 && last[0] === '') rows.pop();
  return rows;
}

/**
 * The number of cells (header included) that differ between the file's rows
 * and the regenerated rows. Rows equal on both sides are matched first
 * wherever they are; the rest are paired in order (the same row with new
 * values) and compared cell by cell; a row on one side only counts all its
 * cells. A missing file (null) counts every cell.
 */
export function changedCells(current: readonly (readonly string[])[] | null, next: readonly (readonly string[])[]): number {
  if (current === null) return next.reduce((n, r) => n + r.length, 0);
  const unmatched = new Map<string, number>();
  for (const row of current) {
    const k = JSON.stringify(row);
    unmatched.set(k, (unmatched.get(k) ?? 0) + 1);
  }
  const nextLeft: (readonly string[])[] = [];
  for (const row of next) {
    const k = JSON.stringify(row);
    const n = unmatched.get(k) ?? 0;
    if (n > 0) unmatched.set(k, n - 1);
    else nextLeft.push(row);
  }
  const currentLeft: (readonly string[])[] = [];
  for (const row of current) {
    const k = JSON.stringify(row);
    const n = unmatched.get(k) ?? 0;
    if (n > 0) {
      unmatched.set(k, n - 1);
      currentLeft.push(row);
    }
  }
  let cells = 0;
  for (let i = 0; i < Math.max(currentLeft.length, nextLeft.length); i++) {
    const a = currentLeft[i] ?? [];
    const b = nextLeft[i] ?? [];
    for (let j = 0; j < Math.max(a.length, b.length); j++) if (a[j] !== b[j]) cells++;
  }
  return cells;
}
