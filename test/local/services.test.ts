/**
 * The local AWS stand-ins really start, answer the SDK clients built by
 * lambdas/adapters/aws-clients.ts, persist when asked to, and stop cleanly
 * (a server left open would keep vitest from exiting).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { awsClients, clientConfigFromEnv, type AwsClients } from '../../lambdas/adapters/aws-clients.js';
import { LEVELDB_OPTIONS, ensureBucket, ensureStream, startLocalServices, type LocalServices } from '../../cli/local/services.js';

function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

/** Resolves true if something accepts TCP connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function createTable(clients: AwsClients, name: string): Promise<void> {
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

describe('clientConfigFromEnv', () => {
  it('reads region and endpoints, ignoring empty variables', () => {
    expect(
      clientConfigFromEnv({
        AWS_REGION: 'eu-west-1',
        CM_KINESIS_ENDPOINT: 'http://127.0.0.1:1',
        CM_DYNAMODB_ENDPOINT: ' ',
        CM_S3_ENDPOINT: 'http://127.0.0.1:3',
      }),
    ).toEqual({ region: 'eu-west-1', endpoints: { kinesis: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:3' } });
    expect(clientConfigFromEnv({})).toEqual({});
  });
});

describe('local services (in memory)', () => {
  let services: LocalServices;
  let clients: AwsClients;

  beforeAll(async () => {
    services = await startLocalServices();
    clients = awsClients({ region: services.region, endpoints: services.endpoints });
  });

  afterAll(async () => {
    clients.destroy();
    await services.stop();
  });

  it('listens on loopback ports', () => {
    for (const endpoint of Object.values(services.endpoints)) {
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(new Set(Object.values(services.endpoints)).size).toBe(3);
  });

  it('dynalite answers CreateTable, ListTables and document-client writes', async () => {
    await createTable(clients, 'services-test');
    const tables = await clients.dynamodb.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain('services-test');

    // removeUndefinedValues: an optional field left undefined must not make the write fail.
    await clients.dynamoDocument.send(
      new PutCommand({ TableName: 'services-test', Item: { pk: 'a', n: 1, missing: undefined } }),
    );
    const got = await clients.dynamoDocument.send(new GetCommand({ TableName: 'services-test', Key: { pk: 'a' } }));
    expect(got.Item).toEqual({ pk: 'a', n: 1 });
  });

  it('s3rver answers CreateBucket, PutObject and GetObject', async () => {
    await ensureBucket(clients.s3, 'reports-test');
    await ensureBucket(clients.s3, 'reports-test'); // idempotent
    const buckets = await clients.s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).toContain('reports-test');

    await clients.s3.send(new PutObjectCommand({ Bucket: 'reports-test', Key: 'a/b.csv', Body: 'x,y\n1,2\n' }));
    const got = await clients.s3.send(new GetObjectCommand({ Bucket: 'reports-test', Key: 'a/b.csv' }));
    expect(await got.Body?.transformToString()).toBe('x,y\n1,2\n');

    // A streamed body of known length, as report writers upload.
    const bytes = Buffer.alloc(70_000, 7);
    await clients.s3.send(
      new PutObjectCommand({ Bucket: 'reports-test', Key: 'stream.bin', Body: Readable.from([bytes]), ContentLength: bytes.length }),
    );
    const streamed = await clients.s3.send(new GetObjectCommand({ Bucket: 'reports-test', Key: 'stream.bin' }));
    expect(Buffer.from(await (streamed.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array()))).equals(bytes)).toBe(true);
  });

  it('kinesalite answers CreateStream, PutRecords and GetRecords', async () => {
    const arn = await ensureStream(clients.kinesis, 'services-test', 2);
    expect(arn).toBe('arn:aws:kinesis:us-east-1:000000000000:stream/services-test');
    expect(await ensureStream(clients.kinesis, 'services-test', 2)).toBe(arn); // idempotent

    const put = await clients.kinesis.send(
      new PutRecordsCommand({
        StreamName: 'services-test',
        Records: [
          { PartitionKey: 'k', Data: Buffer.from('one') },
          { PartitionKey: 'k', Data: Buffer.from('two') },
        ],
      }),
    );
    expect(put.FailedRecordCount).toBe(0);
    const shardId = put.Records?.[0]?.ShardId;
    const shards = await clients.kinesis.send(new ListShardsCommand({ StreamName: 'services-test' }));
    expect(shards.Shards?.map((s) => s.ShardId)).toContain(shardId);

    const iterator = await clients.kinesis.send(
      new GetShardIteratorCommand({ StreamName: 'services-test', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const got = await clients.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));
    expect(got.Records?.map((r) => Buffer.from(r.Data ?? new Uint8Array()).toString())).toEqual(['one', 'two']);
    expect(got.MillisBehindLatest).toBe(0);
  });
});

describe('local services (persisted under dataDir)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'connect-metrics-services-test-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps tables, streams and objects across a restart, and stop closes every port', async () => {
    const first = await startLocalServices({ dataDir });
    const firstClients = awsClients({ region: first.region, endpoints: first.endpoints });
    try {
      await createTable(firstClients, 'persisted');
      await ensureStream(firstClients.kinesis, 'persisted', 1);
      await ensureBucket(firstClients.s3, 'persisted');
      await firstClients.s3.send(new PutObjectCommand({ Bucket: 'persisted', Key: 'k', Body: 'kept' }));
    } finally {
      firstClients.destroy();
      await first.stop();
    }
    for (const endpoint of Object.values(first.endpoints)) {
      expect(await accepts(portOf(endpoint))).toBe(false);
    }
    // LevelDB (leveldown for kinesalite, classic-level for dynalite) actually wrote to disk.
    expect((await stat(join(dataDir, 'kinesis'))).isDirectory()).toBe(true);
    expect((await stat(join(dataDir, 'dynamodb'))).isDirectory()).toBe(true);

    const second = await startLocalServices({ dataDir });
    const secondClients = awsClients({ region: second.region, endpoints: second.endpoints });
    try {
      const tables = await secondClients.dynamodb.send(new ListTablesCommand({}));
      expect(tables.TableNames).toEqual(['persisted']);
      const shards = await secondClients.kinesis.send(new ListShardsCommand({ StreamName: 'persisted' }));
      expect(shards.Shards).toHaveLength(1);
      const object = await secondClients.s3.send(new GetObjectCommand({ Bucket: 'persisted', Key: 'k' }));
      expect(await object.Body?.transformToString()).toBe('kept');
    } finally {
      secondClients.destroy();
      await second.stop();
    }
  });

  it('opens both LevelDB stores with a bounded number of open table files (each is memory-mapped, and what is read through it stays resident)', async () => {
    // The native bindings kinesalite (leveldown) and dynalite (classic-level via level) load, as they resolve them.
    const from = (pkg: string) => createRequire(createRequire(import.meta.url).resolve(pkg));
    const leveldown = from('kinesalite')('leveldown/binding') as { db_open: (...args: unknown[]) => unknown };
    const classicLevel = from(from('dynalite').resolve('level'))('classic-level/binding') as { db_open: (...args: unknown[]) => unknown };
    const kinesisOpen = vi.spyOn(leveldown, 'db_open');
    const dynamoOpen = vi.spyOn(classicLevel, 'db_open');
    try {
      const services = await startLocalServices({ dataDir: join(dataDir, 'bounded') });
      await services.stop();
      const options = (spy: typeof kinesisOpen) => spy.mock.calls.map((call) => call[2] as Record<string, unknown>);
      expect(options(kinesisOpen)).toEqual([expect.objectContaining({ maxOpenFiles: LEVELDB_OPTIONS.maxOpenFiles })]);
      expect(options(dynamoOpen)).toEqual([expect.objectContaining({ maxOpenFiles: LEVELDB_OPTIONS.maxOpenFiles })]);
      // LevelDB's default is 1000 (990 table files); the bound is the point.
      expect(LEVELDB_OPTIONS.maxOpenFiles).toBeLessThanOrEqual(100);
    } finally {
      kinesisOpen.mockRestore();
      dynamoOpen.mockRestore();
    }
  });
});
