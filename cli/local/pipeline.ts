/**
 * The whole pipeline on one machine: local AWS-compatible services, the two
 * streams, the table, the reports bucket, and a poller per stream invoking
 * the unchanged Lambda handler functions, as Lambda's event source mappings
 * would.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { join } from 'node:path';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import type { AwsClients } from '../../lambdas/adapters/aws-clients.js';
import { makeAgentEventHandler } from '../../lambdas/handlers/agent-event-stream.js';
import { makeCtrHandler } from '../../lambdas/handlers/ctr-stream.js';
import type { HandlerRuntime } from '../../lambdas/handlers/runtime.js';
import type { BatchReport, IngestLog } from '../../lambdas/pipeline/ingest.js';
import { S3BlobStore } from '../../lambdas/adapters/s3-blob-store.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import { FileCheckpointStore, InMemoryCheckpointStore, KinesisPoller } from './kinesis-poller.js';
import type { FailedBatch } from './kinesis-poller.js';
import { putRecordStream } from './kinesis-producer.js';
import type { ProducerRecord, PutRecordStreamOptions, PutRecordStreamResult } from './kinesis-producer.js';
import { ensureBucket, ensureStream, startLocalServices } from './services.js';
import type { LocalServices } from './services.js';

export const LOCAL_NAMES = {
  table: 'connect-metrics',
  ctrStream: 'connect-ctr',
  agentStream: 'connect-agent-events',
  bucket: 'connect-metrics-reports',
  deadLetterBucket: 'connect-metrics-dead-letters',
} as const;

export interface LocalPipelineOptions {
  /** Persist all local data here (streams, table, bucket, checkpoints). Default: in memory. */
  readonly dataDir?: string;
  /** Records per handler invocation. Default 100. */
  readonly batchSize?: number;
  /** Shards per stream. Default 2. */
  readonly shards?: number;
  readonly log?: (msg: string) => void;
  /** Test hooks: wrap the DynamoDB client or the handlers (fault injection). */
  readonly wrapDynamo?: (doc: DynamoDBDocumentClient) => DynamoDBDocumentClient;
  readonly wrapHandler?: (source: 'ctr' | 'agent-events', handler: StreamHandler) => StreamHandler;
  /** Start from empty checkpoints even with a data dir (a replay from TRIM_HORIZON). */
  readonly resetCheckpoints?: boolean;
}

export interface FailedBatchSummary {
  readonly shardId: string;
  readonly reason: string;
  readonly records: number;
  readonly firstSequenceNumber: string;
  readonly lastSequenceNumber: string;
}

type StreamHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

/** Totals of the batch reports the handlers produced, per source. */
export type ReportTotals = Omit<BatchReport, 'newestEventMs'> & { writeUnits: number; batches: number; newestEventMs: number | null };

const zeroTotals = (): ReportTotals => ({
  records: 0,
  applied: 0,
  duplicates: 0,
  updates: 0,
  stale: 0,
  late: 0,
  deadLettered: 0,
  failed: 0,
  unknownEnums: 0,
  writeUnits: 0,
  batches: 0,
  newestEventMs: null,
});

export class LocalPipeline {
  readonly totals = { ctr: zeroTotals(), 'agent-events': zeroTotals() } as Record<string, ReportTotals>;
  /** Batches sent to the on-failure destination: where they were, not their records (which could be every record of a replay). */
  readonly failedBatches: FailedBatchSummary[] = [];
  private pollers: KinesisPoller[];
  private readonly makePollers: (fresh: boolean) => KinesisPoller[];

  private constructor(
    readonly services: LocalServices,
    readonly clients: AwsClients,
    readonly store: DynamoMetricStore,
    private readonly opts: LocalPipelineOptions,
  ) {
    const quiet: IngestLog = { info: () => undefined, warn: (m, e) => opts.log?.(`${m} ${JSON.stringify(e ?? {})}`), error: (m, e) => opts.log?.(`${m} ${JSON.stringify(e ?? {})}`) };
    const runtime: HandlerRuntime = {
      store,
      log: quiet,
      report: (source, report, writeUnits) => {
        const t = this.totals[source] as ReportTotals;
        for (const k of Object.keys(report) as Array<keyof BatchReport>) {
          if (k === 'newestEventMs') continue;
          t[k] += report[k];
        }
        if (report.newestEventMs !== null && (t.newestEventMs === null || report.newestEventMs > t.newestEventMs)) t.newestEventMs = report.newestEventMs;
        t.writeUnits += writeUnits;
        t.batches++;
      },
    };
    const checkpoints = (name: string) => (opts.dataDir && !opts.resetCheckpoints ? new FileCheckpointStore(join(opts.dataDir, `checkpoints-${name}.json`)) : new InMemoryCheckpointStore());
    const onFailure = async (failed: FailedBatch) => {
      const sequenceNumbers = failed.records.map((r) => r.kinesis.sequenceNumber);
      this.failedBatches.push({ shardId: failed.shardId, reason: failed.reason, records: sequenceNumbers.length, firstSequenceNumber: sequenceNumbers[0] ?? '', lastSequenceNumber: sequenceNumbers.at(-1) ?? '' });
      if (opts.dataDir) await appendFile(join(opts.dataDir, 'failed-batches.jsonl'), `${JSON.stringify({ shardId: failed.shardId, reason: failed.reason, sequenceNumbers })}\n`);
    };
    const wrap = (source: 'ctr' | 'agent-events', h: StreamHandler): StreamHandler => (opts.wrapHandler ? opts.wrapHandler(source, h) : h);
    const common = { kinesis: clients.kinesis, batchSize: opts.batchSize ?? 100, startingPosition: 'TRIM_HORIZON' as const, maxRetryAttempts: 10, bisectBatchOnFunctionError: true, onFailure };
    this.makePollers = (fresh) => [
      new KinesisPoller({ ...common, streamName: LOCAL_NAMES.ctrStream, handler: wrap('ctr', makeCtrHandler(() => runtime)), checkpoints: fresh ? new InMemoryCheckpointStore() : checkpoints('ctr') }),
      new KinesisPoller({
        ...common,
        streamName: LOCAL_NAMES.agentStream,
        handler: wrap('agent-events', makeAgentEventHandler(() => runtime)),
        checkpoints: fresh ? new InMemoryCheckpointStore() : checkpoints('agent-events'),
      }),
    ];
    this.pollers = this.makePollers(false);
  }

  static async start(opts: LocalPipelineOptions = {}): Promise<LocalPipeline> {
    if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
    const services = await startLocalServices({ dataDir: opts.dataDir ? join(opts.dataDir, 'services') : undefined, log: opts.log });
    try {
      const clients = awsClients({ region: services.region, endpoints: services.endpoints });
      await ensureTable(clients.dynamodb, LOCAL_NAMES.table);
      await ensureStream(clients.kinesis, LOCAL_NAMES.ctrStream, opts.shards ?? 2);
      await ensureStream(clients.kinesis, LOCAL_NAMES.agentStream, opts.shards ?? 2);
      await ensureBucket(clients.s3, LOCAL_NAMES.bucket);
      await ensureBucket(clients.s3, LOCAL_NAMES.deadLetterBucket);
      const store = new DynamoMetricStore(opts.wrapDynamo ? opts.wrapDynamo(clients.dynamoDocument) : clients.dynamoDocument, LOCAL_NAMES.table, {
        blobs: new S3BlobStore(clients.s3, LOCAL_NAMES.deadLetterBucket),
      });
      return new LocalPipeline(services, clients, store, opts);
    } catch (err) {
      await services.stop();
      throw err;
    }
  }

  /**
   * Puts JSON-lines records on a stream with Amazon Connect's partition keys
   * (ContactId for CTRs, AgentARN for agent events). `lines` may be a stream
   * of any length: records are pulled only as fast as they are written, one
   * PutRecords call's worth at a time.
   */
  async put(source: 'ctr' | 'agent-events', lines: Iterable<string> | AsyncIterable<string>, opts: PutLinesOptions = {}): Promise<PutRecordStreamResult> {
    const keyField = source === 'ctr' ? 'ContactId' : 'AgentARN';
    const stream = source === 'ctr' ? LOCAL_NAMES.ctrStream : LOCAL_NAMES.agentStream;
    return putRecordStream(this.clients.kinesis, stream, toProducerRecords(lines, keyField, opts.observe), opts);
  }

  /** Runs both pollers until both streams are drained. */
  async drain(onProgress?: (processed: number) => void): Promise<void> {
    const processed = new Map<string, number>();
    await Promise.all(
      this.pollers.map((p, i) =>
        p.drain({
          onProgress: (pr) => {
            processed.set(`${i}:${pr.shardId}`, pr.processed);
            onProgress?.([...processed.values()].reduce((a, b) => a + b, 0));
          },
        }),
      ),
    );
  }

  /** Forgets the checkpoints and reads both streams again from TRIM_HORIZON (a full replay). */
  async replayFromTrimHorizon(onProgress?: (processed: number) => void): Promise<void> {
    this.pollers = this.makePollers(true);
    await this.drain(onProgress);
  }

  async stop(): Promise<void> {
    this.clients.destroy();
    await this.services.stop();
  }
}

export interface PutLinesOptions extends Pick<PutRecordStreamOptions, 'onPut' | 'onRejected'> {
  /** Sees each record's parsed JSON (undefined for a line that is not JSON) as it goes by. */
  readonly observe?: (json: unknown) => void;
}

/** Each line as a record, parsed once for its partition key (and the observer). */
export async function* toProducerRecords(
  lines: Iterable<string> | AsyncIterable<string>,
  keyField: string,
  observe?: (json: unknown) => void,
): AsyncGenerator<ProducerRecord> {
  let index = 0;
  for await (const line of lines) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      // A malformed record still goes on the stream, to be dead-lettered by the handler.
    }
    observe?.(json);
    yield { partitionKey: partitionKeyOf(json, keyField, index++), data: line };
  }
}

function partitionKeyOf(json: unknown, field: string, index: number): string {
  const v = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[field] : undefined;
  if (typeof v === 'string' && v.length > 0) return v.slice(0, 256);
  return `malformed-${index}`;
}
