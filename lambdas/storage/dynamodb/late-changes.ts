/**
 * Late changes: when a write changes data of a 15-minute interval that a
 * scheduled report may already have read (its end plus the 15-minute report
 * delay is past), the hour it lies in is marked with the wall-clock time of
 * the change. The scheduler reads these markers to find reports whose data
 * changed after they were written and corrects them. Marking costs a write
 * only for late data, once per hour per batch.
 */
import { BUCKET_MS } from '../../domain/time/intervals.js';
import { changeMarkerKey, changeMarkerPartition, utcDaysBetween } from './keys.js';
import { pool } from '../../domain/concurrency.js';
import type { TableIo } from './table-io.js';

const HOUR_MS = 3600_000;
/** Reports are generated this long after their scheduled time (the README's 15 minutes). */
export const REPORT_DELAY_MS = 15 * 60_000;

export class LateChanges {
  private readonly pending = new Set<number>();

  constructor(
    private readonly io: TableIo,
    private readonly now: () => number,
  ) {}

  /** Notes a change to the interval starting at `bucketStartMs`. */
  note(bucketStartMs: number): void {
    if (bucketStartMs + BUCKET_MS + REPORT_DELAY_MS <= this.now()) this.pending.add(Math.floor(bucketStartMs / HOUR_MS) * HOUR_MS);
  }

  async flush(): Promise<void> {
    const hours = [...this.pending];
    this.pending.clear();
    const at = this.now();
    await pool(hours, this.io.concurrency, (h) => this.io.set(changeMarkerKey(h), { c: at }, 'late-change'));
  }

  /** Hour start → the wall-clock time of the latest late change in it, for the hours overlapping [startMs, endMs). */
  async changedHours(startMs: number, endMs: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const day of utcDaysBetween(startMs, endMs)) {
      for await (const item of this.io.query(changeMarkerPartition(Date.parse(`${day}T00:00:00Z`)))) {
        const h = Date.parse(`${item.sk}:00:00Z`);
        if (h + HOUR_MS > startMs && h < endMs) out.set(h, Number(item.c));
      }
    }
    return out;
  }
}
