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
import { MAX_INBOUND_QUEUE_BYTES, MAX_INBOUND_QUEUES, MAX_SNAPSHOT_CONTACT_AGE_MS, MAX_SNAPSHOT_CONTACTS } from './limits.js';
import { KNOWN_CHANNELS, KNOWN_CONTACT_STATES, KNOWN_EVENT_TYPES, KNOWN_INITIATION_METHODS, KNOWN_STATUS_TYPES } from './types.js';
import type { AgentConfiguration, AgentContact, AgentEvent, AgentSnapshot, AgentStatus, EntityRef, HierarchyLevels } from './types.js';
import { arr, hierarchyLevels, idStr, NormalizeContext, obj, optStr, optTsStr, orNull, runParser, str, tsStr } from './validation.js';
import type { LevelKey, ParseOptions, ParseResult, PathRef } from './validation.js';

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

/** An ARN + Name object at `path` (a function, so that paths are only formatted when something is wrong). */
function toRef(r: RawRef, path: () => string, ctx: NormalizeContext): EntityRef | null {
  return ctx.ref(r.ARN, r.Name, () => `${path()}.ARN`, () => `${path()}.Name`);
}

function optRef(r: RawRef | null | undefined, path: () => string, ctx: NormalizeContext): EntityRef | null {
  return r === null || r === undefined ? null : toRef(r, path, ctx);
}

/** Older events have no `Type`: Available is the routable status and Offline the offline one; every other status is custom. */
function inferStatusType(name: string | null): string {
  if (name === 'Available') return 'ROUTABLE';
  if (name === 'Offline') return 'OFFLINE';
  return 'CUSTOM';
}

function toStatus(s: RawStatus | null | undefined, path: string, ctx: NormalizeContext): AgentStatus | null {
  if (s === null || s === undefined) return null;
  // The documented spelling wins when both are present. Only the general time bounds apply: an agent may
  // have been Offline for weeks before a LOGIN, and the status start drives no per-interval work.
  const startMs =
    s.StartTimestamp !== null && s.StartTimestamp !== undefined
      ? ctx.timestamp(s.StartTimestamp, () => `${path}.AgentStatus.StartTimestamp`)
      : ctx.optTimestamp(s.StartTimeStamp, () => `${path}.AgentStatus.StartTimeStamp`);
  const ref = toRef(s, () => `${path}.AgentStatus`, ctx);
  if (ref === null) return null;
  const explicitType = orNull(s.Type);
  return {
    ref,
    type: explicitType === null ? inferStatusType(ref.name) : ctx.enumValue(STATUS_TYPES, explicitType, () => `${path}.AgentStatus.Type`),
    startMs,
  };
}

/**
 * The bytes of a queue list as the store keeps it (JSON of id, ARN and name per queue) when they exceed `max`, else
 * null. Counted exactly only when a cheap upper bound (3 UTF-8 bytes a character, every character escaped) could
 * exceed `max`, so the usual list of a few dozen queues costs a sum of lengths.
 */
function queueListBytesOver(refs: readonly EntityRef[], max: number): number | null {
  let chars = 0;
  for (const r of refs) chars += r.id.length + (r.arn?.length ?? 0) + (r.name?.length ?? 0);
  if (6 * chars + 16 * refs.length + 2 <= max) return null;
  const bytes = new TextEncoder().encode(JSON.stringify(refs.map((r) => [r.id, r.arn, r.name]))).length;
  return bytes > max ? bytes : null;
}

const NO_QUEUES: readonly EntityRef[] = Object.freeze([]);
const NO_CONTACTS: readonly AgentContact[] = Object.freeze([]);

function toConfiguration(c: RawConfiguration | null | undefined, snapshotPath: string, ctx: NormalizeContext): AgentConfiguration {
  const path = `${snapshotPath}.Configuration`;
  const rp = c?.RoutingProfile;
  const rpPath = `${path}.RoutingProfile`;
  let inboundQueues: readonly EntityRef[] = NO_QUEUES;
  const rawQueues = rp?.InboundQueues;
  if (rawQueues !== null && rawQueues !== undefined && rawQueues.length > 0 && ctx.boundedList(rawQueues, MAX_INBOUND_QUEUES, `${rpPath}.InboundQueues`)) {
    const refs: EntityRef[] = [];
    // A queue entry with neither ARN nor name identifies nothing and is skipped.
    for (let i = 0; i < rawQueues.length; i++) {
      const q = rawQueues[i];
      const ref = q === undefined ? null : toRef(q, () => `${rpPath}.InboundQueues[${i}]`, ctx);
      if (ref !== null) refs.push(ref);
    }
    const bytes = queueListBytesOver(refs, MAX_INBOUND_QUEUE_BYTES);
    if (bytes !== null) ctx.fail(`${rpPath}.InboundQueues`, `${bytes} bytes`, `expected at most ${MAX_INBOUND_QUEUE_BYTES} bytes of queue ids, ARNs and names`);
    inboundQueues = refs;
  }
  const hierarchy: HierarchyLevels = hierarchyLevels(c?.AgentHierarchyGroups, (g: RawRef, level: LevelKey) =>
    toRef(g, () => `${path}.AgentHierarchyGroups.${level}`, ctx),
  );
  return {
    username: ctx.text(c?.Username, 'name', () => `${path}.Username`),
    firstName: ctx.text(c?.FirstName, 'name', () => `${path}.FirstName`),
    lastName: ctx.text(c?.LastName, 'name', () => `${path}.LastName`),
    routingProfile: rp === null || rp === undefined ? null : toRef(rp, () => rpPath, ctx),
    inboundQueues,
    hierarchy,
  };
}

const MSG_CONTACT_TOO_OLD = `expected a time at most ${MAX_SNAPSHOT_CONTACT_AGE_MS / 86_400_000} days before EventTimestamp (a contact lasts at most 7 days, plus a day of after-contact work)`;

/** A contact time in a snapshot: not more than 8 days before the event (limits.ts); the general bounds cover the future. */
function contactTime(ctx: NormalizeContext, eventMs: number, value: string | null | undefined, path: PathRef): number | null {
  const ms = ctx.optTimestamp(value, path);
  ctx.within(ms, eventMs - MAX_SNAPSHOT_CONTACT_AGE_MS, Number.POSITIVE_INFINITY, value, path, MSG_CONTACT_TOO_OLD);
  return ms;
}

function toContact(c: RawContact, snapshotPath: string, index: number, eventMs: number, ctx: NormalizeContext): AgentContact {
  // Paths are only formatted when a value is wrong or unknown: this runs for every contact of every event.
  const at = (field: string) => (): string => `${snapshotPath}.Contacts[${index}].${field}`;
  const connected =
    c.ConnectedToAgentTimestamp !== null && c.ConnectedToAgentTimestamp !== undefined
      ? contactTime(ctx, eventMs, c.ConnectedToAgentTimestamp, at('ConnectedToAgentTimestamp'))
      : contactTime(ctx, eventMs, c.ConnectedToAgentTimeStamp, at('ConnectedToAgentTimeStamp'));
  return {
    contactId: ctx.requiredText(c.ContactId, 'id', at('ContactId')),
    initialContactId: ctx.text(c.InitialContactId, 'id', at('InitialContactId')),
    channel: ctx.enumValue(CHANNELS, channelOf(orNull(c.Channel)), at('Channel')),
    initiationMethod: ctx.enumValue(INITIATION_METHODS, c.InitiationMethod, at('InitiationMethod')),
    state: ctx.enumValue(CONTACT_STATES, c.State, at('State')),
    stateStartMs: contactTime(ctx, eventMs, c.StateStartTimestamp, at('StateStartTimestamp')),
    connectedToAgentMs: connected,
    queueMs: contactTime(ctx, eventMs, c.QueueTimestamp, at('QueueTimestamp')),
    queue: optRef(c.Queue, at('Queue'), ctx),
  };
}

function toSnapshot(s: RawSnapshot | null | undefined, path: string, eventMs: number, ctx: NormalizeContext): AgentSnapshot | null {
  if (s === null || s === undefined) return null;
  let contacts: readonly AgentContact[] = NO_CONTACTS;
  const raw = s.Contacts;
  if (raw !== null && raw !== undefined && raw.length > 0 && ctx.boundedList(raw, MAX_SNAPSHOT_CONTACTS, `${path}.Contacts`)) {
    const list: AgentContact[] = [];
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (c !== undefined) list.push(toContact(c, path, i, eventMs, ctx));
    }
    contacts = list;
  }
  return { status: toStatus(s.AgentStatus, path, ctx), configuration: toConfiguration(s.Configuration, path, ctx), contacts };
}

function normalizeAgentEvent(r: RawAgentEvent, ctx: NormalizeContext): AgentEvent {
  const eventMs = ctx.timestamp(r.EventTimestamp, 'EventTimestamp');
  return {
    eventId: ctx.requiredText(r.EventId, 'id', 'EventId'),
    eventType: ctx.enumValue(EVENT_TYPES, r.EventType, 'EventType'),
    eventMs,
    agentArn: ctx.requiredText(r.AgentARN, 'arn', 'AgentARN'),
    instanceArn: ctx.text(r.InstanceARN, 'arn', 'InstanceARN'),
    current: toSnapshot(r.CurrentAgentSnapshot, 'CurrentAgentSnapshot', eventMs, ctx),
    previous: toSnapshot(r.PreviousAgentSnapshot, 'PreviousAgentSnapshot', eventMs, ctx),
    version: ctx.text(r.Version, 'enum', 'Version'),
  };
}

/**
 * Validates one raw agent event (already JSON-parsed). Never throws: invalid
 * input yields `{ ok: false, error }` with every issue located by its raw
 * path (lengths, control characters, list sizes and time bounds in limits.ts
 * included); unknown EventType / Channel / InitiationMethod / State / status Type
 * values are accepted and listed in `unknownEnums`.
 */
export function parseAgentEvent(raw: unknown, options: ParseOptions = {}): ParseResult<AgentEvent> {
  return runParser(RawAgentEventSchema, raw, normalizeAgentEvent, options);
}
