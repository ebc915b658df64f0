/**
 * Primitives: the additive facts every metric is computed from. Aggregates
 * store primitives per 15-minute UTC interval and dimension tuple; a metric is
 * always a function of primitives summed over the cells of a report row, never
 * an average of averages.
 *
 * Times are stored as integer milliseconds so that sums are exact.
 */

/** Service-level thresholds offered by Amazon Connect, in seconds. */
export const SL_THRESHOLDS = [15, 20, 25, 30, 45, 60, 90, 120, 180, 240, 300, 600] as const;
export type SlThreshold = (typeof SL_THRESHOLDS)[number];

/**
 * Where a primitive comes from and how it is attributed to intervals:
 * - `ctr`: one contact record, counted whole in the 15-minute interval that contains its disconnect.
 * - `agent-status`: agent events, agent-level; time split across intervals by wall clock.
 * - `agent-contact`: agent events, per contact (has queue and channel); time split by wall clock,
 *   counts in the interval of the event that produced them.
 */
export type PrimitiveSource = 'ctr' | 'agent-status' | 'agent-contact';

export interface PrimitiveDef {
  readonly source: PrimitiveSource;
  /** `sum` adds across cells; `max` keeps the largest value. */
  readonly agg: 'sum' | 'max';
  readonly unit: 'count' | 'ms';
  readonly description: string;
}

const ctrCount = (description: string): PrimitiveDef => ({ source: 'ctr', agg: 'sum', unit: 'count', description });
const ctrMs = (description: string): PrimitiveDef => ({ source: 'ctr', agg: 'sum', unit: 'ms', description });
const statusMs = (description: string): PrimitiveDef => ({ source: 'agent-status', agg: 'sum', unit: 'ms', description });
const contactCount = (description: string): PrimitiveDef => ({ source: 'agent-contact', agg: 'sum', unit: 'count', description });
const contactMs = (description: string): PrimitiveDef => ({ source: 'agent-contact', agg: 'sum', unit: 'ms', description });

function thresholdPrimitives<P extends string>(prefix: P, describe: (x: number) => string) {
  const out: Record<string, PrimitiveDef> = {};
  for (const x of SL_THRESHOLDS) out[`${prefix}_${x}`] = ctrCount(describe(x));
  return out as Record<`${P}_${SlThreshold}`, PrimitiveDef>;
}

export const PRIMITIVES = {
  // ---- contact-record-driven (one CTR, latest version, disconnect interval) ----
  ctr_records: ctrCount('Contact records counted in the cell (presence of contact-record data).'),
  contacts_queued: ctrCount('Contacts with a queue EnqueueTimestamp.'),
  contacts_handled: ctrCount('Contacts connected to an agent (Agent.ConnectedToAgentTimestamp set).'),
  contacts_handled_incoming: ctrCount('Handled contacts initiated INBOUND, TRANSFER or QUEUE_TRANSFER.'),
  contacts_handled_outbound: ctrCount('Handled contacts initiated OUTBOUND.'),
  callback_contacts_handled: ctrCount('Handled contacts initiated CALLBACK.'),
  api_contacts_handled: ctrCount('Handled contacts initiated API.'),
  contacts_incoming: ctrCount('Contacts initiated INBOUND, TRANSFER or QUEUE_TRANSFER.'),
  callback_contacts: ctrCount('Contacts initiated CALLBACK.'),
  api_contacts: ctrCount('Contacts initiated API.'),
  contacts_abandoned: ctrCount('Queued, never connected to an agent, no NextContactId, DisconnectReason CUSTOMER_DISCONNECT (or no DisconnectReason key: older records).'),
  abandon_time: ctrMs('Sum of queue time (enqueue to dequeue) of abandoned contacts.'),
  contacts_answered_from_queue: ctrCount('Queued contacts that were connected to an agent.'),
  queue_answer_time: ctrMs('Sum of QueueInfo.Duration of queued contacts connected to an agent.'),
  max_queued_time: { source: 'ctr', agg: 'max', unit: 'ms', description: 'Longest queue time of any queued contact.' },
  ...thresholdPrimitives('removed_in', (x) => `Queued contacts removed from the queue (answered, abandoned, or a callback requested) within ${x} s (QueueInfo.Duration) inclusive.`),
  ...thresholdPrimitives('answered_in', (x) => `Queued contacts answered (ConnectedToAgentTimestamp) within ${x} s of EnqueueTimestamp, inclusive.`),
  ...thresholdPrimitives('abandoned_in', (x) => `Abandoned contacts whose queue time was at most ${x} s.`),
  agent_interaction_time: ctrMs('Sum of Agent.AgentInteractionDuration.'),
  customer_hold_time: ctrMs('Sum of Agent.CustomerHoldDuration.'),
  after_contact_work_time: ctrMs('Sum of Agent.AfterContactWorkDuration.'),
  outbound_agent_interaction_time: ctrMs('Sum of AgentInteractionDuration over OUTBOUND contacts handled.'),
  outbound_after_contact_work_time: ctrMs('Sum of AfterContactWorkDuration over OUTBOUND contacts handled.'),
  contacts_put_on_hold: ctrCount('Handled contacts with Agent.NumberOfHolds > 0.'),
  contacts_agent_hung_up_first: ctrCount('Handled contacts with DisconnectReason AGENT_DISCONNECT.'),
  contacts_transferred_in: ctrCount('Contacts initiated TRANSFER or QUEUE_TRANSFER.'),
  contacts_transferred_in_by_agent: ctrCount('Contacts initiated TRANSFER.'),
  contacts_transferred_in_from_queue: ctrCount('Contacts initiated QUEUE_TRANSFER.'),
  contacts_transferred_out: ctrCount('Transferred out by an agent plus transferred out from the queue by a flow.'),
  contacts_transferred_out_by_agent: ctrCount('Handled contacts with a TransferredToEndpoint, or a NextContactId whose next contact is not a callback.'),
  contacts_transferred_out_internal: ctrCount('Handled contacts with a NextContactId (next contact not a callback) and no TransferredToEndpoint.'),
  contacts_transferred_out_external: ctrCount('Handled contacts with a TransferredToEndpoint (left Amazon Connect).'),
  contacts_transferred_out_from_queue: ctrCount('Queued contacts never connected to an agent whose next contact is a transfer (QUEUE_TRANSFER or TRANSFER), or not yet known; not a callback.'),
  contacts_hold_disconnected: ctrCount('Handled contacts that ended while the customer was on hold (per the agent events) and were not transferred out.'),
  contacts_hold_agent_disconnected: ctrCount('Hold disconnects (contacts_hold_disconnected) whose DisconnectReason is AGENT_DISCONNECT.'),
  contacts_hold_customer_disconnected: ctrCount('Hold disconnects (contacts_hold_disconnected) whose DisconnectReason is CUSTOMER_DISCONNECT.'),

  // ---- agent-activity-driven, agent level (wall clock, split across intervals) ----
  online_time: statusMs('Time logged in with a status other than Offline (also the presence of agent-level activity data).'),
  agent_idle_time: statusMs('Time in a routable (Available) status with no contact, or only contacts in an error state.'),
  non_productive_time: statusMs('Time in a custom status (not Available, not Offline).'),
  error_status_time: statusMs('Time with at least one contact in ERROR, MISSED or REJECTED state.'),
  agent_on_contact_time: statusMs(
    'Time in a routable status with at least one contact CONNECTED, on hold, in ACW (ENDED) or ringing out (OUTBOUND or CALLBACK in CONNECTING); wall clock, concurrency not counted.',
  ),

  // ---- agent-activity-driven, per contact (queue and channel known) ----
  contact_state_changes: contactCount('Contact state changes observed in agent events (presence).'),
  contacts_missed: contactCount(
    'Offers routed to the agent that resolved unanswered: MISSED, REJECTED, ERROR, or gone from the snapshot while ringing (abandoned by the customer); counted when they resolve.',
  ),
  contacts_routed: contactCount(
    'Offers routed to the agent (INCOMING, PENDING or CONNECTING; a callback only while INCOMING or PENDING; never the agent\'s own OUTBOUND dial) that resolved, answered or missed; counted when they resolve.',
  ),
  contacts_answered_by_agent: contactCount('Offers the agent answered: the contact went to CONNECTED (a callback: the agent accepted it and Connect started dialing, CONNECTING).'),
  incoming_connecting_time: contactMs('CONNECTING time of INBOUND contacts, until CONNECTED, MISSED, REJECTED or ERROR.'),
  incoming_connecting_count: contactCount('INBOUND contacts that left CONNECTING.'),
  outbound_connecting_time: contactMs('CONNECTING time of OUTBOUND contacts.'),
  outbound_connecting_count: contactCount('OUTBOUND contacts that left CONNECTING.'),
  callback_connecting_time: contactMs('Time CALLBACK contacts spent offered to the agent and dialing (INCOMING, PENDING, CONNECTING), from the agent being reserved until CONNECTED, MISSED, REJECTED or ERROR.'),
  callback_connecting_count: contactCount('CALLBACK contacts whose offer-and-dial phase ended.'),
  api_connecting_time: contactMs('CONNECTING time of API contacts.'),
  api_connecting_count: contactCount('API contacts that left CONNECTING.'),
  agent_acw_time: contactMs('ACW from agent events: from the ENDED StateStartTimestamp to the EventTimestamp of the STATE_CHANGE that removes the contact.'),
  agent_acw_count: contactCount('ACW periods ended, from agent events.'),
  contacts_hold_disconnect: contactCount('Contacts that went from CONNECTED_ONHOLD straight to ENDED (agent events only; the metric reads contacts_hold_disconnected, which also knows transfers).'),
  contact_time_in_custom_status: contactMs(
    'Per contact: time the contact was CONNECTED, on hold or in ACW (ENDED) with the agent while the agent\'s status was a custom one; split across intervals by wall clock.',
  ),
} as const satisfies Record<string, PrimitiveDef>;

export type PrimitiveId = keyof typeof PRIMITIVES;
export const PRIMITIVE_IDS = Object.keys(PRIMITIVES) as PrimitiveId[];

/** A sparse bag of primitive values. Absent means zero (or "no value" for `max`). */
export type Primitives = Partial<Record<PrimitiveId, number>>;

/** Adds `b` into `a` in place (max primitives keep the larger value); `sign` -1 retracts sums. */
export function addPrimitives(a: Record<string, number>, b: Primitives, sign: 1 | -1 = 1): void {
  for (const k in b) {
    const v = b[k as PrimitiveId] as number;
    const def = PRIMITIVES[k as PrimitiveId];
    if (def.agg === 'max') {
      const cur = a[k];
      if (cur === undefined || v > cur) a[k] = v;
    } else {
      a[k] = (a[k] ?? 0) + sign * v;
    }
  }
}
