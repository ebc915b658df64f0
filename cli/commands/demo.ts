/**
 * `connect-metrics demo` (what `npm start` runs): simulates a day of a sample
 * contact center, replays it through the local pipeline, and prints a summary
 * of the metrics the pipeline stored.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { simulateToDir } from '../simulator/index.js';
import { runMainJob } from './run.js';
import { rollup } from '../../lambdas/domain/engine/rollup.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import { computeMetric, getMetric } from '../../lambdas/domain/metrics/registry.js';
import { textTable } from '../support/table.js';
import { formatMetricValue } from '../../lambdas/domain/reports/format.js';
import { addDays, localMidnight } from '../../lambdas/domain/time/intervals.js';
import type { Dimension } from '../../lambdas/domain/dimensions.js';
import type { EntityCatalog } from '../../lambdas/domain/engine/entities.js';

export interface DemoOptions {
  outDir: string;
  reports: string;
  agents: number;
  seed: number;
  date: string;
  timeZone: string;
}

const fmt = (id: string, v: number | null): string => formatMetricValue(getMetric(id).unit, v);

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
  const events = join(o.outDir, 'events');
  simulateToDir({ seed: o.seed, agents: o.agents, hours: 24, start: `${o.date}T00:00:00`, timeZone: o.timeZone, outDir: events });
  console.log(`Simulated ${o.date} in a ${o.agents}-agent contact center (${o.timeZone}) → ${events}`);
  const startMs = localMidnight(o.date, o.timeZone);
  const endMs = localMidnight(addDays(o.date, 1), o.timeZone);
  const reportsDir = join(o.outDir, 'reports');
  await runMainJob(
    {
      ctr: join(events, 'ctr.jsonl'),
      agentEvents: join(events, 'agent-events.jsonl'),
      reports: o.reports,
      until: new Date(endMs + 3600_000).toISOString(),
      out: reportsDir,
      // Start the scheduler clock after the midnight run for the day before the simulation (it would be empty).
      from: new Date(startMs + 30 * 60_000).toISOString(),
      keyPrefix: 'connect/connect-metrics',
      batchSize: 100,
    },
    (line) => console.log(line),
    async (pipeline) => {
      const cells: Cell[] = [];
      for await (const c of pipeline.store.cells(startMs, endMs)) cells.push(c);
      console.log(`\nThe day at a glance (${o.date}, ${o.timeZone}):\n`);
      console.log(summaryTables(cells, await pipeline.store.entities(), startMs, endMs, o.timeZone));
    },
  );
  console.log(`\nThe CSV reports are in ${reportsDir}/ (open them in any spreadsheet).`);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Simulate a day of a sample contact center, run it through the local pipeline and the report scheduler, write the default reports as CSV, and print a summary (what `npm start` runs).')
    .option('--out <dir>', 'where to write everything', 'out/demo')
    .option('--agents <n>', 'agents in the sample center', (v) => Number(v), 20)
    .option('--seed <n>', 'simulation seed', (v) => Number(v), 1)
    .option('--date <yyyy-mm-dd>', 'the simulated day', '2026-03-10')
    .option('--time-zone <iana>', 'the center\'s time zone', 'America/New_York')
    .option('--reports <file>', 'report definitions', 'config/reports.json')
    .action(async (o: { out: string; agents: number; seed: number; date: string; timeZone: string; reports: string }) => {
      await runDemo({ outDir: o.out, agents: o.agents, seed: o.seed, date: o.date, timeZone: o.timeZone, reports: o.reports });
    });
}
