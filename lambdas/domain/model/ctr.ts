/**
 * Contact trace record (contact record) validation: raw JSON as Amazon Connect
 * publishes it → the normalized `Ctr`.
 *
 * The zod schema checks the raw shape (required fields, objects, primitive
 * types); the normalizer then checks values (timestamps, non-negative
 * integers, see `NormalizeContext`) while it builds the normalized object, so
 * unknown fields are dropped by construction. Enum values the model does not
 * know yet are carried and reported rather than rejected: Connect adds values
 * over time.
 */
import type { z } from 'zod';
import { CONTACT_CLOCK_SKEW_MS, MAX_CONTACT_DURATION_MS, MAX_CONTACT_SPAN_MS } from './limits.js';
import { KNOWN_CHANNELS, KNOWN_INITIATION_METHODS } from './types.js';
import type { Ctr, CtrAgent, CtrQueue, EntityRef } from './types.js';
import { hierarchyLevels, idStr, NormalizeContext, obj, optNum, optStr, optTsStr, runParser, str, tsStr } from './validation.js';
import type { LevelKey, ParseOptions, ParseResult } from './validation.js';

/** Disconnect reasons documented for voice, chat and task contacts. */
export const KNOWN_DISCONNECT_REASONS = [
  'CUSTOMER_DISCONNECT',
  'AGENT_DISCONNECT',
  'THIRD_PARTY_DISCONNECT',
  'TELECOM_PROBLEM',
  'BARGED',
  'CONTACT_FLOW_DISCONNECT',
  'OTHER',
  'EXPIRED',
  'API',
] as const;

const CHANNELS: ReadonlySet<string> = new Set(KNOWN_CHANNELS);
const INITIATION_METHODS: ReadonlySet<string> = new Set(KNOWN_INITIATION_METHODS);
const DISCONNECT_REASONS: ReadonlySet<string> = new Set(KNOWN_DISCONNECT_REASONS);

// Every optional field is also nullable: Connect writes `null` for absent values.

const RefSchema = obj({ ARN: optStr, Name: optStr });

const HierarchyGroupSchema = obj({ ARN: optStr, GroupName: optStr }).nullish();

const HierarchySchema = obj({
  Level1: HierarchyGroupSchema,
  Level2: HierarchyGroupSchema,
  Level3: HierarchyGroupSchema,
  Level4: HierarchyGroupSchema,
  Level5: HierarchyGroupSchema,
});

const QueueSchema = obj({
  ARN: optStr,
  Name: optStr,
  EnqueueTimestamp: optTsStr,
  DequeueTimestamp: optTsStr,
  Duration: optNum,
});

const AgentSchema = obj({
  ARN: optStr,
  Username: optStr,
  RoutingProfile: RefSchema.nullish(),
  HierarchyGroups: HierarchySchema.nullish(),
  ConnectedToAgentTimestamp: optTsStr,
  AgentInteractionDuration: optNum,
  CustomerHoldDuration: optNum,
  AfterContactWorkDuration: optNum,
  AfterContactWorkStartTimestamp: optTsStr,
  AfterContactWorkEndTimestamp: optTsStr,
  NumberOfHolds: optNum,
  LongestHoldDuration: optNum,
});

const EndpointSchema = obj({ Address: optStr }).nullish();

/** The raw contact record, only the fields the metrics use. */
export const RawCtrSchema = obj({
  ContactId: idStr,
  InitialContactId: optStr,
  PreviousContactId: optStr,
  NextContactId: optStr,
  InstanceARN: optStr,
  Channel: str,
  InitiationMethod: str,
  InitiationTimestamp: tsStr,
  ConnectedToSystemTimestamp: optTsStr,
  DisconnectTimestamp: tsStr,
  LastUpdateTimestamp: tsStr,
  DisconnectReason: optStr,
  AgentConnectionAttempts: optNum,
  Queue: QueueSchema.nullish(),
  Agent: AgentSchema.nullish(),
  SystemEndpoint: EndpointSchema,
  CustomerEndpoint: EndpointSchema,
  TransferredToEndpoint: EndpointSchema,
  TransferCompletedTimestamp: optTsStr,
});

type RawCtr = z.output<typeof RawCtrSchema>;
type RawQueue = z.output<typeof QueueSchema>;
type RawAgent = z.output<typeof AgentSchema>;
type RawEndpoint = z.output<typeof EndpointSchema>;

type RawGroup = { ARN?: string | null | undefined; GroupName?: string | null | undefined };

const groupRef =
  (ctx: NormalizeContext) =>
  (g: RawGroup, level: LevelKey): EntityRef | null =>
    ctx.ref(g.ARN, g.GroupName, () => `Agent.HierarchyGroups.${level}.ARN`, () => `Agent.HierarchyGroups.${level}.GroupName`);

function toQueue(q: RawQueue | null | undefined, ctx: NormalizeContext): CtrQueue | null {
  if (q === null || q === undefined) return null;
  const enqueueMs = ctx.optTimestamp(q.EnqueueTimestamp, 'Queue.EnqueueTimestamp');
  const dequeueMs = ctx.optTimestamp(q.DequeueTimestamp, 'Queue.DequeueTimestamp');
  let durationSec = ctx.optCount(q.Duration, 'Queue.Duration');
  // A queue block with neither ARN nor name cannot be attributed to any queue.
  const ref = ctx.ref(q.ARN, q.Name, 'Queue.ARN', 'Queue.Name');
  if (ref === null) return null;
  if (durationSec === null && enqueueMs !== null && dequeueMs !== null) {
    // Connect reports whole seconds; clamp so that skew between the two stamps cannot yield a negative wait.
    durationSec = Math.max(0, Math.round((dequeueMs - enqueueMs) / 1000));
  }
  return { ref, enqueueMs, dequeueMs, durationSec };
}

function toAgent(a: RawAgent | null | undefined, ctx: NormalizeContext): CtrAgent | null {
  if (a === null || a === undefined) return null;
  const connectedToAgentMs = ctx.optTimestamp(a.ConnectedToAgentTimestamp, 'Agent.ConnectedToAgentTimestamp');
  const afterContactWorkStartMs = ctx.optTimestamp(a.AfterContactWorkStartTimestamp, 'Agent.AfterContactWorkStartTimestamp');
  const afterContactWorkEndMs = ctx.optTimestamp(a.AfterContactWorkEndTimestamp, 'Agent.AfterContactWorkEndTimestamp');
  // Durations are summed by the metrics: an absent one contributes nothing.
  const agentInteractionDurationSec = ctx.optCount(a.AgentInteractionDuration, 'Agent.AgentInteractionDuration') ?? 0;
  const customerHoldDurationSec = ctx.optCount(a.CustomerHoldDuration, 'Agent.CustomerHoldDuration') ?? 0;
  const afterContactWorkDurationSec = ctx.optCount(a.AfterContactWorkDuration, 'Agent.AfterContactWorkDuration') ?? 0;
  const numberOfHolds = ctx.optCount(a.NumberOfHolds, 'Agent.NumberOfHolds') ?? 0;
  const longestHoldDurationSec = ctx.optCount(a.LongestHoldDuration, 'Agent.LongestHoldDuration') ?? 0;
  // The username stands in for the id when the ARN is missing; with neither there is no agent to attribute to.
  const ref = ctx.ref(a.ARN, a.Username, 'Agent.ARN', 'Agent.Username');
  if (ref === null) return null;
  const rp = a.RoutingProfile;
  return {
    ref,
    username: ref.name,
    routingProfile: rp === null || rp === undefined ? null : ctx.ref(rp.ARN, rp.Name, 'Agent.RoutingProfile.ARN', 'Agent.RoutingProfile.Name'),
    hierarchy: hierarchyLevels(a.HierarchyGroups, groupRef(ctx)),
    connectedToAgentMs,
    agentInteractionDurationSec,
    customerHoldDurationSec,
    afterContactWorkDurationSec,
    afterContactWorkStartMs,
    afterContactWorkEndMs,
    numberOfHolds,
    longestHoldDurationSec,
  };
}

function endpointAddress(e: RawEndpoint, path: string, ctx: NormalizeContext): string | null {
  return e === null || e === undefined ? null : ctx.text(e.Address, 'address', path);
}

const MSG_DISCONNECT_BEFORE_INITIATION = 'expected a time not before InitiationTimestamp';
const MSG_CONTACT_TOO_LONG = `expected a time at most ${MAX_CONTACT_DURATION_MS / 86_400_000} days after InitiationTimestamp (a contact lasts at most 7 days)`;
const MSG_OUTSIDE_CONTACT = `expected a time from 1 minute before to ${MAX_CONTACT_SPAN_MS / 86_400_000} days after InitiationTimestamp`;

/**
 * The contact's times against its initiation (limits.ts): the disconnect
 * within 7 days after it, every other stage within [−1 min, +8 days]. The
 * last update only not before it: Connect updates records long after the
 * contact (recordings, attributes), and it drives no per-interval work.
 */
function checkContactTimes(r: RawCtr, c: Ctr, ctx: NormalizeContext): void {
  const t0 = c.initiationMs;
  const lo = t0 - CONTACT_CLOCK_SKEW_MS;
  const hi = t0 + MAX_CONTACT_SPAN_MS;
  ctx.within(c.disconnectMs, t0, Number.POSITIVE_INFINITY, r.DisconnectTimestamp, 'DisconnectTimestamp', MSG_DISCONNECT_BEFORE_INITIATION);
  ctx.within(c.disconnectMs, Number.NEGATIVE_INFINITY, t0 + MAX_CONTACT_DURATION_MS, r.DisconnectTimestamp, 'DisconnectTimestamp', MSG_CONTACT_TOO_LONG);
  ctx.within(c.lastUpdateMs, lo, Number.POSITIVE_INFINITY, r.LastUpdateTimestamp, 'LastUpdateTimestamp', 'expected a time not before InitiationTimestamp');
  const stage = (ms: number | null, value: unknown, path: string) => ctx.within(ms, lo, hi, value, path, MSG_OUTSIDE_CONTACT);
  stage(c.connectedToSystemMs, r.ConnectedToSystemTimestamp, 'ConnectedToSystemTimestamp');
  stage(c.transferCompletedMs, r.TransferCompletedTimestamp, 'TransferCompletedTimestamp');
  if (c.queue) {
    stage(c.queue.enqueueMs, r.Queue?.EnqueueTimestamp, 'Queue.EnqueueTimestamp');
    stage(c.queue.dequeueMs, r.Queue?.DequeueTimestamp, 'Queue.DequeueTimestamp');
  }
  if (c.agent) {
    stage(c.agent.connectedToAgentMs, r.Agent?.ConnectedToAgentTimestamp, 'Agent.ConnectedToAgentTimestamp');
    stage(c.agent.afterContactWorkStartMs, r.Agent?.AfterContactWorkStartTimestamp, 'Agent.AfterContactWorkStartTimestamp');
    stage(c.agent.afterContactWorkEndMs, r.Agent?.AfterContactWorkEndTimestamp, 'Agent.AfterContactWorkEndTimestamp');
  }
}

function normalizeCtr(r: RawCtr, ctx: NormalizeContext): Ctr {
  const disconnectReason = ctx.text(r.DisconnectReason, 'enum', 'DisconnectReason');
  // zod keeps a key whose value is null and leaves out a key that is absent (the schema's objects are not strict).
  const ctr: Ctr = {
    contactId: ctx.requiredText(r.ContactId, 'id', 'ContactId'),
    initialContactId: ctx.text(r.InitialContactId, 'id', 'InitialContactId'),
    previousContactId: ctx.text(r.PreviousContactId, 'id', 'PreviousContactId'),
    nextContactId: ctx.text(r.NextContactId, 'id', 'NextContactId'),
    instanceArn: ctx.text(r.InstanceARN, 'arn', 'InstanceARN'),
    channel: ctx.enumValue(CHANNELS, r.Channel, 'Channel'),
    initiationMethod: ctx.enumValue(INITIATION_METHODS, r.InitiationMethod, 'InitiationMethod'),
    initiationMs: ctx.timestamp(r.InitiationTimestamp, 'InitiationTimestamp'),
    connectedToSystemMs: ctx.optTimestamp(r.ConnectedToSystemTimestamp, 'ConnectedToSystemTimestamp'),
    disconnectMs: ctx.timestamp(r.DisconnectTimestamp, 'DisconnectTimestamp'),
    lastUpdateMs: ctx.timestamp(r.LastUpdateTimestamp, 'LastUpdateTimestamp'),
    disconnectReason: disconnectReason === null ? null : ctx.enumValue(DISCONNECT_REASONS, disconnectReason, 'DisconnectReason'),
    disconnectReasonPresent: r.DisconnectReason !== undefined,
    agentConnectionAttempts: ctx.optCount(r.AgentConnectionAttempts, 'AgentConnectionAttempts'),
    queue: toQueue(r.Queue, ctx),
    agent: toAgent(r.Agent, ctx),
    systemPhoneNumber: endpointAddress(r.SystemEndpoint, 'SystemEndpoint.Address', ctx),
    customerPhoneNumber: endpointAddress(r.CustomerEndpoint, 'CustomerEndpoint.Address', ctx),
    transferredToEndpoint: endpointAddress(r.TransferredToEndpoint, 'TransferredToEndpoint.Address', ctx),
    transferCompletedMs: ctx.optTimestamp(r.TransferCompletedTimestamp, 'TransferCompletedTimestamp'),
  };
  checkContactTimes(r, ctr, ctx);
  return ctr;
}

/**
 * Validates one raw contact record (already JSON-parsed). Never throws:
 * invalid input yields `{ ok: false, error }` with every issue located by its
 * raw path (lengths, control characters and time bounds in limits.ts
 * included); unknown Channel / InitiationMethod / DisconnectReason values are
 * accepted and listed in `unknownEnums`.
 */
export function parseCtr(raw: unknown, options: ParseOptions = {}): ParseResult<Ctr> {
  return runParser(RawCtrSchema, raw, normalizeCtr, options);
}
