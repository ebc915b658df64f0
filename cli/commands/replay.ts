/**
 * `connect-metrics replay`: puts CTR and agent-event files on the streams with
 * Amazon Connect's partition keys, lets the handlers drain them, and prints
 * what happened.
 */
import { rm } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { LocalPipeline } from '../local/pipeline.js';
import type { ReportTotals } from '../local/pipeline.js';
import { readJsonLines } from '../support/files.js';
import { progressBar } from '../support/progress.js';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import { putRecords } from '../local/kinesis-producer.js';

export const DEFAULT_DATA_DIR = '.local/connect-metrics';

export interface ReplayOptions {
  ctr?: string;
  agentEvents?: string;
  dataDir: string;
  fresh?: boolean;
  batchSize: number;
}

export function summaryTable(totals: Record<string, ReportTotals>): string {
  const rows: Array<[string, keyof ReportTotals]> = [
    ['records', 'records'],
    ['applied', 'applied'],
    ['duplicates ignored', 'duplicates'],
    ['updates applied (CTR versions)', 'updates'],
    ['older versions ignored', 'stale'],
    ['late events put in place', 'late'],
    ['dead-lettered', 'deadLettered'],
    ['unknown enum values carried', 'unknownEnums'],
    ['handler invocations', 'batches'],
    ['DynamoDB write units', 'writeUnits'],
  ];
  const c = totals.ctr as ReportTotals;
  const a = totals['agent-events'] as ReportTotals;
  const fmt = (v: number | null) => (v === null ? '-' : v.toLocaleString('en-US'));
  const lines = [`${''.padEnd(32)}${'CTR'.padStart(12)}${'agent events'.padStart(14)}`];
  for (const [label, k] of rows) lines.push(`${label.padEnd(32)}${fmt(c[k] as number).padStart(12)}${fmt(a[k] as number).padStart(14)}`);
  return lines.join('\n');
}

/** Replays files through a local pipeline; the caller stops it. */
export async function replayLocal(opts: ReplayOptions, out: NodeJS.WriteStream = process.stdout): Promise<LocalPipeline> {
  if (!opts.ctr && !opts.agentEvents) throw new Error('Nothing to replay: give --ctr FILE and/or --agent-events FILE');
  const ctrLines = opts.ctr ? await readJsonLines(opts.ctr) : [];
  const agentLines = opts.agentEvents ? await readJsonLines(opts.agentEvents) : [];
  if (opts.fresh) await rm(opts.dataDir, { recursive: true, force: true });
  const started = Date.now();
  out.write(`Starting local services (data in ${opts.dataDir})\n`);
  const pipeline = await LocalPipeline.start({ dataDir: opts.dataDir, batchSize: opts.batchSize });
  try {
    await pipeline.put('ctr', ctrLines);
    await pipeline.put('agent-events', agentLines);
    const bar = progressBar('Processing', ctrLines.length + agentLines.length);
    await pipeline.drain((n) => bar.update(n));
    bar.stop();
  } catch (err) {
    await pipeline.stop();
    throw err;
  }
  out.write(`\nReplayed ${ctrLines.length.toLocaleString('en-US')} CTR and ${agentLines.length.toLocaleString('en-US')} agent-event records in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  out.write(`${summaryTable(pipeline.totals)}\n`);
  if (pipeline.failedBatches.length > 0) out.write(`Batches sent to the on-failure destination: ${pipeline.failedBatches.length}\n`);
  return pipeline;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('Put CTR and agent-event JSON-lines files on the streams and process them with the stream handlers (locally by default).')
    .option('--ctr <file>', 'contact trace records, one JSON document per line')
    .option('--agent-events <file>', 'agent events, one JSON document per line')
    .option('--data-dir <dir>', 'where the local services keep their data', DEFAULT_DATA_DIR)
    .option('--fresh', 'delete the local data first')
    .addOption(new Option('--batch-size <n>', 'records per handler invocation').default(100).argParser((v) => positiveInt(v, '--batch-size')))
    .option('--aws', 'put the records on streams in your AWS account instead (the deployed functions process them)')
    .option('--ctr-stream <name>', 'with --aws: the CTR stream name')
    .option('--agent-stream <name>', 'with --aws: the agent-event stream name')
    .action(async (o: ReplayOptions & { aws?: boolean; ctrStream?: string; agentStream?: string }) => {
      if (o.aws) return replayToAws(o);
      const pipeline = await replayLocal(o);
      await pipeline.stop();
      if (pipeline.failedBatches.length > 0) process.exitCode = 1;
    });
}

async function replayToAws(o: ReplayOptions & { ctrStream?: string; agentStream?: string }): Promise<void> {
  if (o.ctr && !o.ctrStream) throw new Error('--aws with --ctr needs --ctr-stream <name>');
  if (o.agentEvents && !o.agentStream) throw new Error('--aws with --agent-events needs --agent-stream <name>');
  const clients = awsClients({ region: process.env.AWS_REGION });
  try {
    for (const [file, stream, key] of [
      [o.ctr, o.ctrStream, 'ContactId'],
      [o.agentEvents, o.agentStream, 'AgentARN'],
    ] as const) {
      if (!file || !stream) continue;
      const lines = await readJsonLines(file);
      const records = lines.map((data, i) => {
        let pk = `record-${i}`;
        try {
          const v = (JSON.parse(data) as Record<string, unknown>)[key];
          if (typeof v === 'string' && v) pk = v;
        } catch {
          // malformed lines are sent as they are; the handler dead-letters them
        }
        return { partitionKey: pk, data };
      });
      await putRecords(clients.kinesis, stream, records);
      console.log(`Put ${records.length.toLocaleString('en-US')} records on ${stream}; the deployed functions will process them.`);
    }
  } finally {
    clients.destroy();
  }
}

export function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} must be a positive whole number, got "${v}"`);
  return n;
}
