/**
 * Compares what a store holds with what the in-memory reference engine computes
 * from the same de-duplicated input: every cell, every primitive, exactly.
 */
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import { mergeCells } from '../../lambdas/domain/engine/metric-engine.js';
import type { MetricEngine } from '../../lambdas/domain/engine/metric-engine.js';
import type { MetricReader } from '../../lambdas/storage/metric-store.js';

async function collect(it: AsyncIterable<Cell>): Promise<Map<string, Cell>> {
  const all: Cell[] = [];
  for await (const c of it) all.push(c);
  return mergeCells(all);
}

/** Cells as sorted [key, primitives] pairs with zero-valued primitives dropped, so both sides print alike. */
function normalize(cells: Map<string, Cell>): Array<[string, Record<string, number>]> {
  return [...cells.entries()]
    .map(([k, c]): [string, Record<string, number>] => [k, Object.fromEntries(Object.entries(c.values).filter(([, v]) => v !== 0).sort())])
    .filter(([, v]) => Object.keys(v).length > 0)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** Cells already read from a store, normalized like `storeCells` (one read serves several comparisons). */
export function normalizedCells(cells: Iterable<Cell>) {
  return normalize(mergeCells([...cells]));
}

export async function storeCells(reader: MetricReader, startMs: number, endMs: number) {
  return normalize(await collect(reader.cells(startMs, endMs)));
}

export function engineCells(engine: MetricEngine, startMs: number, endMs: number) {
  const first = Math.ceil(startMs / 900_000);
  const end = Math.ceil(endMs / 900_000);
  const cells = new Map([...engine.cells()].filter(([, c]) => c.bucket >= first && c.bucket < end));
  return normalize(cells);
}
