/**
 * Agent timelines as a store keeps them: points per agent and 15-minute
 * bucket. Status time of a bucket is recomputed from the points around it, so
 * writing a bucket is idempotent and a late event simply lands in its place.
 */
import type { Cell } from './cell.js';
import { MAX_SEGMENT_MS, segmentCells } from './agent-activity.js';

export { MAX_SEGMENT_MS };
import type { TimelinePoint } from './agent-activity.js';

/** Where the segment from a point at `fromMs` ends, given the next point at `nextMs`. */
export const segmentEnd = (fromMs: number, nextMs: number): number => Math.min(nextMs, fromMs + MAX_SEGMENT_MS);

/**
 * Status-time cells falling in the given buckets, from an agent's ordered
 * points. `ordered` must include the last point before the earliest bucket and
 * the point after the last one in the latest bucket, when they exist; the
 * segment after the final point is open and counts nothing yet.
 */
export function statusCellsForBuckets(ordered: readonly TimelinePoint[], buckets: ReadonlySet<number>): Cell[] {
  const out: Cell[] = [];
  for (let i = 0; i + 1 < ordered.length; i++) {
    const p = ordered[i] as TimelinePoint;
    const next = ordered[i + 1] as TimelinePoint;
    for (const c of segmentCells(p, next.eventMs)) if (buckets.has(c.bucket)) out.push(c);
  }
  return out;
}
