/**
 * Starts the AWS-API-compatible servers the local pipeline and the
 * integration tests run against: kinesalite (Kinesis), dynalite (DynamoDB)
 * and s3rver (S3), all from npm packages, in-process, on loopback ports.
 *
 * Storage: in memory by default (kinesalite uses memdown, dynalite
 * memory-level). With `dataDir`, kinesalite persists through leveldown and
 * dynalite through classic-level (`level`); both load the prebuilt native
 * binaries shipped in their packages, which is why they work although npm
 * did not run install scripts. s3rver always stores objects on disk, so it
 * gets a temp directory that `stop()` removes.
 *
 * Memory: both LevelDB stores are opened with `LEVELDB_OPTIONS` (see there),
 * which bounds what LevelDB keeps mapped however much the stores hold.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';

export interface LocalEndpoints {
  readonly kinesis: string;
  readonly dynamodb: string;
  readonly s3: string;
}

export interface LocalServices {
  readonly endpoints: LocalEndpoints;
  readonly region: 'us-east-1';
  stop(): Promise<void>;
}

export interface StartLocalServicesOptions {
  /** Persist Kinesis, DynamoDB and S3 data under this directory (subfolders kinesis/, dynamodb/, s3/). */
  readonly dataDir?: string;
  readonly log?: (msg: string) => void;
  /** Fixed ports, e.g. so a persisted local stack keeps its endpoints across restarts. 0 = any free port. */
  readonly ports?: { readonly kinesis?: number; readonly dynamodb?: number; readonly s3?: number };
}

export class LocalServiceStartError extends Error {
  constructor(service: string, cause: unknown) {
    super(`could not start local ${service}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'LocalServiceStartError';
  }
}

export class StreamNotActiveError extends Error {
  constructor(name: string, status: string | undefined, waitedMs: number) {
    super(`Kinesis stream ${name} is ${status ?? 'in an unknown state'}, not ACTIVE, after ${waitedMs} ms`);
    this.name = 'StreamNotActiveError';
  }
}

// The three servers ship no type declarations; these describe the parts we use.
interface KinesaliteOptions {
  path?: string;
  createStreamMs?: number;
  deleteStreamMs?: number;
  updateStreamMs?: number;
  shardLimit?: number;
}
interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
interface S3rverOptions {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
}
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type KinesaliteFactory = (opts: KinesaliteOptions) => Server;
type DynaliteFactory = (opts: DynaliteOptions) => Server;
type S3rverConstructor = new (opts: S3rverOptions) => S3rverInstance;

const requireCjs = createRequire(import.meta.url);

/**
 * Options for every LevelDB store the local services open (kinesalite's
 * leveldown, dynalite's classic-level). Both bundle LevelDB 1.20, which
 * memory-maps each table file (~2 MiB) it has open and keeps up to
 * max_open_files - 10 of them open, 990 by default. Every page read through
 * such a mapping stays in the process's resident set until the file is
 * closed, so with the default a replay, which reads its streams once from
 * end to end, grew RSS with the data it read (about 3.5 MiB per 1,000
 * records of a 10,000-agent center: 949 MiB 40% into its hour, still
 * climbing). 74 is the least LevelDB accepts: 64 table files
 * open, so at most ~64 × 2 MiB = 128 MiB mapped per store, whatever its size.
 * The block cache (8 MiB) and write buffer (4 MiB) are LevelDB's defaults,
 * already bounded.
 */
export const LEVELDB_OPTIONS = { maxOpenFiles: 74 } as const;

interface OpenableLevelDb {
  prototype: { _open(options: Record<string, unknown>, ...rest: unknown[]): unknown };
}
const boundedOpen = Symbol.for('connect-metrics.leveldb-bounded-open');

/**
 * kinesalite and dynalite construct their stores without passing options
 * through, so `LEVELDB_OPTIONS` are merged into the open options of the
 * LevelDB classes they use (resolved from their own folders, so these are
 * the module instances they load). Options a caller passes still win. Done
 * once per process.
 */
function applyLevelDbOptions(): void {
  const fromPackage = (pkg: string) => createRequire(requireCjs.resolve(pkg));
  const leveldown = fromPackage('kinesalite')('leveldown') as OpenableLevelDb;
  const { ClassicLevel } = fromPackage(fromPackage('dynalite').resolve('level'))('classic-level') as { ClassicLevel: OpenableLevelDb };
  for (const cls of [leveldown, ClassicLevel]) {
    const proto = cls.prototype as OpenableLevelDb['prototype'] & { [boundedOpen]?: true };
    if (proto[boundedOpen]) continue;
    const open = proto._open;
    proto._open = function (this: unknown, options: Record<string, unknown>, ...rest: unknown[]) {
      const merged: Record<string, unknown> = { ...options };
      for (const [k, v] of Object.entries(LEVELDB_OPTIONS)) merged[k] ??= v;
      return open.call(this, merged, ...rest);
    };
    proto[boundedOpen] = true;
  }
}

const HOST = '127.0.0.1';
/** Stream/table state transitions are instantaneous locally; real AWS takes seconds, tests should not. */
const TRANSITION_MS = 10;
/** How long a server may take to close gracefully before its open sockets are cut. */
const CLOSE_GRACE_MS = 1_000;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('server has no TCP address'));
      else resolve(address.port);
    });
  });
}

/**
 * Closes a server, cutting keep-alive and in-flight sockets after a grace
 * period: SDK clients the caller forgot to destroy must not keep vitest (or
 * the CLI) alive.
 */
async function closeServer(server: Server, close: () => Promise<void>): Promise<void> {
  const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
  timer.unref();
  try {
    const closing = close();
    server.closeIdleConnections();
    await closing;
  } finally {
    clearTimeout(timer);
  }
}

function closeWithCallback(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    // kinesalite and dynalite override close() to also close their LevelDB store.
    server.close((err) => (err ? reject(err) : resolve()));
  });
}

export async function startLocalServices(opts: StartLocalServicesOptions = {}): Promise<LocalServices> {
  const log = opts.log ?? ((): void => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    // Reverse start order; keep going on errors so one failing server does not leak the others.
    const errors: unknown[] = [];
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'failed to stop local services cleanly');
  };

  try {
    const kinesisDir = opts.dataDir === undefined ? undefined : join(opts.dataDir, 'kinesis');
    const dynamoDir = opts.dataDir === undefined ? undefined : join(opts.dataDir, 'dynamodb');
    // LevelDB creates its own folder but not the parents.
    if (opts.dataDir !== undefined) {
      await mkdir(opts.dataDir, { recursive: true });
      applyLevelDbOptions();
    }

    const kinesalite = requireCjs('kinesalite') as KinesaliteFactory;
    const kinesisServer = kinesalite({
      ...(kinesisDir === undefined ? {} : { path: kinesisDir }),
      createStreamMs: TRANSITION_MS,
      deleteStreamMs: TRANSITION_MS,
      updateStreamMs: TRANSITION_MS,
      // The default of 10 shards per account is lower than real accounts; tests may create many streams.
      shardLimit: 1_000,
    });
    const kinesisPort = await listen(kinesisServer, opts.ports?.kinesis ?? 0).catch((err: unknown) => {
      throw new LocalServiceStartError('kinesalite', err);
    });
    stops.push(() => closeServer(kinesisServer, () => closeWithCallback(kinesisServer)));
    const kinesis = `http://${HOST}:${kinesisPort}`;
    log(`kinesalite listening on ${kinesis} (${kinesisDir ?? 'in memory'})`);

    const dynalite = requireCjs('dynalite') as DynaliteFactory;
    const dynamoServer = dynalite({
      ...(dynamoDir === undefined ? {} : { path: dynamoDir }),
      createTableMs: TRANSITION_MS,
      deleteTableMs: TRANSITION_MS,
      updateTableMs: TRANSITION_MS,
    });
    const dynamoPort = await listen(dynamoServer, opts.ports?.dynamodb ?? 0).catch((err: unknown) => {
      throw new LocalServiceStartError('dynalite', err);
    });
    stops.push(() => closeServer(dynamoServer, () => closeWithCallback(dynamoServer)));
    const dynamodb = `http://${HOST}:${dynamoPort}`;
    log(`dynalite listening on ${dynamodb} (${dynamoDir ?? 'in memory'})`);

    let s3Dir: string;
    if (opts.dataDir === undefined) {
      s3Dir = await mkdtemp(join(tmpdir(), 'connect-metrics-s3rver-'));
      const dir = s3Dir;
      stops.push(() => rm(dir, { recursive: true, force: true }));
    } else {
      s3Dir = join(opts.dataDir, 's3');
      await mkdir(s3Dir, { recursive: true });
    }
    const S3rver = requireCjs('s3rver') as S3rverConstructor;
    const s3rver = new S3rver({ address: HOST, port: opts.ports?.s3 ?? 0, silent: true, directory: s3Dir });
    const s3Address = await s3rver.run().catch((err: unknown) => {
      throw new LocalServiceStartError('s3rver', err);
    });
    stops.push(() => {
      const server = s3rver.httpServer;
      return server === undefined ? s3rver.close() : closeServer(server, () => s3rver.close());
    });
    const s3 = `http://${HOST}:${s3Address.port}`;
    log(`s3rver listening on ${s3} (${s3Dir})`);

    let stopped: Promise<void> | undefined;
    return {
      endpoints: { kinesis, dynamodb, s3 },
      region: 'us-east-1',
      // Idempotent: afterAll hooks and signal handlers may both call it.
      stop: () => (stopped ??= stopAll().then(() => log('local services stopped'))),
    };
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

/**
 * Creates the stream if it does not exist and waits until it is ACTIVE.
 * An existing stream is left as is (its shard count is not changed).
 * Returns the stream ARN.
 */
export async function ensureStream(
  kinesis: KinesisClient,
  name: string,
  shardCount: number,
  opts: { timeoutMs?: number } = {},
): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const started = Date.now();
  let created = false;
  for (;;) {
    let status: string | undefined;
    try {
      const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      status = summary.StreamDescriptionSummary?.StreamStatus;
      const arn = summary.StreamDescriptionSummary?.StreamARN;
      if (status === 'ACTIVE' && arn !== undefined) return arn;
    } catch (err) {
      if (errorName(err) !== 'ResourceNotFoundException') throw err;
      if (!created) {
        try {
          await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
        } catch (createErr) {
          // Someone else created it between our describe and create: just wait for it.
          if (errorName(createErr) !== 'ResourceInUseException') throw createErr;
        }
        created = true;
        continue;
      }
    }
    const waited = Date.now() - started;
    if (waited > timeoutMs) throw new StreamNotActiveError(name, status, waited);
    // Short polls first: local streams turn ACTIVE within milliseconds; real
    // ones take ~10 s and DescribeStreamSummary allows 20 calls/s per account.
    await sleep(waited < 1_000 ? 50 : 500);
  }
}

/** Creates the bucket unless it already exists (owned by us). */
export async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return;
  } catch (err) {
    if (errorName(err) !== 'NotFound' && errorName(err) !== 'NoSuchBucket') throw err;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } catch (err) {
    if (errorName(err) !== 'BucketAlreadyOwnedByYou') throw err;
  }
}
