/**
 * Normalized input models. The zod schemas in `ctr.ts` and `agent-event.ts`
 * validate the raw JSON that Amazon Connect publishes and turn it into these
 * plain objects: timestamps become epoch milliseconds, field-name casing
 * variants found in the wild (`StartTimeStamp`, `ConnectedToAgentTimeStamp`)
 * are folded, and enum values Connect may add later are carried as strings.
 */

/** An entity reference: `id` is the ARN when Connect sends one, otherwise the name. */
export interface EntityRef {
  readonly id: string;
  readonly arn: string | null;
  readonly name: string | null;
}

export const KNOWN_CHANNELS = ['VOICE', 'CHAT', 'TASK'] as const;
export const KNOWN_INITIATION_METHODS = [
  'INBOUND',
  'OUTBOUND',
  'TRANSFER',
  'QUEUE_TRANSFER',
  'CALLBACK',
  'API',
  'MONITOR',
  'DISCONNECT',
  'EXTERNAL_OUTBOUND',
  'AGENT_REPLY',
  'FLOW',
  'WEBRTC_API',
  'CAMPAIGN',
] as const;
export const KNOWN_CONTACT_STATES = [
  'INCOMING',
  'PENDING',
  'CONNECTING',
  'CONNECTED',
  'CONNECTED_ONHOLD',
  'MISSED',
  'REJECTED',
  'ERROR',
  'ENDED',
] as const;
export const KNOWN_EVENT_TYPES = ['LOGIN', 'LOGOUT', 'STATE_CHANGE', 'HEART_BEAT'] as const;
export const KNOWN_STATUS_TYPES = ['ROUTABLE', 'CUSTOM', 'OFFLINE'] as const;

/** An enum value the model does not know yet; carried through and counted, never fatal. */
export interface UnknownEnumValue {
  readonly path: string;
  readonly value: string;
}

export interface HierarchyLevels {
  readonly level1: EntityRef | null;
  readonly level2: EntityRef | null;
  readonly level3: EntityRef | null;
  readonly level4: EntityRef | null;
  readonly level5: EntityRef | null;
}

export interface CtrQueue {
  readonly ref: EntityRef;
  readonly enqueueMs: number | null;
  readonly dequeueMs: number | null;
  /** `QueueInfo.Duration` (whole seconds) when present, else derived from the timestamps. */
  readonly durationSec: number | null;
}

export interface CtrAgent {
  readonly ref: EntityRef;
  /** `Agent.Username`. */
  readonly username: string | null;
  readonly routingProfile: EntityRef | null;
  readonly hierarchy: HierarchyLevels;
  readonly connectedToAgentMs: number | null;
  readonly agentInteractionDurationSec: number;
  readonly customerHoldDurationSec: number;
  readonly afterContactWorkDurationSec: number;
  readonly afterContactWorkStartMs: number | null;
  readonly afterContactWorkEndMs: number | null;
  readonly numberOfHolds: number;
  readonly longestHoldDurationSec: number;
}

/** A contact trace record (contact record), normalized. */
export interface Ctr {
  readonly contactId: string;
  readonly initialContactId: string | null;
  readonly previousContactId: string | null;
  readonly nextContactId: string | null;
  readonly instanceArn: string | null;
  readonly channel: string;
  readonly initiationMethod: string;
  readonly initiationMs: number;
  readonly connectedToSystemMs: number | null;
  readonly disconnectMs: number;
  readonly lastUpdateMs: number;
  /** DisconnectReason; null when the record has the key with a null value, or no key at all (see `disconnectReasonPresent`). */
  readonly disconnectReason: string | null;
  /**
   * Whether the record has a DisconnectReason key at all. A record written
   * since Connect added the field has it, `null` when the contact was ended by
   * a flow or an API; a record from before the field existed has no key.
   */
  readonly disconnectReasonPresent: boolean;
  readonly agentConnectionAttempts: number | null;
  readonly queue: CtrQueue | null;
  readonly agent: CtrAgent | null;
  /** `SystemEndpoint.Address`: the phone number the customer dialled (inbound) or the caller ID (outbound). */
  readonly systemPhoneNumber: string | null;
  readonly customerPhoneNumber: string | null;
  /** Set when the contact was transferred out of Amazon Connect (`TransferredToEndpoint`). */
  readonly transferredToEndpoint: string | null;
  readonly transferCompletedMs: number | null;
}

export interface AgentStatus {
  readonly ref: EntityRef;
  /** ROUTABLE, CUSTOM or OFFLINE; inferred from the name when Connect omits `Type` (older events). */
  readonly type: string;
  readonly startMs: number | null;
}

export interface AgentContact {
  readonly contactId: string;
  readonly initialContactId: string | null;
  readonly channel: string;
  readonly initiationMethod: string;
  readonly state: string;
  readonly stateStartMs: number | null;
  readonly connectedToAgentMs: number | null;
  readonly queueMs: number | null;
  readonly queue: EntityRef | null;
}

export interface AgentConfiguration {
  readonly username: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly routingProfile: EntityRef | null;
  /** Queue ids (ARN, else name) of the routing profile's inbound queues. */
  readonly inboundQueues: readonly EntityRef[];
  readonly hierarchy: HierarchyLevels;
}

export interface AgentSnapshot {
  readonly status: AgentStatus | null;
  readonly configuration: AgentConfiguration;
  readonly contacts: readonly AgentContact[];
}

/** An agent event, version 2017-10-01, normalized. */
export interface AgentEvent {
  readonly eventId: string;
  readonly eventType: string;
  readonly eventMs: number;
  readonly agentArn: string;
  readonly instanceArn: string | null;
  readonly current: AgentSnapshot | null;
  readonly previous: AgentSnapshot | null;
  readonly version: string | null;
}
