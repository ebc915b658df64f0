/**
 * `connect-metrics run`: the main job on one machine. Starts the local
 * services, replays the events through the handlers, runs the report
 * scheduler on a simulated clock for every wake-up up to --until, and copies
 * every report it wrote to the local S3 into --out.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import type { ReportDefinition } from '../../lambdas/domain/reports/definitions.js';
import { copyBucket, runSchedulerLocally } from '../local/local-reports.js';
import { EventClock } from '../local/event-clock.js';
import { replayLocal } from './replay.js';
import type { LocalPipeline } from '../local/pipeline.js';

export interface RunOptions {
  ctr: string;
  agentEvents: string;
  reports: string;
  until: string;
  out: string;
  from?: string;
  /** `<key prefix>/Reports/...`: Amazon Connect's `connect/<instance alias>`. */
  keyPrefix: string;
  batchSize: number;
}

export class RunFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailedError';
  }
}

export async function loadDefinitions(path: string): Promise<ReportDefinition[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RunFailedError(`Cannot read report definitions ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RunFailedError(`${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseReportDefinitions(json);
}

function parseInstant(v: string, flag: string): number {
  const ms = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(ms)) throw new RunFailedError(`${flag} must be an ISO 8601 instant such as 2026-03-11T06:00:00Z, got "${v}"`);
  return ms;
}

export async function runMainJob(o: RunOptions, log: (line: string) => void = (l) => console.log(l), beforeStop?: (pipeline: LocalPipeline) => Promise<void>) {
  const definitions = await loadDefinitions(o.reports);
  const untilMs = parseInstant(o.until, '--until');
  const givenFromMs = o.from ? parseInstant(o.from, '--from') : undefined;
  if (givenFromMs !== undefined && untilMs <= givenFromMs) throw new RunFailedError(`--until (${o.until}) must be after --from (${o.from})`);
  await rm(o.out, { recursive: true, force: true });
  // The clock starts at the first event the handlers accept, found while the records stream onto the streams.
  const clock = new EventClock();
  const pipeline = await replayLocal(
    { ctr: o.ctr, agentEvents: o.agentEvents, dataDir: join(o.out, '.local-data'), batchSize: o.batchSize },
    process.stdout,
    { observe: givenFromMs === undefined ? (source, json) => clock.observe(source, json) : undefined },
  );
  try {
    if (pipeline.failedBatches.length > 0) throw new RunFailedError(`${pipeline.failedBatches.length} batch(es) could not be processed; see ${join(o.out, '.local-data', 'failed-batches.jsonl')}`);
    if (pipeline.putSummary.tooLarge > 0) throw new RunFailedError(`${pipeline.putSummary.tooLarge} line(s) are too large for a Kinesis record and were left out (see above)`);
    const fromMs = givenFromMs ?? clock.earliestMs;
    if (fromMs === null) throw new RunFailedError('The input files hold no valid event (every record was dead-lettered); give --from');
    if (untilMs <= fromMs) throw new RunFailedError(`--until (${o.until}) must be after the first event (${new Date(fromMs).toISOString()})`);
    log(`\nRunning the report scheduler every 15 minutes from ${new Date(fromMs).toISOString()} to ${new Date(untilMs).toISOString()}`);
    const result = await runSchedulerLocally(pipeline, definitions, { fromMs, untilMs, reportsKeyPrefix: o.keyPrefix });
    const files = await copyBucket(pipeline, o.out);
    log(`${result.wakeUps} wake-ups, ${result.generated.length} report(s) generated, ${result.failed.length} failed`);
    for (const g of result.generated) log(`  ${join(o.out, ...g.key.split('/'))}  (${g.rows.toLocaleString('en-US')} rows)`);
    for (const f of result.failed) log(`  FAILED ${f.runId}: ${f.error}`);
    for (const c of result.corrected) log(`  corrected for late data: ${join(o.out, ...c.key.split('/'))}  (${c.cellsChanged} cell(s) changed)`);
    if (result.failed.length > 0) throw new RunFailedError(`${result.failed.length} report run(s) failed (see above)`);
    await beforeStop?.(pipeline);
    return { ...result, fromMs, files, pipeline: pipeline.totals };
  } finally {
    await pipeline.stop();
  }
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run the whole pipeline locally: replay events through the handlers, run the report scheduler up to --until on a simulated clock, and copy the reports to --out.')
    .requiredOption('--ctr <file>', 'contact trace records, one JSON document per line')
    .requiredOption('--agent-events <file>', 'agent events, one JSON document per line')
    .requiredOption('--reports <file>', 'report definitions (JSON); see config/reports.json')
    .requiredOption('--until <iso>', 'run the scheduler for every 15-minute wake-up up to this instant')
    .requiredOption('--out <dir>', 'where the reports go (the S3 key becomes the path)')
    .option('--from <iso>', 'start the scheduler clock here (default: the first valid event; records the handlers dead-letter never count)')
    .option('--key-prefix <prefix>', 'first segments of every report key: <prefix>/Reports/<report prefix>/<name>-<scheduled time>Z.csv', 'connect/connect-metrics')
    .option('--batch-size <n>', 'records per handler invocation', (v) => Number(v), 100)
    .action(async (o: RunOptions) => {
      await runMainJob(o);
    });
}
