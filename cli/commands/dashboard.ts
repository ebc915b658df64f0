/**
 * `connect-metrics dashboard`: the local stand-in for the CloudWatch
 * dashboard. Replays the real-time publisher over a stored day into the
 * local recorder and writes a self-contained index.html (inline SVG charts,
 * no script, no external resource) plus metrics.json, the recorded datapoints.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_SL_TARGET_PERCENT } from '../../lambdas/domain/realtime/dashboard-layout.js';
import { formatInZone } from '../../lambdas/domain/time/intervals.js';
import { parseSlThresholds } from '../../lambdas/realtime/publisher.js';
import { buildDashboard } from '../dashboard/build.js';
import type { BuiltDashboard } from '../dashboard/build.js';
import { DEFAULT_DATA_DIR } from './replay.js';
import { openLocalStore } from './realtime.js';

export interface DashboardCommandOptions {
  readonly out: string;
  readonly dataDir: string;
  readonly date?: string;
  readonly timeZone: string;
  readonly slTarget: number;
  readonly slThresholds?: string;
}

export async function runDashboard(o: DashboardCommandOptions, log: (line: string) => void = (l) => console.log(l)): Promise<BuiltDashboard & { files: string[] }> {
  const opened = await openLocalStore(o.dataDir);
  try {
    const built = await buildDashboard(opened, { date: o.date, timeZone: o.timeZone, slTargetPercent: o.slTarget, slThresholds: parseSlThresholds(o.slThresholds) });
    await mkdir(o.out, { recursive: true });
    const html = join(o.out, 'index.html');
    const json = join(o.out, 'metrics.json');
    await writeFile(html, built.html);
    await built.recorder.save(json);
    log(`Dashboard for ${formatInZone(built.startMs, o.timeZone)} to ${formatInZone(built.endMs, o.timeZone)}: ${built.runs} publisher runs, ${built.recorder.all().length.toLocaleString('en-US')} datapoints`);
    log(`  ${html}\n  ${json}`);
    return { ...built, files: [html, json] };
  } finally {
    await opened.close();
  }
}

function parsePercent(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new Error(`--sl-target must be a percentage from 0 to 100, got "${v}"`);
  return n;
}

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('Replay the real-time publisher over a stored day into the local recorder and write a self-contained HTML dashboard (index.html) with the CloudWatch dashboard\'s widgets.')
    .requiredOption('--out <dir>', 'where index.html and metrics.json go')
    .option('--data-dir <dir>', 'the local data a replay left', DEFAULT_DATA_DIR)
    .option('--date <yyyy-mm-dd>', 'the day to replay, in --time-zone (default: the day of the newest agent event)')
    .option('--time-zone <iana>', 'the zone of the day and of the charts\' axes', 'UTC')
    .option('--sl-target <percent>', 'the service-level goal drawn on the service-level chart', parsePercent, DEFAULT_SL_TARGET_PERCENT)
    .option('--sl-thresholds <json>', 'queue name → service-level threshold in seconds, as SL_THRESHOLDS_JSON (default 60 s)')
    .action(async (o: DashboardCommandOptions) => {
      await runDashboard(o);
    });
}
