/**
 * Compares metrics computed from aggregate cells (by the engine or read back
 * from a store) with the simulator's ground truth: every 15-minute interval,
 * every queue, agent and routing profile, every metric the truth carries.
 */
import type { Truth, TruthGrouping } from '../../cli/simulator/index.js';
import { GROUPINGS } from '../../lambdas/domain/dimensions.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import { rollup } from '../../lambdas/domain/engine/rollup.js';
import { computeMetric, findMetric } from '../../lambdas/domain/metrics/registry.js';

export interface Mismatch {
  readonly interval: string;
  readonly grouping: TruthGrouping;
  readonly id: string;
  readonly metric: string;
  readonly truth: number | null | undefined;
  readonly engine: number | null | undefined;
}

const close = (a: number | null | undefined, b: number | null | undefined) =>
  a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b)));

/** Every disagreement between the truth and the cells (an empty list means they agree). */
export function compareWithTruth(truth: Truth, cells: Iterable<Cell>): Mismatch[] {
  const startMs = Date.parse(truth.start);
  const endMs = Date.parse(truth.end);
  const all = [...cells];
  const out: Mismatch[] = [];
  for (const grouping of ['QUEUE', 'AGENT', 'ROUTING_PROFILE'] as const) {
    const engine = new Map<string, Map<string, (typeof all)[number]['values']>>();
    for (const row of rollup(all, { groupBy: [GROUPINGS[grouping]], interval: 'FIFTEEN_MIN', timeZone: 'UTC', startMs, endMs })) {
      const interval = new Date(row.intervalStartMs).toISOString();
      let m = engine.get(interval);
      if (!m) engine.set(interval, (m = new Map()));
      m.set(row.group[0] as string, row.primitives);
    }
    const truthIntervals = new Map(truth.intervals.map((i) => [i.start, i.groups[grouping]]));
    const intervals = new Set([...engine.keys(), ...truthIntervals.keys()]);
    for (const interval of intervals) {
      const t = truthIntervals.get(interval) ?? {};
      const e = engine.get(interval) ?? new Map();
      for (const id of new Set([...Object.keys(t), ...e.keys()])) {
        const truthValues = t[id];
        const prims = e.get(id);
        const metricIds = Object.keys(truthValues ?? {});
        if (!truthValues || !prims) {
          out.push({ interval, grouping, id, metric: '(row)', truth: truthValues ? 1 : undefined, engine: prims ? 1 : undefined });
          continue;
        }
        for (const metricId of metricIds) {
          const def = findMetric(metricId);
          if (!def || !def.supported) continue;
          const v = computeMetric(def, prims);
          if (!close(truthValues[metricId], v)) out.push({ interval, grouping, id, metric: metricId, truth: truthValues[metricId], engine: v });
        }
      }
    }
  }
  return out;
}
