/**
 * Hostile input through the whole local pipeline (kinesalite, the Lambda-like
 * poller, the unchanged handlers, dynalite, s3rver): an outage surge in one
 * cell, 1 MiB poison records, an agent with more activity in one interval
 * than an item holds, and records built to break keys, names, dims and time.
 * Each case asserts that every good record is counted exactly (against the
 * simulator's truth or the reference engine over the good records), that
 * every bad one is dead-lettered with a reason naming its cause and its
 * payload kept byte for byte, and that no batch reaches the on-failure
 * destination (the poller's `onFailure`, recorded in `failedBatches`).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redrive } from '../../cli/commands/ops.js';
import { LocalPipeline, LOCAL_NAMES } from '../../cli/local/pipeline.js';
import { MAX_RECORD_BYTES, putRecords } from '../../cli/local/kinesis-producer.js';
import type { ProducerRecord } from '../../cli/local/kinesis-producer.js';
import { simulate } from '../../cli/simulator/index.js';
import { GROUPINGS } from '../../lambdas/domain/dimensions.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import { rollup } from '../../lambdas/domain/engine/rollup.js';
import { computeMetric, findMetric, getMetric } from '../../lambdas/domain/metrics/registry.js';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import { parseCtr } from '../../lambdas/domain/model/ctr.js';
import type { AgentEvent, Ctr } from '../../lambdas/domain/model/types.js';
import type { ParseResult } from '../../lambdas/domain/model/validation.js';
import { parseWindow } from '../../lambdas/domain/realtime/windows.js';
import { realtimeCsv } from '../../lambdas/domain/realtime/report.js';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import { BUCKET_MS } from '../../lambdas/domain/time/intervals.js';
import { loadRealtimeReport } from '../../lambdas/realtime/realtime-view.js';
import { csvChunks } from '../../lambdas/reporting/csv-stream.js';
import { buildReport } from '../../lambdas/reporting/generate-report.js';
import { blobKeyOf } from '../../lambdas/storage/dynamodb/dead-letters.js';
import type { DeadLetter, SourceName } from '../../lambdas/storage/metric-store.js';
import { engineOf } from '../support/metrics.js';
import { engineCells, normalizedCells } from '../support/store-compare.js';
import { compareWithTruth } from '../support/truth-compare.js';

// A small center's working morning: the good records every case is mixed with.
const sim = simulate({ seed: 3, agents: 4, hours: 6, start: '2026-03-10T08:00:00', timeZone: 'UTC' });
const START = Date.parse(sim.truth.start);
const END = Date.parse(sim.truth.end);
const DAY = 86_400_000;

const STREAMS: Record<SourceName, string> = { ctr: LOCAL_NAMES.ctrStream, 'agent-events': LOCAL_NAMES.agentStream };

function parsedOrThrow<T>(r: ParseResult<T>, line: string): T {
  if (!r.ok) throw new Error(`good line does not parse (${r.error.message}): ${line.slice(0, 200)}`);
  return r.value;
}
const simCtrs = (): Ctr[] => sim.ctrLines.map((l) => parsedOrThrow(parseCtr(JSON.parse(l)), l));
const simEvents = (): AgentEvent[] => sim.agentEventLines.map((l) => parsedOrThrow(parseAgentEvent(JSON.parse(l)), l));

let pipeline: LocalPipeline | undefined;
const stopPipeline = async () => {
  await pipeline?.stop();
  pipeline = undefined;
};

function started(): LocalPipeline {
  if (!pipeline) throw new Error('the pipeline is not started');
  return pipeline;
}

/** Records with arbitrary bytes (not JSON lines), as a broken producer could put them. */
async function putRaw(p: LocalPipeline, source: SourceName, records: readonly ProducerRecord[]): Promise<void> {
  await putRecords(p.clients.kinesis, STREAMS[source], records);
}

async function deadLetters(p: LocalPipeline, source: SourceName): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const d of p.store.deadLetters(source)) out.push(d);
  return out;
}

async function storedCells(p: LocalPipeline, startMs = START - DAY, endMs = END + DAY): Promise<Cell[]> {
  const out: Cell[] = [];
  for await (const c of p.store.cells(startMs, endMs)) out.push(c);
  return out;
}

async function deadLetterObject(p: LocalPipeline, d: DeadLetter): Promise<Buffer> {
  const obj = await p.clients.s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.deadLetterBucket, Key: blobKeyOf(d) }));
  if (!obj.Body) throw new Error(`no body for ${blobKeyOf(d)}`);
  return Buffer.from(await obj.Body.transformToByteArray());
}

const contactRecordDriven = (metricId: string): boolean => {
  const def = findMetric(metricId);
  return def?.supported === true && def.category === 'contact-record-driven';
};

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Records as plain JSON objects, for building variants of good records. */
type Json = Record<string, unknown>;
const clone = (line: string): Json => JSON.parse(line) as Json;
const child = (o: Json, key: string): Json => {
  const v = o[key];
  if (typeof v !== 'object' || v === null) throw new Error(`template has no object at ${key}`);
  return v as Json;
};

// ------------------------------------------------------------------------ a surge in one cell

describe('a surge in one cell', () => {
  afterEach(stopPipeline);

  it('counts every one of 3,000 abandoned contacts in one queue and one 15-minute interval, among ordinary contacts', async () => {
    // The template: a contact of the simulated day that queued and reached no agent.
    const template = sim.ctrLines.map(clone).find((c) => c.Agent === null && c.Queue !== null);
    if (!template) throw new Error('the simulated day has no contact without an agent');
    const queueArn = String(child(template, 'Queue').ARN);
    const bucketStart = START + 2 * 3_600_000; // 10:00 UTC, a busy interval of the simulated day
    const SURGE = 3000;
    const surge = Array.from({ length: SURGE }, (_, i) => {
      const enqueue = bucketStart + (i % 600) * 1000;
      const waitSec = 30 + (i % 60);
      const disconnect = enqueue + waitSec * 1000;
      return JSON.stringify({
        ...template,
        ContactId: `surge-${String(i).padStart(5, '0')}-8f1c-4a5e-9d2b-1e2f3a4b5c6d`,
        Channel: 'VOICE',
        InitiationMethod: 'INBOUND',
        InitiationTimestamp: isoSeconds(enqueue - 5000),
        ConnectedToSystemTimestamp: isoSeconds(enqueue - 5000),
        DisconnectTimestamp: isoSeconds(disconnect),
        LastUpdateTimestamp: isoSeconds(disconnect),
        DisconnectReason: 'CUSTOMER_DISCONNECT',
        NextContactId: null,
        Queue: { ...child(template, 'Queue'), EnqueueTimestamp: isoSeconds(enqueue), DequeueTimestamp: isoSeconds(disconnect), Duration: waitSec },
      });
    });
    // Ordinary contacts before, between and after the surge records.
    const third = Math.floor(sim.ctrLines.length / 3);
    const lines = [...sim.ctrLines.slice(0, third), ...surge.slice(0, SURGE / 2), ...sim.ctrLines.slice(third, 2 * third), ...surge.slice(SURGE / 2), ...sim.ctrLines.slice(2 * third)];
    pipeline = await LocalPipeline.start({ batchSize: 100 });

    await pipeline.put('ctr', lines);
    await pipeline.drain();

    expect(pipeline.failedBatches).toEqual([]);
    expect(await deadLetters(pipeline, 'ctr')).toEqual([]);
    const cells = await storedCells(pipeline);
    // Every contact, surge and ordinary, exactly as one clean pass of the reference engine counts it.
    const good = [...simCtrs(), ...surge.map((l) => parsedOrThrow(parseCtr(JSON.parse(l)), l))];
    expect(normalizedCells(cells)).toEqual(engineCells(engineOf(good), START - DAY, END + DAY));
    // The surge interval of that queue: the simulated day's abandons plus all 3,000.
    const truthInterval = sim.truth.intervals.find((i) => i.start === new Date(bucketStart).toISOString());
    const truthQueue = truthInterval?.groups.QUEUE[queueArn] ?? {};
    const [row] = rollup(cells, { groupBy: [GROUPINGS.QUEUE], interval: 'FIFTEEN_MIN', timeZone: 'UTC', startMs: bucketStart, endMs: bucketStart + BUCKET_MS }).filter(
      (r) => r.group[0] === queueArn,
    );
    if (!row) throw new Error('no row for the surge queue');
    expect(computeMetric(getMetric('contacts_abandoned'), row.primitives)).toBe((truthQueue.contacts_abandoned ?? 0) + SURGE);
    expect(computeMetric(getMetric('contacts_queued'), row.primitives)).toBe((truthQueue.contacts_queued ?? 0) + SURGE);
    // Contact-record metrics everywhere else still equal the simulator's truth. No agent events were sent here, so
    // Average handle time is left out: it subtracts the time in a custom status, which only agent events give.
    const surgeCell = (m: { interval: string; grouping: string; id: string }) => m.interval === new Date(bucketStart).toISOString() && m.grouping === 'QUEUE' && m.id === queueArn;
    const elsewhere = compareWithTruth(sim.truth, cells).filter((m) => contactRecordDriven(m.metric) && m.metric !== 'avg_handle_time' && !surgeCell(m));
    expect(elsewhere).toEqual([]);
    expect(pipeline.totals.ctr?.applied).toBe(lines.length - (pipeline.totals.ctr?.stale ?? 0) - (pipeline.totals.ctr?.duplicates ?? 0));
  });
});

// ------------------------------------------------------------------------ 1 MiB poison records

describe('1 MiB poison records on both streams', () => {
  // Kinesis' limit is 1 MiB for data plus partition key: these are as large as a record can be.
  const poison = (source: SourceName) => {
    const textKey = `poison-text-${source}`;
    const binaryKey = `poison-binary-${source}`;
    // Looks like a CTR for its first bytes, then never closes: valid UTF-8, not JSON.
    const text = Buffer.alloc(MAX_RECORD_BYTES - Buffer.byteLength(textKey), 'a');
    text.write('{"ContactId":"poison","Queue":{"Name":"');
    // Random bytes, starting with 0xFF (never valid in UTF-8), so the reason is known.
    const binary = randomBytes(MAX_RECORD_BYTES - Buffer.byteLength(binaryKey));
    binary[0] = 0xff;
    return [
      { partitionKey: textKey, data: new Uint8Array(text), cause: /^Record data is not JSON/ },
      { partitionKey: binaryKey, data: new Uint8Array(binary), cause: /^Record data is not valid UTF-8/ },
    ];
  };
  const sent = { ctr: poison('ctr'), 'agent-events': poison('agent-events') };

  beforeAll(async () => {
    pipeline = await LocalPipeline.start({ batchSize: 100 });
    const p = pipeline;
    for (const [source, lines] of [
      ['ctr', sim.ctrLines],
      ['agent-events', sim.agentEventLines],
    ] as const) {
      const half = Math.floor(lines.length / 2);
      await p.put(source, lines.slice(0, half));
      await putRaw(p, source, sent[source]);
      await p.put(source, lines.slice(half));
    }
    await p.drain();
  });
  afterAll(stopPipeline);

  it('dead-letters each one with its reason, its payload kept byte for byte in the dead-letter bucket', async () => {
    const p = started();
    for (const source of ['ctr', 'agent-events'] as const) {
      const dead = await deadLetters(p, source);
      expect(dead).toHaveLength(2);
      for (const want of sent[source]) {
        const d = dead.find((x) => x.partitionKey === want.partitionKey);
        if (!d) throw new Error(`${want.partitionKey} was not dead-lettered`);
        expect(d.reason).toMatch(want.cause);
        expect(d.shardId).toMatch(/^shardId-/);
        expect(Buffer.from(d.data, 'base64').equals(Buffer.from(want.data))).toBe(true);
        expect((await deadLetterObject(p, d)).equals(Buffer.from(want.data))).toBe(true);
      }
      expect(p.totals[source]?.deadLettered).toBe(2);
    }
  });

  it('counts the good records around them exactly, and sends no batch to the on-failure destination', async () => {
    const p = started();
    expect(p.failedBatches).toEqual([]);
    expect(compareWithTruth(sim.truth, await storedCells(p))).toEqual([]);
    const sessions = await p.store.sessions(START, END + 1);
    expect(sessions.map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort()).toEqual(sim.truth.sessions.map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort());
  });

  it('redrive reads them back and, their cause not fixed, leaves them dead-lettered with reason and payload intact', async () => {
    const p = started();
    const result = await redrive(p.store);
    expect(result).toEqual({ redriven: 0, stillFailing: 4 });
    for (const source of ['ctr', 'agent-events'] as const) {
      const dead = await deadLetters(p, source);
      expect(dead).toHaveLength(2);
      for (const want of sent[source]) {
        const d = dead.find((x) => x.partitionKey === want.partitionKey);
        if (!d) throw new Error(`${want.partitionKey} is no longer dead-lettered`);
        expect(d.reason).toMatch(want.cause);
        expect(Buffer.from(d.data, 'base64').equals(Buffer.from(want.data))).toBe(true);
        expect((await deadLetterObject(p, d)).equals(Buffer.from(want.data))).toBe(true);
      }
    }
    expect(compareWithTruth(sim.truth, await storedCells(p))).toEqual([]);
  });
});

// ------------------------------------------------------------------------ one agent, too much activity in one interval

describe('an agent with more activity in one interval than an item holds', () => {
  afterEach(stopPipeline);

  it('applies the events that fit, dead-letters the rest naming the agent and the interval, and blocks nothing', async () => {
    // 4,000 distinct HEART_BEATs of a known agent, 200 ms apart, in the 09:00 interval, with no contact in them.
    const template = sim.agentEventLines.map(clone).find((e) => e.EventType === 'HEART_BEAT' && (child(e, 'CurrentAgentSnapshot').Contacts as unknown[]).length === 0);
    if (!template) throw new Error('the simulated day has no HEART_BEAT');
    const agentArn = String(template.AgentARN);
    const bucketStart = START + 3_600_000;
    const FLOOD = 4000;
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      JSON.stringify({
        ...template,
        EventId: `flood-${String(i).padStart(5, '0')}-4b7e-8c1d-2e3f4a5b6c7d`,
        EventTimestamp: new Date(bucketStart + 1000 + i * 200).toISOString(),
      }),
    );
    pipeline = await LocalPipeline.start({ batchSize: 100 });
    const startedAt = Date.now();

    // The flood between good events, on the agent's shard: the good events after it are applied as well (they are all
    // of later intervals, so none of them lands in the full bucket).
    const cut = Math.floor(sim.agentEventLines.length * 0.6);
    expect(Date.parse(String(clone(sim.agentEventLines[cut] as string).EventTimestamp))).toBeGreaterThan(bucketStart + 2 * BUCKET_MS);
    await pipeline.put('agent-events', [...sim.agentEventLines.slice(0, cut), ...flood, ...sim.agentEventLines.slice(cut)]);
    await pipeline.put('ctr', sim.ctrLines);
    await pipeline.drain();

    expect(Date.now() - startedAt).toBeLessThan(120_000);
    expect(pipeline.failedBatches).toEqual([]);
    const dead = await deadLetters(pipeline, 'agent-events');
    const interval = new Date(bucketStart).toISOString();
    expect(dead.length).toBeGreaterThan(0);
    for (const d of dead) {
      expect(d.reason).toContain(`Agent ${agentArn} has more activity in the 15-minute interval starting ${interval} than the store keeps for one agent and interval`);
    }
    // Only flood events are set aside, and a good part of them fits.
    const deadIds = new Set(dead.map((d) => String((JSON.parse(Buffer.from(d.data, 'base64').toString('utf8')) as Json).EventId)));
    expect([...deadIds].every((id) => id.startsWith('flood-'))).toBe(true);
    expect(deadIds.size).toBe(dead.length);
    expect(FLOOD - deadIds.size).toBeGreaterThan(1000);
    expect(pipeline.totals['agent-events']?.deadLettered).toBe(dead.length);
    expect(pipeline.totals['agent-events']?.applied).toBe(sim.agentEventLines.length + FLOOD - dead.length);
    // What was applied is counted exactly: the reference engine over every event that was not set aside.
    const applied = [...simEvents(), ...flood.map((l) => parsedOrThrow(parseAgentEvent(JSON.parse(l)), l)).filter((e) => !deadIds.has(e.eventId))];
    const cells = await storedCells(pipeline);
    expect(normalizedCells(cells)).toEqual(engineCells(engineOf(simCtrs(), applied), START - DAY, END + DAY));
    // Every other agent and every queue still equal the simulator's truth.
    const others = compareWithTruth(sim.truth, cells).filter((m) => m.grouping !== 'ROUTING_PROFILE' && m.id !== agentArn);
    expect(others).toEqual([]);
  });
});

// ------------------------------------------------------------------------ keys, names, dims and time
//
// The parsers' input validation (lambdas/domain/model/limits.ts) turns each of these away before it reaches the
// store: byte bounds on ARNs and names, no control characters, bounded queue lists, timestamps from 2000 to a day
// after now. Without it they blocked their batches, broke every report (`Malformed dims key`) or hung the handler.

describe('records built to break keys, names, dims keys and time', () => {

  const ctrTemplate = sim.ctrLines.map(clone).find((c) => c.Agent !== null && c.Queue !== null && c.SystemEndpoint !== null);
  const eventTemplate = sim.agentEventLines.map(clone).find((e) => e.EventType === 'STATE_CHANGE');
  if (!ctrTemplate || !eventTemplate) throw new Error('the simulated day has no handled contact or no STATE_CHANGE');
  const knownAgent = String(eventTemplate.AgentARN);
  const YEAR = 365 * DAY;

  /** A variant of a good record, the field that makes it bad, and what the reason must say about it. */
  interface Hostile {
    readonly name: string;
    readonly source: SourceName;
    readonly line: string;
    readonly field: string;
    readonly cause: RegExp;
  }
  const ctrWith = (name: string, field: string, cause: RegExp, edit: (c: Json) => void): Hostile => {
    const c = structuredClone(ctrTemplate);
    c.ContactId = `hostile-${name}`;
    edit(c);
    return { name, source: 'ctr', line: JSON.stringify(c), field, cause };
  };
  const eventWith = (name: string, field: string, cause: RegExp, edit: (e: Json) => void): Hostile => {
    const e = structuredClone(eventTemplate);
    e.EventId = `hostile-${name}`;
    edit(e);
    return { name, source: 'agent-events', line: JSON.stringify(e), field, cause };
  };
  const current = (e: Json) => child(child(e, 'CurrentAgentSnapshot'), 'Configuration');
  const TOO_LONG = /longer than \d+ bytes/;
  const CONTROL = /control character/;
  const EARLY = /expected a time from 2000-01-01T00:00:00Z on/;
  const AHEAD = /expected a time at most a day after now/;
  const ctrTimes = ['InitiationTimestamp', 'ConnectedToSystemTimestamp', 'DisconnectTimestamp', 'LastUpdateTimestamp'];
  const epoch1970 = (iso: unknown) => isoSeconds(Date.parse(String(iso)) - Date.parse('2026-01-01T00:00:00Z') + Date.parse('1970-01-01T00:00:00Z'));

  const hostile: Hostile[] = [
    ctrWith('long-queue-arn', 'Queue.ARN', TOO_LONG, (c) => (child(c, 'Queue').ARN = `${String(child(c, 'Queue').ARN)}${'q'.repeat(2000)}`)),
    ctrWith('huge-queue-name', 'Queue.Name', TOO_LONG, (c) => (child(c, 'Queue').Name = 'N'.repeat(450 * 1024))),
    ctrWith('control-queue-name', 'Queue.Name', CONTROL, (c) => (child(c, 'Queue').Name = 'Sup\u001fport')),
    ctrWith('control-phone-number', 'SystemEndpoint.Address', CONTROL, (c) => (child(c, 'SystemEndpoint').Address = '+1800555\u001f0100')),
    ctrWith('control-channel', 'Channel', CONTROL, (c) => (c.Channel = 'VOI\u001fCE')),
    ctrWith('control-routing-profile', 'Agent.RoutingProfile.Name', CONTROL, (c) => (child(child(c, 'Agent'), 'RoutingProfile').Name = 'Support\u001fAgents')),
    ctrWith('dated-1970', 'InitiationTimestamp', EARLY, (c) => {
      for (const k of ctrTimes) c[k] = epoch1970(c[k]);
      const q = child(c, 'Queue');
      for (const k of ['EnqueueTimestamp', 'DequeueTimestamp']) q[k] = epoch1970(q[k]);
      const a = child(c, 'Agent');
      for (const k of ['ConnectedToAgentTimestamp', 'AfterContactWorkStartTimestamp', 'AfterContactWorkEndTimestamp']) if (a[k]) a[k] = epoch1970(a[k]);
    }),
    eventWith('long-agent-arn', 'AgentARN', TOO_LONG, (e) => (e.AgentARN = `${knownAgent}${'x'.repeat(2000)}`)),
    eventWith('huge-routing-profile-name', 'CurrentAgentSnapshot.Configuration.RoutingProfile.Name', TOO_LONG, (e) => (child(current(e), 'RoutingProfile').Name = 'R'.repeat(450 * 1024))),
    eventWith('5000-queues', 'CurrentAgentSnapshot.Configuration.RoutingProfile.InboundQueues', /at most \d+ items/, (e) => {
      const rp = child(current(e), 'RoutingProfile');
      const q = (rp.InboundQueues as Json[])[0] as Json;
      // Short entries, so that the record stays within Kinesis' 1 MiB.
      rp.InboundQueues = Array.from({ length: 5000 }, (_, i) => ({ ARN: `${String(e.InstanceARN)}/queue/q${i}`, Name: `Q${i}`, Channels: q.Channels }));
    }),
    eventWith('1000-long-named-queues', 'CurrentAgentSnapshot.Configuration.RoutingProfile.InboundQueues', /at most \d+ bytes of queue ids, ARNs and names/, (e) => {
      const rp = child(current(e), 'RoutingProfile');
      const q = (rp.InboundQueues as Json[])[0] as Json;
      // As many queues as allowed, with names of 256 characters: the list as stored would not fit one item.
      rp.InboundQueues = Array.from({ length: 1000 }, (_, i) => ({ ARN: `${String(e.InstanceARN)}/queue/${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`, Name: `Q${i}`.padEnd(256, 'x'), Channels: q.Channels }));
    }),
    eventWith('control-inbound-queue-name', 'CurrentAgentSnapshot.Configuration.RoutingProfile.InboundQueues[0].Name', CONTROL, (e) => (((child(current(e), 'RoutingProfile').InboundQueues as Json[])[0] as Json).Name = 'Bill\u001fing')),
    eventWith('control-routing-profile-name', 'CurrentAgentSnapshot.Configuration.RoutingProfile.Name', CONTROL, (e) => (child(current(e), 'RoutingProfile').Name = 'Support\u001fAgents')),
    eventWith('a-year-ahead', 'EventTimestamp', AHEAD, (e) => (e.EventTimestamp = new Date(Date.now() + YEAR).toISOString())),
    eventWith('in-1970', 'EventTimestamp', EARLY, (e) => (e.EventTimestamp = '1970-01-01T00:00:01.000Z')),
    eventWith('in-2100', 'EventTimestamp', AHEAD, (e) => (e.EventTimestamp = '2100-01-01T00:00:00.000Z')),
  ];

  let drainMs = Number.NaN;
  beforeAll(async () => {
    pipeline = await LocalPipeline.start({ batchSize: 100 });
    const startedAt = Date.now();
    for (const [source, lines] of [
      ['ctr', sim.ctrLines],
      ['agent-events', sim.agentEventLines],
    ] as const) {
      const mine = hostile.filter((h) => h.source === source).map((h) => h.line);
      const half = Math.floor(lines.length / 2);
      await pipeline.put(source, [...lines.slice(0, half), ...mine, ...lines.slice(half)]);
    }
    await pipeline.drain();
    drainMs = Date.now() - startedAt;
  });
  afterAll(stopPipeline);

  it('dead-letters each with a reason naming the field and the cause, its payload intact', async () => {
    const p = started();
    for (const source of ['ctr', 'agent-events'] as const) {
      const dead = await deadLetters(p, source);
      const expected = hostile.filter((h) => h.source === source);
      expect(dead).toHaveLength(expected.length);
      for (const h of expected) {
        const d = dead.find((x) => Buffer.from(x.data, 'base64').toString('utf8') === h.line);
        if (!d) throw new Error(`${h.name} was not dead-lettered with its payload intact`);
        expect([h.name, d.reason]).toEqual([h.name, expect.stringMatching(/^Validation failed: /)]);
        expect([h.name, d.reason]).toEqual([h.name, expect.stringContaining(`${h.field}: `)]);
        expect([h.name, d.reason]).toEqual([h.name, expect.stringMatching(h.cause)]);
      }
      expect(p.totals[source]?.deadLettered).toBe(expected.length);
    }
  });

  it('takes bounded time and sends no batch to the on-failure destination', () => {
    // A far timestamp must not make a handler spread time over decades of buckets (it used to take minutes).
    expect(drainMs).toBeLessThan(60_000);
    expect(started().failedBatches).toEqual([]);
  });

  it('counts the good records around them exactly', async () => {
    const p = started();
    expect(compareWithTruth(sim.truth, await storedCells(p))).toEqual([]);
    const sessions = await p.store.sessions(START, END + 1);
    expect(sessions.map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort()).toEqual(sim.truth.sessions.map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort());
  });

  it('leaves the real-time views working, every latest state within the simulated window', async () => {
    const p = started();
    const states = await p.store.agentStates();
    expect(states.map((s) => s.agentArn)).toContain(knownAgent);
    // No event of 2100 (or of next year) became an agent's latest state.
    for (const s of states) expect(s.eventMs).toBeLessThanOrEqual(END);
    const { report, entities } = await loadRealtimeReport(p.store, null, { nowMs: END, window: parseWindow('24') });
    const views = realtimeCsv(report, entities);
    const queueNames = [...new Set(sim.ctrLines.map((l) => (clone(l).Queue as Json | null)?.Name).filter((n): n is string => typeof n === 'string'))];
    const viewText = [views.queues, views.routingProfiles, views.agents].join('\n');
    for (const name of queueNames) expect(viewText).toContain(name);
    expect(viewText.includes('\u001f')).toBe(false);
  });

  it('leaves every configured report working over the whole UTC day', async () => {
    const p = started();
    const defs = parseReportDefinitions(readFileSync(new URL('../../config/reports.json', import.meta.url), 'utf8'));
    expect(defs.length).toBeGreaterThan(0);
    const dayStart = Date.parse('2026-03-10T00:00:00Z');
    for (const def of defs) {
      const built = await buildReport(def, { startMs: dayStart, endMs: dayStart + DAY }, p.store);
      const csv = [...csvChunks(built.header, built.rows)].join('');
      expect([def.name, built.header.length > 0, csv.includes('\u001f')]).toEqual([def.name, true, false]);
    }
  });
});
