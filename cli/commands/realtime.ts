/**
 * `connect-metrics realtime`: writes the real-time Queues, Routing profiles
 * and Agents views as CSV (queues.csv, routing-profiles.csv, agents.csv), like
 * Amazon Connect's "Download CSV" of a real-time report, from the local data
 * a `replay` left (local services started on the persisted data dir), or from
 * a deployed stack's table with --aws.
 *
 * The report instant defaults to the newest agent event in the store, not the
 * wall clock: after replaying a simulated day "now" is the end of that day.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import type { AwsClients } from '../../lambdas/adapters/aws-clients.js';
import { realtimeCsv } from '../../lambdas/domain/realtime/report.js';
import type { RealtimeReport } from '../../lambdas/domain/realtime/report.js';
import { describeWindow, parseWindow, TRAILING_HOURS } from '../../lambdas/domain/realtime/windows.js';
import { assertTimeZone, formatInZone } from '../../lambdas/domain/time/intervals.js';
import { loadRealtimeReport } from '../../lambdas/realtime/realtime-view.js';
import { DynamoContactEventStore } from '../../lambdas/storage/dynamodb/contact-event-store.js';
import { S3BlobStore } from '../../lambdas/adapters/s3-blob-store.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { LOCAL_NAMES } from '../local/pipeline.js';
import { startLocalServices } from '../local/services.js';
import type { LocalServices } from '../local/services.js';
import { DEFAULT_DATA_DIR } from './replay.js';

export class RealtimeCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RealtimeCommandError';
  }
}

/** The store and contact-event store of a local data dir or a deployed table; `close` releases them. */
export interface OpenedStore {
  readonly store: DynamoMetricStore;
  readonly contactEvents: DynamoContactEventStore;
  readonly clients: AwsClients;
  close(): Promise<void>;
}

/** Starts the local services on a data dir a `replay` filled (the same layout LocalPipeline uses). */
export async function openLocalStore(dataDir: string): Promise<OpenedStore> {
  if (!existsSync(join(dataDir, 'services', 'dynamodb'))) throw new RealtimeCommandError(`No local data in ${dataDir}: run \`connect-metrics replay --ctr FILE --agent-events FILE\` first (or give --data-dir)`);
  const services: LocalServices = await startLocalServices({ dataDir: join(dataDir, 'services') });
  const clients = awsClients({ region: services.region, endpoints: services.endpoints });
  return {
    store: new DynamoMetricStore(clients.dynamoDocument, LOCAL_NAMES.table, { blobs: new S3BlobStore(clients.s3, LOCAL_NAMES.deadLetterBucket) }),
    contactEvents: new DynamoContactEventStore(clients.dynamoDocument, LOCAL_NAMES.table),
    clients,
    close: async () => {
      clients.destroy();
      await services.stop();
    },
  };
}

/** A deployed stack's table, with the default credential chain and region. */
export function openAwsStore(table: string): OpenedStore {
  const clients = awsClients({ region: process.env.AWS_REGION });
  return {
    store: new DynamoMetricStore(clients.dynamoDocument, table),
    contactEvents: new DynamoContactEventStore(clients.dynamoDocument, table),
    clients,
    close: async () => clients.destroy(),
  };
}

export function parseInstantOption(v: string, flag: string): number {
  const ms = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(v) || Number.isNaN(ms)) throw new RealtimeCommandError(`${flag} must be an ISO 8601 instant with a zone, such as 2026-03-10T15:30:00Z, got "${v}"`);
  return ms;
}

/** The newest agent event in the store: "now" for data replayed from files. */
export async function newestEventMs(store: DynamoMetricStore): Promise<number | null> {
  let newest: number | null = null;
  for (const s of await store.agentStates()) if (newest === null || s.eventMs > newest) newest = s.eventMs;
  return newest;
}

export interface RealtimeOptions {
  readonly out: string;
  readonly at?: string;
  readonly window: string;
  readonly timeZone: string;
  readonly dataDir: string;
  readonly aws?: boolean;
  readonly table?: string;
}

export interface RealtimeRun {
  readonly nowMs: number;
  readonly report: RealtimeReport;
  readonly files: readonly string[];
}

export async function writeRealtimeReport(opened: OpenedStore, o: RealtimeOptions): Promise<RealtimeRun> {
  assertTimeZone(o.timeZone);
  const window = parseWindow(o.window, o.timeZone);
  const nowMs = o.at ? parseInstantOption(o.at, '--at') : ((await newestEventMs(opened.store)) ?? Date.now());
  const { report, entities } = await loadRealtimeReport(opened.store, opened.contactEvents, { nowMs, window });
  const csv = realtimeCsv(report, entities);
  await mkdir(o.out, { recursive: true });
  const files: string[] = [];
  for (const [name, text] of [
    ['queues.csv', csv.queues],
    ['routing-profiles.csv', csv.routingProfiles],
    ['agents.csv', csv.agents],
  ] as const) {
    const path = join(o.out, name);
    await writeFile(path, `${text}\r\n`);
    files.push(path);
  }
  return { nowMs, report, files };
}

export async function runRealtime(o: RealtimeOptions, log: (line: string) => void = (l) => console.log(l)): Promise<RealtimeRun> {
  if (o.aws && !o.table) throw new RealtimeCommandError('--aws needs --table <name> (the stack\'s metrics table)');
  const opened = o.aws && o.table ? openAwsStore(o.table) : await openLocalStore(o.dataDir);
  try {
    const run = await writeRealtimeReport(opened, o);
    const w = parseWindow(o.window, o.timeZone);
    log(`Real-time report at ${formatInZone(run.nowMs, o.timeZone)}, ${describeWindow(w)}${run.report.contactEvents ? '' : '; no contact events, so In queue, Oldest and Scheduled are dashes'}`);
    log(`  ${run.report.queues.length - 1} queue(s), ${run.report.routingProfiles.length - 1} routing profile(s), ${run.report.agents.length} agent(s) online`);
    for (const f of run.files) log(`  ${f}`);
    return run;
  } finally {
    await opened.close();
  }
}

export function registerRealtime(program: Command): void {
  program
    .command('realtime')
    .description('Write the real-time Queues, Routing profiles and Agents views as CSV (queues.csv, routing-profiles.csv, agents.csv), with a summary row, from the local data (after a replay) or a deployed table.')
    .requiredOption('--out <dir>', 'where the CSV files go')
    .option('--at <iso>', 'the report instant (default: the newest agent event in the store)')
    .addOption(new Option('--window <hours|midnight>', `trailing window in hours (${TRAILING_HOURS.join(', ')}) or midnight to now`).default('midnight'))
    .option('--time-zone <iana>', 'zone of "midnight" and of the printed times', 'UTC')
    .option('--data-dir <dir>', 'the local data a replay left', DEFAULT_DATA_DIR)
    .option('--aws', 'read a deployed stack\'s table instead (default AWS credentials and region)')
    .option('--table <name>', 'with --aws: the metrics table name')
    .action(async (o: RealtimeOptions) => {
      await runRealtime(o);
    });
}
