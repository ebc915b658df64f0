/**
 * Rolls 15-minute cells up into report rows: grouped by any dimensions,
 * filtered, bucketed into local intervals of any zone, summed as primitives.
 * Metrics are computed from the summed primitives of each row.
 */
import type { Dimension } from '../dimensions.js';
import { addPrimitives } from '../metrics/primitives.js';
import type { Primitives } from '../metrics/primitives.js';
import { bucketStartMs, IntervalMapper } from '../time/intervals.js';
import type { IntervalSize } from '../time/intervals.js';
import type { Cell } from './cell.js';

export interface RollupQuery {
  /** Dimensions to group by, in nesting order. Cells with a null value in any of them are left out. */
  readonly groupBy: readonly Dimension[];
  /** Per dimension, the ids to keep (a cell whose value is not in the set is left out). */
  readonly filters?: Partial<Record<Dimension, ReadonlySet<string>>>;
  readonly interval: IntervalSize;
  readonly timeZone: string;
  /** Half-open range [startMs, endMs); buckets starting in it are included. */
  readonly startMs: number;
  readonly endMs: number;
}

export interface RollupRow {
  readonly group: readonly string[];
  readonly intervalStartMs: number;
  readonly intervalEndMs: number;
  readonly primitives: Primitives;
}

export class Rollup {
  private readonly rows = new Map<string, { group: string[]; start: number; values: Record<string, number> }>();
  private readonly mapper: IntervalMapper | null;
  private readonly firstBucket: number;
  private readonly endBucket: number;
  private readonly filters: Array<[Dimension, ReadonlySet<string>]>;

  constructor(readonly query: RollupQuery) {
    this.mapper = query.interval === 'TOTAL' ? null : new IntervalMapper(query.interval, query.timeZone);
    this.firstBucket = Math.ceil(query.startMs / bucketStartMs(1));
    this.endBucket = Math.ceil(query.endMs / bucketStartMs(1));
    this.filters = Object.entries(query.filters ?? {}) as Array<[Dimension, ReadonlySet<string>]>;
  }

  add(cell: Cell): void {
    if (cell.bucket < this.firstBucket || cell.bucket >= this.endBucket) return;
    for (const [d, allowed] of this.filters) {
      const v = cell.dims[d];
      if (v === null || !allowed.has(v)) return;
    }
    const group: string[] = [];
    for (const d of this.query.groupBy) {
      const v = cell.dims[d];
      if (v === null) return;
      group.push(v);
    }
    const start = this.mapper ? this.mapper.startOfBucket(cell.bucket) : this.query.startMs;
    const key = `${group.join('\u001f')}\u001e${start}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { group, start, values: {} };
      this.rows.set(key, row);
    }
    addPrimitives(row.values, cell.values);
  }

  /** Rows sorted by group values, then interval start. */
  result(): RollupRow[] {
    const out: RollupRow[] = [];
    for (const r of this.rows.values()) {
      out.push({
        group: r.group,
        intervalStartMs: r.start,
        intervalEndMs: this.mapper ? this.mapper.endOf(r.start) : this.query.endMs,
        primitives: r.values as Primitives,
      });
    }
    out.sort((a, b) => {
      for (let i = 0; i < a.group.length; i++) {
        const x = a.group[i] as string;
        const y = b.group[i] as string;
        if (x !== y) return x < y ? -1 : 1;
      }
      return a.intervalStartMs - b.intervalStartMs;
    });
    return out;
  }
}

export function rollup(cells: Iterable<Cell>, query: RollupQuery): RollupRow[] {
  const r = new Rollup(query);
  for (const c of cells) r.add(c);
  return r.result();
}
