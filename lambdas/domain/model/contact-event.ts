/**
 * Amazon Connect contact events (connect-docs/contact-events.md), as an
 * EventBridge rule delivers them: the envelope (`detail-type` "Amazon Connect
 * Contact Event", `source` "aws.connect", `time`, `detail`) or the bare
 * `detail` object. Same validation style as `ctr.ts`: zod checks the raw
 * shape, the normalizer checks values while it builds the normalized object,
 * and enum values the model does not know are carried and reported.
 *
 * The documentation's own samples are not uniform: `agentInfo` and
 * `AgentInfo`, `queueInfo` and `QueueInfo`, `queueArn` and `QueueArn`, and
 * `"channel": "Voice"`. Both spellings are accepted (the documented camelCase
 * wins when both are present) and the channel is upper-cased.
 *
 * `eventMs` orders events of one contact: the timestamp of the stage the
 * event announces (InitiationTimestamp for INITIATED, EnqueueTimestamp for
 * QUEUED, ConnectedToAgentTimestamp, DisconnectTimestamp), else the
 * envelope's `time` ("Although events are not ordered, they have a timestamp
 * which enables you to consume the data").
 */
import type { z } from 'zod';
import { KNOWN_CHANNELS, KNOWN_INITIATION_METHODS } from './types.js';
import type { EntityRef } from './types.js';
import { jsonShapeIssue } from './json-shape.js';
import { entityRef, idStr, NormalizeContext, obj, optStr, optTsStr, runParser, str, MSG_TIMESTAMP, ValidationError } from './validation.js';
import type { ParseOptions, ParseResult } from './validation.js';

export const KNOWN_CONTACT_EVENT_TYPES = ['INITIATED', 'CONNECTED_TO_SYSTEM', 'QUEUED', 'CONNECTED_TO_AGENT', 'DISCONNECTED'] as const;
export type ContactEventType = (typeof KNOWN_CONTACT_EVENT_TYPES)[number];

const EVENT_TYPES: ReadonlySet<string> = new Set(KNOWN_CONTACT_EVENT_TYPES);
const CHANNELS: ReadonlySet<string> = new Set(KNOWN_CHANNELS);
const INITIATION_METHODS: ReadonlySet<string> = new Set(KNOWN_INITIATION_METHODS);

/** A contact event, normalized. Timestamps are epoch ms; null when the event does not carry them. */
export interface ContactEvent {
  /** The EventBridge event id, when the envelope was delivered. */
  readonly eventId: string | null;
  readonly eventType: string;
  readonly eventMs: number;
  readonly contactId: string;
  readonly initialContactId: string | null;
  readonly previousContactId: string | null;
  readonly instanceArn: string | null;
  readonly channel: string | null;
  readonly initiationMethod: string | null;
  readonly initiationMs: number | null;
  readonly connectedToSystemMs: number | null;
  readonly enqueueMs: number | null;
  readonly connectedToAgentMs: number | null;
  readonly disconnectMs: number | null;
  readonly queue: EntityRef | null;
  readonly agentArn: string | null;
}

const QueueInfoSchema = obj({
  queueArn: optStr,
  QueueArn: optStr,
  queueType: optStr,
  enqueueTimestamp: optTsStr,
  EnqueueTimestamp: optTsStr,
}).nullish();

const AgentInfoSchema = obj({
  agentArn: optStr,
  AgentArn: optStr,
  connectedToAgentTimestamp: optTsStr,
  ConnectedToAgentTimestamp: optTsStr,
}).nullish();

export const RawContactEventDetailSchema = obj({
  eventType: str,
  contactId: idStr,
  initialContactId: optStr,
  previousContactId: optStr,
  instanceArn: optStr,
  channel: optStr,
  initiationMethod: optStr,
  initiationTimestamp: optTsStr,
  connectedToSystemTimestamp: optTsStr,
  disconnectTimestamp: optTsStr,
  queueInfo: QueueInfoSchema,
  QueueInfo: QueueInfoSchema,
  agentInfo: AgentInfoSchema,
  AgentInfo: AgentInfoSchema,
});

const EnvelopeSchema = obj({
  id: optStr,
  time: optTsStr,
  'detail-type': optStr,
  source: optStr,
  detail: RawContactEventDetailSchema,
});

type RawDetail = z.output<typeof RawContactEventDetailSchema>;
type RawEnvelope = z.output<typeof EnvelopeSchema>;

const first = <T>(a: T | null | undefined, b: T | null | undefined): T | null => a ?? b ?? null;

function normalize(env: RawEnvelope, ctx: NormalizeContext, prefix: string): ContactEvent {
  const d: RawDetail = env.detail;
  const at = (f: string) => `${prefix}${f}`;
  const q = d.queueInfo ?? d.QueueInfo ?? null;
  const qPath = d.QueueInfo && !d.queueInfo ? 'QueueInfo' : 'queueInfo';
  const a = d.agentInfo ?? d.AgentInfo ?? null;
  const aPath = d.AgentInfo && !d.agentInfo ? 'AgentInfo' : 'agentInfo';
  const enqueueRaw = q ? first(q.enqueueTimestamp, q.EnqueueTimestamp) : null;
  const connectedRaw = a ? first(a.connectedToAgentTimestamp, a.ConnectedToAgentTimestamp) : null;
  const initiationMs = ctx.optTimestamp(d.initiationTimestamp, at('initiationTimestamp'));
  const connectedToSystemMs = ctx.optTimestamp(d.connectedToSystemTimestamp, at('connectedToSystemTimestamp'));
  const disconnectMs = ctx.optTimestamp(d.disconnectTimestamp, at('disconnectTimestamp'));
  const enqueueMs = ctx.optTimestamp(enqueueRaw, at(`${qPath}.enqueueTimestamp`));
  const connectedToAgentMs = ctx.optTimestamp(connectedRaw, at(`${aPath}.connectedToAgentTimestamp`));
  const envelopeMs = prefix === '' ? null : ctx.optTimestamp(env.time, 'time');
  const eventType = ctx.enumValue(EVENT_TYPES, d.eventType, at('eventType'));
  const stageMs: Record<string, number | null> = {
    INITIATED: initiationMs,
    CONNECTED_TO_SYSTEM: connectedToSystemMs,
    QUEUED: enqueueMs,
    CONNECTED_TO_AGENT: connectedToAgentMs,
    DISCONNECTED: disconnectMs,
  };
  const stagePath: Record<string, string> = {
    INITIATED: 'initiationTimestamp',
    CONNECTED_TO_SYSTEM: 'connectedToSystemTimestamp',
    QUEUED: `${qPath}.enqueueTimestamp`,
    CONNECTED_TO_AGENT: `${aPath}.connectedToAgentTimestamp`,
    DISCONNECTED: 'disconnectTimestamp',
  };
  const eventMs = stageMs[eventType] ?? envelopeMs;
  if (eventMs === null) {
    // Without a time the event cannot be ordered against the contact's other events.
    const path = prefix === '' ? at(stagePath[eventType] ?? 'eventType') : 'time';
    ctx.fail(path, undefined, `${MSG_TIMESTAMP} (the event carries neither the timestamp of its stage nor an envelope time)`);
  }
  const channel = ctx.text(d.channel, 'enum', at('channel'));
  const method = ctx.text(d.initiationMethod, 'enum', at('initiationMethod'));
  const queueArnPath = q && !q.queueArn && q.QueueArn ? 'QueueArn' : 'queueArn';
  const queueArn = q ? ctx.text(first(q.queueArn, q.QueueArn), 'arn', at(`${qPath}.${queueArnPath}`)) : null;
  const agentArnPath = a && !a.agentArn && a.AgentArn ? 'AgentArn' : 'agentArn';
  return {
    eventId: prefix === '' ? null : ctx.text(env.id, 'id', 'id'),
    eventType,
    eventMs: eventMs ?? Number.NaN,
    contactId: ctx.requiredText(d.contactId, 'id', at('contactId')),
    initialContactId: ctx.text(d.initialContactId, 'id', at('initialContactId')),
    previousContactId: ctx.text(d.previousContactId, 'id', at('previousContactId')),
    instanceArn: ctx.text(d.instanceArn, 'arn', at('instanceArn')),
    channel: channel === null ? null : ctx.enumValue(CHANNELS, channel.toUpperCase(), at('channel')),
    initiationMethod: method === null ? null : ctx.enumValue(INITIATION_METHODS, method, at('initiationMethod')),
    initiationMs,
    connectedToSystemMs,
    enqueueMs,
    connectedToAgentMs,
    disconnectMs,
    queue: entityRef(queueArn, null),
    agentArn: a ? ctx.text(first(a.agentArn, a.AgentArn), 'arn', at(`${aPath}.${agentArnPath}`)) : null,
  };
}

const isEnvelope = (raw: unknown): boolean => typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'detail' in raw;

/**
 * Validates one contact event (the EventBridge envelope or its `detail`).
 * Never throws; paths in issues are raw (`detail.queueInfo.enqueueTimestamp`
 * for an envelope). A document nested too deep or holding too many values
 * (limits.ts) is rejected before anything recursive looks at it: the event
 * arrives parsed from EventBridge, and a 10,000-level `detail` would overflow
 * the stack of zod, of error rendering and of JSON.stringify.
 */
export function parseContactEvent(raw: unknown, options: ParseOptions = {}): ParseResult<ContactEvent> {
  const shape = jsonShapeIssue(raw);
  if (shape !== null) return { ok: false, error: new ValidationError([shape]) };
  if (isEnvelope(raw)) return runParser(EnvelopeSchema, raw, (env, ctx) => normalize(env, ctx, 'detail.'), options);
  return runParser(RawContactEventDetailSchema, raw, (detail, ctx) => normalize({ detail }, ctx, ''), options);
}
