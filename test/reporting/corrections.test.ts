/**
 * Corrected reports for late data, end to end on the local services: the
 * `ReportScheduler` with the `DynamoRunLedger` on dynalite, reading (and
 * taking late changes from) a `DynamoMetricStore`, writing through
 * `S3ReportSink` to s3rver. Two clocks, never mixed: the scheduler's
 * (simulated, given to each wake-up) and a wall clock shared by the store
 * (late-change markers) and the scheduler (the ledger's data times), moved
 * forward by the test.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import type { AwsClients } from '../../lambdas/adapters/aws-clients.js';
import { startLocalServices, ensureBucket } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';
import type { Ctr } from '../../lambdas/domain/model/types.js';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import type { ReportDefinition } from '../../lambdas/domain/reports/definitions.js';
import { correctionWindowMs } from '../../lambdas/handlers/report-scheduler.js';
import { changedCells, CLOCK_SKEW_MS, coveredStretches, parseReportCsv, staleSince } from '../../lambdas/reporting/corrections.js';
import { S3ReportSink } from '../../lambdas/reporting/report-sink.js';
import { ReportScheduler } from '../../lambdas/reporting/scheduler.js';
import type { SchedulerOptions, WakeSummary } from '../../lambdas/reporting/scheduler.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { DynamoRunLedger } from '../../lambdas/storage/dynamodb/dynamo-run-ledger.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import type { Sequenced } from '../../lambdas/storage/metric-store.js';
import { ctr } from '../support/builders.js';
import { gate, InstrumentedSink, readObject } from './support.js';

const BUCKET = 'corrections-tests';
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (iso: string) => Date.parse(iso);

let services: LocalServices;
let clients: AwsClients;
let otherClients: AwsClients;

beforeAll(async () => {
  services = await startLocalServices();
  const cfg = { region: services.region, endpoints: services.endpoints };
  clients = awsClients(cfg);
  otherClients = awsClients(cfg);
  await ensureBucket(clients.s3, BUCKET);
});
afterAll(async () => {
  clients?.destroy();
  otherClients?.destroy();
  await services?.stop();
});

type LogLine = { level: string; message: string; extra: Record<string, unknown> | undefined };

let fixtures = 0;
interface Fixture {
  readonly table: string;
  readonly prefix: string;
  readonly store: DynamoMetricStore;
  readonly sink: InstrumentedSink;
  readonly logs: LogLine[];
  /** The wall clock: far from the simulated dates on purpose, so mixing the two clocks would show. */
  wall: number;
  scheduler(opts?: Partial<SchedulerOptions> & { clients?: AwsClients }): ReportScheduler;
  csv(key: string): Promise<string[][]>;
  etag(key: string): Promise<string | undefined>;
  ledger(): DynamoRunLedger;
}

const defs: readonly ReportDefinition[] = parseReportDefinitions({
  reports: [
    {
      name: 'sales-daily',
      type: 'HISTORICAL',
      groupings: ['QUEUE'],
      filters: { QUEUE: ['Sales'] },
      metrics: ['contacts_queued', 'contacts_handled'],
      interval: 'DAY',
      timeRange: 'YESTERDAY',
      schedule: { frequency: 'DAILY', at: '00:00' },
    },
  ],
});
const RUN_ID = 'sales-daily@2026-03-10T00:00:00Z';
const GENERATED_AT = at('2026-03-10T00:15:00Z');

async function fixture(): Promise<Fixture> {
  const n = ++fixtures;
  const table = `corrections-${n}`;
  const prefix = `connect/corrections-${n}`;
  await ensureTable(clients.dynamodb, table);
  const logs: LogLine[] = [];
  const f: Fixture = {
    table,
    prefix,
    logs,
    wall: at('2031-07-01T09:00:00Z'),
    store: undefined as unknown as DynamoMetricStore,
    sink: new InstrumentedSink(new S3ReportSink(clients.s3, BUCKET)),
    scheduler(opts = {}) {
      const { clients: c = clients, ...options } = opts;
      const store = c === clients ? f.store : new DynamoMetricStore(c.dynamoDocument, table, { now: () => f.wall });
      return new ReportScheduler({
        definitions: defs,
        ledger: new DynamoRunLedger(c.dynamoDocument, table),
        reader: store,
        changeLog: store,
        wallClock: () => f.wall,
        sink: c === clients ? f.sink : f.sink.sibling(new S3ReportSink(c.s3, BUCKET)),
        reportsKeyPrefix: prefix,
        log: (level, message, extra) => logs.push({ level, message, extra }),
        ...options,
      });
    },
    csv: async (key) => parseReportCsv(await readObject(clients.s3, BUCKET, key)),
    etag: async (key) => (await clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ETag,
    ledger: () => new DynamoRunLedger(clients.dynamoDocument, table),
  };
  (f as { store: DynamoMetricStore }).store = new DynamoMetricStore(clients.dynamoDocument, table, { concurrency: 8, now: () => f.wall });
  return f;
}

let seq = 0;
const sequenced = <T>(values: readonly T[]): Sequenced<T>[] =>
  values.map((value) => ({ value, position: { shardId: 'shardId-000000000000', sequenceNumber: String(++seq).padStart(20, '0') } }));

/** One answered contact on `queue` disconnecting at each instant (ISO), written at the fixture's wall clock. */
async function contacts(f: Fixture, queue: string, disconnects: readonly string[]): Promise<void> {
  const ctrs: Ctr[] = disconnects.map((iso) => {
    const d = at(iso);
    return ctr({
      id: `${queue}-${iso}-${++seq}`,
      disconnect: iso,
      queue: { name: queue, enqueue: new Date(d - 2 * MIN).toISOString(), waitSec: 20 },
      agent: { name: 'alice', connected: new Date(d - 2 * MIN + 20_000).toISOString(), talk: 100 },
    });
  });
  await f.store.applyCtrs(sequenced(ctrs));
}

/** The report's one row: the Sales queue, the day 2026-03-09 (UTC), contacts queued and handled. */
const sales = (n: number) => ['Sales', '2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z', String(n), String(n)];

const keyOf = (f: Fixture) => `${f.prefix}/Reports/sales-daily-2026-03-10T00:00:00Z.csv`;

/** The run of 2026-03-10 00:00 (covering 2026-03-09) written at 00:15 with two Sales contacts and one Support contact. */
async function written(f: Fixture): Promise<void> {
  await contacts(f, 'Sales', ['2026-03-09T10:00:00Z', '2026-03-09T14:00:00Z']);
  await contacts(f, 'Support', ['2026-03-09T11:00:00Z']);
  f.wall += MIN;
  const s = await f.scheduler().wake(GENERATED_AT);
  expect(s.generated.map((g) => g.key)).toEqual([keyOf(f)]);
  expect(s.corrected).toEqual([]);
  expect((await f.csv(keyOf(f))).slice(1)).toEqual([sales(2)]);
  f.wall += MIN;
}

describe('corrected reports: a late CTR', () => {
  it('rewrites the file under the same key with the corrected values at the next wake-up, once, and counts it', async () => {
    const f = await fixture();
    await written(f);
    const before = await f.etag(keyOf(f));
    // ACW outlasted the delay: a Sales contact of 2026-03-09 15:05 arrives after the report was written.
    await contacts(f, 'Sales', ['2026-03-09T15:05:00Z']);
    f.wall += MIN;

    const s = await f.scheduler().wake(GENERATED_AT + 15 * MIN);
    expect(s.corrected).toEqual([
      {
        runId: RUN_ID,
        report: 'sales-daily',
        key: keyOf(f),
        startMs: at('2026-03-09T00:00:00Z'),
        endMs: at('2026-03-10T00:00:00Z'),
        cellsChanged: 2,
        bytes: expect.any(Number),
      },
    ]);
    expect([s.correctionsChecked, s.correctionsFailed, s.generated]).toEqual([1, [], []]);
    expect(await f.csv(keyOf(f))).toEqual([
      ['Queue', 'StartInterval', 'EndInterval', 'Contacts queued', 'Contacts handled'],
      sales(3),
    ]);
    expect(await f.etag(keyOf(f))).not.toBe(before);
    // The same key, written twice in all: the run and its correction; nothing else in the prefix.
    expect([...f.sink.puts]).toEqual([[keyOf(f), 2]]);

    const record = await f.ledger().get(RUN_ID, GENERATED_AT);
    expect(record && [record.status, record.corrections, record.key, record.correctionLeaseUntilMs]).toEqual(['succeeded', 1, keyOf(f), 0]);
    expect(record?.dataAsOfMs).toBe(f.wall);
    const logged = f.logs.filter((l) => l.message === 'Report corrected for late data');
    expect(logged.map((l) => l.extra)).toEqual([
      {
        report: 'sales-daily',
        runId: RUN_ID,
        key: keyOf(f),
        range: { start: '2026-03-09T00:00:00.000Z', end: '2026-03-10T00:00:00.000Z' },
        cellsChanged: 2,
        corrections: 1,
      },
    ]);

    // The same change is not corrected again.
    f.wall += MIN;
    const again = await f.scheduler().wake(GENERATED_AT + 30 * MIN);
    expect([again.corrected, again.correctionsChecked]).toEqual([[], 0]);
    expect(f.sink.puts.get(keyOf(f))).toBe(2);

    // A second late change is a second correction of the same file.
    await contacts(f, 'Sales', ['2026-03-09T23:59:00Z']);
    f.wall += MIN;
    const second = await f.scheduler().wake(GENERATED_AT + 45 * MIN);
    expect(second.corrected.map((c) => [c.key, c.cellsChanged])).toEqual([[keyOf(f), 2]]);
    expect((await f.csv(keyOf(f))).slice(1)).toEqual([sales(4)]);
    expect((await f.ledger().get(RUN_ID, GENERATED_AT))?.corrections).toBe(2);
  });
});

describe('corrected reports: nothing to correct', () => {
  it('does not rewrite, or even check, a report when nothing changed', async () => {
    const f = await fixture();
    await written(f);
    const etag = await f.etag(keyOf(f));
    const s = await f.scheduler().wake(GENERATED_AT + 15 * MIN);
    expect([s.corrected, s.correctionsChecked, s.correctionsFailed]).toEqual([[], 0, []]);
    expect(f.sink.puts.get(keyOf(f))).toBe(1);
    expect(await f.etag(keyOf(f))).toBe(etag);
  });

  it('checks but does not rewrite a report when the late data changes none of its cells (another queue), and does not check again', async () => {
    const f = await fixture();
    await written(f);
    const etag = await f.etag(keyOf(f));
    // A late Support contact in an hour of the report's range: not in the report's filter.
    await contacts(f, 'Support', ['2026-03-09T10:20:00Z']);
    f.wall += MIN;
    const s = await f.scheduler().wake(GENERATED_AT + 15 * MIN);
    expect([s.corrected, s.correctionsChecked, s.correctionsFailed]).toEqual([[], 1, []]);
    expect(f.sink.puts.get(keyOf(f))).toBe(1);
    expect(await f.etag(keyOf(f))).toBe(etag);
    expect(f.logs.map((l) => l.message)).toContain('Late data changed no cell of the report; left as it was');
    const record = await f.ledger().get(RUN_ID, GENERATED_AT);
    expect(record && [record.corrections, record.dataAsOfMs]).toEqual([0, f.wall]);

    f.wall += MIN;
    const next = await f.scheduler().wake(GENERATED_AT + 30 * MIN);
    expect([next.corrected, next.correctionsChecked]).toEqual([[], 0]);
    expect(f.sink.puts.get(keyOf(f))).toBe(1);
  });

  it('leaves a late change outside the report’s range alone', async () => {
    const f = await fixture();
    await written(f);
    // 2026-03-08: a day the run does not cover.
    await contacts(f, 'Sales', ['2026-03-08T12:00:00Z']);
    f.wall += MIN;
    const s = await f.scheduler().wake(GENERATED_AT + 15 * MIN);
    expect([s.corrected, s.correctionsChecked]).toEqual([[], 0]);
    expect(f.sink.puts.get(keyOf(f))).toBe(1);
  });
});

describe('corrected reports: exactly once', () => {
  it('two schedulers waking together write the correction once', async () => {
    const f = await fixture();
    await written(f);
    await contacts(f, 'Sales', ['2026-03-09T15:05:00Z']);
    f.wall += MIN;
    // Whichever claims the correction holds its upload until the other has finished its wake-up.
    const hold = gate();
    const started = gate();
    f.sink.before = async () => {
      started.open();
      await hold.promise;
    };
    const wakes = [f.scheduler().wake(GENERATED_AT + 15 * MIN), f.scheduler({ clients: otherClients }).wake(GENERATED_AT + 15 * MIN)];
    await started.promise;
    const loser = await Promise.race(wakes);
    expect([loser.corrected, loser.correctionsChecked, loser.busy]).toEqual([[], 0, 1]);
    hold.open();
    const summaries: WakeSummary[] = await Promise.all(wakes);
    f.sink.before = null;
    expect(summaries.flatMap((s) => s.corrected).map((c) => c.runId)).toEqual([RUN_ID]);
    expect(summaries.flatMap((s) => s.correctionsFailed)).toEqual([]);
    expect(f.sink.puts.get(keyOf(f))).toBe(2);
    expect((await f.ledger().get(RUN_ID, GENERATED_AT))?.corrections).toBe(1);
    expect((await f.csv(keyOf(f))).slice(1)).toEqual([sales(3)]);

    // Both wake again: nothing left to correct.
    f.wall += MIN;
    const next = await Promise.all([f.scheduler().wake(GENERATED_AT + 30 * MIN), f.scheduler({ clients: otherClients }).wake(GENERATED_AT + 30 * MIN)]);
    expect(next.flatMap((s) => s.corrected)).toEqual([]);
    expect(f.sink.puts.get(keyOf(f))).toBe(2);
  });

  it('a scheduler that saw the same changes but claims after the correction is done does not correct again', async () => {
    const f = await fixture();
    await written(f);
    await contacts(f, 'Sales', ['2026-03-09T15:05:00Z']);
    f.wall += MIN;
    const ledger = f.ledger();
    const [seen] = await ledger.finished(GENERATED_AT + 15 * MIN, GENERATED_AT + 15 * MIN - 24 * HOUR);
    expect(seen?.runId).toBe(RUN_ID);
    const s = await f.scheduler().wake(GENERATED_AT + 15 * MIN);
    expect(s.corrected).toHaveLength(1);
    // The stale copy of the run (read before the correction) cannot be claimed: its data time moved on.
    expect(seen && (await ledger.claimCorrection(seen, GENERATED_AT + 16 * MIN, 20 * MIN))).toBeNull();
  });
});

describe('corrected reports: the window and the run’s state', () => {
  it('does not correct a run scheduled before the correction window; does within it; never with a window of 0', async () => {
    const f = await fixture();
    await written(f);
    await contacts(f, 'Sales', ['2026-03-09T15:05:00Z']);
    f.wall += MIN;
    const now = GENERATED_AT + 2 * HOUR; // 02:15, 2 h 15 min after the run's scheduled time
    const outside = await f.scheduler({ correctionWindowMs: 2 * HOUR }).wake(now);
    expect([outside.corrected, outside.correctionsChecked]).toEqual([[], 0]);
    const disabled = await f.scheduler({ correctionWindowMs: 0 }).wake(now + 15 * MIN);
    expect([disabled.corrected, disabled.correctionsChecked]).toEqual([[], 0]);
    expect(f.sink.puts.get(keyOf(f))).toBe(1);
    // Past the default 24 hours.
    const dayLater = await f.scheduler().wake(at('2026-03-11T00:00:00Z') + 1);
    expect(dayLater.corrected).toEqual([]);
    expect(f.sink.puts.get(keyOf(f))).toBe(1);
    // Control: the same change within a 3-hour window is corrected.
    const inside = await f.scheduler({ correctionWindowMs: 3 * HOUR }).wake(now + 30 * MIN);
    expect(inside.corrected.map((c) => c.runId)).toEqual([RUN_ID]);
  });

  it('never corrects a run still being generated: the late data is corrected once the run has finished', async () => {
    const f = await fixture();
    await contacts(f, 'Sales', ['2026-03-09T10:00:00Z']);
    f.wall += MIN;
    const hold = gate();
    const started = gate();
    f.sink.before = async () => {
      started.open();
      await hold.promise;
    };
    const first = f.scheduler().wake(GENERATED_AT);
    await started.promise;
    // The run has read its data and is uploading; a late CTR arrives and another instance wakes.
    await contacts(f, 'Sales', ['2026-03-09T15:05:00Z']);
    f.wall += MIN;
    f.sink.before = null;
    const during = await f.scheduler({ clients: otherClients }).wake(GENERATED_AT + 5 * MIN);
    expect([during.corrected, during.correctionsChecked, during.busy]).toEqual([[], 0, 1]);
    expect(f.sink.puts.get(keyOf(f))).toBe(1);
    hold.open();
    // The run finishes with the data it read (one contact); only then, in the same wake-up, is it corrected.
    const writes: string[] = [];
    f.sink.before = async (key) => {
      writes.push((await f.csv(key).catch(() => [])).slice(1).map((r) => r.join(',')).join(';'));
    };
    const done = await first;
    expect(done.generated.map((g) => g.key)).toEqual([keyOf(f)]);
    expect(done.corrected.map((c) => [c.runId, c.cellsChanged])).toEqual([[RUN_ID, 2]]);
    // The correction's upload began when the run's file (one contact) was in place.
    expect(writes).toEqual([sales(1).join(',')]);
    expect((await f.csv(keyOf(f))).slice(1)).toEqual([sales(2)]);
    expect(f.sink.puts.get(keyOf(f))).toBe(2);

    f.wall += MIN;
    const after = await f.scheduler().wake(GENERATED_AT + 15 * MIN);
    expect([after.corrected, after.correctionsChecked]).toEqual([[], 0]);
    expect(f.sink.puts.get(keyOf(f))).toBe(2);
  });

  it('never corrects a run that failed and waits for its retry', async () => {
    const f = await fixture();
    await contacts(f, 'Sales', ['2026-03-09T10:00:00Z']);
    f.wall += MIN;
    f.sink.before = () => {
      throw new Error('S3 is down');
    };
    const failed = await f.scheduler().wake(GENERATED_AT);
    expect(failed.failed.map((x) => x.permanent)).toEqual([false]);
    await contacts(f, 'Sales', ['2026-03-09T15:05:00Z']);
    f.wall += MIN;
    f.sink.before = null;
    const retry = await f.scheduler().wake(GENERATED_AT + 15 * MIN);
    // The retry generates the run with the late data; there is nothing to correct.
    expect([retry.generated.length, retry.corrected, retry.correctionsChecked]).toEqual([1, [], 0]);
    expect((await f.csv(keyOf(f))).slice(1)).toEqual([sales(2)]);
  });
});

describe('corrected reports: comparing cells', () => {
  const header = ['Queue', 'Contacts handled'];
  it('counts the cells that differ, matching equal rows wherever they are', () => {
    expect(changedCells([header, ['A', '1'], ['B', '2']], [header, ['A', '1'], ['B', '2']])).toBe(0);
    expect(changedCells([header, ['A', '1'], ['B', '2']], [header, ['A', '1'], ['B', '3']])).toBe(1);
    // A new row in the middle: its cells, not every row after it.
    expect(changedCells([header, ['A', '1'], ['C', '2']], [header, ['A', '1'], ['B', '5'], ['C', '2']])).toBe(2);
    expect(changedCells(null, [header, ['A', '1']])).toBe(4);
  });

  it('reads the change markers once per stretch the runs cover, not every day between a run of 2018 and today’s', () => {
    const r = (a: string, b: string) => ({ startMs: at(a), endMs: at(b) });
    expect(coveredStretches([r('2026-03-09T00:00Z', '2026-03-10T00:00Z'), r('2018-01-01T00:00Z', '2018-01-02T00:00Z'), r('2026-03-09T12:00Z', '2026-03-10T12:00Z'), r('2026-03-10T12:00Z', '2026-03-10T13:00Z')])).toEqual([
      r('2018-01-01T00:00Z', '2018-01-02T00:00Z'),
      r('2026-03-09T00:00Z', '2026-03-10T13:00Z'),
    ]);
  });

  it('reads the file the sink wrote (CRLF, quoting) back into the same cells', () => {
    expect(parseReportCsv('Queue,Name\r\n"A, B","say ""hi"""\r\n')).toEqual([
      ['Queue', 'Name'],
      ['A, B', 'say "hi"'],
    ]);
  });

  it('looks at the hours of the run’s range changed at or after its data time (less a second of clock skew) only', () => {
    const run = { startMs: at('2026-03-09T00:00:00Z'), endMs: at('2026-03-10T00:00:00Z'), dataAsOfMs: 10_000 };
    expect(staleSince(run, new Map([[at('2026-03-09T05:00:00Z'), 10_000 - CLOCK_SKEW_MS - 1]]))).toBeNull();
    expect(staleSince(run, new Map([[at('2026-03-09T05:00:00Z'), 10_000 - CLOCK_SKEW_MS]]))).toBe(10_000 - CLOCK_SKEW_MS);
    expect(staleSince(run, new Map([[at('2026-03-10T00:00:00Z'), 50_000]]))).toBeNull();
    expect(staleSince(run, new Map([[at('2026-03-09T23:00:00Z'), 10_000], [at('2026-03-09T01:00:00Z'), 30_000]]))).toBe(30_000);
    expect(staleSince({ ...run, dataAsOfMs: null }, new Map([[at('2026-03-09T05:00:00Z'), 1]]))).toBe(1);
  });
});

describe('the Lambda handler’s correction window', () => {
  it('reads REPORT_CORRECTION_WINDOW_HOURS: 24 hours when unset, 0 disables, whole hours only', () => {
    expect([correctionWindowMs(undefined), correctionWindowMs(''), correctionWindowMs('0'), correctionWindowMs('6')]).toEqual([24 * HOUR, 24 * HOUR, 0, 6 * HOUR]);
    expect(() => correctionWindowMs('1.5')).toThrow(/REPORT_CORRECTION_WINDOW_HOURS must be a whole number of hours/);
    expect(() => correctionWindowMs('-1')).toThrow(/REPORT_CORRECTION_WINDOW_HOURS/);
  });
});
