/**
 * Hostile input: every string that becomes a key, a name or a dimension is
 * bounded in UTF-8 bytes and free of control characters, lists are bounded,
 * and timestamps are real dates between 2000 and a day after now that keep a
 * contact within its 7 (+1) days. Each rejection names the field by its raw
 * path. And the work one accepted record can cause is bounded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventContribution, MAX_SEGMENT_MS, segmentCells, toTimelinePoint } from '../../../lambdas/domain/engine/agent-activity.js';
import { parseAgentEvent } from '../../../lambdas/domain/model/agent-event.js';
import { parseContactEvent } from '../../../lambdas/domain/model/contact-event.js';
import { parseCtr } from '../../../lambdas/domain/model/ctr.js';
import { jsonShapeIssue, safeJsonStringify } from '../../../lambdas/domain/model/json-shape.js';
import {
  MAX_ADDRESS_BYTES,
  MAX_ARN_BYTES,
  MAX_ENUM_BYTES,
  MAX_ID_BYTES,
  MAX_INBOUND_QUEUE_BYTES,
  MAX_INBOUND_QUEUES,
  MAX_NAME_BYTES,
  MAX_SNAPSHOT_CONTACTS,
  MAX_SPREAD_MS,
} from '../../../lambdas/domain/model/limits.js';
import type { ParseOptions, ParseResult } from '../../../lambdas/domain/model/validation.js';
import { handleContactEvent } from '../../../lambdas/handlers/contact-events.js';
import type { ContactEventDeadLetter } from '../../../lambdas/storage/contact-event-source.js';
import { BUCKET_MS, SpanTooLongError, splitByBucket } from '../../../lambdas/domain/time/intervals.js';
import { decodeRecordData } from '../../../lambdas/pipeline/decode.js';

const DAY = 86_400_000;
const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
/** "Now" for every parse below: noon on the fixtures' day. */
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const OPTS = { nowMs: NOW };
const iso = (ms: number): string => new Date(ms).toISOString();
const T0 = Date.UTC(2026, 2, 10, 9, 0, 0);

type Kind = 'arn' | 'id' | 'name' | 'address' | 'enum';
const MAX: Record<Kind, number> = { arn: MAX_ARN_BYTES, id: MAX_ID_BYTES, name: MAX_NAME_BYTES, address: MAX_ADDRESS_BYTES, enum: MAX_ENUM_BYTES };

/** A value of exactly `bytes` UTF-8 bytes: 3-byte characters for names (so characters ≠ bytes), ASCII otherwise; upper-case so that no enum value is known. */
function ofBytes(kind: Kind, bytes: number): string {
  if (kind !== 'name') return 'X'.repeat(bytes);
  return '日'.repeat(Math.floor(bytes / 3)) + 'x'.repeat(bytes % 3);
}

/** Sets `path` (`A.B[0].C`) in a copy of `doc`, creating objects on the way. */
function withValue(doc: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(doc);
  const keys = path.split(/\.|(?=\[)/).map((k) => (k.startsWith('[') ? Number(k.slice(1, -1)) : k));
  let node: Record<string | number, unknown> = copy;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else {
      node[key] ??= {};
      node = node[key] as Record<string | number, unknown>;
    }
  });
  return copy;
}

function reasonOf<T>(r: ParseResult<T>): string {
  if (r.ok) throw new Error('expected the record to be rejected');
  return r.error.message;
}

function expectAccepted<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error(`expected the record to be accepted, got: ${r.error.message}`);
  return r.value;
}

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

function ctr(): Record<string, unknown> {
  return {
    ContactId: 'c-1',
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: iso(T0),
    DisconnectTimestamp: iso(T0 + 300_000),
    LastUpdateTimestamp: iso(T0 + 302_000),
    // An agent block is only read when it names an agent.
    Agent: { ARN: `${INSTANCE}/agent/a-1`, Username: 'jdoe' },
  };
}

function agentEvent(): Record<string, unknown> {
  return {
    AgentARN: `${INSTANCE}/agent/a-1`,
    EventId: 'e-1',
    EventType: 'STATE_CHANGE',
    EventTimestamp: iso(T0),
    CurrentAgentSnapshot: {
      AgentStatus: { ARN: `${INSTANCE}/agent-state/s-1`, Name: 'Available', Type: 'ROUTABLE', StartTimestamp: iso(T0 - 60_000) },
      Configuration: {
        Username: 'jdoe',
        RoutingProfile: { ARN: `${INSTANCE}/routing-profile/rp-1`, Name: 'Basic', InboundQueues: [{ ARN: `${INSTANCE}/queue/q-1`, Name: 'BasicQueue' }] },
        AgentHierarchyGroups: { Level3: { ARN: `${INSTANCE}/agent-group/g-3`, Name: 'Seattle' } },
      },
      Contacts: [
        {
          ContactId: 'c-1',
          Channel: 'VOICE',
          InitiationMethod: 'INBOUND',
          State: 'CONNECTED',
          StateStartTimestamp: iso(T0 - 30_000),
          QueueTimestamp: iso(T0 - 60_000),
          ConnectedToAgentTimestamp: iso(T0 - 30_000),
          Queue: { ARN: `${INSTANCE}/queue/q-1`, Name: 'BasicQueue' },
        },
      ],
    },
  };
}

function contactEvent(): Record<string, unknown> {
  return {
    id: 'evt-1',
    time: iso(T0),
    'detail-type': 'Amazon Connect Contact Event',
    source: 'aws.connect',
    detail: {
      eventType: 'QUEUED',
      contactId: 'c-1',
      channel: 'VOICE',
      initiationMethod: 'INBOUND',
      instanceArn: INSTANCE,
      queueInfo: { queueArn: `${INSTANCE}/queue/q-1`, enqueueTimestamp: iso(T0) },
      agentInfo: { agentArn: `${INSTANCE}/agent/a-1` },
    },
  };
}

// ---------------------------------------------------------------------------
// Strings: lengths in bytes, control characters
// ---------------------------------------------------------------------------

type TextCase = readonly [path: string, kind: Kind];

const CTR_TEXT: readonly TextCase[] = [
  ['ContactId', 'id'],
  ['InitialContactId', 'id'],
  ['PreviousContactId', 'id'],
  ['NextContactId', 'id'],
  ['InstanceARN', 'arn'],
  ['Channel', 'enum'],
  ['InitiationMethod', 'enum'],
  ['DisconnectReason', 'enum'],
  ['Queue.ARN', 'arn'],
  ['Queue.Name', 'name'],
  ['Agent.ARN', 'arn'],
  ['Agent.Username', 'name'],
  ['Agent.RoutingProfile.ARN', 'arn'],
  ['Agent.RoutingProfile.Name', 'name'],
  ['Agent.HierarchyGroups.Level1.ARN', 'arn'],
  ['Agent.HierarchyGroups.Level1.GroupName', 'name'],
  ['Agent.HierarchyGroups.Level5.GroupName', 'name'],
  ['SystemEndpoint.Address', 'address'],
  ['CustomerEndpoint.Address', 'address'],
  ['TransferredToEndpoint.Address', 'address'],
];

const SNAP = 'CurrentAgentSnapshot';
const AGENT_TEXT: readonly TextCase[] = [
  ['AgentARN', 'arn'],
  ['EventId', 'id'],
  ['EventType', 'enum'],
  ['InstanceARN', 'arn'],
  ['Version', 'enum'],
  [`${SNAP}.AgentStatus.ARN`, 'arn'],
  [`${SNAP}.AgentStatus.Name`, 'name'],
  [`${SNAP}.AgentStatus.Type`, 'enum'],
  [`${SNAP}.Configuration.Username`, 'name'],
  [`${SNAP}.Configuration.FirstName`, 'name'],
  [`${SNAP}.Configuration.LastName`, 'name'],
  [`${SNAP}.Configuration.RoutingProfile.ARN`, 'arn'],
  [`${SNAP}.Configuration.RoutingProfile.Name`, 'name'],
  [`${SNAP}.Configuration.RoutingProfile.InboundQueues[0].ARN`, 'arn'],
  [`${SNAP}.Configuration.RoutingProfile.InboundQueues[0].Name`, 'name'],
  [`${SNAP}.Configuration.AgentHierarchyGroups.Level3.ARN`, 'arn'],
  [`${SNAP}.Configuration.AgentHierarchyGroups.Level3.Name`, 'name'],
  [`${SNAP}.Contacts[0].ContactId`, 'id'],
  [`${SNAP}.Contacts[0].InitialContactId`, 'id'],
  [`${SNAP}.Contacts[0].Channel`, 'enum'],
  [`${SNAP}.Contacts[0].InitiationMethod`, 'enum'],
  [`${SNAP}.Contacts[0].State`, 'enum'],
  [`${SNAP}.Contacts[0].Queue.ARN`, 'arn'],
  [`${SNAP}.Contacts[0].Queue.Name`, 'name'],
  ['PreviousAgentSnapshot.Configuration.RoutingProfile.Name', 'name'],
];

const CONTACT_EVENT_TEXT: readonly TextCase[] = [
  ['id', 'id'],
  ['detail.eventType', 'enum'],
  ['detail.contactId', 'id'],
  ['detail.initialContactId', 'id'],
  ['detail.previousContactId', 'id'],
  ['detail.instanceArn', 'arn'],
  ['detail.channel', 'enum'],
  ['detail.initiationMethod', 'enum'],
  ['detail.queueInfo.queueArn', 'arn'],
  ['detail.agentInfo.agentArn', 'arn'],
];

interface ModelCase {
  readonly model: string;
  readonly cases: readonly TextCase[];
  readonly base: () => Record<string, unknown>;
  readonly parse: (raw: unknown, options?: ParseOptions) => ParseResult<unknown>;
}

const MODELS: readonly ModelCase[] = [
  { model: 'parseCtr', cases: CTR_TEXT, base: ctr, parse: (raw, o = {}) => parseCtr(raw, { ...OPTS, ...o }) },
  { model: 'parseAgentEvent', cases: AGENT_TEXT, base: agentEvent, parse: (raw, o = {}) => parseAgentEvent(raw, { ...OPTS, ...o }) },
  { model: 'parseContactEvent', cases: CONTACT_EVENT_TEXT, base: contactEvent, parse: (raw, o = {}) => parseContactEvent(raw, { ...OPTS, ...o }) },
];

const CONTROL_CHARACTERS = ['\u0000', '\u0009', '\u000a', '\u000d', '\u001f', '\u007f'];

describe.each(MODELS)('$model: strings that become keys, names or dimensions', ({ cases, base, parse }) => {
  it('accepts the fixture', () => {
    expectAccepted(parse(base()));
  });

  it.each(cases)('%s (%s): a value of exactly the bound in UTF-8 bytes is accepted', (path, kind) => {
    expectAccepted(parse(withValue(base(), path, ofBytes(kind, MAX[kind]))));
  });

  it.each(cases)('%s (%s): one byte more is rejected, naming the field and the bound', (path, kind) => {
    expect(reasonOf(parse(withValue(base(), path, ofBytes(kind, MAX[kind] + 1))))).toContain(`${path}: longer than ${MAX[kind]} bytes (UTF-8)`);
  });

  it.each(cases)('%s (%s): a control character is rejected, naming the field', (path) => {
    for (const c of CONTROL_CHARACTERS) {
      expect(reasonOf(parse(withValue(base(), path, `A${c}B`)))).toContain(`${path}: contains a control character`);
    }
  });
});

describe('strings: what is allowed', () => {
  it('counts bytes, not characters: 342 three-byte characters (1,026 bytes) are too long for a queue name', () => {
    const name = '日'.repeat(342);
    expect(name.length).toBeLessThan(MAX_NAME_BYTES);
    expect(reasonOf(parseCtr(withValue(ctr(), 'Queue.Name', name), OPTS))).toContain('Queue.Name: longer than 1024 bytes (UTF-8)');
  });

  it('accepts a 256-character queue name in Japanese (768 bytes): Connect allows 256 characters', () => {
    expect(expectAccepted(parseCtr(withValue(ctr(), 'Queue.Name', 'キ'.repeat(256)), OPTS)).queue?.ref.name).toBe('キ'.repeat(256));
  });

  it('accepts U+2028, U+2029, C1 controls and emoji in names', () => {
    const name = 'Sales\u2028Line\u2029\u0085 🎧';
    expect(expectAccepted(parseAgentEvent(withValue(agentEvent(), `${SNAP}.Configuration.RoutingProfile.Name`, name), OPTS)).current?.configuration.routingProfile?.name).toBe(name);
  });

  it('a 450 KB name is rejected with a short reason', () => {
    const reason = reasonOf(parseCtr(withValue(ctr(), 'Agent.Username', 'n'.repeat(450_000)), OPTS));
    expect(reason).toContain('Agent.Username: longer than 1024 bytes (UTF-8)');
    expect(reason.length).toBeLessThan(200);
  });

  it('the U+001F dimension-key separator in a queue name is rejected', () => {
    expect(reasonOf(parseCtr(withValue(ctr(), 'Queue.Name', 'Sales\u001fEU'), OPTS))).toBe('Queue.Name: contains a control character, got "Sales\\u001fEU" (string)');
  });
});

// ---------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------

describe('parseAgentEvent: bounded lists', () => {
  const queues = (n: number) => Array.from({ length: n }, (_, i) => ({ ARN: `${INSTANCE}/queue/q-${i}`, Name: `Q${i}` }));
  const contacts = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ ContactId: `c-${i}`, Channel: 'CHAT', InitiationMethod: 'API', State: 'CONNECTED', StateStartTimestamp: iso(T0 - 1000) }));

  it(`accepts ${MAX_INBOUND_QUEUES} inbound queues in a routing profile`, () => {
    const e = expectAccepted(parseAgentEvent(withValue(agentEvent(), `${SNAP}.Configuration.RoutingProfile.InboundQueues`, queues(MAX_INBOUND_QUEUES)), OPTS));
    expect(e.current?.configuration.inboundQueues).toHaveLength(MAX_INBOUND_QUEUES);
  });

  it('rejects a routing profile with 5,000 inbound queues, naming the list', () => {
    expect(reasonOf(parseAgentEvent(withValue(agentEvent(), `${SNAP}.Configuration.RoutingProfile.InboundQueues`, queues(5000)), OPTS))).toBe(
      `${SNAP}.Configuration.RoutingProfile.InboundQueues: expected at most ${MAX_INBOUND_QUEUES} items, got "5000 items" (string)`,
    );
  });

  it(`rejects ${MAX_INBOUND_QUEUES} queues whose ids, ARNs and names would not fit one item, naming the list and its bytes`, () => {
    // 1,000 queues with UUID ids and 256-character names (Connect allows 127 for a queue name; names come from the stream and are bounded by bytes, not by Connect's rule).
    const long = Array.from({ length: MAX_INBOUND_QUEUES }, (_, i) => ({ ARN: `${INSTANCE}/queue/${String(i).padStart(8, '0')}-1111-2222-3333-444444444444`, Name: `Q${i}`.padEnd(256, 'x') }));
    const reason = reasonOf(parseAgentEvent(withValue(agentEvent(), `${SNAP}.Configuration.RoutingProfile.InboundQueues`, long), OPTS));
    expect(reason).toMatch(new RegExp(`^${SNAP}\\.Configuration\\.RoutingProfile\\.InboundQueues: expected at most ${MAX_INBOUND_QUEUE_BYTES} bytes of queue ids, ARNs and names, got "\\d+ bytes"`));
    // Multi-byte names count in UTF-8 bytes: 800 queues with names of 120 characters, most of them three bytes, are over, as characters they would not be.
    const wide = Array.from({ length: 800 }, (_, i) => ({ ARN: `${INSTANCE}/queue/q-${i}`, Name: `${i}`.padEnd(120, '€') }));
    expect(reasonOf(parseAgentEvent(withValue(agentEvent(), `${SNAP}.Configuration.RoutingProfile.InboundQueues`, wide), OPTS))).toContain('bytes of queue ids, ARNs and names');
    expectAccepted(parseAgentEvent(withValue(agentEvent(), `${SNAP}.Configuration.RoutingProfile.InboundQueues`, wide.slice(0, 400)), OPTS));
  });

  it(`accepts ${MAX_SNAPSHOT_CONTACTS} contacts in a snapshot and rejects one more`, () => {
    expectAccepted(parseAgentEvent(withValue(agentEvent(), `${SNAP}.Contacts`, contacts(MAX_SNAPSHOT_CONTACTS)), OPTS));
    expect(reasonOf(parseAgentEvent(withValue(agentEvent(), 'PreviousAgentSnapshot.Contacts', contacts(MAX_SNAPSHOT_CONTACTS + 1)), OPTS))).toContain(
      `PreviousAgentSnapshot.Contacts: expected at most ${MAX_SNAPSHOT_CONTACTS} items`,
    );
  });
});

// ---------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------

const TOO_EARLY = 'expected a time from 2000-01-01T00:00:00Z on';
const TOO_LATE = `expected a time at most a day after now (${iso(NOW)})`;

/** A CTR whose times are all shifted to start at `t0`. */
function ctrAt(t0: number): Record<string, unknown> {
  return { ...ctr(), InitiationTimestamp: iso(t0), DisconnectTimestamp: iso(t0 + 300_000), LastUpdateTimestamp: iso(t0 + 302_000) };
}

describe('timestamps: between 2000-01-01 and a day after now', () => {
  it.each([
    ['1970', '1970-01-01T00:00:00Z'],
    ['1999', '1999-12-31T23:59:59Z'],
  ])('a CTR dated %s is rejected, naming InitiationTimestamp', (_, text) => {
    const t = Date.parse(text);
    expect(reasonOf(parseCtr(ctrAt(t), OPTS))).toContain(`InitiationTimestamp: ${TOO_EARLY}`);
  });

  it('a CTR from 2000-01-01T00:00:00Z on is accepted', () => {
    expectAccepted(parseCtr(ctrAt(Date.UTC(2000, 0, 1)), OPTS));
  });

  it('a CTR disconnected exactly a day after now is accepted, a millisecond later rejected', () => {
    const ok = { ...ctrAt(NOW + DAY - 302_000) };
    expectAccepted(parseCtr(ok, OPTS));
    const late = { ...ok, LastUpdateTimestamp: iso(NOW + DAY + 1) };
    expect(reasonOf(parseCtr(late, OPTS))).toBe(`LastUpdateTimestamp: ${TOO_LATE}, got "${iso(NOW + DAY + 1)}" (string)`);
  });

  it('without options, "now" is the real clock: 2100 is rejected, the fixtures (2026-03-10) are not', () => {
    expect(reasonOf(parseCtr(ctrAt(Date.UTC(2100, 0, 1))))).toContain('InitiationTimestamp: expected a time at most a day after now');
    expectAccepted(parseCtr(ctr()));
  });

  it.each([
    ['EventTimestamp', '1970-01-01T00:00:00.000Z', TOO_EARLY],
    ['EventTimestamp', '2100-01-01T00:00:00.000Z', TOO_LATE],
    [`${SNAP}.AgentStatus.StartTimestamp`, '1970-01-01T00:00:00.000Z', TOO_EARLY],
    [`${SNAP}.AgentStatus.StartTimestamp`, iso(NOW + DAY + 1), TOO_LATE],
    [`${SNAP}.Contacts[0].StateStartTimestamp`, iso(NOW + DAY + 1), TOO_LATE],
  ])('an agent event with %s = %s is rejected', (path, text, message) => {
    expect(reasonOf(parseAgentEvent(withValue(agentEvent(), path, text), OPTS))).toContain(`${path}: ${message}`);
  });

  it('an agent Offline for weeks before a LOGIN is accepted (the status start bounds no work)', () => {
    const e = withValue(withValue(agentEvent(), `${SNAP}.AgentStatus.StartTimestamp`, iso(T0 - 40 * DAY)), 'EventType', 'LOGIN');
    expect(expectAccepted(parseAgentEvent(e, OPTS)).current?.status?.startMs).toBe(T0 - 40 * DAY);
  });

  it.each([
    ['time', '1970-01-01T00:00:00Z', TOO_EARLY],
    ['detail.queueInfo.enqueueTimestamp', '2100-01-01T00:00:00Z', TOO_LATE],
  ])('a contact event with %s = %s is rejected', (path, text, message) => {
    expect(reasonOf(parseContactEvent(withValue(contactEvent(), path, text), OPTS))).toContain(`${path}: ${message}`);
  });
});

describe('parseCtr: a contact lasts at most 7 days, its stages within [−1 min, +8 days] of initiation', () => {
  const LATER = { nowMs: T0 + 30 * DAY };

  it('a disconnect before the initiation is rejected', () => {
    expect(reasonOf(parseCtr({ ...ctr(), DisconnectTimestamp: iso(T0 - 1000) }, OPTS))).toContain('DisconnectTimestamp: expected a time not before InitiationTimestamp');
  });

  it('a contact of exactly 7 days is accepted, one second longer rejected', () => {
    expectAccepted(parseCtr({ ...ctr(), DisconnectTimestamp: iso(T0 + 7 * DAY), LastUpdateTimestamp: iso(T0 + 7 * DAY) }, LATER));
    expect(reasonOf(parseCtr({ ...ctr(), DisconnectTimestamp: iso(T0 + 7 * DAY + 1000), LastUpdateTimestamp: iso(T0 + 7 * DAY + 1000) }, LATER))).toContain(
      'DisconnectTimestamp: expected a time at most 7 days after InitiationTimestamp',
    );
  });

  it('a last update a month after the contact is accepted (Connect updates records later); one before the initiation is not', () => {
    expectAccepted(parseCtr({ ...ctr(), LastUpdateTimestamp: iso(T0 + 29 * DAY) }, LATER));
    expect(reasonOf(parseCtr({ ...ctr(), LastUpdateTimestamp: iso(T0 - 61_000) }, OPTS))).toContain('LastUpdateTimestamp: expected a time not before InitiationTimestamp');
  });

  const STAGES = [
    'ConnectedToSystemTimestamp',
    'TransferCompletedTimestamp',
    'Queue.EnqueueTimestamp',
    'Queue.DequeueTimestamp',
    'Agent.ConnectedToAgentTimestamp',
    'Agent.AfterContactWorkStartTimestamp',
    'Agent.AfterContactWorkEndTimestamp',
  ];
  const withStage = (path: string, ms: number) => {
    const raw = withValue(ctr(), path, iso(ms));
    // The queue and agent need an identity to be kept.
    if (path.startsWith('Queue.')) (raw.Queue as Record<string, unknown>).Name = 'BasicQueue';
    if (path.startsWith('Agent.')) (raw.Agent as Record<string, unknown>).Username = 'jdoe';
    return raw;
  };

  it.each(STAGES)('%s: accepted from 1 minute before to 8 days after the initiation', (path) => {
    expectAccepted(parseCtr(withStage(path, T0 - 60_000), LATER));
    expectAccepted(parseCtr(withStage(path, T0 + 8 * DAY), LATER));
  });

  it.each(STAGES)('%s: rejected outside, naming the field', (path) => {
    const message = `${path}: expected a time from 1 minute before to 8 days after InitiationTimestamp`;
    expect(reasonOf(parseCtr(withStage(path, T0 - 61_000), LATER))).toContain(message);
    expect(reasonOf(parseCtr(withStage(path, T0 + 8 * DAY + 1000), LATER))).toContain(message);
  });

  it('an unparseable timestamp is reported once, without a second issue for the relation', () => {
    const r = parseCtr({ ...ctr(), InitiationTimestamp: 'soon' }, OPTS);
    expect(!r.ok && r.error.issues.map((i) => i.path)).toEqual(['InitiationTimestamp']);
  });
});

describe('parseAgentEvent: contact times at most 8 days before the event', () => {
  const PREV = 'PreviousAgentSnapshot.Contacts[0]';
  /** The fixture with a previous snapshot whose contact has `field` at `ms` (and no other spelling of it). */
  const at = (field: string, ms: number): Record<string, unknown> => {
    const raw = withValue({ ...agentEvent(), PreviousAgentSnapshot: structuredClone(agentEvent().CurrentAgentSnapshot) }, `${PREV}.${field}`, iso(ms));
    const contact = (raw.PreviousAgentSnapshot as { Contacts: Array<Record<string, unknown>> }).Contacts[0] as Record<string, unknown>;
    // The spelling variant is read only when the documented one is absent.
    if (field === 'ConnectedToAgentTimeStamp') delete contact.ConnectedToAgentTimestamp;
    return raw;
  };

  it.each(['StateStartTimestamp', 'QueueTimestamp', 'ConnectedToAgentTimestamp', 'ConnectedToAgentTimeStamp'])('%s: 8 days before is accepted', (field) => {
    expectAccepted(parseAgentEvent(at(field, T0 - 8 * DAY), OPTS));
  });

  it.each(['StateStartTimestamp', 'QueueTimestamp', 'ConnectedToAgentTimestamp', 'ConnectedToAgentTimeStamp'])('%s: a millisecond more is rejected, naming the field', (field) => {
    expect(reasonOf(parseAgentEvent(at(field, T0 - 8 * DAY - 1), OPTS))).toContain(`${PREV}.${field}: expected a time at most 8 days before EventTimestamp`);
  });
});

// ---------------------------------------------------------------------------
// Bounded work
// ---------------------------------------------------------------------------

const MAX_BUCKETS = MAX_SPREAD_MS / BUCKET_MS;

describe('the work one record causes is bounded', () => {
  it('splitByBucket splits 8 days into 768 buckets and refuses a longer span', () => {
    expect(splitByBucket(T0, T0 + MAX_SPREAD_MS)).toHaveLength(MAX_BUCKETS);
    expect(() => splitByBucket(Date.UTC(1970, 0, 1), Date.UTC(2100, 0, 1))).toThrow(SpanTooLongError);
  });

  it('an accepted event ending ACW that started 8 days earlier spreads over at most 769 buckets', () => {
    const raw = {
      ...agentEvent(),
      CurrentAgentSnapshot: { ...(agentEvent().CurrentAgentSnapshot as Record<string, unknown>), Contacts: [] },
      PreviousAgentSnapshot: {
        ...(agentEvent().CurrentAgentSnapshot as Record<string, unknown>),
        Contacts: [{ ContactId: 'c-1', Channel: 'VOICE', InitiationMethod: 'INBOUND', State: 'ENDED', StateStartTimestamp: iso(T0 - 8 * DAY) }],
      },
    };
    const cells = eventContribution(expectAccepted(parseAgentEvent(raw, OPTS)));
    const acw = cells.filter((c) => c.values.agent_acw_time !== undefined);
    expect(acw.length).toBeLessThanOrEqual(MAX_BUCKETS + 1);
    expect(acw.reduce((s, c) => s + (c.values.agent_acw_time ?? 0), 0)).toBe(8 * DAY);
  });

  it('status time between two valid events 25 years apart counts 24 hours (the segment cap), not 25 years of buckets', () => {
    const early = expectAccepted(parseAgentEvent(withValue(agentEvent(), 'EventTimestamp', '2001-01-01T00:00:00.000Z'), { nowMs: NOW }));
    const cells = segmentCells(toTimelinePoint(early), T0);
    const online = cells.filter((c) => c.values.online_time !== undefined);
    expect(online.length).toBeLessThanOrEqual(MAX_BUCKETS + 1);
    // segmentCells counts at most MAX_SEGMENT_MS of one event's status time (agent-activity.ts): well inside MAX_SPREAD_MS.
    expect(online.reduce((s, c) => s + (c.values.online_time ?? 0), 0)).toBe(MAX_SEGMENT_MS);
  });
});

// ---------------------------------------------------------------------------
// Contact events: depth and size
// ---------------------------------------------------------------------------

/** An event whose `detail.x` nests `depth` objects (`{a: {a: …}}`) or arrays (`{a: [[…]]}`), and its JSON built by hand. */
function deepEvent(depth: number, kind: 'object' | 'array'): { raw: Record<string, unknown>; json: string } {
  const top: Record<string, unknown> | unknown[] = kind === 'object' ? {} : [];
  let node = top;
  for (let i = 1; i < depth; i++) {
    const child: Record<string, unknown> | unknown[] = kind === 'object' ? {} : [];
    if (Array.isArray(node)) node.push(child);
    else node.a = child;
    node = child;
  }
  const nested = kind === 'object' ? `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
  return {
    raw: { id: 'deep-1', detail: { eventType: 'QUEUED', contactId: 'c-1', x: { a: top } } },
    json: `{"id":"deep-1","detail":{"eventType":"QUEUED","contactId":"c-1","x":{"a":${nested}}}}`,
  };
}

describe('contact events: nesting and size', () => {
  it.each(['object', 'array'] as const)('a detail with 10,000 levels of nested %ss is rejected with a reason, not a RangeError', (kind) => {
    const { raw } = deepEvent(10_000, kind);
    expect(() => JSON.stringify(raw)).toThrow(RangeError);
    const reason = reasonOf(parseContactEvent(raw, OPTS));
    expect(reason).toMatch(/^detail\.x\.a(\.a|\[0\])*: expected objects and arrays nested at most 32 levels deep/);
  });

  it('a document holding more than 10,000 values is rejected', () => {
    const raw = withValue(contactEvent(), 'detail.extra', Array.from({ length: 20_000 }, () => 0));
    expect(reasonOf(parseContactEvent(raw, OPTS))).toContain('(root): expected at most 10000 values in the document');
  });

  it('the documented event shapes pass the guard', () => {
    expect(jsonShapeIssue(contactEvent())).toBeNull();
  });

  it('the handler dead-letters a 10,000-level event with its payload and reason, and does not throw', async () => {
    const { raw, json } = deepEvent(10_000, 'object');
    const letters: ContactEventDeadLetter[] = [];
    const outcomes: string[] = [];
    const store = {
      apply: () => Promise.reject(new Error('a rejected event must not be applied')),
      putDeadLetter: (d: ContactEventDeadLetter) => {
        letters.push(d);
        return Promise.resolve();
      },
    };
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const r = await handleContactEvent(raw, { store, log, report: (c) => outcomes.push(c.outcome), now: () => NOW });
    expect([r.outcome, outcomes, letters.length]).toEqual(['dead-lettered', ['dead-lettered'], 1]);
    expect(letters[0]?.eventId).toBe('deep-1');
    expect(letters[0]?.reason).toContain('expected objects and arrays nested at most 32 levels deep');
    expect(letters[0]?.data).toBe(json);
  });
});

describe('safeJsonStringify', () => {
  it('equals JSON.stringify on JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(safeJsonStringify(v)).toBe(JSON.stringify(v));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves undefined out of objects, writes null for it in arrays, and never throws on a cycle', () => {
    const cyclic: Record<string, unknown> = { a: 1, u: undefined, list: [undefined, 2] };
    cyclic.self = cyclic;
    expect(safeJsonStringify(cyclic)).toBe('{"a":1,"list":[null,2],"self":null}');
  });
});

describe('records decoded from Kinesis: strings are scanned for control characters only when the JSON text may hold one', () => {
  const viaKinesis = (raw: unknown) => {
    const decoded = decodeRecordData(Buffer.from(JSON.stringify(raw), 'utf8').toString('base64'));
    if (!decoded.ok) throw new Error(decoded.reason);
    return decoded;
  };

  it('reads clean JSON text as holding none (no string is scanned)', () => {
    expect(viaKinesis(ctr()).controlCharacters).toBe(false);
    expect(viaKinesis(agentEvent()).controlCharacters).toBe(false);
  });

  it.each(MODELS)('$model: every control character in every field still fails validation through the decoder', ({ cases, base, parse }) => {
    for (const [path] of cases) {
      for (const c of CONTROL_CHARACTERS) {
        const decoded = viaKinesis(withValue(base(), path, `A${c}B`));
        expect(decoded.controlCharacters).toBe(true);
        expect(reasonOf(parse(decoded.json, { controlCharacters: decoded.controlCharacters }))).toContain(`${path}: contains a control character`);
      }
    }
  });

  it('an escaped backslash before "n" is only a false alarm: the strings are scanned and accepted', () => {
    const raw = withValue(ctr(), 'Queue.Name', 'C:\\new');
    const decoded = viaKinesis(raw);
    expect(decoded.controlCharacters).toBe(true);
    expectAccepted(parseCtr(decoded.json, { ...OPTS, controlCharacters: decoded.controlCharacters }));
  });
});
