/**
 * One version of a contact trace record as the simulator knows it, and its
 * JSON form in Amazon Connect's contact record format (2017-03-10). Truth is
 * computed from these typed records, never from the emitted JSON.
 */
import type { AgentDef, Center, Channel, QueueDef } from './center.js';
import { isoSeconds } from './zone-clock.js';

export type InitiationMethod = 'INBOUND' | 'OUTBOUND' | 'TRANSFER' | 'QUEUE_TRANSFER' | 'CALLBACK' | 'API';
/** `null`: ended by a flow or an API ("For many contacts, such as contacts ended by flows or APIs, there will not be any disconnect reason ... it will appear as null", ctr-data-model). */
export type DisconnectReason = 'CUSTOMER_DISCONNECT' | 'AGENT_DISCONNECT' | 'CONTACT_FLOW_DISCONNECT' | 'TELECOM_PROBLEM' | null;

export interface CtrQueuePart {
  readonly def: QueueDef;
  /** Null for OUTBOUND: the default outbound queue is recorded but the contact was never queued. */
  readonly enqueueMs: number | null;
  readonly dequeueMs: number | null;
}

export interface CtrAgentPart {
  readonly def: AgentDef;
  readonly connectedMs: number;
  readonly interactionSec: number;
  readonly holdSec: number;
  readonly numberOfHolds: number;
  readonly longestHoldSec: number;
  readonly acwSec: number;
  readonly acwStartMs: number | null;
  readonly acwEndMs: number | null;
}

export interface CtrRecord {
  readonly contactId: string;
  readonly initialContactId: string | null;
  readonly previousContactId: string | null;
  readonly nextContactId: string | null;
  readonly channel: Channel;
  readonly initiationMethod: InitiationMethod;
  readonly initiationMs: number;
  readonly connectedToSystemMs: number | null;
  readonly disconnectMs: number;
  readonly lastUpdateMs: number;
  readonly disconnectReason: DisconnectReason;
  readonly agentConnectionAttempts: number;
  readonly queue: CtrQueuePart | null;
  readonly agent: CtrAgentPart | null;
  readonly customerAddress: string | null;
  readonly systemAddress: string | null;
  readonly transferredTo: string | null;
  readonly transferCompletedMs: number | null;
  readonly attributes: Readonly<Record<string, string>>;
  /** The agent's snapshot showed the contact going from CONNECTED_ONHOLD to ENDED (simulator knowledge; not part of the JSON). */
  readonly endedOnHold: boolean;
}

const ts = (ms: number | null): string | null => (ms === null ? null : isoSeconds(ms));
const endpoint = (address: string | null): { Address: string; Type: 'TELEPHONE_NUMBER' } | null =>
  address === null ? null : { Address: address, Type: 'TELEPHONE_NUMBER' };

/** The record as one JSON line (keys in the order Amazon Connect writes them: alphabetical, capitals first). */
export function ctrToJson(center: Center, r: CtrRecord): string {
  const a = r.agent;
  const q = r.queue;
  const doc = {
    AWSAccountId: center.accountId,
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    Agent:
      a === null
        ? null
        : {
            ARN: a.def.arn,
            AfterContactWorkDuration: a.acwSec,
            AfterContactWorkEndTimestamp: ts(a.acwEndMs),
            AfterContactWorkStartTimestamp: ts(a.acwStartMs),
            AgentInteractionDuration: a.interactionSec,
            ConnectedToAgentTimestamp: ts(a.connectedMs),
            CustomerHoldDuration: a.holdSec,
            HierarchyGroups: hierarchyGroups(a.def),
            LongestHoldDuration: a.longestHoldSec,
            NumberOfHolds: a.numberOfHolds,
            RoutingProfile: { ARN: a.def.profile.arn, Name: a.def.profile.name },
            Username: a.def.username,
          },
    AgentConnectionAttempts: r.agentConnectionAttempts,
    Attributes: r.attributes,
    Channel: r.channel,
    ConnectedToSystemTimestamp: ts(r.connectedToSystemMs),
    ContactId: r.contactId,
    CustomerEndpoint: endpoint(r.customerAddress),
    DisconnectReason: r.disconnectReason,
    DisconnectTimestamp: ts(r.disconnectMs),
    InitialContactId: r.initialContactId,
    InitiationMethod: r.initiationMethod,
    InitiationTimestamp: ts(r.initiationMs),
    InstanceARN: center.instanceArn,
    LastUpdateTimestamp: ts(r.lastUpdateMs),
    MediaStreams: [{ Type: r.channel === 'CHAT' ? 'CHAT' : 'AUDIO' }],
    NextContactId: r.nextContactId,
    PreviousContactId: r.previousContactId,
    Queue:
      q === null
        ? null
        : {
            ARN: q.def.arn,
            DequeueTimestamp: ts(q.dequeueMs),
            Duration: q.enqueueMs !== null && q.dequeueMs !== null ? (q.dequeueMs - q.enqueueMs) / 1000 : 0,
            EnqueueTimestamp: ts(q.enqueueMs),
            Name: q.def.name,
          },
    Recording: null,
    Recordings: null,
    SystemEndpoint: endpoint(r.systemAddress),
    TransferCompletedTimestamp: ts(r.transferCompletedMs),
    TransferredToEndpoint: endpoint(r.transferredTo),
  };
  return JSON.stringify(doc);
}

function hierarchyGroups(agent: AgentDef): Record<string, { ARN: string; GroupName: string }> {
  const out: Record<string, { ARN: string; GroupName: string }> = {};
  agent.hierarchy.forEach((g, i) => {
    out[`Level${i + 1}`] = { ARN: g.arn, GroupName: g.name };
  });
  return out;
}
