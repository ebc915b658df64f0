/**
 * `connect-metrics replay`: puts CTR and agent-event files on the streams with
 * Amazon Connect's partition keys, lets the handlers drain them, and prints
 * what happened.
 */
import { rm } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { LocalPipeline, toProducerRecords } from '../local/pipeline.js';
import type { ReportTotals } from '../local/pipeline.js';
import { readRecords } from '../support/archives.js';
import { inputFileSize, totalSize } from '../support/files.js';
import { progressBar } from '../support/progress.js';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import { putRecordStream } from '../local/kinesis-producer.js';

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

export interface ReplayHooks {
  /** Sees every record as it is put, before the handlers run (e.g. to find where the data's clock starts). */
  readonly observe?: (source: 'ctr' | 'agent-events', json: unknown) => void;
}

/** What the put phase of a replay wrote. */
export interface PutSummary {
  readonly records: Record<'ctr' | 'agent-events', number>;
  /** Lines that no Kinesis stream could take (over its 1 MiB record limit): reported and left out. */
  readonly tooLarge: number;
}

/**
 * Replays files through a local pipeline; the caller stops it. The files are
 * streamed onto the local streams (read no faster than they are written),
 * then the handlers drain the streams: memory does not grow with the files.
 */
export async function replayLocal(opts: ReplayOptions, out: NodeJS.WriteStream = process.stdout, hooks: ReplayHooks = {}): Promise<LocalPipeline & { putSummary: PutSummary }> {
  if (!opts.ctr && !opts.agentEvents) throw new Error('Nothing to replay: give --ctr FILE and/or --agent-events FILE');
  const inputs = (
    [
      ['ctr', opts.ctr],
      ['agent-events', opts.agentEvents],
    ] as const
  ).filter((i): i is readonly ['ctr' | 'agent-events', string] => i[1] !== undefined);
  // Open both before starting anything, so a missing file fails at once.
  for (const [, file] of inputs) await inputFileSize(file);
  if (opts.fresh) await rm(opts.dataDir, { recursive: true, force: true });
  const started = Date.now();
  out.write(`Starting local services (data in ${opts.dataDir})\n`);
  const pipeline = await LocalPipeline.start({ dataDir: opts.dataDir, batchSize: opts.batchSize });
  const records = { ctr: 0, 'agent-events': 0 };
  let tooLarge = 0;
  try {
    const reading = progressBar('Reading', await totalSize(inputs.map(([, f]) => f)), process.stderr, 'bytes');
    let before = 0;
    for (const [source, file] of inputs) {
      let read = 0;
      const warn = (what: string) => {
        tooLarge++;
        process.stderr.write(`\n${file}: ${what}; not put on the stream\n`);
      };
      const lines = await readRecords(file, {
        onBytes: (n) => {
          read = n;
          reading.update(before + n);
        },
        onOversized: (n, chars) => warn(`record ${n} is ${chars.toLocaleString('en-US')} characters, longer than a Kinesis record can be`),
      });
      const r = await pipeline.put(source, lines, {
        observe: hooks.observe ? (json) => hooks.observe?.(source, json) : undefined,
        onRejected: (index, reason) => warn(`record ${index + 1}: ${reason}`),
      });
      records[source] = r.written;
      before += read;
    }
    reading.stop();
    const bar = progressBar('Processing', records.ctr + records['agent-events']);
    await pipeline.drain((n) => bar.update(n));
    bar.stop();
  } catch (err) {
    await pipeline.stop();
    throw err;
  }
  out.write(`\nReplayed ${records.ctr.toLocaleString('en-US')} CTR and ${records['agent-events'].toLocaleString('en-US')} agent-event records in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  out.write(`${summaryTable(pipeline.totals)}\n`);
  if (tooLarge > 0) out.write(`Lines too large for a Kinesis record, left out: ${tooLarge}\n`);
  if (pipeline.failedBatches.length > 0) out.write(`Batches sent to the on-failure destination: ${pipeline.failedBatches.length}\n`);
  return Object.assign(pipeline, { putSummary: { records, tooLarge } });
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
      if (pipeline.failedBatches.length > 0 || pipeline.putSummary.tooLarge > 0) process.exitCode = 1;
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
      const size = await inputFileSize(file);
      const bar = progressBar(`Putting ${file} on ${stream}`, size, process.stderr, 'bytes');
      const lines = await readRecords(file, {
        onBytes: (n) => bar.update(n),
        onOversized: (n, chars) => process.stderr.write(`\n${file}: record ${n} is ${chars.toLocaleString('en-US')} characters, longer than a Kinesis record can be; not put\n`),
      });
      const r = await putRecordStream(clients.kinesis, stream, toProducerRecords(lines, key), {
        onRejected: (index, reason) => process.stderr.write(`\n${file}: record ${index + 1}: ${reason}; not put\n`),
      });
      bar.stop();
      console.log(`Put ${r.written.toLocaleString('en-US')} records on ${stream}; the deployed functions will process them.`);
      if (r.rejected > 0) process.exitCode = 1;
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
