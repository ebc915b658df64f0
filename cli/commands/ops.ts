/**
 * Operations on a running pipeline, locally (the data dir of `replay`) or in
 * AWS (--aws --table NAME):
 * - `redrive`: re-ingests dead-lettered records once their cause is fixed (for
 *   example after an upgrade that accepts them), deleting each one applied;
 * - `backfill`: re-ingests CTR and agent-event archives (JSON lines, or the
 *   gzip files Kinesis Data Firehose writes to S3) to rebuild aggregates, for
 *   example after a change of metric definitions (--rebuild).
 * Both go through the same idempotent store as the stream handlers, so running
 * them twice, or after a crash, never double-counts.
 */
import { Command } from 'commander';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import type { AwsClients } from '../../lambdas/adapters/aws-clients.js';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import { parseCtr } from '../../lambdas/domain/model/ctr.js';
import type { AgentEvent, Ctr } from '../../lambdas/domain/model/types.js';
import { decodeRecordData } from '../../lambdas/pipeline/decode.js';
import { S3BlobStore } from '../../lambdas/adapters/s3-blob-store.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import type { DeadLetter, Sequenced, SourceName } from '../../lambdas/storage/metric-store.js';
import { LocalPipeline, LOCAL_NAMES } from '../local/pipeline.js';
import { DynamoContactEventStore } from '../../lambdas/storage/dynamodb/contact-event-store.js';
import { parseContactEvent } from '../../lambdas/domain/model/contact-event.js';
import { readArchives } from '../support/archives.js';
import { DEFAULT_DATA_DIR, positiveInt } from './replay.js';

interface TargetOptions {
  dataDir: string;
  aws?: boolean;
  table?: string;
  deadLetterBucket?: string;
}

export interface Target {
  readonly store: DynamoMetricStore;
  readonly contactEvents: DynamoContactEventStore;
  readonly clients: AwsClients;
  close(): Promise<void>;
}

export async function openTarget(o: TargetOptions): Promise<Target> {
  if (o.aws) {
    if (!o.table) throw new Error('--aws needs --table <name> (the stack output TableName)');
    const clients = awsClients({ region: process.env.AWS_REGION });
    return {
      // Large dead-lettered payloads are in the dead-letter bucket (stack output DeadLetterBucketName).
      store: new DynamoMetricStore(clients.dynamoDocument, o.table, { blobs: o.deadLetterBucket ? new S3BlobStore(clients.s3, o.deadLetterBucket) : undefined }),
      contactEvents: new DynamoContactEventStore(clients.dynamoDocument, o.table),
      clients,
      close: async () => clients.destroy(),
    };
  }
  const pipeline = await LocalPipeline.start({ dataDir: o.dataDir });
  return {
    store: pipeline.store,
    contactEvents: new DynamoContactEventStore(pipeline.clients.dynamoDocument, LOCAL_NAMES.table),
    clients: pipeline.clients,
    close: () => pipeline.stop(),
  };
}

const addTargetOptions = (c: Command) =>
  c
    .option('--data-dir <dir>', 'the local data directory (see replay)', DEFAULT_DATA_DIR)
    .option('--aws', 'work on the deployed table in your AWS account instead')
    .option('--table <name>', 'with --aws: the DynamoDB table name')
    .option('--dead-letter-bucket <name>', 'with --aws: the bucket large dead-lettered payloads are kept in (stack output DeadLetterBucketName)');

type Parsed = { ok: true; ctr?: Ctr; event?: AgentEvent } | { ok: false; reason: string };

function parseDocument(source: SourceName, json: unknown): Parsed {
  const r = source === 'ctr' ? parseCtr(json) : parseAgentEvent(json);
  if (!r.ok) return { ok: false, reason: `Validation failed: ${r.error.message}` };
  return source === 'ctr' ? { ok: true, ctr: r.value as Ctr } : { ok: true, event: r.value as AgentEvent };
}

export interface RedriveResult {
  readonly redriven: number;
  readonly stillFailing: number;
}

const positionKey = (p: { shardId: string; sequenceNumber: string }) => `${p.shardId}\u0000${p.sequenceNumber}`;
/** Dead letters `redrive` applies (and rewrites) at a time. */
const CHUNK = 500;

/**
 * Re-applies the dead letters whose cause is fixed, streamed: at most 500 letters are held at a time. A letter whose
 * reason changed is rewritten with the new one; the others are left as they are.
 */
export async function redrive(store: DynamoMetricStore, source?: SourceName, dryRun = false): Promise<RedriveResult> {
  let redriven = 0;
  let stillFailing = 0;
  for (const src of source ? [source] : (['ctr', 'agent-events'] as const)) {
    let ok: Array<{ dead: DeadLetter; value: Ctr | AgentEvent }> = [];
    let changed: DeadLetter[] = [];
    const fail = async (d: DeadLetter, reason: string) => {
      stillFailing++;
      if (dryRun || reason === d.reason) return;
      changed.push({ ...d, reason, failedAtMs: Date.now() });
      if (changed.length >= CHUNK) {
        await store.putDeadLetters(changed);
        changed = [];
      }
    };
    // Apply first, then delete: a crash in between re-applies next time, which the store ignores.
    const apply = async () => {
      const chunk = ok;
      ok = [];
      if (dryRun) {
        redriven += chunk.length;
        return;
      }
      const seq = (x: (typeof chunk)[number]) => ({ value: x.value, position: { shardId: x.dead.shardId, sequenceNumber: x.dead.sequenceNumber } });
      // Records the store turns away (an agent's interval already full) stay dead-lettered, with the store's reason.
      const turnedAway = new Map<string, string>();
      if (src === 'ctr') await store.applyCtrs(chunk.map(seq) as Sequenced<Ctr>[]);
      else for (const r of (await store.applyAgentEvents(chunk.map(seq) as Sequenced<AgentEvent>[])).rejected ?? []) turnedAway.set(positionKey(r.position), r.reason);
      for (const x of chunk) {
        const reason = turnedAway.get(positionKey(x.dead));
        if (reason !== undefined) await fail(x.dead, reason);
        else {
          await store.deleteDeadLetter(x.dead);
          redriven++;
        }
      }
    };
    for await (const d of store.deadLetters(src)) {
      const decoded = decodeRecordData(d.data);
      const parsed = decoded.ok ? parseDocument(src, decoded.json) : { ok: false as const, reason: decoded.reason };
      if (!parsed.ok) await fail(d, parsed.reason);
      else {
        ok.push({ dead: d, value: (parsed.ctr ?? parsed.event) as Ctr | AgentEvent });
        if (ok.length >= CHUNK) await apply();
      }
    }
    await apply();
    if (changed.length > 0) await store.putDeadLetters(changed);
  }
  return { redriven, stillFailing };
}

/**
 * Contact events set aside by the contact-events handler (stored as JSON, not
 * base64: they come from EventBridge, not Kinesis). Applying one twice changes
 * nothing, so the apply-then-delete order is safe here too.
 */
export async function redriveContactEvents(store: DynamoContactEventStore, dryRun = false): Promise<RedriveResult> {
  let redriven = 0;
  let stillFailing = 0;
  for await (const d of store.deadLetters()) {
    let json: unknown;
    try {
      json = JSON.parse(d.data);
    } catch {
      stillFailing++;
      continue;
    }
    const parsed = parseContactEvent(json);
    if (!parsed.ok) {
      stillFailing++;
      if (!dryRun && parsed.error.message !== d.reason) await store.putDeadLetter({ ...d, reason: parsed.error.message, failedAtMs: Date.now() });
      continue;
    }
    if (!dryRun) {
      await store.apply(parsed.value);
      await store.deleteDeadLetter(d.id);
    }
    redriven++;
  }
  return { redriven, stillFailing };
}

export interface BackfillResult {
  readonly documents: number;
  readonly applied: number;
  readonly duplicates: number;
  readonly deadLettered: number;
}

export async function backfill(
  target: Pick<Target, 'store' | 'clients'>,
  source: SourceName,
  location: string,
  opts: { rebuild?: boolean; batchSize?: number; onProgress?: (n: number) => void } = {},
): Promise<BackfillResult> {
  const batchSize = opts.batchSize ?? 1000;
  let documents = 0;
  let applied = 0;
  let duplicates = 0;
  let deadLettered = 0;
  let pending: Array<Sequenced<Ctr | AgentEvent> & { archive: string; index: number; doc: string }> = [];
  // Documents are streamed: at most one batch of records and one of dead letters is held at a time.
  let dead: DeadLetter[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    if (source === 'ctr') {
      const r = await target.store.applyCtrs(pending as Sequenced<Ctr>[], { rebuild: opts.rebuild });
      applied += r.added + r.updated;
      duplicates += r.duplicates + r.stale;
    } else {
      const r = await target.store.applyAgentEvents(pending as Sequenced<AgentEvent>[], { rebuild: opts.rebuild });
      applied += r.added;
      duplicates += r.duplicates;
      // Records the store turns away (an agent's interval already full) are set aside like invalid ones.
      const byPosition = new Map(pending.map((p) => [positionKey(p.position), p]));
      for (const { position, reason } of r.rejected ?? []) {
        const p = byPosition.get(positionKey(position));
        if (p) dead.push(archiveDeadLetter(source, p.archive, p.index, p.doc, reason));
      }
    }
    pending = [];
  };
  const flushDead = async () => {
    if (dead.length === 0) return;
    await target.store.putDeadLetters(dead);
    deadLettered += dead.length;
    dead = [];
  };
  for await (const archive of readArchives(location, target.clients.s3, {
    onOversized: (n, chars) => process.stderr.write(`\n${location}: document ${n} is ${chars.toLocaleString('en-US')} characters, larger than any record can be; skipped\n`),
  })) {
    let index = 0;
    for await (const doc of archive.documents) {
      const i = index++;
      documents++;
      let json: unknown;
      try {
        json = JSON.parse(doc);
      } catch (err) {
        dead.push(archiveDeadLetter(source, archive.name, i, doc, `Record data is not JSON: ${err instanceof Error ? err.message : String(err)}`));
      }
      if (json !== undefined) {
        const parsed = parseDocument(source, json);
        if (parsed.ok) pending.push({ value: (parsed.ctr ?? parsed.event) as Ctr | AgentEvent, position: { shardId: `backfill:${archive.name}`, sequenceNumber: String(i) }, archive: archive.name, index: i, doc });
        else dead.push(archiveDeadLetter(source, archive.name, i, doc, parsed.reason));
      }
      if (dead.length >= batchSize) await flushDead();
      if (pending.length >= batchSize) {
        await flush();
        opts.onProgress?.(documents);
      }
    }
    await flushDead();
  }
  await flush();
  await flushDead();
  opts.onProgress?.(documents);
  return { documents, applied, duplicates, deadLettered };
}

function archiveDeadLetter(source: SourceName, archive: string, index: number, doc: string, reason: string): DeadLetter {
  return {
    source,
    shardId: `backfill:${archive}`,
    sequenceNumber: String(index),
    partitionKey: '',
    approximateArrivalMs: Date.now(),
    data: Buffer.from(doc, 'utf8').toString('base64'),
    reason,
    failedAtMs: Date.now(),
  };
}

export function registerOps(program: Command): void {
  addTargetOptions(
    program
      .command('redrive')
      .description('Re-ingest dead-lettered records whose cause is fixed; records that still fail stay, with their current reason.')
      .option('--source <source>', 'ctr, agent-events or contact-events (default: all three)')
      .option('--dry-run', 'only report what would be redriven'),
  ).action(async (o: TargetOptions & { source?: string; dryRun?: boolean }) => {
    if (o.source && !['ctr', 'agent-events', 'contact-events'].includes(o.source)) throw new Error(`--source must be ctr, agent-events or contact-events, got "${o.source}"`);
    const target = await openTarget(o);
    try {
      const streams = o.source === 'contact-events' ? { redriven: 0, stillFailing: 0 } : await redrive(target.store, o.source as SourceName | undefined, o.dryRun);
      const events = o.source && o.source !== 'contact-events' ? { redriven: 0, stillFailing: 0 } : await redriveContactEvents(target.contactEvents, o.dryRun);
      const r = { redriven: streams.redriven + events.redriven, stillFailing: streams.stillFailing + events.stillFailing };
      console.log(`${o.dryRun ? 'Would redrive' : 'Redriven'}: ${r.redriven}; still failing (kept in the dead-letter store): ${r.stillFailing}`);
    } finally {
      await target.close();
    }
  });

  addTargetOptions(
    program
      .command('backfill')
      .description('Re-ingest CTR and agent-event archives (JSON lines or Firehose gzip files; a file, a directory or s3://bucket/prefix) to rebuild aggregates.')
      .option('--ctr <location>', 'CTR archives')
      .option('--agent-events <location>', 'agent-event archives')
      .option('--rebuild', 'recompute contributions even for versions already stored (after a change of metric definitions)')
      .option('--batch-size <n>', 'records per store batch', (v) => positiveInt(v, '--batch-size'), 1000),
  ).action(async (o: TargetOptions & { ctr?: string; agentEvents?: string; rebuild?: boolean; batchSize: number }) => {
    if (!o.ctr && !o.agentEvents) throw new Error('Nothing to backfill: give --ctr <location> and/or --agent-events <location>');
    const target = await openTarget(o);
    try {
      for (const [source, location] of [
        ['ctr', o.ctr],
        ['agent-events', o.agentEvents],
      ] as const) {
        if (!location) continue;
        process.stderr.write(`Backfilling ${source} from ${location}\n`);
        const r = await backfill(target, source, location, {
          rebuild: o.rebuild,
          batchSize: o.batchSize,
          onProgress: (n) => process.stderr.write(`  ${n.toLocaleString('en-US')} records read\r`),
        });
        console.log(`${source}: ${r.documents} records read, ${r.applied} applied${o.rebuild ? ' (rebuilt)' : ''}, ${r.duplicates} already there, ${r.deadLettered} dead-lettered`);
      }
    } finally {
      await target.close();
    }
  });
}

