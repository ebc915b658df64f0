/**
 * The CloudWatch metrics this project publishes: one place for their names,
 * units and dimensions, read by the publisher, the handlers, the CDK dashboard
 * and alarms, and the local dashboard.
 */
/**
 * The namespace of local runs, and the root of a deployment's:
 * a deployment publishes into `ConnectMetrics/<instancePrefix>` (the stack
 * sets METRICS_NAMESPACE on every function), so two deployments in one
 * account never share metrics or alarms.
 */
export const DEFAULT_NAMESPACE = 'ConnectMetrics';

export type CloudWatchUnit = 'Count' | 'Percent' | 'Seconds';

export interface CloudWatchMetricDef {
  readonly name: string;
  readonly unit: CloudWatchUnit;
  /**
   * The dimension names the metric is published with. Where several are
   * listed, the metric is published once per name and every datum carries
   * exactly one of them (agent counts per queue, and separately per routing
   * profile); an empty list means no dimension.
   */
  readonly dimensions: readonly string[];
  readonly description: string;
}

const m = (name: string, unit: CloudWatchUnit, dimensions: readonly string[], description: string): CloudWatchMetricDef => ({ name, unit, dimensions, description });

/** Published every minute by the real-time publisher, per queue (dimension `Queue` = queue name). */
export const QUEUE_METRICS = {
  serviceLevel: m('ServiceLevel', 'Percent', ['Queue'], 'Service level over the trailing 15 minutes at the queue\'s threshold (default 60 s).'),
  contactsQueued: m('ContactsQueued', 'Count', ['Queue'], 'Contacts queued, by disconnect, in the minute.'),
  contactsHandled: m('ContactsHandled', 'Count', ['Queue'], 'Contacts handled, by disconnect, in the minute.'),
  contactsAbandoned: m('ContactsAbandoned', 'Count', ['Queue'], 'Contacts abandoned, by disconnect, in the minute.'),
  abandonRate: m('AbandonRate', 'Percent', ['Queue'], 'Abandoned / queued over the trailing 15 minutes.'),
  maxQueuedTime: m('MaxQueuedTime', 'Seconds', ['Queue'], 'Longest queue time over the trailing 15 minutes.'),
  averageHandleTime: m('AverageHandleTime', 'Seconds', ['Queue'], 'Average handle time over the trailing 15 minutes.'),
  contactsInQueue: m('ContactsInQueue', 'Count', ['Queue'], 'Contacts waiting now (needs contact events).'),
  oldestContactAge: m('OldestContactAge', 'Seconds', ['Queue'], 'Age of the oldest contact waiting now (needs contact events).'),
} as const;

/** Agent counts, per queue (`Queue`) and per routing profile (`RoutingProfile`). */
export const AGENT_METRICS = {
  online: m('AgentsOnline', 'Count', ['Queue', 'RoutingProfile'], 'Agents in a status other than Offline.'),
  available: m('AgentsAvailable', 'Count', ['Queue', 'RoutingProfile'], 'Agents in the Available status.'),
  onContact: m('AgentsOnContact', 'Count', ['Queue', 'RoutingProfile'], 'Agents with a contact connected, on hold, in ACW or ringing out (outbound call, callback dialing).'),
  afterContactWork: m(
    'AgentsAfterContactWork',
    'Count',
    ['Queue', 'RoutingProfile'],
    'Contacts in ACW, as the Connect console counts them ("the number of contacts who are in an ACW state, not the number of agents"); agents in ACW when each has one contact at a time.',
  ),
  nonProductive: m('AgentsNonProductive', 'Count', ['Queue', 'RoutingProfile'], 'Agents in a custom status.'),
  error: m('AgentsError', 'Count', ['Queue', 'RoutingProfile'], 'Agents with a contact in an error state.'),
  staffed: m('AgentsStaffed', 'Count', ['Queue', 'RoutingProfile'], 'Agents Available, on contact or in ACW.'),
  occupancy: m('Occupancy', 'Percent', ['RoutingProfile'], 'Occupancy over the trailing 15 minutes.'),
} as const;

/** Pipeline health (dimension `Source` = ctr | agent-events for the stream handlers, contact-events for the contact-event handler). */
export const PIPELINE_METRICS = {
  recordsProcessed: m('RecordsProcessed', 'Count', ['Source'], 'Records in the batches handled.'),
  recordsApplied: m('RecordsApplied', 'Count', ['Source'], 'Records that changed the aggregates.'),
  duplicatesIgnored: m('DuplicatesIgnored', 'Count', ['Source'], 'Redelivered records ignored.'),
  updatesApplied: m('UpdatesApplied', 'Count', ['Source'], 'Newer CTR versions that replaced older ones.'),
  deadLettered: m('DeadLetteredRecords', 'Count', ['Source'], 'Malformed records set aside in the dead-letter store.'),
  failedRecords: m('FailedRecords', 'Count', ['Source'], 'Records reported failed to Lambda (retried).'),
  writeUnits: m('DynamoDbWriteUnits', 'Count', ['Source'], 'DynamoDB write units consumed.'),
  dataFreshness: m('DataFreshness', 'Seconds', ['Source'], 'Age of the newest event applied.'),
  reportRunsSucceeded: m('ReportRunsSucceeded', 'Count', [], 'Scheduled report runs written to S3.'),
  reportRunsFailed: m('ReportRunsFailed', 'Count', [], 'Scheduled report runs that failed.'),
  reportsCorrected: m('ReportsCorrected', 'Count', [], 'Written reports rewritten under the same key because late data changed a cell.'),
  agentEventAge: m('AgentEventAge', 'Seconds', [], 'Seconds since the newest agent event, published by the real-time publisher.'),
} as const;
