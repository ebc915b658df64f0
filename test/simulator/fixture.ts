/**
 * Shared inputs for the simulator tests: one mid-sized run, simulated once per
 * test file, and minimal typings of the JSON it writes.
 */
import { simulate } from '../../cli/simulator/index.js';
import type { SimulateOptions, SimulateResult } from '../../cli/simulator/index.js';

export const FIXTURE_OPTIONS: SimulateOptions = {
  seed: 7,
  agents: 40,
  hours: 24,
  // Spans the switch to daylight saving time in New York (2026-03-08 02:00 local).
  start: '2026-03-07T12:00:00Z',
  timeZone: 'America/New_York',
};

let cached: SimulateResult | undefined;

/** 40 agents over a day: a few thousand contacts and every contact kind, in about a second. */
export function fixtureRun(): SimulateResult {
  cached ??= simulate(FIXTURE_OPTIONS);
  return cached;
}

export interface EndpointJson {
  Address: string;
  Type: string;
}

export interface CtrJson {
  AWSAccountId: string;
  AWSContactTraceRecordFormatVersion: string;
  Agent: {
    ARN: string;
    Username: string;
    RoutingProfile: { ARN: string; Name: string };
    HierarchyGroups: Record<string, { ARN: string; GroupName: string }>;
    ConnectedToAgentTimestamp: string;
    AgentInteractionDuration: number;
    CustomerHoldDuration: number;
    AfterContactWorkDuration: number;
    AfterContactWorkStartTimestamp: string | null;
    AfterContactWorkEndTimestamp: string | null;
    NumberOfHolds: number;
    LongestHoldDuration: number;
  } | null;
  AgentConnectionAttempts: number;
  Attributes: Record<string, string>;
  Channel: string;
  ConnectedToSystemTimestamp: string | null;
  ContactId: string;
  CustomerEndpoint: EndpointJson | null;
  DisconnectReason: string | null;
  DisconnectTimestamp: string;
  InitialContactId: string | null;
  InitiationMethod: string;
  InitiationTimestamp: string;
  InstanceARN: string;
  LastUpdateTimestamp: string;
  MediaStreams: { Type: string }[];
  NextContactId: string | null;
  PreviousContactId: string | null;
  Queue: { ARN: string; Name: string; EnqueueTimestamp: string | null; DequeueTimestamp: string | null; Duration: number } | null;
  Recording: null;
  SystemEndpoint: EndpointJson | null;
  TransferCompletedTimestamp: string | null;
  TransferredToEndpoint: EndpointJson | null;
}

export interface SnapshotContactJson {
  Channel: string;
  ConnectedToAgentTimestamp: string | null;
  ContactId: string;
  InitialContactId: string | null;
  InitiationMethod: string;
  Queue: { ARN: string; Name: string };
  QueueTimestamp: string | null;
  State: string;
  StateStartTimestamp: string;
}

export interface SnapshotJson {
  AgentStatus: { ARN: string; Name: string; StartTimestamp: string; Type: string };
  Configuration: {
    AgentHierarchyGroups: Record<string, { ARN: string; Name: string }>;
    FirstName: string;
    LastName: string;
    RoutingProfile: {
      ARN: string;
      Name: string;
      /** The agent's own queue first, with a null Name. */
      InboundQueues: { ARN: string; Name: string | null; Channels: string[] }[];
      DefaultOutboundQueue: { ARN: string; Name: string; Channels: string[] };
      Concurrency: { AvailableSlots: number; Channel: string; MaximumSlots: number }[];
    };
    Username: string;
  };
  Contacts: SnapshotContactJson[];
}

export interface AgentEventJson {
  AWSAccountId: string;
  AgentARN: string;
  /** Null on some LOGIN and LOGOUT events, as Connect publishes them. */
  CurrentAgentSnapshot: SnapshotJson | null;
  EventId: string;
  EventTimestamp: string;
  EventType: 'LOGIN' | 'LOGOUT' | 'STATE_CHANGE' | 'HEART_BEAT';
  InstanceARN: string;
  PreviousAgentSnapshot: SnapshotJson | null;
  Version: string;
}

export const ms = (iso: string): number => Date.parse(iso);
export const INTERVAL = 15 * 60 * 1000;
export const intervalStart = (t: number): number => Math.floor(t / INTERVAL) * INTERVAL;

export function parseCtrs(lines: readonly string[]): CtrJson[] {
  return lines.map((l) => JSON.parse(l) as CtrJson);
}

export function parseEvents(lines: readonly string[]): AgentEventJson[] {
  return lines.map((l) => JSON.parse(l) as AgentEventJson);
}

/** The version a deduplicating consumer keeps: latest LastUpdateTimestamp per ContactId. */
export function finalCtrs(ctrs: readonly CtrJson[]): CtrJson[] {
  const byId = new Map<string, CtrJson>();
  for (const c of ctrs) {
    const prev = byId.get(c.ContactId);
    if (!prev || ms(c.LastUpdateTimestamp) > ms(prev.LastUpdateTimestamp)) byId.set(c.ContactId, c);
  }
  return [...byId.values()];
}

export function eventsByAgent(events: readonly AgentEventJson[]): Map<string, AgentEventJson[]> {
  const out = new Map<string, AgentEventJson[]>();
  for (const e of events) {
    const list = out.get(e.AgentARN) ?? [];
    list.push(e);
    out.set(e.AgentARN, list);
  }
  return out;
}

/**
 * Collects rule violations so a loop over tens of thousands of lines makes
 * one assertion (`expect(v.list).toEqual([])`) instead of one per field.
 */
export class Violations {
  readonly list: string[] = [];

  check(ok: boolean, what: () => string): void {
    if (!ok && this.list.length < 20) this.list.push(what());
  }
}
