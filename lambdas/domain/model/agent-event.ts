/**
 * Agent event (agent event stream, version 2017-10-01) validation: raw JSON as
 * Amazon Connect publishes it → the normalized `AgentEvent`.
 *
 * Published events are not uniform: the ACW example in the 2019 user guide has
 * `AgentStatus.StartTimeStamp` and `ConnectedToAgentTimeStamp` next to the
 * documented `…Timestamp` spelling, `null` for hierarchy groups, initial
 * contact and queue timestamp, and no `AgentStatus.Type`. All of these are
 * accepted; the spelling variants are folded into one field.
 */
import type { z } from 'zod';
import { KNOWN_CHANNELS, KNOWN_CONTACT_STATES, KNOWN_EVENT_TYPES, KNOWN_INITIATION_METHODS, KNOWN_STATUS_TYPES } from './types.js';
import type { AgentConfiguration, AgentContact, AgentEvent, AgentSnapshot, AgentStatus, EntityRef, HierarchyLevels } from './types.js';
import { arr, entityRef, hierarchyLevels, idStr, NormalizeContext, obj, optStr, optTsStr, orNull, runParser, str, tsStr } from './validation.js';
import type { ParseResult } from './validation.js';

const CHANNELS: ReadonlySet<string> = new Set(KNOWN_CHANNELS);
const INITIATION_METHODS: ReadonlySet<string> = new Set(KNOWN_INITIATION_METHODS);
const CONTACT_STATES: ReadonlySet<string> = new Set(KNOWN_CONTACT_STATES);
const EVENT_TYPES: ReadonlySet<string> = new Set(KNOWN_EVENT_TYPES);
const STATUS_TYPES: ReadonlySet<string> = new Set(KNOWN_STATUS_TYPES);

/**
 * Channel of a contact that does not state one: agent events predating chat
 * (2019) carried voice contacts only.
 */
const DEFAULT_CHANNEL = 'VOICE';

/**
 * One channel, one name: the agent event stream spells the task channel
 * `TASKS` (agent-event-stream-model, Contact "Channel": "VOICE, CHAT, TASKS")
 * where contact records say `TASK` (ctr-data-model, "Channel": "VOICE, CHAT,
 * TASK"). Agent events are read with the contact record's spelling, so a
 * report grouped by channel has one task row.
 */
const CHANNEL_ALIASES: Readonly<Record<string, string>> = { TASKS: 'TASK' };

function channelOf(raw: string | null): string {
  const c = raw ?? DEFAULT_CHANNEL;
  return CHANNEL_ALIASES[c] ?? c;
}

const RefSchema = obj({ ARN: optStr, Name: optStr });
const OptRefSchema = RefSchema.nullish();

const HierarchySchema = obj({
  Level1: OptRefSchema,
  Level2: OptRefSchema,
  Level3: OptRefSchema,
  Level4: OptRefSchema,
  Level5: OptRefSchema,
});

const StatusSchema = obj({
  ARN: optStr,
  Name: optStr,
  StartTimestamp: optTsStr,
  StartTimeStamp: optTsStr,
  Type: optStr,
});

const ConfigurationSchema = obj({
  Username: optStr,
  FirstName: optStr,
  LastName: optStr,
  RoutingProfile: obj({ ARN: optStr, Name: optStr, InboundQueues: arr(RefSchema).nullish() }).nullish(),
  AgentHierarchyGroups: HierarchySchema.nullish(),
});

const ContactSchema = obj({
  ContactId: idStr,
  InitialContactId: optStr,
  Channel: optStr,
  InitiationMethod: str,
  State: str,
  StateStartTimestamp: optTsStr,
  ConnectedToAgentTimestamp: optTsStr,
  ConnectedToAgentTimeStamp: optTsStr,
  QueueTimestamp: optTsStr,
  Queue: OptRefSchema,
});

const SnapshotSchema = obj({
  AgentStatus: StatusSchema.nullish(),
  Configuration: ConfigurationSchema.nullish(),
  Contacts: arr(ContactSchema).nullish(),
}).nullish();

/** The raw agent event, only the fields the metrics use. */
export const RawAgentEventSchema = obj({
  AgentARN: idStr,
  EventId: idStr,
  EventType: str,
  EventTimestamp: tsStr,
  InstanceARN: optStr,
  CurrentAgentSnapshot: SnapshotSchema,
  PreviousAgentSnapshot: SnapshotSchema,
  Version: optStr,
});

type RawAgentEvent = z.output<typeof RawAgentEventSchema>;
type RawSnapshot = NonNullable<z.output<typeof SnapshotSchema>>;
type RawStatus = z.output<typeof StatusSchema>;
type RawConfiguration = z.output<typeof ConfigurationSchema>;
type RawContact = z.output<typeof ContactSchema>;
type RawRef = z.output<typeof RefSchema>;

const toRef = (r: RawRef): EntityRef | null => entityRef(r.ARN, r.Name);
const optRef = (r: RawRef | null | undefined): EntityRef | null => (r === null || r === undefined ? null : toRef(r));

/** Older events have no `Type`: Available is the routable status and Offline the offline one; every other status is custom. */
function inferStatusType(name: string | null): string {
  if (name === 'Available') return 'ROUTABLE';
  if (name === 'Offline') return 'OFFLINE';
  return 'CUSTOM';
}

function toStatus(s: RawStatus | null | undefined, path: string, ctx: NormalizeContext): AgentStatus | null {
  if (s === null || s === undefined) return null;
  // The documented spelling wins when both are present.
  const startMs =
    s.StartTimestamp !== null && s.StartTimestamp !== undefined
      ? ctx.timestamp(s.StartTimestamp, () => `${path}.AgentStatus.StartTimestamp`)
      : ctx.optTimestamp(s.StartTimeStamp, () => `${path}.AgentStatus.StartTimeStamp`);
  const ref = entityRef(s.ARN, s.Name);
  if (ref === null) return null;
  const explicitType = orNull(s.Type);
  return {
    ref,
    type: explicitType === null ? inferStatusType(ref.name) : ctx.enumValue(STATUS_TYPES, explicitType, () => `${path}.AgentStatus.Type`),
    startMs,
  };
}

const NO_QUEUES: readonly EntityRef[] = Object.freeze([]);
const NO_CONTACTS: readonly AgentContact[] = Object.freeze([]);

function toConfiguration(c: RawConfiguration | null | undefined): AgentConfiguration {
  const rp = c?.RoutingProfile;
  let inboundQueues: readonly EntityRef[] = NO_QUEUES;
  const rawQueues = rp?.InboundQueues;
  if (rawQueues !== null && rawQueues !== undefined && rawQueues.length > 0) {
    const refs: EntityRef[] = [];
    // A queue entry with neither ARN nor name identifies nothing and is skipped.
    for (const q of rawQueues) {
      const ref = toRef(q);
      if (ref !== null) refs.push(ref);
    }
    inboundQueues = refs;
  }
  const hierarchy: HierarchyLevels = hierarchyLevels(c?.AgentHierarchyGroups, toRef);
  return {
    username: orNull(c?.Username),
    firstName: orNull(c?.FirstName),
    lastName: orNull(c?.LastName),
    routingProfile: rp === null || rp === undefined ? null : entityRef(rp.ARN, rp.Name),
    inboundQueues,
    hierarchy,
  };
}

function toContact(c: RawContact, snapshotPath: string, index: number, ctx: NormalizeContext): AgentContact {
  // Paths are only formatted when a value is wrong or unknown: this runs for every contact of every event.
  const at = (field: string) => (): string => `${snapshotPath}.Contacts[${index}].${field}`;
  const connected =
    c.ConnectedToAgentTimestamp !== null && c.ConnectedToAgentTimestamp !== undefined
      ? ctx.timestamp(c.ConnectedToAgentTimestamp, at('ConnectedToAgentTimestamp'))
      : ctx.optTimestamp(c.ConnectedToAgentTimeStamp, at('ConnectedToAgentTimeStamp'));
  return {
    contactId: ctx.nonEmpty(c.ContactId, at('ContactId')),
    initialContactId: orNull(c.InitialContactId),
    channel: ctx.enumValue(CHANNELS, channelOf(orNull(c.Channel)), at('Channel')),
    initiationMethod: ctx.enumValue(INITIATION_METHODS, c.InitiationMethod, at('InitiationMethod')),
    state: ctx.enumValue(CONTACT_STATES, c.State, at('State')),
    stateStartMs: ctx.optTimestamp(c.StateStartTimestamp, at('StateStartTimestamp')),
    connectedToAgentMs: connected,
    queueMs: ctx.optTimestamp(c.QueueTimestamp, at('QueueTimestamp')),
    queue: optRef(c.Queue),
  };
}

function toSnapshot(s: RawSnapshot | null | undefined, path: string, ctx: NormalizeContext): AgentSnapshot | null {
  if (s === null || s === undefined) return null;
  let contacts: readonly AgentContact[] = NO_CONTACTS;
  const raw = s.Contacts;
  if (raw !== null && raw !== undefined && raw.length > 0) {
    const list: AgentContact[] = [];
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c !== undefined) list.push(toContact(c, path, i, ctx));
    }
    contacts = list;
  }
  return { status: toStatus(s.AgentStatus, path, ctx), configuration: toConfiguration(s.Configuration), contacts };
}

function normalizeAgentEvent(r: RawAgentEvent, ctx: NormalizeContext): AgentEvent {
  return {
    eventId: ctx.nonEmpty(r.EventId, 'EventId'),
    eventType: ctx.enumValue(EVENT_TYPES, r.EventType, 'EventType'),
    eventMs: ctx.timestamp(r.EventTimestamp, 'EventTimestamp'),
    agentArn: ctx.nonEmpty(r.AgentARN, 'AgentARN'),
    instanceArn: orNull(r.InstanceARN),
    current: toSnapshot(r.CurrentAgentSnapshot, 'CurrentAgentSnapshot', ctx),
    previous: toSnapshot(r.PreviousAgentSnapshot, 'PreviousAgentSnapshot', ctx),
    version: orNull(r.Version),
  };
}

/**
 * Validates one raw agent event (already JSON-parsed). Never throws: invalid
 * input yields `{ ok: false, error }` with every issue located by its raw
 * path; unknown EventType / Channel / InitiationMethod / State / status Type
 * values are accepted and listed in `unknownEnums`.
 */
export function parseAgentEvent(raw: unknown): ParseResult<AgentEvent> {
  return runParser(RawAgentEventSchema, raw, normalizeAgentEvent);
}
