/**
 * The report scheduler on real local services: `ReportScheduler` with the
 * `DynamoRunLedger` on dynalite, reading a `DynamoMetricStore`, writing through
 * `S3ReportSink` to s3rver. Each test has its own table (ledger and data) and
 * its own S3 key prefix (connect/instance-N); the clock is simulated by the `now` given to
 * each wake-up. Covers: when runs happen around local midnight, exactly-once
 * under concurrent and overlapping invocations, retries, catch-up after
 * downtime, the 10,000-row login/logout limit, DST days and calendar ranges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import type { AwsClients } from '../../lambdas/adapters/aws-clients.js';
import { startLocalServices, ensureBucket } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';
import type { AgentEvent, Ctr } from '../../lambdas/domain/model/types.js';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import { dueRuns } from '../../lambdas/domain/reports/schedule.js';
import type { ReportDefinition } from '../../lambdas/domain/reports/definitions.js';
import { S3ReportSink } from '../../lambdas/reporting/report-sink.js';
import { ReportScheduler } from '../../lambdas/reporting/scheduler.js';
import type { SchedulerOptions, WakeSummary } from '../../lambdas/reporting/scheduler.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { DynamoRunLedger } from '../../lambdas/storage/dynamodb/dynamo-run-ledger.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import type { Sequenced } from '../../lambdas/storage/metric-store.js';
import { agentArn, ctr, snapshot, timeline } from '../support/builders.js';
import { gate, InstrumentedSink, listKeys, parseTwice, readObject } from './support.js';

const BUCKET = 'scheduler-tests';
const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);

let services: LocalServices;
let clients: AwsClients;
/** A second, separate set of clients: another Lambda instance. */
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

let fixtures = 0;
interface Fixture {
  readonly table: string;
  readonly prefix: string;
  readonly store: DynamoMetricStore;
  readonly sink: InstrumentedSink;
  scheduler(defs: readonly ReportDefinition[], opts?: Partial<SchedulerOptions> & { clients?: AwsClients }): ReportScheduler;
  keys(): Promise<string[]>;
  csv(key: string): Promise<string[][]>;
}

/** A fresh table and S3 prefix; schedulers made from it share the sink counter. */
async function fixture(): Promise<Fixture> {
  const n = ++fixtures;
  const table = `scheduler-${n}`;
  const prefix = `connect/instance-${n}`;
  await ensureTable(clients.dynamodb, table);
  const store = new DynamoMetricStore(clients.dynamoDocument, table, { concurrency: 8 });
  const sink = new InstrumentedSink(new S3ReportSink(clients.s3, BUCKET));
  return {
    table,
    prefix,
    store,
    sink,
    scheduler(defs, opts = {}) {
      const { clients: c = clients, ...options } = opts;
      return new ReportScheduler({
        definitions: defs,
        ledger: new DynamoRunLedger(c.dynamoDocument, table),
        reader: c === clients ? store : new DynamoMetricStore(c.dynamoDocument, table),
        sink: c === clients ? sink : sink.sibling(new S3ReportSink(c.s3, BUCKET)),
        reportsKeyPrefix: prefix,
        ...options,
      });
    },
    keys: () => listKeys(clients.s3, BUCKET, `${prefix}/`),
    csv: async (key) => {
      const { papa, csvParse } = parseTwice(await readObject(clients.s3, BUCKET, key));
      expect(papa).toEqual(csvParse);
      return csvParse;
    },
  };
}

function ledgerOf(f: Fixture): DynamoRunLedger {
  return new DynamoRunLedger(clients.dynamoDocument, f.table);
}

const definitions = (reports: unknown[]) => parseReportDefinitions({ reports });
const historical = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'HISTORICAL',
  groupings: ['QUEUE'],
  metrics: ['contacts_queued', 'contacts_handled'],
  interval: 'DAY',
  timeRange: 'YESTERDAY',
  schedule: { frequency: 'DAILY', at: '00:00' },
  ...extra,
});

let seq = 0;
const sequenced = <T>(values: readonly T[]): Sequenced<T>[] =>
  values.map((value) => ({ value, position: { shardId: 'shardId-000000000000', sequenceNumber: String(++seq).padStart(20, '0') } }));

/** One answered contact on `queue` disconnecting at each instant. */
async function seedContacts(f: Fixture, queue: string, disconnects: readonly number[]): Promise<void> {
  const ctrs: Ctr[] = disconnects.map((d, i) =>
    ctr({
      id: `${queue}-${i}-${d}`,
      disconnect: new Date(d).toISOString(),
      queue: { name: queue, enqueue: new Date(d - 2 * MIN).toISOString(), waitSec: 20 },
      agent: { name: 'alice', connected: new Date(d - 2 * MIN + 20_000).toISOString(), talk: 100 },
    }),
  );
  for (let i = 0; i < ctrs.length; i += 500) await f.store.applyCtrs(sequenced(ctrs.slice(i, i + 500)));
}

const everyMs = (fromMs: number, toMs: number, stepMs: number) => {
  const out: number[] = [];
  for (let t = fromMs; t < toMs; t += stepMs) out.push(t);
  return out;
};
const stamp = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

// ---------------------------------------------------------------- due runs around midnight

describe('ReportScheduler: due runs around local midnight', () => {
  it('generates a DAILY 00:00 YESTERDAY report at local 00:15 in New York, Kolkata and Auckland, never before, once', async () => {
    const f = await fixture();
    const defs = definitions([
      historical('new-york', { timeZone: 'America/New_York' }),
      historical('kolkata', { timeZone: 'Asia/Kolkata' }),
      historical('auckland', { timeZone: 'Pacific/Auckland' }),
    ]);
    const scheduler = f.scheduler(defs);
    const generatedAt = new Map<string, number[]>();
    // Every 15 minutes in the two hours around each zone's midnight (none is due in between), plus one wake a
    // millisecond before New York's run.
    const around = (iso: string) => everyMs(at(iso) - 60 * MIN, at(iso) + 60 * MIN, 15 * MIN);
    const wakes = [...around('2026-03-09T11:00:00Z'), ...around('2026-03-09T18:30:00Z'), ...around('2026-03-10T04:00:00Z'), at('2026-03-10T04:14:59.999Z')].sort((a, b) => a - b);
    for (const now of wakes) {
      const s = await scheduler.wake(now);
      expect(s.failed).toEqual([]);
      for (const g of s.generated) generatedAt.set(g.runId, [...(generatedAt.get(g.runId) ?? []), now]);
    }
    expect(Object.fromEntries([...generatedAt].map(([id, t]) => [id, t.map(stamp)]))).toEqual({
      // Pacific/Auckland (NZDT, +13): local midnight 2026-03-10 = 2026-03-09T11:00Z.
      'auckland@2026-03-09T11:00:00Z': ['2026-03-09T11:15:00Z'],
      // Asia/Kolkata (+05:30): 2026-03-09T18:30Z.
      'kolkata@2026-03-09T18:30:00Z': ['2026-03-09T18:45:00Z'],
      // America/New_York (EDT since 2026-03-08, -04:00): 2026-03-10T04:00Z; not at 04:14:59.999.
      'new-york@2026-03-10T04:00:00Z': ['2026-03-10T04:15:00Z'],
    });
    expect(await f.keys()).toEqual([
      `${f.prefix}/Reports/auckland-2026-03-09T11:00:00Z.csv`,
      `${f.prefix}/Reports/kolkata-2026-03-09T18:30:00Z.csv`,
      `${f.prefix}/Reports/new-york-2026-03-10T04:00:00Z.csv`,
    ]);
  });

  it('resolves each run’s YESTERDAY as the previous local calendar day of its zone', async () => {
    const f = await fixture();
    const defs = definitions([historical('auckland', { timeZone: 'Pacific/Auckland' }), historical('kolkata', { timeZone: 'Asia/Kolkata' })]);
    await f.scheduler(defs).wake(at('2026-03-09T18:45:00Z'));
    await f.scheduler(defs).wake(at('2026-03-10T11:15:00Z'));
    const ledger = ledgerOf(f);
    const kolkata = await ledger.get('kolkata@2026-03-09T18:30:00Z', at('2026-03-09T18:45:00Z'));
    const auckland = await ledger.get('auckland@2026-03-10T11:00:00Z', at('2026-03-10T11:15:00Z'));
    expect(kolkata && [stamp(kolkata.startMs), stamp(kolkata.endMs), kolkata.status]).toEqual(['2026-03-08T18:30:00Z', '2026-03-09T18:30:00Z', 'succeeded']);
    expect(auckland && [stamp(auckland.startMs), stamp(auckland.endMs), auckland.status]).toEqual(['2026-03-09T11:00:00Z', '2026-03-10T11:00:00Z', 'succeeded']);
  });
});

// ---------------------------------------------------------------- exactly once

describe('ReportScheduler: exactly once', () => {
  it('two scheduler instances on the same table, woken together every 15 minutes for 3 hours, write each run once', async () => {
    const f = await fixture();
    await seedContacts(f, 'Sales', everyMs(at('2026-03-10T08:00:00Z'), at('2026-03-10T12:00:00Z'), 5 * MIN));
    const defs = definitions([
      historical('every-15', { interval: 'FIFTEEN_MIN', timeRange: 'TODAY', schedule: { frequency: 'EVERY_15_MIN', at: '00:00' } }),
      historical('every-30', { interval: 'THIRTY_MIN', timeRange: 'LAST_24_HOURS', schedule: { frequency: 'EVERY_30_MIN', at: '00:00' } }),
    ]);
    const a = f.scheduler(defs);
    const b = f.scheduler(defs, { clients: otherClients });
    // Uneven upload times widen the races between the two.
    let n = 0;
    f.sink.before = () => new Promise((r) => setTimeout(r, (n++ * 7) % 30));
    const summaries: WakeSummary[] = [];
    for (const now of everyMs(at('2026-03-10T09:00:00Z'), at('2026-03-10T12:00:00Z') + 1, 15 * MIN)) {
      summaries.push(...(await Promise.all([a.wake(now), b.wake(now)])));
    }
    // Generation times in (08:45, 12:00] (the first wake-up looks back 15 minutes): every-15 at 09:00 … 12:00 (13),
    // every-30 at 09:15, 09:45 … 11:45 (6).
    const keys = await f.keys();
    expect(keys).toHaveLength(13 + 6);
    expect([...f.sink.puts.values()].every((v) => v === 1)).toBe(true);
    expect(f.sink.totalPuts).toBe(19);
    expect(summaries.flatMap((s) => s.generated).length).toBe(19);
    expect(summaries.flatMap((s) => s.failed)).toEqual([]);
    expect(new Set(summaries.flatMap((s) => s.generated.map((g) => g.runId))).size).toBe(19);
    // They did contend: both generated runs, and each saw runs the other held.
    const byInstance = [0, 1].map((k) => summaries.filter((_, i) => i % 2 === k));
    expect(byInstance.map((list) => list.flatMap((s) => s.generated).length > 0)).toEqual([true, true]);
    expect(byInstance.map((list) => list.reduce((n, s) => n + s.busy, 0) > 0)).toEqual([true, true]);
  });

  it('an invocation overlapping one that holds a claim skips the run as busy; the run is written once', async () => {
    const f = await fixture();
    const defs = definitions([historical('daily')]);
    const hold = gate();
    const started = gate();
    f.sink.before = async () => {
      started.open();
      await hold.promise;
    };
    const first = f.scheduler(defs).wake(at('2026-03-10T00:15:00Z'));
    await started.promise;
    // Five minutes later a second invocation (another instance) wakes while the first is still uploading.
    const overlapping = await f.scheduler(defs, { clients: otherClients }).wake(at('2026-03-10T00:20:00Z'));
    expect(overlapping.busy).toBe(1);
    expect(overlapping.generated).toEqual([]);
    hold.open();
    const done = await first;
    expect(done.generated.map((g) => g.key)).toEqual([`${f.prefix}/Reports/daily-2026-03-10T00:00:00Z.csv`]);
    const later = await f.scheduler(defs).wake(at('2026-03-10T00:30:00Z'));
    expect([later.busy, later.generated.length]).toEqual([0, 0]);
    expect(f.sink.totalPuts).toBe(1);
    expect(await f.keys()).toEqual([`${f.prefix}/Reports/daily-2026-03-10T00:00:00Z.csv`]);
  });

  it('a claim left by a crashed invocation blocks the run until its lease expires, then the run is generated', async () => {
    const f = await fixture();
    const defs = definitions([historical('daily')]);
    const ledger = ledgerOf(f);
    // The crashed invocation registered the run and claimed it at 00:15, then died.
    await ledger.register(dueRuns(defs, { lastCheckedMs: at('2026-03-10T00:00:00Z'), nowMs: at('2026-03-10T00:15:00Z') }).runs, at('2026-03-10T00:15:00Z'));
    const [open] = await ledger.open(at('2026-03-10T00:15:00Z'), 7 * 24 * 60 * MIN);
    expect(open && (await ledger.claim(open, at('2026-03-10T00:15:00Z'), 20 * MIN))).toBeTruthy();
    const scheduler = f.scheduler(defs, { leaseMs: 20 * MIN });
    const during = await scheduler.wake(at('2026-03-10T00:30:00Z'));
    expect([during.busy, during.generated.length]).toEqual([1, 0]);
    const after = await scheduler.wake(at('2026-03-10T00:45:00Z'));
    expect(after.generated.map((g) => g.runId)).toEqual(['daily@2026-03-10T00:00:00Z']);
    const record = await ledger.get('daily@2026-03-10T00:00:00Z', at('2026-03-10T00:15:00Z'));
    expect(record && [record.status, record.attempts]).toEqual(['succeeded', 2]);
  });
});

// ---------------------------------------------------------------- retries

describe('ReportScheduler: retries', () => {
  it('retries a run whose upload fails halfway at the next wake-ups, leaves no partial object, and keeps its key', async () => {
    const f = await fixture();
    await seedContacts(f, 'Sales', everyMs(at('2026-03-09T00:00:00Z'), at('2026-03-10T00:00:00Z'), 15 * MIN));
    const defs = definitions([historical('daily', { interval: 'FIFTEEN_MIN' })]);
    f.sink.breakStream = (_key, attempt) => attempt <= 2;
    const scheduler = f.scheduler(defs);
    const key = `${f.prefix}/Reports/daily-2026-03-10T00:00:00Z.csv`;

    const first = await scheduler.wake(at('2026-03-10T00:15:00Z'));
    expect(first.failed).toEqual([{ runId: 'daily@2026-03-10T00:00:00Z', error: expect.stringMatching(/injected failure halfway/), permanent: false }]);
    expect(await f.keys()).toEqual([]);
    const second = await scheduler.wake(at('2026-03-10T00:30:00Z'));
    expect(second.failed.map((x) => x.permanent)).toEqual([false]);
    const third = await scheduler.wake(at('2026-03-10T00:45:00Z'));
    expect(third.generated.map((g) => [g.key, g.rows])).toEqual([[key, 96]]);

    expect(f.sink.puts.get(key)).toBe(3);
    expect(await f.keys()).toEqual([key]);
    expect(await f.csv(key)).toHaveLength(97);
    const record = await ledgerOf(f).get('daily@2026-03-10T00:00:00Z', at('2026-03-10T00:15:00Z'));
    expect(record && [record.status, record.attempts, record.key]).toEqual(['succeeded', 3, key]);
  });

  it('gives a run up for good after 5 failed attempts and never tries it again', async () => {
    const f = await fixture();
    const defs = definitions([historical('daily')]);
    f.sink.before = () => {
      throw new Error('S3 is down');
    };
    const scheduler = f.scheduler(defs);
    const failures: Array<WakeSummary['failed']> = [];
    for (const now of everyMs(at('2026-03-10T00:15:00Z'), at('2026-03-10T02:15:00Z'), 15 * MIN)) failures.push((await scheduler.wake(now)).failed);
    expect(failures.map((x) => x.map((y) => y.permanent))).toEqual([[false], [false], [false], [false], [true], [], [], []]);
    expect(f.sink.totalPuts).toBe(5);
    const record = await ledgerOf(f).get('daily@2026-03-10T00:00:00Z', at('2026-03-10T00:15:00Z'));
    expect(record && [record.status, record.attempts, record.lastError]).toEqual(['failed', 5, 'S3 is down']);
  });
});

// ---------------------------------------------------------------- catch-up

describe('ReportScheduler: catch-up after downtime', () => {
  it('after 3 hours without wake-ups, generates every missed EVERY_15_MIN run exactly once, each over its own range', async () => {
    const f = await fixture();
    await seedContacts(f, 'Sales', everyMs(at('2026-03-10T10:00:00Z'), at('2026-03-10T16:00:00Z'), 15 * MIN));
    const defs = definitions([historical('quarterly', { interval: 'FIFTEEN_MIN', timeRange: 'LAST_24_HOURS', schedule: { frequency: 'EVERY_15_MIN', at: '00:00' } })]);
    // The whole entity catalog is never read: each report reads the names its rows show.
    let catalogReads = 0;
    const reader = Object.assign(Object.create(f.store) as DynamoMetricStore, {
      entities: () => {
        catalogReads++;
        return f.store.entities();
      },
    });
    const scheduler = f.scheduler(defs, { reader });
    const t0 = at('2026-03-10T12:00:00Z');
    const before = await scheduler.wake(t0);
    expect(before.generated.map((g) => g.runId)).toEqual(['quarterly@2026-03-10T11:45:00Z']);
    // Down from 12:00 to 15:00.
    const readsBefore = catalogReads;
    const catchUp = await scheduler.wake(t0 + 180 * MIN);
    expect(catalogReads - readsBefore).toBe(0);
    expect(catchUp.registered).toBe(12);
    expect(catchUp.generated.map((g) => g.runId)).toEqual(everyMs(t0, t0 + 180 * MIN, 15 * MIN).map((t) => `quarterly@${stamp(t)}`));
    const after = await scheduler.wake(t0 + 195 * MIN);
    expect(after.generated.map((g) => g.runId)).toEqual(['quarterly@2026-03-10T15:00:00Z']);

    const keys = await f.keys();
    expect(keys).toHaveLength(14);
    expect([...f.sink.puts.values()].every((v) => v === 1)).toBe(true);
    // The run scheduled at 12:30 but generated at 15:00 covers data up to 12:30, not up to 15:00.
    const late = await f.csv(`${f.prefix}/Reports/quarterly-2026-03-10T12:30:00Z.csv`);
    expect(late[late.length - 1]?.[2]).toBe('2026-03-10T12:30:00Z');
    expect(late).toHaveLength(1 + 10);
    expect(catalogReads).toBe(0);
    // …and the rows still name their queue.
    expect(new Set(late.slice(1).map((r) => r[0]))).toEqual(new Set(['Sales']));
  });
});

// ---------------------------------------------------------------- the 10,000-row login/logout limit

describe('ReportScheduler: the 10,000-row login/logout limit', () => {
  const AGENTS = 250;
  const SESSIONS = 41;

  function sessions(i: number): AgentEvent[] {
    const name = `agent-${String(i).padStart(4, '0')}`;
    const snap = (status: string) => {
      const s = snapshot(status);
      return { ...s, configuration: { ...s.configuration, username: name } };
    };
    const base = at('2026-03-09T10:00:00Z') + i * 1000;
    const steps: Array<[string, string, ReturnType<typeof snapshot>]> = [];
    for (let k = 0; k < SESSIONS; k++) {
      steps.push(['LOGIN', new Date(base + k * MIN).toISOString(), snap('Available')]);
      steps.push(['LOGOUT', new Date(base + k * MIN + 30_000).toISOString(), snap('Offline')]);
    }
    return timeline(name, steps);
  }

  it('fails a report of more than 10,000 sessions for good, writes nothing, and counts it in the wake summary', async () => {
    const f = await fixture();
    for (let i = 0; i < AGENTS; i += 50) {
      const events: AgentEvent[] = [];
      for (let j = i; j < Math.min(AGENTS, i + 50); j++) events.push(...sessions(j));
      await f.store.applyAgentEvents(sequenced(events));
    }
    expect(await f.store.sessions(at('2026-03-09T00:00:00Z'), at('2026-03-10T00:00:00Z'))).toHaveLength(AGENTS * SESSIONS);
    const defs = definitions([
      { name: 'logins', type: 'LOGIN_LOGOUT' },
      { name: 'logins-one-agent', type: 'LOGIN_LOGOUT', filters: { AGENT: [agentArn('agent-0007')] } },
    ]);
    const scheduler = f.scheduler(defs);
    const s = await scheduler.wake(at('2026-03-10T00:15:00Z'));
    expect(s.failed).toEqual([{ runId: 'logins@2026-03-10T00:00:00Z', error: expect.stringMatching(/10250 rows, more than the limit of 10000/), permanent: true }]);
    // The same sessions through a filter: a normal report.
    expect(s.generated.map((g) => [g.runId, g.rows])).toEqual([['logins-one-agent@2026-03-10T00:00:00Z', SESSIONS]]);
    expect(await f.keys()).toEqual([`${f.prefix}/Reports/logins-one-agent-2026-03-10T00:00:00Z.csv`]);
    expect(f.sink.puts.has(`${f.prefix}/Reports/logins-2026-03-10T00:00:00Z.csv`)).toBe(false);

    const next = await scheduler.wake(at('2026-03-10T00:30:00Z'));
    expect([next.failed, next.generated, next.busy]).toEqual([[], [], 0]);
    const record = await ledgerOf(f).get('logins@2026-03-10T00:00:00Z', at('2026-03-10T00:15:00Z'));
    expect(record && [record.status, record.attempts]).toEqual(['failed', 1]);
  });
  it('shows every session of an agent whose 60 logins arrived in one ingestion batch (regression: only the last 50 were stored)', async () => {
    const f = await fixture();
    const steps: Array<[string, string, ReturnType<typeof snapshot>]> = [];
    for (let k = 0; k < 60; k++) {
      steps.push(['LOGIN', new Date(at('2026-03-09T10:00:00Z') + k * MIN).toISOString(), snapshot('Available')]);
      steps.push(['LOGOUT', new Date(at('2026-03-09T10:00:00Z') + k * MIN + 30_000).toISOString(), snapshot('Offline')]);
    }
    await f.store.applyAgentEvents(sequenced(timeline('flappy', steps)));
    const s = await f.scheduler(definitions([{ name: 'logins', type: 'LOGIN_LOGOUT' }])).wake(at('2026-03-10T00:15:00Z'));
    expect(s.generated.map((g) => g.rows)).toEqual([60]);
    const rows = (await f.csv(s.generated[0]?.key ?? '')).slice(1);
    expect([rows[0]?.[5], rows[59]?.[6]]).toEqual(['2026-03-09T10:00:00Z', '2026-03-09T10:59:30Z']);
  });
});

// ---------------------------------------------------------------- DST days and calendar ranges

describe('ReportScheduler: no gap in a series', () => {
  it('the midnight run of a 15-minute TODAY report covers the day that just ended, 23:45–24:00 included', async () => {
    const f = await fixture();
    // 23:50 EDT on 2026-03-09 and 00:05 EDT on 2026-03-10.
    await seedContacts(f, 'Late', [at('2026-03-10T03:50:00Z'), at('2026-03-10T04:05:00Z')]);
    const defs = definitions([historical('today', { interval: 'FIFTEEN_MIN', timeZone: 'America/New_York', timeRange: 'TODAY', schedule: { frequency: 'EVERY_15_MIN', at: '00:00' } })]);
    const s = await f.scheduler(defs).wake(at('2026-03-10T04:15:00Z'));
    expect(s.generated.map((g) => g.key)).toEqual([`${f.prefix}/Reports/today-2026-03-10T04:00:00Z.csv`]);
    const rows = (await f.csv(s.generated[0]?.key ?? '')).slice(1);
    expect(rows).toEqual([['Late', '2026-03-09T23:45:00-04:00', '2026-03-10T00:00:00-04:00', '1', '1']]);
    const record = await ledgerOf(f).get('today@2026-03-10T04:00:00Z', at('2026-03-10T04:15:00Z'));
    expect(record && [stamp(record.startMs), stamp(record.endMs)]).toEqual(['2026-03-09T04:00:00Z', '2026-03-10T04:00:00Z']);
  });
});

describe('ReportScheduler: DST days and calendar ranges in reports', () => {
  const halfHourly = () => definitions([historical('half-hours', { interval: 'THIRTY_MIN', timeZone: 'America/New_York' })]);

  async function dstReport(dayStartIso: string, generateIso: string): Promise<string[][]> {
    const f = await fixture();
    const start = at(dayStartIso);
    await seedContacts(f, 'AllDay', everyMs(start - 24 * 60 * MIN, start + 50 * 60 * MIN, 15 * MIN));
    const s = await f.scheduler(halfHourly()).wake(at(generateIso));
    const [g] = s.generated;
    if (!g) throw new Error(`nothing generated: ${JSON.stringify(s)}`);
    return (await f.csv(g.key)).slice(1);
  }

  it('has 46 half-hour rows for a queue active all day on 2026-03-08 (23 hours) in New York', async () => {
    const rows = await dstReport('2026-03-08T05:00:00Z', '2026-03-09T04:15:00Z');
    expect(rows).toHaveLength(46);
    expect(rows[0]?.slice(1, 3)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-08T00:30:00-05:00']);
    expect(rows[45]?.slice(1, 3)).toEqual(['2026-03-08T23:30:00-04:00', '2026-03-09T00:00:00-04:00']);
    const starts = rows.map((r) => r[1]);
    expect(starts[starts.indexOf('2026-03-08T01:30:00-05:00') + 1]).toBe('2026-03-08T03:00:00-04:00');
    expect(rows.every((r) => r[3] === '2')).toBe(true);
  });

  it('has 50 half-hour rows on 2026-11-01 (25 hours), both 01:00 and 01:30 twice, EDT then EST', async () => {
    const rows = await dstReport('2026-11-01T04:00:00Z', '2026-11-02T05:15:00Z');
    expect(rows).toHaveLength(50);
    expect(rows[0]?.[1]).toBe('2026-11-01T00:00:00-04:00');
    expect(rows[49]?.[2]).toBe('2026-11-02T00:00:00-05:00');
    expect(rows.map((r) => r[1]).filter((s) => s?.startsWith('2026-11-01T01:'))).toEqual([
      '2026-11-01T01:00:00-04:00',
      '2026-11-01T01:30:00-04:00',
      '2026-11-01T01:00:00-05:00',
      '2026-11-01T01:30:00-05:00',
    ]);
    expect(rows.every((r) => r[3] === '2')).toBe(true);
  });

  it('LAST_WEEK is Sunday to Saturday: seven DAY rows from the Sunday (here the 23-hour 2026-03-08) to the Saturday', async () => {
    const f = await fixture();
    // A contact at 12:00 local (16:00Z/17:00Z) every day from 2026-02-28 to 2026-03-21.
    await seedContacts(f, 'Daily', everyMs(at('2026-02-28T17:00:00Z'), at('2026-03-22T00:00:00Z'), 24 * 60 * MIN));
    const defs = definitions([historical('last-week', { timeZone: 'America/New_York', timeRange: 'LAST_WEEK' })]);
    // Wednesday 2026-03-18 00:15 EDT.
    const [g] = (await f.scheduler(defs).wake(at('2026-03-18T04:15:00Z'))).generated;
    const rows = g ? (await f.csv(g.key)).slice(1) : [];
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ['2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00'],
      ['2026-03-09T00:00:00-04:00', '2026-03-10T00:00:00-04:00'],
      ['2026-03-10T00:00:00-04:00', '2026-03-11T00:00:00-04:00'],
      ['2026-03-11T00:00:00-04:00', '2026-03-12T00:00:00-04:00'],
      ['2026-03-12T00:00:00-04:00', '2026-03-13T00:00:00-04:00'],
      ['2026-03-13T00:00:00-04:00', '2026-03-14T00:00:00-04:00'],
      ['2026-03-14T00:00:00-04:00', '2026-03-15T00:00:00-04:00'],
    ]);
    const weekday = (iso: string | undefined) => new Date(`${(iso ?? '').slice(0, 10)}T12:00:00Z`).getUTCDay();
    expect([weekday(rows[0]?.[1]), weekday(rows[6]?.[1])]).toEqual([0, 6]);
  });

  it('PREVIOUS_MONTH run at the first instant of 2027 in Auckland is December 2026 in Auckland', async () => {
    const f = await fixture();
    await seedContacts(f, 'Monthly', [
      at('2026-11-30T10:45:00Z'), // 11-30 23:45 NZDT: November
      at('2026-11-30T11:00:00Z'), // 12-01 00:00 NZDT: first bucket of December
      at('2026-12-15T00:00:00Z'), // 12-15 13:00 NZDT
      at('2026-12-31T10:45:00Z'), // 12-31 23:45 NZDT: last bucket of December
      at('2026-12-31T11:00:00Z'), // 2027-01-01 00:00 NZDT: January
    ]);
    const defs = definitions([historical('previous-month', { timeZone: 'Pacific/Auckland', timeRange: 'PREVIOUS_MONTH' })]);
    const s = await f.scheduler(defs).wake(at('2026-12-31T11:15:00Z'));
    expect(s.generated.map((g) => g.key)).toEqual([`${f.prefix}/Reports/previous-month-2026-12-31T11:00:00Z.csv`]);
    const rows = (await f.csv(s.generated[0]?.key ?? '')).slice(1);
    expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual([
      ['2026-12-01T00:00:00+13:00', '2026-12-02T00:00:00+13:00', '1'],
      ['2026-12-15T00:00:00+13:00', '2026-12-16T00:00:00+13:00', '1'],
      ['2026-12-31T00:00:00+13:00', '2027-01-01T00:00:00+13:00', '1'],
    ]);
    const record = await ledgerOf(f).get('previous-month@2026-12-31T11:00:00Z', at('2026-12-31T11:15:00Z'));
    expect(record && [stamp(record.startMs), stamp(record.endMs)]).toEqual(['2026-11-30T11:00:00Z', '2026-12-31T11:00:00Z']);
  });
});
