/**
 * Agent events (version 2017-10-01) as JSON lines. Snapshots are built from
 * cached fragments: a month-long run writes millions of events whose
 * configuration part never changes, so it is serialised once per agent.
 */
import type { AgentDef, Center, Channel, StatusDef } from './center.js';
import type { InitiationMethod } from './ctr-record.js';
import { isoMillis } from './zone-clock.js';

export type AgentEventType = 'LOGIN' | 'LOGOUT' | 'STATE_CHANGE' | 'HEART_BEAT';
export type AgentContactState = 'INCOMING' | 'CONNECTING' | 'CONNECTED' | 'CONNECTED_ONHOLD' | 'MISSED' | 'ERROR' | 'ENDED';

/** What an agent snapshot shows of one contact. */
export interface SnapshotContact {
  readonly contactId: string;
  readonly initialContactId: string | null;
  readonly channel: Channel;
  readonly initiationMethod: InitiationMethod;
  readonly state: AgentContactState;
  readonly stateStartMs: number;
  readonly connectedToAgentMs: number | null;
  readonly queueMs: number | null;
  readonly queueArn: string;
  readonly queueName: string;
}

const s = (v: string | null): string => JSON.stringify(v);
/** The agent event stream's channel names: `TASKS` where contact records say `TASK` (Agent event streams data model, Contact object). */
const eventChannel = (c: Channel): string => (c === 'TASK' ? 'TASKS' : c);
const ts = (ms: number | null): string => (ms === null ? 'null' : `"${isoMillis(ms)}"`);

export class AgentEventJson {
  private readonly configFree: string[];
  private readonly configBusy: string[];
  private readonly prefix: string[];
  private readonly suffix: string;

  constructor(center: Center) {
    this.configFree = center.agents.map((a) => configuration(a, false));
    this.configBusy = center.agents.map((a) => configuration(a, true));
    this.prefix = center.agents.map((a) => `{"AWSAccountId":${s(center.accountId)},"AgentARN":${s(a.arn)},"CurrentAgentSnapshot":`);
    this.suffix = `,"InstanceARN":${s(center.instanceArn)},"PreviousAgentSnapshot":`;
  }

  status(status: StatusDef, startMs: number): string {
    return `{"ARN":${s(status.arn)},"Name":${s(status.name)},"StartTimestamp":${ts(startMs)},"Type":${s(status.type)}}`;
  }

  contact(c: SnapshotContact): string {
    return (
      `{"Channel":"${eventChannel(c.channel)}","ConnectedToAgentTimestamp":${ts(c.connectedToAgentMs)},"ContactId":${s(c.contactId)},` +
      `"InitialContactId":${s(c.initialContactId)},"InitiationMethod":"${c.initiationMethod}",` +
      `"Queue":{"ARN":${s(c.queueArn)},"Name":${s(c.queueName)}},"QueueTimestamp":${ts(c.queueMs)},` +
      `"State":"${c.state}","StateStartTimestamp":${ts(c.stateStartMs)}}`
    );
  }

  /** `contactJson` null: no contacts. One contact at a time per agent (see the simulator's modelling notes). */
  snapshot(agentIdx: number, statusJson: string, contactJson: string | null): string {
    const config = contactJson === null ? this.configFree[agentIdx] : this.configBusy[agentIdx];
    return `{"AgentStatus":${statusJson},"Configuration":${config ?? 'null'},"Contacts":[${contactJson ?? ''}]}`;
  }

  /** `current` and `previous` are snapshot JSON, or `null` for an event without snapshots (some LOGIN and LOGOUT events). */
  event(agentIdx: number, type: AgentEventType, eventId: string, atMs: number, current: string | null, previous: string | null): string {
    return (
      `${this.prefix[agentIdx] ?? ''}${current ?? 'null'},"EventId":"${eventId}","EventTimestamp":${ts(atMs)},"EventType":"${type}"` +
      `${this.suffix}${previous ?? 'null'},"Version":"2017-10-01"}`
    );
  }
}

function configuration(agent: AgentDef, busy: boolean): string {
  const p = agent.profile;
  const levels = agent.hierarchy.map((g, i) => `"Level${i + 1}":{"ARN":${s(g.arn)},"Name":${s(g.name)}}`).join(',');
  const concurrency = [...p.channels]
    .sort()
    .map((ch) => `{"AvailableSlots":${busy ? 0 : 1},"Channel":"${eventChannel(ch)}","MaximumSlots":1}`)
    .join(',');
  const channels = (chs: readonly Channel[]): string => `[${chs.map((c) => `"${eventChannel(c)}"`).join(',')}]`;
  // The agent's own queue comes first, with no name, as in Connect's sample agent event stream.
  const own = `{"ARN":${s(agent.agentQueueArn)},"Channels":${channels(p.channels)},"Name":null}`;
  const inbound = [own, ...p.queues.map((q) => `{"ARN":${s(q.queue.arn)},"Channels":${channels(q.channels)},"Name":${s(q.queue.name)}}`)].join(',');
  return (
    `{"AgentHierarchyGroups":{${levels}},"FirstName":${s(agent.firstName)},"LastName":${s(agent.lastName)},` +
    `"RoutingProfile":{"ARN":${s(p.arn)},"Concurrency":[${concurrency}],` +
    `"DefaultOutboundQueue":{"ARN":${s(p.outboundQueue.arn)},"Channels":["VOICE"],"Name":${s(p.outboundQueue.name)}},` +
    `"InboundQueues":[${inbound}],"Name":${s(p.name)}},"Username":${s(agent.username)}}`
  );
}
