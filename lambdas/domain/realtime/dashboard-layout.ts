/**
 * The dashboard's widgets, in one place for the CloudWatch dashboard the
 * stack deploys and the local HTML dashboard (`connect-metrics dashboard`):
 * which catalog metrics each widget charts, split by which dimension, with
 * which statistic over which period.
 *
 * Statistics follow what each datum is: the per-minute contact counts are
 * added up (Sum) into the period; gauges (service level, agent counts,
 * occupancy, ages) are averaged over it. Agent counts are published per
 * routing profile and per queue; every agent has one routing profile, so the
 * agent-states widget sums the RoutingProfile series to get the whole center.
 */
import { AGENT_METRICS, PIPELINE_METRICS, QUEUE_METRICS } from './cloudwatch-catalog.js';
import type { CloudWatchMetricDef } from './cloudwatch-catalog.js';

export type WidgetStat = 'Sum' | 'Average' | 'Maximum';

export interface MetricWidget {
  readonly id: string;
  readonly title: string;
  /** One line per metric, or per value of `splitBy` when there is one metric. */
  readonly metrics: readonly CloudWatchMetricDef[];
  /** Dimension whose values become lines; null: the metrics are shown as they are (or summed over `sumOver`). */
  readonly splitBy: 'Queue' | 'RoutingProfile' | null;
  /** Dimension summed away (each metric becomes one line): the center-wide agent counts. */
  readonly sumOver?: 'Queue' | 'RoutingProfile';
  readonly stat: WidgetStat;
  readonly periodSec: number;
  /** A horizontal line, e.g. the service-level goal. */
  readonly annotation?: { readonly label: string; readonly value: number };
  /** Shown when the widget has no data. */
  readonly emptyNote?: string;
}

export interface DashboardRow {
  readonly title: string;
  readonly widgets: readonly MetricWidget[];
}

/** The service-level goal drawn on the service-level widget (percent of contacts within the threshold). */
export const DEFAULT_SL_TARGET_PERCENT = 80;

export function dashboardRows(slTargetPercent: number = DEFAULT_SL_TARGET_PERCENT): DashboardRow[] {
  return [
    {
      title: 'Queues',
      widgets: [
        {
          id: 'service-level',
          title: 'Service level vs target (%)',
          metrics: [QUEUE_METRICS.serviceLevel],
          splitBy: 'Queue',
          stat: 'Average',
          periodSec: 300,
          annotation: { label: `Target ${slTargetPercent}%`, value: slTargetPercent },
        },
        { id: 'contacts-queued', title: 'Contacts queued', metrics: [QUEUE_METRICS.contactsQueued], splitBy: 'Queue', stat: 'Sum', periodSec: 900 },
        { id: 'contacts-handled', title: 'Contacts handled', metrics: [QUEUE_METRICS.contactsHandled], splitBy: 'Queue', stat: 'Sum', periodSec: 900 },
        { id: 'contacts-abandoned', title: 'Contacts abandoned', metrics: [QUEUE_METRICS.contactsAbandoned], splitBy: 'Queue', stat: 'Sum', periodSec: 900 },
        {
          id: 'contacts-in-queue',
          title: 'Contacts in queue',
          metrics: [QUEUE_METRICS.contactsInQueue],
          splitBy: 'Queue',
          stat: 'Maximum',
          periodSec: 300,
          emptyNote: 'Needs contact events (the EventBridge rule); contact records and agent events cannot tell what is waiting.',
        },
      ],
    },
    {
      title: 'Agents',
      widgets: [
        {
          id: 'agent-states',
          title: 'Agent states (whole center)',
          metrics: [AGENT_METRICS.online, AGENT_METRICS.available, AGENT_METRICS.onContact, AGENT_METRICS.afterContactWork, AGENT_METRICS.nonProductive, AGENT_METRICS.error, AGENT_METRICS.staffed],
          splitBy: null,
          sumOver: 'RoutingProfile',
          stat: 'Average',
          periodSec: 300,
        },
        { id: 'occupancy', title: 'Occupancy by routing profile (%)', metrics: [AGENT_METRICS.occupancy], splitBy: 'RoutingProfile', stat: 'Average', periodSec: 300 },
      ],
    },
    {
      title: 'Pipeline',
      widgets: [{ id: 'agent-event-age', title: 'Agent event age (s)', metrics: [PIPELINE_METRICS.agentEventAge], splitBy: null, stat: 'Maximum', periodSec: 300 }],
    },
  ];
}
