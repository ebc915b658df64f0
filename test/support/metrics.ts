import type { Dimension } from '../../lambdas/domain/dimensions.js';
import { MetricEngine } from '../../lambdas/domain/engine/metric-engine.js';
import { rollup } from '../../lambdas/domain/engine/rollup.js';
import type { RollupRow } from '../../lambdas/domain/engine/rollup.js';
import { computeMetric, getMetric } from '../../lambdas/domain/metrics/registry.js';
import type { AgentEvent, Ctr } from '../../lambdas/domain/model/types.js';
import type { IntervalSize } from '../../lambdas/domain/time/intervals.js';

export function engineOf(ctrs: Ctr[] = [], events: AgentEvent[] = []): MetricEngine {
  const e = new MetricEngine();
  for (const c of ctrs) e.addCtr(c);
  for (const ev of events) e.addAgentEvent(ev);
  return e;
}

export function rows(
  engine: MetricEngine,
  opts: { start: string; end: string; interval?: IntervalSize; zone?: string; groupBy?: Dimension[] },
): RollupRow[] {
  return rollup(engine.cells().values(), {
    groupBy: opts.groupBy ?? [],
    interval: opts.interval ?? 'TOTAL',
    timeZone: opts.zone ?? 'UTC',
    startMs: Date.parse(opts.start),
    endMs: Date.parse(opts.end),
  });
}

/** Value of a registry metric for a row (null = a dash). */
export function value(row: RollupRow | undefined, metricId: string): number | null {
  if (!row) throw new Error('no such row');
  return computeMetric(getMetric(metricId), row.primitives);
}
