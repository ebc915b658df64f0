/**
 * Rolls 15-minute cells up into report rows: grouped by any dimensions,
 * filtered, bucketed into local intervals of any zone, summed as primitives.
 * Metrics are computed from the summed primitives of each row.
 */
import type { Dimension } from '../dimensions.js';
import { PRIMITIVE_IDS, PRIMITIVES } from '../metrics/primitives.js';
import type { PrimitiveId, Primitives } from '../metrics/primitives.js';
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

/** Primitive ids by position: a row's sums are kept in a Float64Array in this order. */
const PRIMITIVE_INDEX: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, Object.fromEntries(PRIMITIVE_IDS.map((id, i) => [id, i])));
const IS_MAX: readonly boolean[] = PRIMITIVE_IDS.map((id) => PRIMITIVES[id].agg === 'max');

/**
 * A row while cells are added, and as `result()` returns it. Its primitives
 * are packed (NaN: no value yet), because a month of 30-minute agent rows is
 * hundreds of thousands of rows of ~90 primitives each, and as plain objects
 * they took several times the memory; `primitives` builds the plain object on
 * each access, with exactly the keys the cells carried (as `addPrimitives`
 * would have produced).
 */
class PackedRollupRow implements RollupRow {
  readonly packed = new Float64Array(PRIMITIVE_IDS.length).fill(Number.NaN);

  constructor(
    readonly group: readonly string[],
    readonly intervalStartMs: number,
    readonly intervalEndMs: number,
  ) {}

  add(values: Primitives): void {
    const a = this.packed;
    for (const k in values) {
      const i = PRIMITIVE_INDEX[k];
      if (i === undefined) throw new Error(`Unknown primitive ${k}`);
      const v = values[k as PrimitiveId] as number;
      const cur = a[i] as number;
      if (Number.isNaN(cur)) a[i] = v;
      else if (IS_MAX[i]) {
        if (v > cur) a[i] = v;
      } else a[i] = cur + v;
    }
  }

  get primitives(): Primitives {
    const out: Record<string, number> = {};
    const a = this.packed;
    for (let i = 0; i < a.length; i++) {
      const v = a[i] as number;
      if (!Number.isNaN(v)) out[PRIMITIVE_IDS[i] as PrimitiveId] = v;
    }
    return out as Primitives;
  }
}

export class Rollup {
  private readonly rows = new Map<string, PackedRollupRow>();
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
      row = new PackedRollupRow(group, start, this.mapper ? this.mapper.endOf(start) : this.query.endMs);
      this.rows.set(key, row);
    }
    row.add(cell.values);
  }

  /** Rows sorted by group values, then interval start. */
  result(): RollupRow[] {
    const out: RollupRow[] = [...this.rows.values()];
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
