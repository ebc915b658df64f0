/**
 * `connect-metrics demo` (what `npm start` runs): simulates a day of a sample
 * contact center, replays it through the local pipeline, and prints a summary
 * of the metrics the pipeline stored.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { simulateToDir } from '../simulator/index.js';
import { replayLocal } from './replay.js';
import { rollup } from '../../lambdas/domain/engine/rollup.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import { computeMetric, getMetric } from '../../lambdas/domain/metrics/registry.js';
import { textTable } from '../support/table.js';
import { addDays, localMidnight } from '../../lambdas/domain/time/intervals.js';
import type { Dimension } from '../../lambdas/domain/dimensions.js';
import type { EntityCatalog } from '../../lambdas/domain/engine/entities.js';

export interface DemoOptions {
  outDir: string;
  agents: number;
  seed: number;
  date: string;
  timeZone: string;
}

const fmt = (id: string, v: number | null): string => {
  if (v === null) return '-';
  const unit = getMetric(id).unit;
  if (unit === 'percent') return `${v.toFixed(2)}%`;
  if (unit === 'seconds') return `${v.toFixed(1)} s`;
  return String(Math.round(v));
};

export function summaryTables(cells: readonly Cell[], catalog: EntityCatalog, startMs: number, endMs: number, timeZone: string): string {
  const section = (title: string, dim: Dimension, metrics: string[]) => {
    const rows = rollup(cells, { groupBy: [dim], interval: 'TOTAL', timeZone, startMs, endMs })
      .map((r) => [catalog.nameOf(r.group[0] as string), ...metrics.map((m) => fmt(m, computeMetric(getMetric(m), r.primitives)))])
      .sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
    return `${title}\n${textTable([dim === 'queue' ? 'Queue' : dim === 'agent' ? 'Agent' : 'Routing profile', ...metrics.map((m) => getMetric(m).header)], rows)}`;
  };
  return [
    section('Queues', 'queue', ['contacts_queued', 'contacts_handled', 'contacts_abandoned', 'service_level_60', 'avg_queue_answer_time', 'avg_handle_time']),
    section('Routing profiles', 'routingProfile', ['contacts_handled', 'online_time', 'occupancy']),
  ].join('\n\n');
}

export async function runDemo(o: DemoOptions): Promise<void> {
  await rm(o.outDir, { recursive: true, force: true });
  await mkdir(o.outDir, { recursive: true });
  const start = `${o.date}T00:00:00`;
  const sim = simulateToDir({ seed: o.seed, agents: o.agents, hours: 24, start, timeZone: o.timeZone, outDir: join(o.outDir, 'events') });
  console.log(`Simulated a day of a ${o.agents}-agent contact center in ${o.timeZone} → ${join(o.outDir, 'events')}`);
  void sim;
  const pipeline = await replayLocal({ ctr: join(o.outDir, 'events', 'ctr.jsonl'), agentEvents: join(o.outDir, 'events', 'agent-events.jsonl'), dataDir: join(o.outDir, 'local-data'), batchSize: 100 });
  try {
    const startMs = localMidnight(o.date, o.timeZone);
    const endMs = localMidnight(addDays(o.date, 1), o.timeZone);
    const cells: Cell[] = [];
    for await (const c of pipeline.store.cells(startMs, endMs)) cells.push(c);
    const catalog = await pipeline.store.entities();
    console.log(`\nWhat the pipeline stored for ${o.date} (${o.timeZone}):\n`);
    console.log(summaryTables(cells, catalog, startMs, endMs, o.timeZone));
  } finally {
    await pipeline.stop();
  }
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Simulate a day of a sample contact center, run it through the local pipeline, and print a metrics summary (what `npm start` runs).')
    .option('--out <dir>', 'where to write everything', 'out/demo')
    .option('--agents <n>', 'agents in the sample center', (v) => Number(v), 20)
    .option('--seed <n>', 'simulation seed', (v) => Number(v), 1)
    .option('--date <yyyy-mm-dd>', 'the simulated day', '2026-03-10')
    .option('--time-zone <iana>', 'the center\'s time zone', 'America/New_York')
    .action(async (o: { out: string; agents: number; seed: number; date: string; timeZone: string }) => {
      await runDemo({ outDir: o.out, agents: o.agents, seed: o.seed, date: o.date, timeZone: o.timeZone });
    });
}
