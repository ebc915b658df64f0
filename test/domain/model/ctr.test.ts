import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCtr } from '../../../lambdas/domain/model/ctr.js';
import type { Ctr } from '../../../lambdas/domain/model/types.js';
import { parseIsoTimestamp, ValidationError } from '../../../lambdas/domain/model/validation.js';
import type { ParseResult } from '../../../lambdas/domain/model/validation.js';

const SAMPLES = new URL('../../../sample-events/', import.meta.url);
const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const BASIC_QUEUE_ARN = `${INSTANCE}/queue/6f3c1d2e-8a4b-4c5d-9e6f-0a1b2c3d4e01`;
const PRIMARY_QUEUE_ARN = `${INSTANCE}/queue/6f3c1d2e-8a4b-4c5d-9e6f-0a1b2c3d4e02`;
const JDOE_ARN = `${INSTANCE}/agent/7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c01`;
const contactId = (n: number): string => `5d0c6a1e-2f3b-4c4d-9e5f-6a7b8c9d00${String(n).padStart(2, '0')}`;
/** Epoch ms of hh:mm:ss on the fixtures' day, 2026-03-10 UTC. */
const at = (h: number, m: number, s: number): number => Date.UTC(2026, 2, 10, h, m, s);

const CTR_FILES = [
  'answered-inbound',
  'answered-inbound-update',
  'abandoned',
  'callback-original',
  'callback',
  'outbound',
  'transfer-original',
  'transfer',
  'api',
  'chat-unknown-enum',
] as const;

function readText(path: string): string {
  return readFileSync(new URL(path, SAMPLES), 'utf8');
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readText(path)) as Record<string, unknown>;
}

function expectOk<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new Error(`expected a valid record, got: ${result.error.message}`);
  expect(result.ok).toBe(true);
  return result.value;
}

function expectFailure<T>(result: ParseResult<T>): ValidationError {
  if (result.ok) throw new Error('expected the record to be rejected');
  expect(result.error).toBeInstanceOf(ValidationError);
  return result.error;
}

function sample(name: (typeof CTR_FILES)[number]): Ctr {
  return expectOk(parseCtr(readJson(`ctr/${name}.json`)));
}

/** The smallest valid raw CTR: only the required fields. */
function minimalCtr(): Record<string, unknown> {
  return {
    ContactId: 'c-1',
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: '2026-03-10T09:00:00Z',
    DisconnectTimestamp: '2026-03-10T09:05:00Z',
    LastUpdateTimestamp: '2026-03-10T09:05:02Z',
  };
}

function withAgent(agent: Record<string, unknown>): Record<string, unknown> {
  return { ...minimalCtr(), Agent: agent };
}

function withQueue(queue: Record<string, unknown>): Record<string, unknown> {
  return { ...minimalCtr(), Queue: queue };
}

describe('parseCtr: sample contact records', () => {
  it('every sample is accepted', () => {
    const rejected = CTR_FILES.filter((name) => !parseCtr(readJson(`ctr/${name}.json`)).ok);
    expect(rejected).toEqual([]);
  });

  it('answered-inbound: identity, channel and timestamps in epoch ms', () => {
    const ctr = sample('answered-inbound');
    expect(ctr.contactId).toBe(contactId(1));
    expect(ctr.instanceArn).toBe(INSTANCE);
    expect(ctr.channel).toBe('VOICE');
    expect(ctr.initiationMethod).toBe('INBOUND');
    expect(ctr.initiationMs).toBe(at(9, 0, 0));
    expect(ctr.connectedToSystemMs).toBe(at(9, 0, 0));
    expect(ctr.disconnectMs).toBe(at(9, 5, 25));
    expect(ctr.lastUpdateMs).toBe(at(9, 6, 12));
    expect(ctr.disconnectReason).toBe('CUSTOMER_DISCONNECT');
    expect(ctr.agentConnectionAttempts).toBe(1);
  });

  it('answered-inbound: queue ref, timestamps and Duration', () => {
    expect(sample('answered-inbound').queue).toEqual({
      ref: { id: BASIC_QUEUE_ARN, arn: BASIC_QUEUE_ARN, name: 'BasicQueue' },
      enqueueMs: at(9, 0, 10),
      dequeueMs: at(9, 0, 25),
      durationSec: 15,
    });
  });

  it('answered-inbound: agent block', () => {
    const agent = sample('answered-inbound').agent;
    expect(agent?.ref).toEqual({ id: JDOE_ARN, arn: JDOE_ARN, name: 'jdoe' });
    expect(agent?.username).toBe('jdoe');
    expect(agent?.routingProfile?.name).toBe('Basic Routing Profile');
    expect(agent?.routingProfile?.id).toBe(`${INSTANCE}/routing-profile/8b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d01`);
    expect(agent?.connectedToAgentMs).toBe(at(9, 0, 25));
    expect(agent?.agentInteractionDurationSec).toBe(270);
    expect(agent?.customerHoldDurationSec).toBe(30);
    expect(agent?.numberOfHolds).toBe(1);
    expect(agent?.longestHoldDurationSec).toBe(30);
    expect(agent?.afterContactWorkDurationSec).toBe(45);
    expect(agent?.afterContactWorkStartMs).toBe(at(9, 5, 25));
    expect(agent?.afterContactWorkEndMs).toBe(at(9, 6, 10));
  });

  it('answered-inbound: five hierarchy levels from GroupName', () => {
    const h = sample('answered-inbound').agent?.hierarchy;
    expect([h?.level1, h?.level2, h?.level3, h?.level4, h?.level5].map((g) => g?.name)).toEqual([
      'North America',
      'US East',
      'Seattle Site',
      'Customer Support',
      'Team Blue',
    ]);
    expect(h?.level1?.id).toBe(`${INSTANCE}/agent-group/9c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e51`);
  });

  it('answered-inbound: endpoints', () => {
    const ctr = sample('answered-inbound');
    expect(ctr.systemPhoneNumber).toBe('+18005550100');
    expect(ctr.customerPhoneNumber).toBe('+12065550101');
    expect(ctr.transferredToEndpoint).toBeNull();
    expect(ctr.transferCompletedMs).toBeNull();
  });

  it('answered-inbound-update: same contact, later LastUpdateTimestamp, different ACW', () => {
    const first = sample('answered-inbound');
    const update = sample('answered-inbound-update');
    expect(update.contactId).toBe(first.contactId);
    expect(update.lastUpdateMs).toBeGreaterThan(first.lastUpdateMs);
    expect(update.agent?.afterContactWorkDurationSec).toBe(75);
    expect(update.agent?.afterContactWorkEndMs).toBe(at(9, 6, 40));
  });

  it('abandoned: queued, no agent, customer disconnect', () => {
    const ctr = sample('abandoned');
    expect(ctr.agent).toBeNull();
    expect(ctr.queue?.ref.name).toBe('PrimaryQueue');
    expect(ctr.queue?.ref.id).toBe(PRIMARY_QUEUE_ARN);
    expect(ctr.queue?.durationSec).toBe(90);
    expect(ctr.disconnectReason).toBe('CUSTOMER_DISCONNECT');
    expect(ctr.agentConnectionAttempts).toBe(0);
  });

  it('callback-original and callback are linked both ways', () => {
    const original = sample('callback-original');
    const callback = sample('callback');
    expect(original.agent).toBeNull();
    expect(original.disconnectReason).toBe('CONTACT_FLOW_DISCONNECT');
    expect(original.nextContactId).toBe(callback.contactId);
    expect(callback.initiationMethod).toBe('CALLBACK');
    expect(callback.previousContactId).toBe(original.contactId);
    expect(callback.initialContactId).toBe(original.contactId);
  });

  it('callback: queued then answered, customer reached after the agent', () => {
    const ctr = sample('callback');
    expect(ctr.queue?.durationSec).toBe(270);
    expect(ctr.agent?.username).toBe('asmith');
    expect(ctr.agent?.connectedToAgentMs).toBe(at(9, 25, 42));
    expect(ctr.connectedToSystemMs).toBe(at(9, 25, 50));
  });

  it('outbound: queue ref without queue timestamps gives a null duration', () => {
    const ctr = sample('outbound');
    expect(ctr.initiationMethod).toBe('OUTBOUND');
    expect(ctr.queue).toEqual({
      ref: { id: BASIC_QUEUE_ARN, arn: BASIC_QUEUE_ARN, name: 'BasicQueue' },
      enqueueMs: null,
      dequeueMs: null,
      durationSec: null,
    });
    expect(ctr.agent?.numberOfHolds).toBe(2);
    expect(ctr.agent?.customerHoldDurationSec).toBe(60);
  });

  it('transfer-original and transfer are linked, answered by different agents', () => {
    const original = sample('transfer-original');
    const transfer = sample('transfer');
    expect(original.nextContactId).toBe(transfer.contactId);
    expect(transfer.initiationMethod).toBe('TRANSFER');
    expect(transfer.previousContactId).toBe(original.contactId);
    expect(transfer.queue?.ref.name).toBe('PrimaryQueue');
    expect(transfer.queue?.durationSec).toBe(45);
    expect(original.agent?.username).toBe('jdoe');
    expect(transfer.agent?.username).toBe('asmith');
    expect(transfer.agent?.hierarchy.level5?.name).toBe('Team Green');
  });

  it('api: queued and answered', () => {
    const ctr = sample('api');
    expect(ctr.initiationMethod).toBe('API');
    expect(ctr.queue?.durationSec).toBe(20);
    expect(ctr.agent?.connectedToAgentMs).toBe(at(10, 30, 24));
  });

  it('known enum values are not reported', () => {
    const reported = CTR_FILES.filter((n) => n !== 'chat-unknown-enum').flatMap((name) => {
      const result = parseCtr(readJson(`ctr/${name}.json`));
      return result.ok ? result.unknownEnums : [];
    });
    expect(reported).toEqual([]);
  });

  it('the samples are self-consistent (queue, talk + hold, ACW)', () => {
    // Each sample yields "field: reported vs derived" lines for the pairs that disagree.
    const mismatches = CTR_FILES.flatMap((name) => {
      const ctr = sample(name);
      const { queue, agent } = ctr;
      const pairs: [string, number | null, number | null][] = [];
      if (queue !== null && queue.enqueueMs !== null && queue.dequeueMs !== null) {
        pairs.push(['queue duration', queue.durationSec, (queue.dequeueMs - queue.enqueueMs) / 1000]);
      }
      if (agent !== null && agent.connectedToAgentMs !== null) {
        const acwSec = ((agent.afterContactWorkEndMs ?? 0) - (agent.afterContactWorkStartMs ?? 0)) / 1000;
        pairs.push(['talk + hold', agent.agentInteractionDurationSec + agent.customerHoldDurationSec, (ctr.disconnectMs - agent.connectedToAgentMs) / 1000]);
        pairs.push(['ACW start', agent.afterContactWorkStartMs, ctr.disconnectMs]);
        pairs.push(['ACW duration', agent.afterContactWorkDurationSec, acwSec]);
      }
      return pairs.filter(([, reported, derived]) => reported !== derived).map(([field, r, d]) => `${name} ${field}: ${r} vs ${d}`);
    });
    expect(mismatches).toEqual([]);
  });
});

describe('parseCtr: unknown enum values', () => {
  it('carries unknown Channel and InitiationMethod as strings', () => {
    const ctr = sample('chat-unknown-enum');
    expect(ctr.channel).toBe('VIDEO_CALL');
    expect(ctr.initiationMethod).toBe('WEBRTC_FUTURE');
  });

  it('reports them with their raw path', () => {
    const result = parseCtr(readJson('ctr/chat-unknown-enum.json'));
    expect(result.ok && result.unknownEnums).toEqual([
      { path: 'Channel', value: 'VIDEO_CALL' },
      { path: 'InitiationMethod', value: 'WEBRTC_FUTURE' },
    ]);
  });

  it('carries and reports an unknown DisconnectReason', () => {
    const result = parseCtr({ ...minimalCtr(), DisconnectReason: 'SOLAR_FLARE' });
    expect(expectOk(result).disconnectReason).toBe('SOLAR_FLARE');
    expect(result.ok && result.unknownEnums).toEqual([{ path: 'DisconnectReason', value: 'SOLAR_FLARE' }]);
  });
});

describe('parseCtr: optional and nullable fields', () => {
  it('accepts a record with only the required fields', () => {
    const ctr = expectOk(parseCtr(minimalCtr()));
    expect(ctr).toMatchObject({
      contactId: 'c-1',
      initialContactId: null,
      connectedToSystemMs: null,
      disconnectReason: null,
      agentConnectionAttempts: null,
      queue: null,
      agent: null,
      systemPhoneNumber: null,
      customerPhoneNumber: null,
    });
  });

  it('accepts null for every optional field', () => {
    const raw = {
      ...minimalCtr(),
      InitialContactId: null,
      PreviousContactId: null,
      NextContactId: null,
      InstanceARN: null,
      ConnectedToSystemTimestamp: null,
      DisconnectReason: null,
      AgentConnectionAttempts: null,
      Queue: null,
      Agent: null,
      SystemEndpoint: null,
      CustomerEndpoint: { Address: null, Type: null },
      TransferredToEndpoint: null,
      TransferCompletedTimestamp: null,
    };
    const ctr = expectOk(parseCtr(raw));
    expect(ctr.queue).toBeNull();
    expect(ctr.customerPhoneNumber).toBeNull();
  });

  it('maps TransferredToEndpoint and TransferCompletedTimestamp', () => {
    const raw = {
      ...minimalCtr(),
      TransferredToEndpoint: { Address: '+14255550199', Type: 'TELEPHONE_NUMBER' },
      TransferCompletedTimestamp: '2026-03-10T09:04:00Z',
    };
    const ctr = expectOk(parseCtr(raw));
    expect(ctr.transferredToEndpoint).toBe('+14255550199');
    expect(ctr.transferCompletedMs).toBe(at(9, 4, 0));
  });

  it('missing agent numbers become 0 and missing agent timestamps null', () => {
    const agent = expectOk(parseCtr(withAgent({ ARN: JDOE_ARN }))).agent;
    expect(agent).toMatchObject({
      agentInteractionDurationSec: 0,
      customerHoldDurationSec: 0,
      afterContactWorkDurationSec: 0,
      numberOfHolds: 0,
      longestHoldDurationSec: 0,
      connectedToAgentMs: null,
      afterContactWorkStartMs: null,
      username: null,
      routingProfile: null,
    });
    expect(agent?.hierarchy).toEqual({ level1: null, level2: null, level3: null, level4: null, level5: null });
  });

  it('uses the Username as agent id when the ARN is missing', () => {
    const agent = expectOk(parseCtr(withAgent({ Username: 'jdoe', AgentInteractionDuration: 10 }))).agent;
    expect(agent?.ref).toEqual({ id: 'jdoe', arn: null, name: 'jdoe' });
  });

  it('an agent block with neither ARN nor Username is no agent', () => {
    expect(expectOk(parseCtr(withAgent({ ARN: null, AgentInteractionDuration: 10 }))).agent).toBeNull();
  });

  it('uses the queue Name as id when the ARN is missing or empty', () => {
    expect(expectOk(parseCtr(withQueue({ ARN: '', Name: 'BasicQueue' }))).queue?.ref).toEqual({
      id: 'BasicQueue',
      arn: null,
      name: 'BasicQueue',
    });
  });

  it('a queue block with neither ARN nor Name is no queue', () => {
    expect(expectOk(parseCtr(withQueue({ EnqueueTimestamp: '2026-03-10T09:00:00Z' }))).queue).toBeNull();
  });

  it('a hierarchy level that is null stays null', () => {
    const raw = withAgent({ ARN: JDOE_ARN, HierarchyGroups: { Level1: { ARN: 'arn:g1', GroupName: 'G1' }, Level2: null } });
    const h = expectOk(parseCtr(raw)).agent?.hierarchy;
    expect(h?.level1).toEqual({ id: 'arn:g1', arn: 'arn:g1', name: 'G1' });
    expect(h?.level2).toBeNull();
    expect(h?.level5).toBeNull();
  });
});

describe('parseCtr: queue duration', () => {
  it('uses QueueInfo.Duration when present, even if the timestamps disagree', () => {
    const raw = withQueue({ ARN: 'q', EnqueueTimestamp: '2026-03-10T09:00:00Z', DequeueTimestamp: '2026-03-10T09:00:30Z', Duration: 29 });
    expect(expectOk(parseCtr(raw)).queue?.durationSec).toBe(29);
  });

  it('derives it from the timestamps, rounded to whole seconds, when Duration is missing', () => {
    const raw = withQueue({ ARN: 'q', EnqueueTimestamp: '2026-03-10T09:00:00.000Z', DequeueTimestamp: '2026-03-10T09:00:12.600Z' });
    expect(expectOk(parseCtr(raw)).queue?.durationSec).toBe(13);
  });

  it('derives it when Duration is null', () => {
    const raw = withQueue({ ARN: 'q', EnqueueTimestamp: '2026-03-10T09:00:00Z', DequeueTimestamp: '2026-03-10T09:01:00Z', Duration: null });
    expect(expectOk(parseCtr(raw)).queue?.durationSec).toBe(60);
  });

  it('is null when a timestamp is missing and there is no Duration', () => {
    const raw = withQueue({ ARN: 'q', EnqueueTimestamp: '2026-03-10T09:00:00Z' });
    expect(expectOk(parseCtr(raw)).queue).toEqual({
      ref: { id: 'q', arn: 'q', name: null },
      enqueueMs: at(9, 0, 0),
      dequeueMs: null,
      durationSec: null,
    });
  });
});

describe('parseCtr: timestamps', () => {
  it.each([
    ['2026-03-10T09:00:00Z', at(9, 0, 0)],
    ['2026-03-10T09:00:00.250Z', at(9, 0, 0) + 250],
    ['2026-03-10T09:00:00.5Z', at(9, 0, 0) + 500],
    ['2026-03-10T10:00:00+01:00', at(9, 0, 0)],
    ['2026-03-10T04:00:00-0500', at(9, 0, 0)],
  ])('accepts %s', (text, ms) => {
    expect(expectOk(parseCtr({ ...minimalCtr(), InitiationTimestamp: text })).initiationMs).toBe(ms);
  });

  it.each([
    '2026-03-10T09:00:00', // no zone: would be read as local time
    '2026-03-10 09:00:00Z',
    '2026-02-31T09:00:00Z',
    '2026-03-10T24:00:00Z',
    'yesterday',
    '',
  ])('rejects %j with the path and value', (text) => {
    const error = expectFailure(parseCtr({ ...minimalCtr(), DisconnectTimestamp: text }));
    expect(error.issues).toEqual([{ path: 'DisconnectTimestamp', value: text, message: expect.stringContaining('ISO-8601') }]);
  });

  it('rejects a number where a timestamp is expected', () => {
    const error = expectFailure(parseCtr({ ...minimalCtr(), LastUpdateTimestamp: 1773133200000 }));
    expect(error.issues[0]).toMatchObject({ path: 'LastUpdateTimestamp', value: 1773133200000 });
  });

  it('reports a bad nested timestamp by its raw path', () => {
    const error = expectFailure(parseCtr(withAgent({ ARN: JDOE_ARN, ConnectedToAgentTimestamp: 'soon' })));
    expect(error.issues[0]).toMatchObject({ path: 'Agent.ConnectedToAgentTimestamp', value: 'soon' });
  });
});

describe('parseCtr: unknown fields', () => {
  it('drops unknown top-level and nested fields', () => {
    const raw = {
      ...readJson('ctr/answered-inbound.json'),
      FutureTopLevelField: { nested: true },
    };
    const ctr = expectOk(parseCtr(raw));
    expect(Object.keys(ctr).sort()).toEqual(
      [
        'contactId',
        'initialContactId',
        'previousContactId',
        'nextContactId',
        'instanceArn',
        'channel',
        'initiationMethod',
        'initiationMs',
        'connectedToSystemMs',
        'disconnectMs',
        'lastUpdateMs',
        'disconnectReason',
        'disconnectReasonPresent',
        'agentConnectionAttempts',
        'queue',
        'agent',
        'systemPhoneNumber',
        'customerPhoneNumber',
        'transferredToEndpoint',
        'transferCompletedMs',
      ].sort(),
    );
    expect(JSON.stringify(ctr)).not.toMatch(/FutureTopLevelField|AgentPauseDuration|Attributes|billing/);
  });
});

describe('parseCtr: malformed records', () => {
  it('missing-contact-id.json: issue at ContactId, value missing', () => {
    const error = expectFailure(parseCtr(readJson('malformed/missing-contact-id.json')));
    expect(error.issues).toEqual([{ path: 'ContactId', value: undefined, message: 'expected a non-empty string' }]);
  });

  it('wrong-type.json: issue at Agent.AgentInteractionDuration with the string "12"', () => {
    const error = expectFailure(parseCtr(readJson('malformed/wrong-type.json')));
    expect(error.issues).toEqual([{ path: 'Agent.AgentInteractionDuration', value: '12', message: 'expected a non-negative integer' }]);
  });

  it('wrong-type.json: the message names the path, the expectation and the value', () => {
    const error = expectFailure(parseCtr(readJson('malformed/wrong-type.json')));
    expect(error.message).toBe('Agent.AgentInteractionDuration: expected a non-negative integer, got "12" (string)');
  });

  it('not-json.txt is truncated JSON, and its text is not a record', () => {
    const text = readText('malformed/not-json.txt');
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    const error = expectFailure(parseCtr(text));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: '', value: text, message: 'expected an object' });
  });

  it('not-base64.txt holds characters outside the base64 alphabet, and its text is not a record', () => {
    const text = readText('malformed/not-base64.txt').trim();
    expect(text).toContain('%%%');
    expect(/^[A-Za-z0-9+/]*={0,2}$/.test(text)).toBe(false);
    expect(expectFailure(parseCtr(text)).issues[0]?.path).toBe('');
  });

  it('rejects an empty ContactId', () => {
    const error = expectFailure(parseCtr({ ...minimalCtr(), ContactId: '' }));
    expect(error.issues).toEqual([{ path: 'ContactId', value: '', message: 'expected a non-empty string' }]);
  });

  it.each([-1, 1.5, '3'])('rejects %j as a count', (value) => {
    const error = expectFailure(parseCtr(withQueue({ ARN: 'q', Duration: value })));
    expect(error.issues).toEqual([{ path: 'Queue.Duration', value, message: 'expected a non-negative integer' }]);
  });

  it('reports a wrong type inside a hierarchy level by its raw path', () => {
    const error = expectFailure(parseCtr(withAgent({ ARN: JDOE_ARN, HierarchyGroups: { Level3: { GroupName: 42 } } })));
    expect(error.issues[0]).toMatchObject({ path: 'Agent.HierarchyGroups.Level3.GroupName', value: 42 });
  });

  it('reports every structural issue', () => {
    const error = expectFailure(parseCtr({ Channel: 7, InitiationMethod: 'INBOUND', Queue: 'BasicQueue' }));
    expect(error.issues.map((i) => i.path)).toEqual([
      'ContactId',
      'Channel',
      'InitiationTimestamp',
      'DisconnectTimestamp',
      'LastUpdateTimestamp',
      'Queue',
    ]);
  });

  it.each([null, 42, 'text', [], true])('rejects %j at the root', (raw) => {
    const error = expectFailure(parseCtr(raw));
    expect(error.issues).toEqual([{ path: '', value: raw, message: 'expected an object' }]);
  });

  it('never throws and rejects arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        const result = parseCtr(raw);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.error.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('ValidationError', () => {
  it('is an Error named ValidationError', () => {
    const error = expectFailure(parseCtr({}));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ValidationError');
  });

  it('names the first three issues and counts the rest', () => {
    const error = expectFailure(parseCtr({}));
    expect(error.issues).toHaveLength(6);
    expect(error.message).toBe(
      'ContactId: expected a non-empty string, got nothing (missing); ' +
        'Channel: expected a string, got nothing (missing); ' +
        'InitiationMethod: expected a string, got nothing (missing) (and 3 more)',
    );
  });

  it('renders the root path and truncates long values', () => {
    const error = new ValidationError([{ path: '', value: 'x'.repeat(500), message: 'expected an object' }]);
    expect(error.message.startsWith('(root): expected an object, got "xxx')).toBe(true);
    expect(error.message.length).toBeLessThan(140);
  });
});

describe('parseIsoTimestamp', () => {
  it('agrees with Date.parse on ISO-8601 date-times with or without fraction and with offsets', () => {
    const date = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
    const zone = fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', '+1400', '-0330');
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 9 }), zone, (d, fractionDigits, z) => {
        const base = d.toISOString().slice(0, 19);
        const fraction = fractionDigits === 0 ? '' : `.${String(d.getUTCMilliseconds()).padStart(3, '0').padEnd(fractionDigits, '7').slice(0, fractionDigits)}`;
        const text = `${base}${fraction}${z}`;
        expect(parseIsoTimestamp(text)).toBe(Date.parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['2026-03-10T09:00:00', '2026-3-10T09:00:00Z', '2026-03-10T09:00:00.Z', '2026-03-10T09:00:00+5:00', '2026-03-10T09:00:60Z', '2025-02-29T00:00:00Z'])(
    'rejects %s',
    (text) => {
      expect(parseIsoTimestamp(text)).toBeNaN();
    },
  );

  it('accepts 29 February in a leap year', () => {
    expect(parseIsoTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });
});
