import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAgentEvent } from '../../../lambdas/domain/model/agent-event.js';
import type { AgentContact, AgentEvent, AgentSnapshot } from '../../../lambdas/domain/model/types.js';
import { ValidationError } from '../../../lambdas/domain/model/validation.js';
import type { ParseResult } from '../../../lambdas/domain/model/validation.js';

const SAMPLES = new URL('../../../sample-events/', import.meta.url);
const SEED_INSTANCE = 'arn:aws:connect:us-east-1:012345678901:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111';
const SEED_BASIC_QUEUE = `${SEED_INSTANCE}/queue/queue-ARN-for-BasicQueue`;
const HB_INSTANCE = 'arn:aws:connect:us-west-2:012345678901:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111';

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, SAMPLES), 'utf8')) as Record<string, unknown>;
}

function expectOk<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new Error(`expected a valid event, got: ${result.error.message}`);
  expect(result.ok).toBe(true);
  return result.value;
}

function expectFailure<T>(result: ParseResult<T>): ValidationError {
  if (result.ok) throw new Error('expected the event to be rejected');
  expect(result.error).toBeInstanceOf(ValidationError);
  return result.error;
}

function sample(name: string): AgentEvent {
  return expectOk(parseAgentEvent(readJson(`agent-events/${name}.json`)));
}

function snapshotOf(snapshot: AgentSnapshot | null): AgentSnapshot {
  if (snapshot === null) throw new Error('expected a snapshot');
  return snapshot;
}

function firstContact(snapshot: AgentSnapshot | null): AgentContact {
  const contact = snapshotOf(snapshot).contacts[0];
  if (contact === undefined) throw new Error('expected a contact');
  return contact;
}

/** The smallest valid raw event: only the required fields. */
function minimalEvent(): Record<string, unknown> {
  return {
    AgentARN: `${SEED_INSTANCE}/agent/agent-ARN`,
    EventId: 'e-1',
    EventType: 'STATE_CHANGE',
    EventTimestamp: '2026-03-10T09:00:00.000Z',
  };
}

function withCurrent(snapshot: Record<string, unknown>): Record<string, unknown> {
  return { ...minimalEvent(), CurrentAgentSnapshot: snapshot };
}

function rawContact(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ContactId: 'c-1',
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    State: 'CONNECTED',
    StateStartTimestamp: '2026-03-10T09:00:00.000Z',
    ...overrides,
  };
}

function statusTypeOf(agentStatus: Record<string, unknown>): string | undefined {
  return expectOk(parseAgentEvent(withCurrent({ AgentStatus: agentStatus }))).current?.status?.type;
}

describe('parseAgentEvent: seed ACW example, first event (contact ENDED)', () => {
  it('reads the event header', () => {
    const event = sample('seed-acw-1');
    expect(event).toMatchObject({
      eventId: 'EventId-1',
      eventType: 'STATE_CHANGE',
      eventMs: Date.parse('2018-10-25T18:55:27.027Z'),
      agentArn: `${SEED_INSTANCE}/agent/agent-ARN`,
      instanceArn: SEED_INSTANCE,
      version: '2017-10-01',
    });
  });

  it('current snapshot: the contact is ENDED since the ACW start', () => {
    const contact = firstContact(sample('seed-acw-1').current);
    expect(contact).toEqual({
      contactId: 'ContactId-1',
      initialContactId: null,
      channel: 'VOICE',
      initiationMethod: 'OUTBOUND',
      state: 'ENDED',
      stateStartMs: Date.parse('2018-10-25T18:55:27.027Z'),
      connectedToAgentMs: Date.parse('2018-10-25T18:55:21.021Z'),
      queueMs: null,
      queue: { id: SEED_BASIC_QUEUE, arn: SEED_BASIC_QUEUE, name: 'BasicQueue' },
    });
  });

  it('current snapshot: status from StartTimeStamp, type inferred from Available', () => {
    const status = snapshotOf(sample('seed-acw-1').current).status;
    expect(status).toEqual({
      ref: { id: `${SEED_INSTANCE}/agent-state/agent-state-ARN`, arn: `${SEED_INSTANCE}/agent-state/agent-state-ARN`, name: 'Available' },
      type: 'ROUTABLE',
      startMs: Date.parse('2018-10-25T18:43:59.059Z'),
    });
  });

  it('current snapshot: configuration with null hierarchy and two inbound queues', () => {
    const configuration = snapshotOf(sample('seed-acw-1').current).configuration;
    expect(configuration.username).toBe('(Removed)');
    expect(configuration.routingProfile?.name).toBe('Basic Routing Profile');
    expect(configuration.inboundQueues.map((q) => q.name)).toEqual(['BasicQueue', 'PrimaryQueue']);
    expect(configuration.hierarchy).toEqual({ level1: null, level2: null, level3: null, level4: null, level5: null });
  });

  it('previous snapshot: the same contact CONNECTED', () => {
    const contact = firstContact(sample('seed-acw-1').previous);
    expect(contact.state).toBe('CONNECTED');
    expect(contact.stateStartMs).toBe(Date.parse('2018-10-25T18:55:21.021Z'));
    expect(contact.connectedToAgentMs).toBe(Date.parse('2018-10-25T18:55:21.021Z'));
  });

  it('reports no unknown enum values', () => {
    const result = parseAgentEvent(readJson('agent-events/seed-acw-1.json'));
    expect(result.ok && result.unknownEnums).toEqual([]);
  });
});

describe('parseAgentEvent: seed ACW example, second event (ACW left)', () => {
  it('current snapshot has no contacts', () => {
    const event = sample('seed-acw-2');
    expect(event.eventId).toBe('477f2c4f-cd1a-4785-b1a8-97023dc1229d');
    expect(snapshotOf(event.current).contacts).toEqual([]);
  });

  it('previous snapshot has the contact ENDED', () => {
    expect(firstContact(sample('seed-acw-2').previous).state).toBe('ENDED');
  });

  it('the two events give the documented ACW time of 5.005 s', () => {
    const acwStartMs = firstContact(sample('seed-acw-1').current).stateStartMs ?? Number.NaN;
    expect(sample('seed-acw-2').eventMs - acwStartMs).toBe(5005);
  });
});

describe('parseAgentEvent: docs sample heartbeat', () => {
  it('reads a HEART_BEAT with both snapshots', () => {
    const event = sample('sample-heartbeat');
    expect(event.eventType).toBe('HEART_BEAT');
    expect(event.eventMs).toBe(Date.parse('2019-08-13T20:58:44.031Z'));
    expect(event.instanceArn).toBe(HB_INSTANCE);
    expect(snapshotOf(event.current).contacts).toEqual([]);
  });

  it('current status Available is ROUTABLE, previous Offline is OFFLINE', () => {
    const event = sample('sample-heartbeat');
    expect(snapshotOf(event.current).status?.ref.id).toBe('example-ARN');
    expect(snapshotOf(event.current).status?.type).toBe('ROUTABLE');
    expect(snapshotOf(event.previous).status?.type).toBe('OFFLINE');
  });

  it('an agent queue with a null Name keeps its ARN as id', () => {
    const queues = snapshotOf(sample('sample-heartbeat').current).configuration.inboundQueues;
    expect(queues).toEqual([
      { id: `${HB_INSTANCE}/queue/agent/agent-ARN`, arn: `${HB_INSTANCE}/queue/agent/agent-ARN`, name: null },
      { id: `${HB_INSTANCE}/queue/queue-ARN`, arn: `${HB_INSTANCE}/queue/queue-ARN`, name: 'Omni-channel-queue' },
    ]);
  });

  it('drops NextAgentStatus, Concurrency and DefaultOutboundQueue', () => {
    const current = snapshotOf(sample('sample-heartbeat').current);
    expect(Object.keys(current).sort()).toEqual(['configuration', 'contacts', 'status']);
    expect(Object.keys(current.configuration).sort()).toEqual(
      ['firstName', 'hierarchy', 'inboundQueues', 'lastName', 'routingProfile', 'username'].sort(),
    );
    expect(JSON.stringify(current)).not.toMatch(/Lunch|OutboundQueue|AvailableSlots/);
  });
});

describe('parseAgentEvent: field casing variants', () => {
  it('accepts AgentStatus.StartTimeStamp', () => {
    const event = expectOk(parseAgentEvent(withCurrent({ AgentStatus: { Name: 'Available', StartTimeStamp: '2026-03-10T09:00:00.000Z' } })));
    expect(event.current?.status?.startMs).toBe(Date.UTC(2026, 2, 10, 9));
  });

  it('accepts Contacts[].ConnectedToAgentTimeStamp', () => {
    const event = expectOk(parseAgentEvent(withCurrent({ Contacts: [rawContact({ ConnectedToAgentTimeStamp: '2026-03-10T09:00:05.500Z' })] })));
    expect(firstContact(event.current).connectedToAgentMs).toBe(Date.UTC(2026, 2, 10, 9, 0, 5, 500));
  });

  it('prefers the documented spelling when both are present', () => {
    const raw = withCurrent({
      AgentStatus: { Name: 'Available', StartTimestamp: '2026-03-10T09:00:00.000Z', StartTimeStamp: '2026-03-10T08:00:00.000Z' },
      Contacts: [rawContact({ ConnectedToAgentTimestamp: '2026-03-10T09:00:01.000Z', ConnectedToAgentTimeStamp: '2026-03-10T08:00:01.000Z' })],
    });
    const event = expectOk(parseAgentEvent(raw));
    expect(event.current?.status?.startMs).toBe(Date.UTC(2026, 2, 10, 9));
    expect(firstContact(event.current).connectedToAgentMs).toBe(Date.UTC(2026, 2, 10, 9, 0, 1));
  });

  it('reports a bad variant timestamp under the variant name', () => {
    const error = expectFailure(parseAgentEvent(withCurrent({ AgentStatus: { Name: 'Available', StartTimeStamp: 'noon' } })));
    expect(error.issues).toEqual([{ path: 'CurrentAgentSnapshot.AgentStatus.StartTimeStamp', value: 'noon', message: expect.stringContaining('ISO-8601') }]);
  });
});

describe('parseAgentEvent: status type', () => {
  it('infers ROUTABLE for Available', () => {
    expect(statusTypeOf({ ARN: 'arn:s', Name: 'Available' })).toBe('ROUTABLE');
  });

  it('infers OFFLINE for Offline', () => {
    expect(statusTypeOf({ ARN: 'arn:s', Name: 'Offline' })).toBe('OFFLINE');
  });

  it('infers CUSTOM for any other name', () => {
    expect(statusTypeOf({ ARN: 'arn:s', Name: 'Lunch' })).toBe('CUSTOM');
  });

  it('keeps an explicit Type over the name', () => {
    expect(statusTypeOf({ ARN: 'arn:s', Name: 'Available', Type: 'CUSTOM' })).toBe('CUSTOM');
  });

  it('carries and reports an unknown explicit Type', () => {
    const result = parseAgentEvent(withCurrent({ AgentStatus: { Name: 'Napping', Type: 'SLEEPING' } }));
    expect(expectOk(result).current?.status?.type).toBe('SLEEPING');
    expect(result.ok && result.unknownEnums).toEqual([{ path: 'CurrentAgentSnapshot.AgentStatus.Type', value: 'SLEEPING' }]);
  });

  it('a status with neither ARN nor Name is no status', () => {
    expect(expectOk(parseAgentEvent(withCurrent({ AgentStatus: { StartTimestamp: '2026-03-10T09:00:00Z' } }))).current?.status).toBeNull();
  });
});

describe('parseAgentEvent: unknown enum values', () => {
  it('carries and reports an unknown EventType', () => {
    const result = parseAgentEvent({ ...minimalEvent(), EventType: 'SHIFT_START' });
    expect(expectOk(result).eventType).toBe('SHIFT_START');
    expect(result.ok && result.unknownEnums).toEqual([{ path: 'EventType', value: 'SHIFT_START' }]);
  });

  it('carries and reports unknown contact Channel, InitiationMethod and State with indexed paths', () => {
    const raw = {
      ...minimalEvent(),
      PreviousAgentSnapshot: {
        Contacts: [rawContact(), rawContact({ ContactId: 'c-2', Channel: 'EMAIL', InitiationMethod: 'WEBRTC_FUTURE', State: 'PARKED' })],
      },
    };
    const result = parseAgentEvent(raw);
    const contact = snapshotOf(expectOk(result).previous).contacts[1];
    expect(contact).toMatchObject({ channel: 'EMAIL', initiationMethod: 'WEBRTC_FUTURE', state: 'PARKED' });
    expect(result.ok && result.unknownEnums).toEqual([
      { path: 'PreviousAgentSnapshot.Contacts[1].Channel', value: 'EMAIL' },
      { path: 'PreviousAgentSnapshot.Contacts[1].InitiationMethod', value: 'WEBRTC_FUTURE' },
      { path: 'PreviousAgentSnapshot.Contacts[1].State', value: 'PARKED' },
    ]);
  });
});

describe('parseAgentEvent: optional parts', () => {
  it('accepts an event without snapshots (e.g. LOGOUT)', () => {
    const event = expectOk(parseAgentEvent({ ...minimalEvent(), EventType: 'LOGOUT', CurrentAgentSnapshot: null }));
    expect(event).toEqual({
      eventId: 'e-1',
      eventType: 'LOGOUT',
      eventMs: Date.UTC(2026, 2, 10, 9),
      agentArn: `${SEED_INSTANCE}/agent/agent-ARN`,
      instanceArn: null,
      current: null,
      previous: null,
      version: null,
    });
  });

  it('null Contacts become an empty list', () => {
    expect(expectOk(parseAgentEvent(withCurrent({ Contacts: null }))).current?.contacts).toEqual([]);
  });

  it('a snapshot without Configuration gets an empty configuration', () => {
    expect(expectOk(parseAgentEvent(withCurrent({}))).current?.configuration).toEqual({
      username: null,
      firstName: null,
      lastName: null,
      routingProfile: null,
      inboundQueues: [],
      hierarchy: { level1: null, level2: null, level3: null, level4: null, level5: null },
    });
  });

  it('reads AgentHierarchyGroups levels by ARN and Name', () => {
    const raw = withCurrent({
      Configuration: {
        Username: 'jdoe',
        AgentHierarchyGroups: { Level1: { ARN: 'arn:g1', Name: 'North America' }, Level2: null, Level5: { Name: 'Team Blue' } },
      },
    });
    const hierarchy = expectOk(parseAgentEvent(raw)).current?.configuration.hierarchy;
    expect(hierarchy).toEqual({
      level1: { id: 'arn:g1', arn: 'arn:g1', name: 'North America' },
      level2: null,
      level3: null,
      level4: null,
      level5: { id: 'Team Blue', arn: null, name: 'Team Blue' },
    });
  });

  it('a contact without Channel is taken as VOICE (events before chat had none)', () => {
    const raw = withCurrent({ Contacts: [rawContact({ Channel: undefined })] });
    const result = parseAgentEvent(raw);
    expect(firstContact(expectOk(result).current).channel).toBe('VOICE');
    expect(result.ok && result.unknownEnums).toEqual([]);
  });
});

describe('parseAgentEvent: malformed events', () => {
  it('agent-event-missing-arn.json: issue at AgentARN, value missing', () => {
    const error = expectFailure(parseAgentEvent(readJson('malformed/agent-event-missing-arn.json')));
    expect(error.issues).toEqual([{ path: 'AgentARN', value: undefined, message: 'expected a non-empty string' }]);
    expect(error.message).toBe('AgentARN: expected a non-empty string, got nothing (missing)');
  });

  it('rejects a missing or unparseable EventTimestamp', () => {
    const error = expectFailure(parseAgentEvent({ ...minimalEvent(), EventTimestamp: '2026-03-10T09:00:00' }));
    expect(error.issues[0]).toMatchObject({ path: 'EventTimestamp', value: '2026-03-10T09:00:00' });
  });

  it('reports a contact without ContactId by its indexed raw path', () => {
    const error = expectFailure(parseAgentEvent(withCurrent({ Contacts: [rawContact(), rawContact({ ContactId: undefined })] })));
    expect(error.issues).toEqual([{ path: 'CurrentAgentSnapshot.Contacts[1].ContactId', value: undefined, message: 'expected a non-empty string' }]);
  });

  it('reports a bad contact timestamp by its indexed raw path', () => {
    const error = expectFailure(parseAgentEvent(withCurrent({ Contacts: [rawContact({ StateStartTimestamp: '2026-13-01T00:00:00Z' })] })));
    expect(error.issues[0]).toMatchObject({ path: 'CurrentAgentSnapshot.Contacts[0].StateStartTimestamp', value: '2026-13-01T00:00:00Z' });
  });

  it('reports a wrong type deep in the configuration', () => {
    const raw = withCurrent({ Configuration: { RoutingProfile: { InboundQueues: [{ ARN: 'arn:q1' }, { ARN: 5 }] } } });
    const error = expectFailure(parseAgentEvent(raw));
    expect(error.issues[0]).toMatchObject({ path: 'CurrentAgentSnapshot.Configuration.RoutingProfile.InboundQueues[1].ARN', value: 5 });
  });

  it('rejects Contacts that is not a list', () => {
    const error = expectFailure(parseAgentEvent(withCurrent({ Contacts: {} })));
    expect(error.issues).toEqual([{ path: 'CurrentAgentSnapshot.Contacts', value: {}, message: 'expected an array' }]);
  });

  it('never throws and rejects arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        const result = parseAgentEvent(raw);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.error.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
