/**
 * What an agent is doing right now, as Amazon Connect's real-time reports
 * classify it (connect-docs/real-time-metrics-definitions.md and
 * metrics-agent-status.md), from the agent's latest snapshot.
 *
 * The status the agent sets in the CCP (Available, a custom status, Offline)
 * and the states of the contacts in the snapshot are independent: an agent in
 * a custom status may still be on an outbound call ("it's possible for agents
 * to be counted as On call and NPT at the same time"). So each count is a flag
 * of its own:
 *
 * | count      | rule (doc sentence)                                                                                       |
 * | Online     | status is not Offline ("set their status in the CCP to something other than Offline")                     |
 * | On contact | at least one contact connected, on hold, in ACW, or outbound ring ("handling at least one contact who is  |
 * |            | either connected, on hold, in After contact work, or outbound ring")                                      |
 * | NPT        | status is a custom status ("CCP status is other than Available or Offline")                               |
 * | ACW        | the number of CONTACTS in ACW ("ACW counts the number of contacts who are in an ACW state, not the number |
 * |            | of agents"); with one contact at a time this is the number of agents in ACW                               |
 * | Error      | at least one contact MISSED, REJECTED or in ERROR ("included if they miss a call or reject a chat/task …  |
 * |            | or if there is a connection failure")                                                                     |
 * | Available  | status Available and no contact in the snapshot at all ("unavailable when … at least one contact ongoing |
 * |            | … or a contact in a missed or error state"); a ringing contact also takes the agent's slot                |
 * | Staffed    | status Available ("online in the CCP, and not in NPT"), on a contact or not                               |
 *
 * So a chat agent with one contact connected and another in ACW counts once in
 * On contact and once in ACW (one contact in ACW). "Outbound ring" is an
 * OUTBOUND contact in CONNECTING (the agent's own call ringing the customer)
 * and a CALLBACK contact in CONNECTING (Connect dialing the customer after the
 * agent accepted the callback, "Outbound callback" in the Agent Activity
 * rules); an INBOUND, TRANSFER, QUEUE_TRANSFER or API contact in CONNECTING is
 * still being offered (Incoming).
 *
 * An agent whose latest event is a LOGOUT, or whose snapshot has no status or
 * the OFFLINE status type, is offline. Contacts still count while offline
 * ("Technically, agents can make an outbound call when their CCP is set to
 * Offline"), except after a LOGOUT, which ends the session.
 */
import type { AgentSnapshot } from '../model/types.js';

/** The latest state the store keeps per agent; structurally the storage port's `AgentState`. */
export interface LatestAgentState {
  readonly agentArn: string;
  readonly eventMs: number;
  readonly eventType: string;
  readonly snapshot: AgentSnapshot | null;
}

/** A contact as the classification needs it; `method` is the InitiationMethod when known. */
export interface ContactInState {
  readonly state: string;
  readonly method: string | null;
}

/** The agent as the classification needs it: status type and name, and the contacts of the snapshot. */
export interface AgentView {
  readonly loggedOut: boolean;
  /** ROUTABLE, CUSTOM or OFFLINE; null when the snapshot carries no status. */
  readonly statusType: string | null;
  readonly statusName: string | null;
  readonly contacts: readonly ContactInState[];
}

export interface AgentFlags {
  readonly online: boolean;
  readonly onContact: boolean;
  readonly npt: boolean;
  /** Contacts in ACW (a number, not a flag: see the module comment). */
  readonly acw: number;
  readonly error: boolean;
  readonly available: boolean;
  readonly staffed: boolean;
}

const CONNECTED_STATES: ReadonlySet<string> = new Set(['CONNECTED', 'CONNECTED_ONHOLD']);
/** Methods whose CONNECTING state rings the customer, not the agent. */
const OUTBOUND_RING_METHODS: ReadonlySet<string> = new Set(['OUTBOUND', 'CALLBACK']);
const OFFERED_STATES: ReadonlySet<string> = new Set(['INCOMING', 'PENDING', 'CONNECTING']);

export function viewOfState(s: LatestAgentState): AgentView {
  const snap = s.snapshot;
  return {
    loggedOut: s.eventType === 'LOGOUT',
    statusType: snap?.status?.type ?? null,
    statusName: snap?.status?.ref.name ?? null,
    contacts: (snap?.contacts ?? []).map((c) => ({ state: c.state, method: c.initiationMethod })),
  };
}

export function isOutboundRing(c: ContactInState): boolean {
  return c.state === 'CONNECTING' && c.method !== null && OUTBOUND_RING_METHODS.has(c.method);
}

/** Connected, on hold, or outbound ring: "On contact" in the Agent Activity rules (ACW is its own activity there). */
function isTalking(c: ContactInState): boolean {
  return CONNECTED_STATES.has(c.state) || isOutboundRing(c);
}

function isOnline(v: AgentView): boolean {
  return !v.loggedOut && v.statusType !== null && v.statusType !== 'OFFLINE';
}

const NO_FLAGS: AgentFlags = { online: false, onContact: false, npt: false, acw: 0, error: false, available: false, staffed: false };

export function agentFlags(v: AgentView): AgentFlags {
  if (v.loggedOut) return NO_FLAGS;
  const online = isOnline(v);
  let onContact = false;
  let acw = 0;
  let error = false;
  for (const c of v.contacts) {
    if (isTalking(c) || c.state === 'ENDED') onContact = true;
    if (c.state === 'ENDED') acw++;
    if (c.state === 'ERROR' || c.state === 'MISSED' || c.state === 'REJECTED') error = true;
  }
  const routable = online && v.statusType === 'ROUTABLE';
  return {
    online,
    onContact,
    npt: online && v.statusType === 'CUSTOM',
    acw,
    error,
    available: routable && v.contacts.length === 0,
    staffed: routable,
  };
}

/**
 * The Agent Activity, by the documented precedence for concurrent contacts:
 * Error, Missed, Rejected, On contact (connected, on hold, outbound ring),
 * After contact work, Incoming, then the custom status name, Available, and
 * Offline when the agent is not online and has no contact.
 */
export function agentActivity(v: AgentView): string {
  if (v.loggedOut) return 'Offline';
  const has = (p: (c: ContactInState) => boolean) => v.contacts.some(p);
  if (has((c) => c.state === 'ERROR')) return 'Error';
  if (has((c) => c.state === 'MISSED')) return 'Missed';
  if (has((c) => c.state === 'REJECTED')) return 'Rejected';
  if (has(isTalking)) return 'On contact';
  if (has((c) => c.state === 'ENDED')) return 'After contact work';
  if (has((c) => OFFERED_STATES.has(c.state))) return 'Incoming';
  if (!isOnline(v)) return 'Offline';
  if (v.statusType === 'CUSTOM') return v.statusName ?? 'Custom';
  return v.statusName ?? 'Available';
}

/**
 * The Contact State column: "Connected, On Hold, After contact work, Incoming,
 * Calling, or Missed contact", and "Callback incoming" / "Callback dialing"
 * for queued callbacks.
 */
export function contactStateLabel(c: ContactInState): string {
  const callback = c.method === 'CALLBACK';
  switch (c.state) {
    case 'CONNECTED':
      return 'Connected';
    case 'CONNECTED_ONHOLD':
      return 'On hold';
    case 'ENDED':
      return 'After contact work';
    case 'INCOMING':
    case 'PENDING':
      return callback ? 'Callback incoming' : 'Incoming';
    case 'CONNECTING':
      if (callback) return 'Callback dialing';
      return c.method === 'OUTBOUND' ? 'Calling' : 'Incoming';
    case 'MISSED':
      return 'Missed contact';
    case 'REJECTED':
      return 'Rejected contact';
    case 'ERROR':
      return 'Error';
    default:
      return c.state;
  }
}
