/**
 * Agent counts per queue and per routing profile, from each agent's latest
 * state (see agent-state.ts for what each count means).
 *
 * An agent counts for a queue when the queue is one of their routing
 * profile's inbound queues (the snapshot's `Configuration.RoutingProfile.
 * InboundQueues`), whatever the channel: the queue's row says how many agents
 * could serve it. An agent counts for the routing profile of their snapshot.
 * A summary row counts each agent once, however many queues they serve, so it
 * is not the sum of the rows above it.
 */
import { agentFlags, viewOfState } from './agent-state.js';
import type { AgentFlags, AgentView, LatestAgentState } from './agent-state.js';

export interface AgentCounts {
  online: number;
  onContact: number;
  npt: number;
  acw: number;
  error: number;
  available: number;
  staffed: number;
}

export type AgentCountKey = keyof AgentCounts;

/** Column labels as Amazon Connect's real-time Queues and Routing profiles reports name them. */
export const AGENT_COUNT_COLUMNS: ReadonlyArray<readonly [AgentCountKey, string]> = [
  ['online', 'Online'],
  ['onContact', 'On contact'],
  ['npt', 'NPT'],
  ['acw', 'ACW'],
  ['error', 'Error'],
  ['available', 'Available'],
  ['staffed', 'Staffed'],
];

export const zeroCounts = (): AgentCounts => ({ online: 0, onContact: 0, npt: 0, acw: 0, error: 0, available: 0, staffed: 0 });

export function addFlags(into: AgentCounts, f: AgentFlags): void {
  if (f.online) into.online++;
  if (f.onContact) into.onContact++;
  if (f.npt) into.npt++;
  into.acw += f.acw;
  if (f.error) into.error++;
  if (f.available) into.available++;
  if (f.staffed) into.staffed++;
}

/** An agent with the groups it counts in, and how it is classified. */
export interface ClassifiedAgent {
  readonly agentArn: string;
  readonly view: AgentView;
  readonly queueIds: readonly string[];
  readonly routingProfileId: string | null;
}

export function classifyState(s: LatestAgentState): ClassifiedAgent {
  const cfg = s.snapshot?.configuration;
  return {
    agentArn: s.agentArn,
    view: viewOfState(s),
    queueIds: [...new Set((cfg?.inboundQueues ?? []).map((q) => q.id))],
    routingProfileId: cfg?.routingProfile?.id ?? null,
  };
}

export interface GroupedCounts {
  /** Group id (queue or routing profile id) → counts. Only groups with at least one agent in them. */
  readonly rows: ReadonlyMap<string, AgentCounts>;
  /** Every agent once. */
  readonly summary: AgentCounts;
}

export function countAgents(agents: readonly ClassifiedAgent[], groupsOf: (a: ClassifiedAgent) => readonly string[]): GroupedCounts {
  const rows = new Map<string, AgentCounts>();
  const summary = zeroCounts();
  for (const a of agents) {
    const flags = agentFlags(a.view);
    addFlags(summary, flags);
    for (const g of groupsOf(a)) {
      let c = rows.get(g);
      if (!c) rows.set(g, (c = zeroCounts()));
      addFlags(c, flags);
    }
  }
  return { rows, summary };
}

export const byQueue = (a: ClassifiedAgent): readonly string[] => a.queueIds;
export const byRoutingProfile = (a: ClassifiedAgent): readonly string[] => (a.routingProfileId === null ? [] : [a.routingProfileId]);
