/**
 * KinesisPoller and putRecords against a real kinesalite: event shape,
 * ordering, batch size, partial batch responses, bisection down to a poison
 * record, on-failure destination, checkpoint resume, resharding, and
 * PutRecords chunking and partial-failure retries.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ListShardsCommand,
  SplitShardCommand,
  type KinesisClient,
  type PutRecordsCommandInput,
  type PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { kinesisClient } from '../../lambdas/adapters/aws-clients.js';
import {
  FileCheckpointStore,
  InMemoryCheckpointStore,
  KinesisPoller,
  interpretBatchResponse,
  type FailedBatch,
  type KinesisPollerOptions,
} from '../../cli/local/kinesis-poller.js';
import { putRecords, type ProducerRecord, type PutRecordResult } from '../../cli/local/kinesis-producer.js';
import { ensureStream, startLocalServices, type LocalServices } from '../../cli/local/services.js';

let services: LocalServices;
let kinesis: KinesisClient;
let workDir: string;
let streamCounter = 0;

beforeAll(async () => {
  services = await startLocalServices();
  kinesis = kinesisClient({ region: services.region, endpoints: services.endpoints });
  workDir = await mkdtemp(join(tmpdir(), 'connect-metrics-poller-test-'));
});

afterAll(async () => {
  kinesis.destroy();
  await services.stop();
  await rm(workDir, { recursive: true, force: true });
});

/** A fresh stream per test, so tests cannot see each other's records. */
async function newStream(shards: number): Promise<{ name: string; arn: string }> {
  streamCounter++;
  const name = `poller-test-${streamCounter}`;
  return { name, arn: await ensureStream(kinesis, name, shards) };
}

/** Records whose payload names their index, so deliveries can be mapped back to input positions. */
function indexed(count: number, keys = 1): ProducerRecord[] {
  return Array.from({ length: count }, (_, i) => ({ partitionKey: `key-${i % keys}`, data: `r${i}` }));
}

function indexOf(record: KinesisStreamRecord): number {
  return Number(Buffer.from(record.kinesis.data, 'base64').toString('utf8').slice(1));
}

/** Records every invocation and collects what went to the on-failure destination. */
function recorder(respond: (event: KinesisStreamEvent, call: number) => KinesisStreamBatchResponse | void) {
  const calls: KinesisStreamRecord[][] = [];
  const failed: FailedBatch[] = [];
  const handler = (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse | void> => {
    calls.push(event.Records);
    try {
      return Promise.resolve(respond(event, calls.length - 1));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };
  const onFailure = (batch: FailedBatch): Promise<void> => {
    failed.push(batch);
    return Promise.resolve();
  };
  return { calls, failed, handler, onFailure };
}

function poller(
  streamName: string,
  rec: Pick<KinesisPollerOptions, 'handler' | 'onFailure'>,
  extra: Partial<KinesisPollerOptions> = {},
): KinesisPoller {
  return new KinesisPoller({ kinesis, streamName, startingPosition: 'TRIM_HORIZON', ...rec, ...extra });
}

function bySequence(a: string, b: string): number {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

class PoisonRecordError extends Error {
  constructor(index: number) {
    super(`poison record ${index}`);
    this.name = 'PoisonRecordError';
  }
}

describe('interpretBatchResponse', () => {
  const records = [{ kinesis: { sequenceNumber: '1' } }, { kinesis: { sequenceNumber: '2' } }, { kinesis: { sequenceNumber: '3' } }] as KinesisStreamRecord[];

  it('treats void, null, empty and absent lists as complete success', () => {
    for (const response of [undefined, null, {}, { batchItemFailures: null }, { batchItemFailures: [] }]) {
      expect(interpretBatchResponse(response, records)).toEqual({ kind: 'success' });
    }
  });

  it('uses the lowest failed sequence number', () => {
    const outcome = interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: '3' }, { itemIdentifier: '2' }] }, records);
    expect(outcome).toMatchObject({ kind: 'partial', index: 1 });
  });

  it('treats null, empty, misnamed and unknown identifiers as complete failure', () => {
    for (const entry of [{ itemIdentifier: null }, { itemIdentifier: '' }, { itemId: '2' }, { itemIdentifier: '99' }]) {
      expect(interpretBatchResponse({ batchItemFailures: [{ itemIdentifier: '2' }, entry] }, records).kind).toBe('failure');
    }
  });
});

describe('KinesisPoller', () => {
  it('delivers every record once, in per-shard order, in Lambda-shaped events of at most batchSize', async () => {
    const { name, arn } = await newStream(3);
    // Binary payloads (not valid UTF-8) prove the base64 round trip is byte-exact.
    const payloads = Array.from({ length: 250 }, (_, i) => Uint8Array.from([0xff, 0xfe, i % 256, Math.floor(i / 256), 0x00]));
    const put = await putRecords(
      kinesis,
      name,
      payloads.map((data, i) => ({ partitionKey: `agent-${i % 17}`, data })),
    );

    let inFlight = 0;
    let maxInFlightPerShard = 0;
    const inFlightByShard = new Map<string, number>();
    const calls: KinesisStreamRecord[][] = [];
    const p = poller(
      name,
      {
        handler: async (event) => {
          const shardId = event.Records[0]?.eventID.split(':')[0] ?? '';
          const n = (inFlightByShard.get(shardId) ?? 0) + 1;
          inFlightByShard.set(shardId, n);
          inFlight++;
          maxInFlightPerShard = Math.max(maxInFlightPerShard, n);
          calls.push(event.Records);
          await sleep(2);
          inFlightByShard.set(shardId, n - 1);
          inFlight--;
        },
        onFailure: () => Promise.reject(new Error('nothing should fail')),
      },
      { batchSize: 40 },
    );
    const progress: number[] = [];
    const stats = await p.drain({ onProgress: (pr) => progress.push(pr.processed) });

    expect(inFlight).toBe(0);
    expect(maxInFlightPerShard).toBe(1);
    expect(Math.max(...calls.map((c) => c.length))).toBe(40);
    expect(calls.every((c) => c.length >= 1 && c.length <= 40)).toBe(true);
    expect(stats).toEqual({ batches: calls.length, records: 250, retries: 0, bisections: 0, failedToDestination: 0 });
    expect(progress.length).toBe(calls.length);

    const delivered = calls.flat();
    expect(delivered).toHaveLength(250);
    const bySeq = new Map(put.records.map((r, i) => [r.sequenceNumber, i]));
    for (const record of delivered) {
      const i = bySeq.get(record.kinesis.sequenceNumber) ?? -1;
      const expected = put.records[i] as PutRecordResult;
      expect(record).toEqual({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: `agent-${i % 17}`,
          sequenceNumber: expected.sequenceNumber,
          data: expect.any(String),
          approximateArrivalTimestamp: expect.any(Number),
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${expected.shardId}:${expected.sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/connect-metrics-local-poller',
        awsRegion: 'us-east-1',
        eventSourceARN: arn,
      });
      expect(Buffer.from(record.kinesis.data, 'base64').equals(Buffer.from(payloads[i] ?? []))).toBe(true);
      // Epoch seconds with a fraction, like Lambda (not milliseconds).
      expect(Math.abs(record.kinesis.approximateArrivalTimestamp - Date.now() / 1000)).toBeLessThan(60);
    }

    // Per shard: delivery order is sequence order, and is the put order.
    const shardIds = new Set(put.records.map((r) => r.shardId));
    expect(shardIds.size).toBeGreaterThan(1);
    for (const shardId of shardIds) {
      const deliveredSeqs = delivered.filter((r) => r.eventID.startsWith(`${shardId}:`)).map((r) => r.kinesis.sequenceNumber);
      const putSeqs = put.records.filter((r) => r.shardId === shardId).map((r) => r.sequenceNumber);
      expect(deliveredSeqs).toEqual(putSeqs);
      expect([...deliveredSeqs].sort(bySequence)).toEqual(deliveredSeqs);
    }

    // Caught up: a second drain reads nothing.
    expect((await p.drain()).records).toBe(0);
  });

  it('after a partial batch failure at record k redelivers k.. and nothing before k', async () => {
    const { name } = await newStream(1);
    await putRecords(kinesis, name, indexed(30));
    const rec = recorder((event, call) => {
      // Second invocation holds records 10..19: report 16 and 13 as failed; 13 is the lowest.
      if (call !== 1) return;
      const seqOf = (i: number): string => event.Records.find((r) => indexOf(r) === i)?.kinesis.sequenceNumber ?? 'missing';
      return { batchItemFailures: [{ itemIdentifier: seqOf(16) }, { itemIdentifier: seqOf(13) }] };
    });
    const checkpoints = new InMemoryCheckpointStore();
    const stats = await poller(name, rec, { batchSize: 10, checkpoints }).drain();

    const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
    expect(rec.calls.map((c) => c.map(indexOf))).toEqual([range(0, 10), range(10, 20), range(13, 20), range(20, 30)]);
    expect(rec.failed).toEqual([]);
    expect(stats).toEqual({ batches: 4, records: 30, retries: 1, bisections: 0, failedToDestination: 0 });
    const last = rec.calls.at(-1)?.at(-1);
    expect(checkpoints.snapshot()).toEqual({ 'shardId-000000000000': last?.kinesis.sequenceNumber });
  });

  it('bisects down to a poison record, sends only it to onFailure after maxRetryAttempts, processes every other record once', async () => {
    const { name } = await newStream(1);
    const poison = 21;
    await putRecords(kinesis, name, indexed(40));
    const rec = recorder((event) => {
      if (event.Records.some((r) => indexOf(r) === poison)) throw new PoisonRecordError(poison);
    });
    const stats = await poller(name, rec, { batchSize: 16, maxRetryAttempts: 2 }).drain();

    const succeeded = rec.calls.filter((c) => !c.some((r) => indexOf(r) === poison)).flat().map(indexOf);
    const expected = Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== poison);
    expect([...succeeded].sort((a, b) => a - b)).toEqual(expected); // each exactly once: equal arrays, not sets
    expect(succeeded).toEqual(expected); // and in order

    expect(rec.failed).toHaveLength(1);
    expect(rec.failed[0]?.records.map(indexOf)).toEqual([poison]);
    expect(rec.failed[0]?.shardId).toBe('shardId-000000000000');
    expect(rec.failed[0]?.reason).toMatch(/RetryAttemptsExhausted after 2 retries: function error: PoisonRecordError/);

    // 16..31 fails, then [16..23], [20..23], [20,21] are split; [21] alone runs 1 + 2 times.
    const invocationsOfPoison = rec.calls.filter((c) => c.some((r) => indexOf(r) === poison)).map((c) => c.map(indexOf));
    expect(invocationsOfPoison).toEqual([
      Array.from({ length: 16 }, (_, i) => 16 + i),
      [16, 17, 18, 19, 20, 21, 22, 23],
      [20, 21, 22, 23],
      [20, 21],
      [21],
      [21],
      [21],
    ]);
    expect(stats).toEqual({ batches: rec.calls.length, records: 39, retries: 2, bisections: 4, failedToDestination: 1 });
  });

  it('without bisection sends the whole failing batch to onFailure after the retries', async () => {
    const { name } = await newStream(1);
    await putRecords(kinesis, name, indexed(12));
    const rec = recorder((event) => {
      if (event.Records.some((r) => indexOf(r) === 5)) throw new PoisonRecordError(5);
    });
    const stats = await poller(name, rec, { batchSize: 4, maxRetryAttempts: 1, bisectBatchOnFunctionError: false }).drain();

    expect(rec.calls.map((c) => c.map(indexOf))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(rec.failed.map((f) => f.records.map(indexOf))).toEqual([[4, 5, 6, 7]]);
    expect(stats).toMatchObject({ records: 8, retries: 1, bisections: 0, failedToDestination: 4 });
  });

  it('resumes after the last checkpoint of a FileCheckpointStore and re-reads nothing', async () => {
    const { name } = await newStream(2);
    const file = join(workDir, `${name}.checkpoints.json`);
    await putRecords(kinesis, name, indexed(50, 7));

    const first = recorder(() => undefined);
    expect((await poller(name, first, { checkpoints: new FileCheckpointStore(file) }).drain()).records).toBe(50);
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(saved).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);

    const second = recorder(() => undefined);
    expect((await poller(name, second, { checkpoints: new FileCheckpointStore(file) }).drain()).records).toBe(0);
    expect(second.calls).toEqual([]);

    await putRecords(kinesis, name, indexed(60, 7).slice(50));
    const third = recorder(() => undefined);
    await poller(name, third, { checkpoints: new FileCheckpointStore(file) }).drain();
    expect(third.calls.flat().map(indexOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 50 + i));
  });

  it('reads a parent shard to its end before its children after a split', async () => {
    const { name } = await newStream(1);
    await putRecords(kinesis, name, indexed(20, 5));
    await kinesis.send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    await ensureStream(kinesis, name, 1); // waits for ACTIVE again
    await putRecords(kinesis, name, indexed(40, 5).slice(20));
    const shards = await kinesis.send(new ListShardsCommand({ StreamName: name }));
    expect(shards.Shards).toHaveLength(3);

    const rec = recorder(() => undefined);
    const stats = await poller(name, rec, { batchSize: 7 }).drain();
    expect(stats.records).toBe(40);
    const order = rec.calls.flat().map(indexOf);
    const lastParent = Math.max(...order.slice(0, 20));
    expect(order.slice(0, 20).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(lastParent).toBe(19);
    expect(rec.calls.flat().slice(0, 20).every((r) => r.eventID.startsWith('shardId-000000000000:'))).toBe(true);
    // The records put after the split went to the two children.
    const childShards = new Set(rec.calls.flat().slice(20).map((r) => r.eventID.split(':')[0]));
    expect([...childShards].sort()).toEqual(['shardId-000000000001', 'shardId-000000000002']);
  });

  it('with LATEST skips older records, and start() polls continuously until stop()', async () => {
    const { name } = await newStream(2);
    await putRecords(kinesis, name, indexed(5, 3).map((r) => ({ ...r, data: 'r-1' })));
    const rec = recorder(() => undefined);
    const p = poller(name, rec, { startingPosition: 'LATEST', idleSleepMs: 20 });
    // A first drain takes the LATEST iterators (deterministically, unlike racing start()) and reads nothing.
    expect((await p.drain()).records).toBe(0);
    p.start();
    expect(() => p.start()).toThrow(/already running/);
    await putRecords(kinesis, name, indexed(30, 3));
    const deadline = Date.now() + 10_000;
    while (rec.calls.flat().length < 30 && Date.now() < deadline) await sleep(20);
    await p.stop();
    expect(rec.calls.flat().map(indexOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(p.stats.records).toBe(30);
  });
});

describe('putRecords', () => {
  it('splits more than 500 records into calls of at most 500 and keeps per-key order', async () => {
    const { name } = await newStream(2);
    const result = await putRecords(kinesis, name, indexed(1203, 9));
    expect(result.calls).toBe(3);
    expect(result.retriedEntries).toBe(0);
    expect(result.records).toHaveLength(1203);
    expect(new Set(result.records.map((r) => r.sequenceNumber)).size).toBe(1203);

    const rec = recorder(() => undefined);
    await poller(name, rec, { batchSize: 500 }).drain();
    const delivered = rec.calls.flat().map(indexOf);
    expect([...delivered].sort((a, b) => a - b)).toEqual(Array.from({ length: 1203 }, (_, i) => i));
    for (let key = 0; key < 9; key++) {
      const ofKey = delivered.filter((i) => i % 9 === key);
      expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
    }
  });

  it('splits by the 5 MiB request limit', async () => {
    const { name } = await newStream(1);
    const big = new Uint8Array(900 * 1024).fill(1);
    const result = await putRecords(
      kinesis,
      name,
      Array.from({ length: 11 }, (_, i) => ({ partitionKey: `k${i}`, data: big })),
    );
    // 5 x 900 KiB fit in 5 MiB, a sixth does not: 5 + 5 + 1.
    expect(result.calls).toBe(3);
    expect(result.records).toHaveLength(11);
  });

  it('rejects a record over 1 MiB before sending anything', async () => {
    const { name } = await newStream(1);
    await expect(
      putRecords(kinesis, name, [{ partitionKey: 'k', data: new Uint8Array(1024 * 1024) }]),
    ).rejects.toThrow(/record 0: data plus partition key is 1048577 bytes/);
  });

  it('retries only the entries Kinesis rejected and writes each record exactly once', async () => {
    const { name } = await newStream(1);
    // Fault injection on a real server: the first PutRecords call withholds
    // entries 1, 4 and 5 from kinesalite and reports them as throttled, the
    // way Kinesis reports a partially failed call.
    const faulty = kinesisClient({ region: services.region, endpoints: services.endpoints });
    const sentSizes: number[] = [];
    faulty.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'PutRecordsCommand') return next(args);
        const input = args.input as PutRecordsCommandInput;
        const records = input.Records ?? [];
        const reject = sentSizes.length === 0 ? new Set([1, 4, 5]) : new Set<number>();
        sentSizes.push(records.length);
        const result = await next({ ...args, input: { ...input, Records: records.filter((_, i) => !reject.has(i)) } });
        const output = result.output as PutRecordsCommandOutput;
        const accepted = [...(output.Records ?? [])];
        output.Records = records.map((_, i) =>
          reject.has(i)
            ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded (injected)' }
            : (accepted.shift() ?? {}),
        );
        output.FailedRecordCount = reject.size;
        return result;
      },
      { step: 'initialize', name: 'injectPartialThrottling' },
    );
    try {
      // Keys: 0 a, 1 a, 2 b, 3 a, 4 c, 5 c, 6 b -> key a has a rejected entry (1) before an accepted one (3).
      const keys = ['a', 'a', 'b', 'a', 'c', 'c', 'b'];
      const result = await putRecords(
        faulty,
        name,
        keys.map((partitionKey, i) => ({ partitionKey, data: `r${i}` })),
        { baseDelayMs: 1 },
      );
      expect(sentSizes).toEqual([7, 3]);
      expect(result).toMatchObject({ calls: 2, retriedEntries: 3, reorderedKeys: 1 });
      expect(result.records).toHaveLength(7);
    } finally {
      faulty.destroy();
    }

    const rec = recorder(() => undefined);
    await poller(name, rec).drain();
    // Exactly once each; the retried ones land after the first call's accepted ones.
    expect(rec.calls.flat().map(indexOf)).toEqual([0, 2, 3, 6, 1, 4, 5]);
  });
});
