/**
 * The metric registry: one entry per metric. Reports (CSV headers and
 * formatting), CloudWatch publishing and tests all read from here; no formula
 * is written anywhere else.
 *
 * Definitions follow the Amazon Connect Administrator Guide's "Historical
 * metrics definitions" (https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html)
 * where it is more precise than the 2019 user guide. Every choice this project
 * had to make is written in the entry's `notes`, citing the page it follows.
 */
import type { Grouping } from '../dimensions.js';
import { GROUPING_NAMES } from '../dimensions.js';
import { PRIMITIVES, SL_THRESHOLDS } from './primitives.js';
import type { PrimitiveId, Primitives } from './primitives.js';

export type MetricUnit = 'count' | 'seconds' | 'percent';
export type MetricCategory = 'contact-record-driven' | 'agent-activity-driven';

/**
 * How a metric is computed from primitives summed over a report row.
 * - `sum`: Σ of the primitives.
 * - `ratio`: Σ num / Σ den × scale; no value (a dash) when Σ den is 0.
 * - `max`: the largest value; no value when nothing was queued.
 * Time primitives are milliseconds; `seconds` metrics are converted.
 */
export type Formula =
  | { readonly kind: 'sum'; readonly of: readonly PrimitiveId[] }
  | {
      readonly kind: 'ratio';
      readonly num: readonly PrimitiveId[];
      readonly den: readonly PrimitiveId[];
      /** Subtracted from Σ num (never below 0): time the numerator's records include but the metric leaves out. */
      readonly minus?: readonly PrimitiveId[];
    }
  | { readonly kind: 'max'; readonly of: PrimitiveId };

export interface SupportedMetric {
  readonly id: string;
  readonly supported: true;
  /** CSV header exactly as Amazon Connect names the metric in reports. */
  readonly header: string;
  /** The name in Amazon Connect real-time reports, where the metric appears there. */
  readonly realTimeLabel?: string;
  readonly unit: MetricUnit;
  readonly category: MetricCategory;
  readonly formula: Formula;
  /** Groupings a report may use with this metric. */
  readonly groupableBy: readonly Grouping[];
  readonly description: string;
  /** Choices this project made where the documentation leaves room. */
  readonly notes?: string;
  /** Other names a report definition may use (an older Amazon Connect name). */
  readonly aliases?: readonly string[];
}

export interface UnsupportedMetric {
  readonly id: string;
  readonly supported: false;
  readonly header: string;
  readonly realTimeLabel?: string;
  /** Why CTRs and agent events cannot give this metric. */
  readonly reason: string;
}

export type MetricDef = SupportedMetric | UnsupportedMetric;

const ALL: readonly Grouping[] = GROUPING_NAMES;
const AGENT_LEVEL: readonly Grouping[] = [
  'AGENT',
  'ROUTING_PROFILE',
  'AGENT_HIERARCHY_LEVEL_ONE',
  'AGENT_HIERARCHY_LEVEL_TWO',
  'AGENT_HIERARCHY_LEVEL_THREE',
  'AGENT_HIERARCHY_LEVEL_FOUR',
  'AGENT_HIERARCHY_LEVEL_FIVE',
];
const CONTACT_ACTIVITY: readonly Grouping[] = ALL.filter((g) => g !== 'PHONE_NUMBER');

type Base = Omit<SupportedMetric, 'supported' | 'category' | 'groupableBy' | 'formula' | 'unit'>;

const ctrCount = (b: Base, of: readonly PrimitiveId[]): SupportedMetric => ({
  ...b,
  supported: true,
  unit: 'count',
  category: 'contact-record-driven',
  groupableBy: ALL,
  formula: { kind: 'sum', of },
});
const ctrTime = (b: Base, of: readonly PrimitiveId[]): SupportedMetric => ({
  ...b,
  supported: true,
  unit: 'seconds',
  category: 'contact-record-driven',
  groupableBy: ALL,
  formula: { kind: 'sum', of },
});
const ctrAvg = (b: Base, num: readonly PrimitiveId[], den: readonly PrimitiveId[], minus?: readonly PrimitiveId[]): SupportedMetric => ({
  ...b,
  supported: true,
  unit: 'seconds',
  category: 'contact-record-driven',
  groupableBy: ALL,
  formula: minus ? { kind: 'ratio', num, den, minus } : { kind: 'ratio', num, den },
});
const statusTime = (b: Base, of: readonly PrimitiveId[]): SupportedMetric => ({
  ...b,
  supported: true,
  unit: 'seconds',
  category: 'agent-activity-driven',
  groupableBy: AGENT_LEVEL,
  formula: { kind: 'sum', of },
});

const DEFS_URL = 'https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html';
const CTR_MODEL_URL = 'https://docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html';

const SL_NOTE =
  `Historical metrics definitions, "Service level X" (${DEFS_URL}): "A contact is removed from a queue when the following ` +
  'occurs: an agent answers the contact, the customer abandons the contact, or the customer requests a call back." ' +
  'A queued contact whose next contact (NextContactId, or the record whose PreviousContactId names it) is a CALLBACK is ' +
  'removed; one moved to another queue by a flow (next contact QUEUE_TRANSFER) is not, nor is one disconnected otherwise ' +
  '(a telecom problem, a flow). While the next contact is not known yet the contact counts as not removed. ' +
  'X is inclusive ("between 0 and X"). Queue time is QueueInfo.Duration (whole seconds: EnqueueTimestamp to ' +
  'DequeueTimestamp; the contact "remains in queue until the agent whisper is completed", "Average queue answer time") ' +
  'when present, else DequeueTimestamp - EnqueueTimestamp.';

const serviceLevels = SL_THRESHOLDS.map(
  (x): SupportedMetric => ({
    id: `service_level_${x}`,
    supported: true,
    header: `Service level ${x} seconds`,
    realTimeLabel: `SL ${x}`,
    unit: 'percent',
    category: 'contact-record-driven',
    groupableBy: ALL,
    formula: { kind: 'ratio', num: [`removed_in_${x}`], den: ['contacts_queued'] },
    description: `Contacts removed from the queue within ${x} seconds of being added to it / contacts queued × 100.`,
    notes: SL_NOTE,
  }),
);
const answeredIn = SL_THRESHOLDS.map((x) =>
  ctrCount(
    {
      id: `contacts_answered_in_${x}`,
      header: `Contacts answered in ${x} seconds`,
      description: `Contacts answered by an agent between 0 and ${x} seconds after EnqueueTimestamp.`,
      notes:
        `Historical metrics definitions, "Contacts answered in X seconds" (${DEFS_URL}): "answered by an agent between 0 and X ` +
        'seconds of being placed in the queue, based on the value of EnqueueTimestamp". Measured from Queue.EnqueueTimestamp ' +
        'to Agent.ConnectedToAgentTimestamp (the answer), whatever QueueInfo.Duration says (it also holds the agent whisper). ' +
        'Inclusive of X.',
    },
    [`answered_in_${x}`],
  ),
);
const abandonedIn = SL_THRESHOLDS.map((x) =>
  ctrCount(
    {
      id: `contacts_abandoned_in_${x}`,
      header: `Contacts abandoned in ${x} seconds`,
      description: `Contacts disconnected by the customer while in the queue for 0 to ${x} seconds.`,
      notes: `Historical metrics definitions, "Contacts abandoned in X seconds" (${DEFS_URL}): "while in the queue for 0 to X seconds": inclusive of X; queue time as for the service level. Abandoned as "Contacts abandoned".`,
    },
    [`abandoned_in_${x}`],
  ),
);

const ABANDON_NOTE =
  `Historical metrics definitions, "Contact abandoned" (${DEFS_URL}): "disconnected by the customer while in the queue. ` +
  'Contacts queued for callback are not counted as abandoned." Abandoned = queued, never connected to an agent, no ' +
  'NextContactId (not moved to a callback or another queue), and DisconnectReason CUSTOMER_DISCONNECT. A DisconnectReason ' +
  `key that is present and null is not an abandon: Contact records data model, "DisconnectReason" (${CTR_MODEL_URL}): ` +
  '"For many contacts, such as contacts ended by flows or APIs, there will not be any disconnect reason. In the contact ' +
  'record it will appear as null." A record with no DisconnectReason key at all (written before the field existed) counts ' +
  'as abandoned, as the 2019 definition did ("placed in a queue but not picked up by an agent or transferred to a ' +
  'callback"); other reasons (TELECOM_PROBLEM, CONTACT_FLOW_DISCONNECT, OTHER, API, EXPIRED) are not abandons.';

const TRANSFER_NOTE =
  `Historical metrics definitions, "Contacts transferred out" (${DEFS_URL}): "transferred out from queue to queue, and ` +
  'transferred out by an agent using the CCP". A contact with a NextContactId is a transfer when the next contact (found by ' +
  'NextContactId, or by its PreviousContactId) was initiated TRANSFER or QUEUE_TRANSFER; when it was initiated CALLBACK the ' +
  'customer asked to be called back, which is not a transfer (nor is any other method, e.g. DISCONNECT). Until the next ' +
  "contact's record is known the contact counts as a transfer; it is restated when that record arrives.";

const DOCS = 'https://docs.aws.amazon.com/connect/latest/adminguide';
const HISTORICAL_DEFS = `Historical metrics definitions in Amazon Connect (${DOCS}/historical-metrics-definitions.html)`;
const REAL_TIME_DEFS = `Real-time metrics definitions in Amazon Connect (${DOCS}/real-time-metrics-definitions.html)`;

const HANDLE_NOTE =
  'Per contact: AgentInteractionDuration + CustomerHoldDuration + AfterContactWorkDuration from the contact record. ' +
  `${HISTORICAL_DEFS}, "Average handle time": "AHT does not include any time spent in a custom status; Contact handle time (CHT) ` +
  'does include it." Contact handle time is therefore the record\'s talk + hold + ACW; Average handle time subtracts the time ' +
  'the agent events show the agent in a custom status while the contact was connected, on hold or in ACW (per contact, so three ' +
  'chats in a custom status for a minute subtract a minute each). Interval attribution: the contact record counts in the interval of ' +
  'its disconnect, the custom-status time by wall clock, so an interval can subtract time of a contact whose record counts in the next ' +
  'one (a day or a TOTAL report is exact); the numerator never goes below 0. Agent events carry no phone number, so grouped or ' +
  'filtered by phone number nothing is subtracted.';

export const METRICS: readonly MetricDef[] = [
  // ---------------- contact-record-driven ----------------
  ctrCount({ id: 'contacts_queued', header: 'Contacts queued', realTimeLabel: 'Queued', description: 'Count of contacts placed in the queue.' }, ['contacts_queued']),
  ctrCount(
    {
      id: 'contacts_handled',
      header: 'Contacts handled',
      realTimeLabel: 'Handled',
      description: 'Count of contacts that were connected to an agent, however they reached the agent.',
    },
    ['contacts_handled'],
  ),
  ctrCount(
    {
      id: 'contacts_handled_incoming',
      header: 'Contacts handled incoming',
      realTimeLabel: 'Handled in',
      description: 'Handled contacts initiated INBOUND, TRANSFER or QUEUE_TRANSFER.',
    },
    ['contacts_handled_incoming'],
  ),
  ctrCount(
    { id: 'contacts_handled_outbound', header: 'Contacts handled outbound', realTimeLabel: 'Handled out', description: 'Handled contacts initiated OUTBOUND.' },
    ['contacts_handled_outbound'],
  ),
  ctrCount(
    {
      id: 'callback_contacts_handled',
      header: 'Callback contacts handled',
      realTimeLabel: 'Callback contacts handled',
      description: 'Handled contacts initiated from a queued callback.',
    },
    ['callback_contacts_handled'],
  ),
  ctrCount(
    { id: 'api_contacts_handled', header: 'API contacts handled', realTimeLabel: 'API contacts handled', description: 'Handled contacts initiated by an API.' },
    ['api_contacts_handled'],
  ),
  ctrCount({ id: 'contacts_incoming', header: 'Contacts incoming', description: 'Contacts initiated INBOUND, TRANSFER or QUEUE_TRANSFER.' }, ['contacts_incoming']),
  ctrCount({ id: 'callback_contacts', header: 'Callback contacts', description: 'Contacts initiated from a queued callback.' }, ['callback_contacts']),
  ctrCount({ id: 'api_contacts', header: 'API contacts', description: 'Contacts initiated by an API, handled or not.' }, ['api_contacts']),
  ctrCount(
    {
      id: 'contacts_abandoned',
      header: 'Contacts abandoned',
      realTimeLabel: 'Abandoned',
      description: 'Contacts disconnected by the customer while in the queue; callbacks are not abandons.',
      notes: ABANDON_NOTE,
    },
    ['contacts_abandoned'],
  ),
  {
    id: 'abandonment_rate',
    supported: true,
    header: 'Abandonment rate',
    unit: 'percent',
    category: 'contact-record-driven',
    groupableBy: ALL,
    formula: { kind: 'ratio', num: ['contacts_abandoned'], den: ['contacts_queued'] },
    description: 'Contacts abandoned / contacts queued × 100 (the CloudWatch AbandonRate and its alarm use it).',
    notes: ABANDON_NOTE,
  },
  ctrAvg(
    {
      id: 'avg_queue_abandon_time',
      header: 'Average queue abandon time',
      realTimeLabel: 'Avg abandon time',
      description: 'Average of DequeueTimestamp - EnqueueTimestamp over abandoned contacts.',
      notes: ABANDON_NOTE,
    },
    ['abandon_time'],
    ['contacts_abandoned'],
  ),
  ctrAvg(
    {
      id: 'avg_queue_answer_time',
      header: 'Average queue answer time',
      realTimeLabel: 'Avg queue answer time',
      description: 'Average QueueInfo.Duration of queued contacts answered by an agent (includes agent whisper).',
    },
    ['queue_answer_time'],
    ['contacts_answered_from_queue'],
  ),
  {
    id: 'max_queued_time',
    supported: true,
    header: 'Maximum queued time',
    realTimeLabel: 'Max Queued',
    unit: 'seconds',
    category: 'contact-record-driven',
    groupableBy: ALL,
    formula: { kind: 'max', of: 'max_queued_time' },
    description: 'Longest time any contact spent in the queue, abandoned contacts included.',
  },
  ...serviceLevels,
  ...answeredIn,
  ...abandonedIn,
  ctrTime(
    {
      id: 'after_contact_work_time',
      header: 'After contact work time',
      description: 'Sum of AfterContactWorkDuration from the contact records.',
      notes: 'Contact-record-driven, as the newer documentation classifies it. The agent-event ACW of the seed is "Avg ACW".',
    },
    ['after_contact_work_time'],
  ),
  ctrAvg(
    { id: 'avg_after_contact_work_time', header: 'Average after contact work time', description: 'Average AfterContactWorkDuration over handled contacts.' },
    ['after_contact_work_time'],
    ['contacts_handled'],
  ),
  ctrTime({ id: 'agent_interaction_time', header: 'Agent interaction time', description: 'Sum of AgentInteractionDuration.' }, ['agent_interaction_time']),
  ctrAvg(
    {
      id: 'avg_agent_interaction_time',
      header: 'Average agent interaction time',
      realTimeLabel: 'Avg interaction time',
      description: 'Average AgentInteractionDuration over handled contacts.',
    },
    ['agent_interaction_time'],
    ['contacts_handled'],
  ),
  ctrTime({ id: 'customer_hold_time', header: 'Customer hold time', description: 'Sum of CustomerHoldDuration.' }, ['customer_hold_time']),
  ctrAvg(
    {
      id: 'avg_customer_hold_time',
      header: 'Average customer hold time',
      realTimeLabel: 'Avg hold time',
      description: 'Average CustomerHoldDuration over contacts that went on hold.',
      notes: 'The newer documentation: "This average only includes contacts that went on hold" (NumberOfHolds > 0).',
    },
    ['customer_hold_time'],
    ['contacts_put_on_hold'],
  ),
  ctrTime(
    { id: 'agent_interaction_and_hold_time', header: 'Agent interaction and hold time', description: 'Agent interaction time + customer hold time.' },
    ['agent_interaction_time', 'customer_hold_time'],
  ),
  ctrAvg(
    {
      id: 'avg_agent_interaction_and_customer_hold_time',
      header: 'Average agent interaction and customer hold time',
      realTimeLabel: 'Avg interaction and hold time',
      description: 'Average of AgentInteractionDuration + CustomerHoldDuration over handled contacts.',
    },
    ['agent_interaction_time', 'customer_hold_time'],
    ['contacts_handled'],
  ),
  ctrTime(
    {
      id: 'contact_handle_time',
      header: 'Contact handle time',
      description: 'Total time agents spent on contacts, hold and ACW included.',
      notes: HANDLE_NOTE,
    },
    ['agent_interaction_time', 'customer_hold_time', 'after_contact_work_time'],
  ),
  ctrAvg(
    {
      id: 'avg_handle_time',
      header: 'Average handle time',
      realTimeLabel: 'AHT',
      description: 'Average time from answer to the end of ACW over handled contacts: talk + hold + ACW, without time the agent spent in a custom status.',
      notes: HANDLE_NOTE,
    },
    ['agent_interaction_time', 'customer_hold_time', 'after_contact_work_time'],
    ['contacts_handled'],
    ['contact_time_in_custom_status'],
  ),
  ctrAvg(
    {
      id: 'avg_outbound_agent_interaction_time',
      header: 'Average outbound agent interaction time',
      description: 'Average AgentInteractionDuration over handled OUTBOUND contacts.',
    },
    ['outbound_agent_interaction_time'],
    ['contacts_handled_outbound'],
  ),
  ctrAvg(
    {
      id: 'avg_outbound_after_contact_work_time',
      header: 'Average outbound after contact work time',
      description: 'Average AfterContactWorkDuration over handled OUTBOUND contacts.',
    },
    ['outbound_after_contact_work_time'],
    ['contacts_handled_outbound'],
  ),
  ctrCount({ id: 'contacts_put_on_hold', header: 'Contacts put on hold', description: 'Contacts put on hold one or more times.' }, ['contacts_put_on_hold']),
  ctrCount(
    {
      id: 'contacts_agent_hung_up_first',
      header: 'Contacts agent hung up first',
      realTimeLabel: 'Agent hung up',
      description: 'Handled contacts whose DisconnectReason is AGENT_DISCONNECT.',
      notes: 'Needs DisconnectReason; records without it count as not hung up by the agent.',
    },
    ['contacts_agent_hung_up_first'],
  ),
  ctrCount(
    { id: 'contacts_transferred_in', header: 'Contacts transferred in', realTimeLabel: 'Transferred in', description: 'Contacts initiated TRANSFER or QUEUE_TRANSFER.' },
    ['contacts_transferred_in'],
  ),
  ctrCount(
    { id: 'contacts_transferred_in_by_agent', header: 'Contacts transferred in by agent', description: 'Contacts initiated TRANSFER (quick connect in the CCP).' },
    ['contacts_transferred_in_by_agent'],
  ),
  ctrCount(
    {
      id: 'contacts_transferred_in_from_queue',
      header: 'Contacts transferred in from queue',
      realTimeLabel: 'Transferred in from queue',
      description: 'Contacts initiated QUEUE_TRANSFER (Transfer to queue block).',
    },
    ['contacts_transferred_in_from_queue'],
  ),
  ctrCount(
    {
      id: 'contacts_transferred_out',
      header: 'Contacts transferred out',
      realTimeLabel: 'Transferred out',
      description: 'Transferred out by an agent, plus transferred out from the queue by a flow; callbacks are not transfers.',
      notes: TRANSFER_NOTE,
    },
    ['contacts_transferred_out'],
  ),
  ctrCount(
    {
      id: 'contacts_transferred_out_by_agent',
      header: 'Contacts transferred out by agent',
      description: 'Handled contacts the agent transferred (TransferredToEndpoint, or a NextContactId whose next contact is a transfer).',
      notes: TRANSFER_NOTE,
    },
    ['contacts_transferred_out_by_agent'],
  ),
  ctrCount(
    {
      id: 'contacts_transferred_out_internal',
      header: 'Contacts transferred out internal',
      description: 'Handled contacts transferred to a queue or agent inside Amazon Connect (NextContactId, no TransferredToEndpoint).',
      notes: TRANSFER_NOTE,
    },
    ['contacts_transferred_out_internal'],
  ),
  ctrCount(
    {
      id: 'contacts_transferred_out_external',
      header: 'Contacts transferred out external',
      description: 'Handled contacts transferred to an external number (TransferredToEndpoint).',
    },
    ['contacts_transferred_out_external'],
  ),
  ctrCount(
    {
      id: 'contacts_transferred_out_from_queue',
      header: 'Contacts transferred out from queue',
      realTimeLabel: 'Transferred out from queue',
      description: 'Queued contacts moved to another queue by a flow before an agent answered (NextContactId, never connected, next contact not a callback).',
      notes:
        `Historical metrics definitions, "Contacts transferred out queue" (${DEFS_URL}): "transferred from the queue to another ` +
        'queue in a Transfer to queue flow". ' +
        TRANSFER_NOTE,
    },
    ['contacts_transferred_out_from_queue'],
  ),

  // ---------------- agent-activity-driven ----------------
  statusTime(
    {
      id: 'online_time',
      header: 'Online time',
      description: 'Time agents spent in a status other than Offline, custom statuses included.',
    },
    ['online_time'],
  ),
  statusTime(
    {
      id: 'agent_idle_time',
      header: 'Agent idle time',
      description: 'Time in Available with no contact, plus time whose only contacts were in an error state.',
      notes:
        `${HISTORICAL_DEFS}, "Agent idle time": "doesn't include the amount of time from when Amazon Connect starts routing the contact to the agent, ` +
        'to when agent picks up or declines the contact": an offer ringing (INCOMING, PENDING, CONNECTING) is neither idle nor on contact. ' +
        'The agent\'s own outbound call ringing, and a callback being dialed, are on contact (see Agent on contact time).',
    },
    ['agent_idle_time'],
  ),
  statusTime(
    {
      id: 'non_productive_time',
      header: 'Non-Productive Time',
      description: 'Time in a custom status (neither Available nor Offline), on contact or not.',
    },
    ['non_productive_time'],
  ),
  statusTime(
    {
      id: 'error_status_time',
      header: 'Error status time',
      description: 'Time with at least one contact in an error state.',
      notes: 'MISSED and REJECTED count as error states: the CCP shows a missed contact as an error status until the agent clears it.',
    },
    ['error_status_time'],
  ),
  statusTime(
    {
      id: 'agent_on_contact_time',
      header: 'Agent on contact time',
      description:
        'Wall-clock time in Available with at least one contact connected, on hold, in ACW or ringing out (outbound call, callback dialing); excludes custom and Offline status.',
      notes:
        `${REAL_TIME_DEFS}, "On contact": an agent is on a contact when handling at least one contact "either connected, on hold, in After contact work, ` +
        'or outbound ring"; "Agent Activity": "Outbound contact/Outbound callback" is On contact. So an OUTBOUND contact in CONNECTING (the agent\'s ' +
        'call ringing the customer) and a CALLBACK in CONNECTING (Connect dialing the customer after the agent accepted) are on contact. ' +
        `${HISTORICAL_DEFS}, "Agent on contact time": it "does not include time spent on a contact while in a custom status or Offline status". ` +
        'Occupancy and Agent idle time follow.',
    },
    ['agent_on_contact_time'],
  ),
  {
    id: 'occupancy',
    supported: true,
    header: 'Occupancy',
    realTimeLabel: 'Occupancy',
    unit: 'percent',
    category: 'agent-activity-driven',
    groupableBy: AGENT_LEVEL,
    formula: { kind: 'ratio', num: ['agent_on_contact_time'], den: ['agent_on_contact_time', 'agent_idle_time'] },
    description: 'Agent on contact time / (agent on contact time + agent idle time) × 100; concurrency not counted.',
    notes: 'Cannot be grouped by queue, phone number or channel: both terms are agent-level wall-clock time.',
  },
  {
    id: 'contacts_missed',
    supported: true,
    header: 'Contacts missed',
    realTimeLabel: 'Missed',
    aliases: ['Agent non-response'],
    unit: 'count',
    category: 'agent-activity-driven',
    groupableBy: CONTACT_ACTIVITY,
    formula: { kind: 'sum', of: ['contacts_missed'] },
    description: 'Times a contact routed to an agent was not answered, abandoned while ringing and offers ended in an error included; one contact can count several times.',
    notes:
      `${HISTORICAL_DEFS}, "Contacts missed": "Count of contacts routed to an agent but not answered by the agent, including contacts abandoned by the ` +
      'customer. A contact can be counted as missed multiple times, once for each time it is routed to an agent but not answered." The console ' +
      'column is "Agent non-response", which "appears as Contacts missed in scheduled reports and exported CSV files" (same page, "Agent ' +
      'non-response"): the CSV header is Contacts missed, and a definition may name either. ' +
      'From agent events: an offer (see Agent answer rate) that ends MISSED, REJECTED or ERROR, or leaves the snapshot while ringing, counts once, ' +
      'in the interval where it ends. Every routed offer is answered or missed: Agent answer rate + missed share = 100%.',
  },
  {
    id: 'agent_answer_rate',
    supported: true,
    header: 'Agent answer rate',
    unit: 'percent',
    category: 'agent-activity-driven',
    groupableBy: CONTACT_ACTIVITY,
    formula: { kind: 'ratio', num: ['contacts_answered_by_agent'], den: ['contacts_routed'] },
    description: 'Contacts routed to an agent that the agent answered / contacts routed × 100.',
    notes:
      `${HISTORICAL_DEFS}, "Agent answer rate": "Percentage of contacts routed to an agent that were answered." Routed offers are contacts the agent ` +
      'sees INCOMING, PENDING or CONNECTING, except the agent\'s own OUTBOUND dials (not routed to the agent) and monitoring; a callback is ' +
      'offered while INCOMING and answered when the agent accepts it (Connect then dials the customer). Both counts are taken when the offer ' +
      'resolves, so an offer ringing across an interval edge counts in one interval and the rate never exceeds 100%.',
  },
  ...(
    [
      ['incoming', 'Agent incoming connecting time', 'Average agent incoming connecting time', 'INBOUND'],
      ['outbound', 'Agent outbound connecting time', 'Average agent outbound connecting time', 'OUTBOUND'],
      ['callback', 'Agent callback connecting time', 'Average agent callback connecting time', 'CALLBACK'],
      ['api', 'Agent API connecting time', 'Average agent API connecting time', 'API'],
    ] as const
  ).flatMap(([k, total, avg, method]): SupportedMetric[] => [
    {
      id: `agent_${k}_connecting_time`,
      supported: true,
      header: total,
      unit: 'seconds',
      category: 'agent-activity-driven',
      groupableBy: CONTACT_ACTIVITY,
      formula: { kind: 'sum', of: [`${k}_connecting_time`] },
      description:
        k === 'callback'
          ? 'Time CALLBACK contacts spent from the agent being reserved (offered, INCOMING) through dialing the customer (CONNECTING), until CONNECTED, MISSED, REJECTED or ERROR.'
          : `Time ${method} contacts spent CONNECTING to the agent, until CONNECTED, MISSED, REJECTED or ERROR.`,
      ...(k === 'callback'
        ? {
            notes:
              `${HISTORICAL_DEFS}, "Agent callback connecting time": "The total time between when a callback contact is initiated by Amazon Connect ` +
              'reserving the agent for the contact, and the agent is connected." The reservation is the offer (INCOMING), so the time the agent takes ' +
              'to accept counts, then the dialing (CONNECTING).',
          }
        : {}),
    },
    {
      id: `avg_agent_${k}_connecting_time`,
      supported: true,
      header: avg,
      unit: 'seconds',
      category: 'agent-activity-driven',
      groupableBy: CONTACT_ACTIVITY,
      formula: { kind: 'ratio', num: [`${k}_connecting_time`], den: [`${k}_connecting_count`] },
      description: `Average time ${method} contacts spent CONNECTING to the agent.`,
    },
  ]),
  ctrCount(
    {
      id: 'contacts_hold_disconnect',
      header: 'Contacts hold disconnect',
      realTimeLabel: 'Hold abandons',
      description: 'Contacts disconnected while the customer was on hold; a contact transferred while on hold is not one.',
      notes:
        `Historical metrics definitions, "Contacts hold disconnect" (${DEFS_URL}): "Count of contacts disconnected while the ` +
        'customer was on hold", a contact record-driven metric, counted in the interval of the disconnect. The contact record ' +
        "has no on-hold-at-disconnect flag; the agent's events show it (the contact goes from CONNECTED_ONHOLD to ENDED) and " +
        'are joined to the record by ContactId. A contact whose record shows a transfer out (TransferredToEndpoint, or a ' +
        'NextContactId whose next contact is a TRANSFER) ended on hold because the agent transferred it, not because it was ' +
        'disconnected, and is not counted.',
    },
    ['contacts_hold_disconnected'],
  ),
  ctrCount(
    {
      id: 'contacts_hold_agent_disconnect',
      header: 'Contacts hold agent disconnect',
      description: 'Contacts disconnected by the agent while the customer was on hold.',
      notes:
        `Historical metrics definitions, "Contacts hold agent disconnect" (${DEFS_URL}): "Count of contacts that were disconnected by ` +
        'the agent while the customer was on hold." A hold disconnect (see Contacts hold disconnect: the agent events show the ' +
        'contact ending on hold, the record shows no transfer) whose DisconnectReason is AGENT_DISCONNECT.',
    },
    ['contacts_hold_agent_disconnected'],
  ),
  ctrCount(
    {
      id: 'contacts_hold_customer_disconnect',
      header: 'Contacts hold customer disconnect',
      description: 'Contacts disconnected by the customer while on hold.',
      notes:
        `Historical metrics definitions, "Contacts hold customer disconnect" (${DEFS_URL}): "Count of contacts that were disconnected ` +
        'by the customer while the customer was on hold." A hold disconnect whose DisconnectReason is CUSTOMER_DISCONNECT. Hold ' +
        'disconnects with another reason (a telecom problem) count in Contacts hold disconnect only.',
    },
    ['contacts_hold_customer_disconnected'],
  ),
  {
    id: 'avg_acw_agent_events',
    supported: true,
    header: 'Avg ACW',
    realTimeLabel: 'Avg ACW',
    unit: 'seconds',
    category: 'agent-activity-driven',
    groupableBy: CONTACT_ACTIVITY,
    formula: { kind: 'ratio', num: ['agent_acw_time'], den: ['agent_acw_count'] },
    description:
      'Average ACW measured from agent events as the 2019 user guide describes: from the StateStartTimestamp of the contact entering ENDED ' +
      'to the EventTimestamp of the STATE_CHANGE whose current snapshot no longer lists the contact.',
    notes:
      'The guide states the rule for one contact (current snapshot empty, previous contact ENDED); with concurrent chats this ' +
      'generalises to "the ENDED contact is gone from the current snapshot". ACW time is split across intervals by wall clock.',
  },

  // ---------------- not derivable from CTRs and agent events ----------------
  {
    id: 'contacts_consulted',
    supported: false,
    header: 'Contacts consulted',
    realTimeLabel: 'Consult',
    reason: 'Deprecated by Amazon Connect in May 2019; Connect itself reports a dash.',
  },
  {
    id: 'contact_flow_time',
    supported: false,
    header: 'Contact flow time',
    reason: 'Contact records carry no flow entry or exit timestamps, and agent events do not see flows.',
  },
  {
    id: 'callback_attempts',
    supported: false,
    header: 'Callback attempts',
    reason: 'Unanswered callback dial attempts are not recorded in the contact record model or in agent events.',
  },
  {
    id: 'adherence',
    supported: false,
    header: 'Adherence',
    reason: 'Needs agent schedules from Amazon Connect forecasting and scheduling, which neither stream carries.',
  },
  {
    id: 'contacts_in_queue',
    supported: false,
    header: 'In queue',
    realTimeLabel: 'In queue',
    reason: 'Needs contact events (QUEUED, CONNECTED_TO_AGENT, DISCONNECTED); CTRs arrive only after disconnect.',
  },
  {
    id: 'oldest_contact_age',
    supported: false,
    header: 'Oldest',
    realTimeLabel: 'Oldest',
    reason: 'Needs contact events; CTRs arrive only after disconnect.',
  },
  {
    id: 'contacts_scheduled',
    supported: false,
    header: 'Scheduled',
    realTimeLabel: 'Scheduled',
    reason: 'Needs contact events for callbacks waiting for their initial delay.',
  },
];

export const SUPPORTED_METRICS: readonly SupportedMetric[] = METRICS.filter((m): m is SupportedMetric => m.supported);

const byId = new Map<string, MetricDef>();
const byHeader = new Map<string, MetricDef>();
for (const m of METRICS) {
  if (byId.has(m.id)) throw new Error(`Duplicate metric id ${m.id}`);
  for (const name of [m.header, ...((m.supported && m.aliases) || [])]) {
    if (byHeader.has(name.toLowerCase())) throw new Error(`Duplicate metric header ${name}`);
    byHeader.set(name.toLowerCase(), m);
  }
  byId.set(m.id, m);
}

/** Finds a metric by registry id, by its Amazon Connect name or by one of its aliases (case-insensitive). */
export function findMetric(idOrHeader: string): MetricDef | undefined {
  return byId.get(idOrHeader) ?? byHeader.get(idOrHeader.toLowerCase());
}

export function getMetric(id: string): SupportedMetric {
  const m = byId.get(id);
  if (!m || !m.supported) throw new Error(`Unknown or unsupported metric: ${id}`);
  return m;
}

const primitivesOf = new WeakMap<SupportedMetric, readonly PrimitiveId[]>();
const presenceOf = new WeakMap<SupportedMetric, PrimitiveId>();

/** The primitives a metric reads (memoised: reports ask for every row). */
export function metricPrimitives(m: SupportedMetric): readonly PrimitiveId[] {
  let out = primitivesOf.get(m);
  if (!out) {
    const f = m.formula;
    out = f.kind === 'sum' ? [...f.of] : f.kind === 'max' ? [f.of] : [...new Set([...f.num, ...f.den, ...(f.minus ?? [])])];
    primitivesOf.set(m, out);
  }
  return out;
}

/** The primitive whose presence says a row has data of this metric's kind (else the metric shows a dash). */
export function presencePrimitive(m: SupportedMetric): PrimitiveId {
  let out = presenceOf.get(m);
  if (!out) {
    const source = PRIMITIVES[metricPrimitives(m)[0] as PrimitiveId].source;
    out = source === 'ctr' ? 'ctr_records' : source === 'agent-status' ? 'online_time' : 'contact_state_changes';
    presenceOf.set(m, out);
  }
  return out;
}

/**
 * One rule for totals of contacts across rows: a total counted from contacts
 * (contact records, or the contacts in agent events) is 0 in any row of a
 * report where nothing was counted — a queue row that exists only because of
 * agent activity shows 0 contacts handled, like any other row — and a dash is
 * kept for values that have no meaning without data: averages and rates with
 * nothing to divide by, a maximum with nothing queued, and agent status times
 * without agent status events ("If there's no data for one of the selected
 * metrics, the field in the downloaded CSV file contains a dash", Download a
 * historical metrics report,
 * https://docs.aws.amazon.com/connect/latest/adminguide/download-historical-metrics-report.html).
 */
export function zeroWhenRowExists(m: SupportedMetric): boolean {
  return m.formula.kind === 'sum' && PRIMITIVES[metricPrimitives(m)[0] as PrimitiveId].source !== 'agent-status';
}

/** The row has data of some kind: contact records, contacts in agent events, or agent status time. */
function hasAnyData(p: Primitives): boolean {
  return !!(p.ctr_records || p.contact_state_changes || p.online_time);
}

function total(p: Primitives, ids: readonly PrimitiveId[]): number {
  let s = 0;
  for (const id of ids) s += p[id] ?? 0;
  return s;
}

function isTime(ids: readonly PrimitiveId[]): boolean {
  return PRIMITIVES[ids[0] as PrimitiveId].unit === 'ms';
}

/**
 * Computes a metric from primitives summed over a report row. Returns `null`
 * when there is no data (the report shows a dash): a ratio's denominator is
 * zero, nothing was queued for a max, or the row has no data of the metric's
 * kind — except totals of contacts, which are 0 (`zeroWhenRowExists`).
 * Seconds metrics are returned in (fractional) seconds; percentages as 0–100.
 */
export function computeMetric(m: SupportedMetric, p: Primitives): number | null {
  const f = m.formula;
  if (!p[presencePrimitive(m)] && !(zeroWhenRowExists(m) && hasAnyData(p))) return null;
  switch (f.kind) {
    case 'sum': {
      const s = total(p, f.of);
      return isTime(f.of) ? s / 1000 : s;
    }
    case 'max': {
      const v = p[f.of];
      return v === undefined ? null : v / 1000;
    }
    case 'ratio': {
      const den = total(p, f.den);
      if (den === 0) return null;
      const num = f.minus ? Math.max(0, total(p, f.num) - total(p, f.minus)) : total(p, f.num);
      if (m.unit === 'percent') return (num / den) * 100;
      return isTime(f.num) && !isTime(f.den) ? num / den / 1000 : num / den;
    }
  }
}
