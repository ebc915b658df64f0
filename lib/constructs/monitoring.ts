import { Aws, CfnCondition, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SL_THRESHOLDS } from '../../lambdas/domain/metrics/primitives.js';
import { CONTACT_STAGES } from '../../lambdas/domain/realtime/contact-state.js';
import { DEFAULT_SL_THRESHOLD } from '../../lambdas/domain/realtime/datapoints.js';
import {
  AGENT_METRICS,
  type CloudWatchMetricDef,
  DEFAULT_NAMESPACE,
  PIPELINE_METRICS,
  QUEUE_METRICS,
} from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import { CONNECT_INSTANCE_ARN_PATTERN } from '../arns.js';
import { ENV } from '../env-vars.js';
import { MetricsFunction } from './function-defaults.js';
import type { DeadLetterBucket } from './dead-letter-bucket.js';
import type { MetricsTable } from './metrics-table.js';
import type { ReportScheduler } from './reporting.js';
import type { StreamIngestion } from './stream-ingestion.js';

/** Handler modules of the real-time functions, relative to the repository root. */
export const REALTIME_HANDLER_ENTRIES = {
  publisher: 'lambdas/handlers/realtime-publisher.ts',
  contactEvents: 'lambdas/handlers/contact-events.ts',
} as const;

/**
 * Amazon Connect contact events on the default event bus, of the types the
 * contact-events function uses: the contact stages it tracks
 * (CONTACT_STAGES in lambdas/domain/realtime/contact-state.ts). Other types
 * (CONTACT_DATA_UPDATED, ...) would only cost invocations it ignores.
 */
export const CONTACT_EVENT_PATTERN = {
  source: ['aws.connect'],
  detailType: ['Amazon Connect Contact Event'],
  eventTypes: CONTACT_STAGES,
} as const;

/**
 * The JSON the publisher reads from `SL_THRESHOLDS_JSON` (parseSlThresholds
 * in lambdas/realtime/publisher.ts): queue name → seconds; the publisher
 * measures queues not listed at DEFAULT_SL_THRESHOLD (60 s).
 */
export function serviceLevelThresholdsJson(thresholds: Readonly<Record<string, number>>): string {
  return JSON.stringify(thresholds);
}

/** Lambda refuses more than 4 KB of environment variables in all; leave room for the others. */
export const MAX_SL_THRESHOLDS_JSON_LENGTH = 3000;

export interface RealtimeMetricsProps {
  /** Source of the real-time metrics (the publisher reads it; the contact-events function writes contact state). */
  readonly table: MetricsTable;

  /**
   * Ignored, kept so existing code still compiles: contact events are at
   * most 256 KB (EventBridge's limit), so the contact-events function keeps
   * its dead letters in the table and is granted nothing on the bucket.
   *
   * @deprecated the function never wrote to the bucket
   */
  readonly deadLetterBucket?: DeadLetterBucket;

  /**
   * Namespace the publisher puts its metrics in (`METRICS_NAMESPACE`); its
   * `cloudwatch:PutMetricData` permission is limited to it.
   *
   * @default 'ConnectMetrics' (DEFAULT_NAMESPACE of the metric catalog)
   */
  readonly metricsNamespace?: string;

  /**
   * Seconds each queue's `ServiceLevel` is measured at, by queue name
   * (`SL_THRESHOLDS_JSON`); each must be one Amazon Connect offers (15, 20,
   * 25, 30, 45, 60, 90, 120, 180, 240, 300 or 600). Queues not listed are
   * measured at the publisher's default, 60 seconds.
   *
   * @default - none listed: 60 seconds for every queue
   */
  readonly serviceLevelThresholds?: Readonly<Record<string, number>>;

  /**
   * Consume Amazon Connect contact events from EventBridge, which gives
   * contacts in queue and the age of the oldest one.
   *
   * @default true
   */
  readonly contactEvents?: boolean;

  /**
   * Only take contact events of this Amazon Connect instance.
   *
   * @default - contact events of every instance in the account and region
   */
  readonly connectInstanceArn?: string;

  /**
   * Concurrency reserved for (and capping) the contact-events function.
   * Each contact event is one invocation, so without a cap a busy hour could
   * take the account's whole concurrency; throttled events are retried by
   * Lambda for up to 6 hours.
   *
   * @default - no reservation
   */
  readonly contactEventsReservedConcurrency?: number;

  /**
   * How often the publisher runs.
   *
   * @default events.Schedule.rate(Duration.minutes(1))
   */
  readonly publishSchedule?: events.Schedule;

  /** @default - see `MetricsFunction` (one month) */
  readonly logRetention?: logs.RetentionDays;

  /** @default - see `MetricsFunction` ('connect-metrics') */
  readonly serviceName?: string;
}

/**
 * Real-time metrics: a publisher that puts the queue, agent and pipeline
 * gauges of the metric catalog into CloudWatch every minute, and (optionally)
 * a consumer of Amazon Connect contact events that keeps track of contacts
 * waiting in queue.
 *
 * The publisher only reads the table: everything it publishes is computed
 * from what the stream consumers and the contact-events function store.
 * Its runs cannot overlap (timeout shorter than the schedule) and are not
 * retried: the next minute publishes fresh numbers anyway.
 */
export class RealtimeMetrics extends Construct {
  public readonly publisher: nodejs.NodejsFunction;
  public readonly publishRule: events.Rule;
  /** The contact-events consumer; undefined when `contactEvents` is false. */
  public readonly contactEventsFn?: nodejs.NodejsFunction;
  public readonly contactEventsRule?: events.Rule;
  /** Contact events that could not be delivered to, or processed by, the contact-events function. */
  public readonly contactEventsFailureQueue?: sqs.Queue;
  public readonly metricsNamespace: string;
  public readonly contactEvents: boolean;

  constructor(scope: Construct, id: string, props: RealtimeMetricsProps) {
    super(scope, id);
    this.metricsNamespace = props.metricsNamespace ?? DEFAULT_NAMESPACE;
    this.contactEvents = props.contactEvents ?? true;
    const thresholds = props.serviceLevelThresholds ?? {};
    validateRealtime(props, this.contactEvents, thresholds);

    const publisher = new MetricsFunction(this, 'Publisher', {
      entry: REALTIME_HANDLER_ENTRIES.publisher,
      description: 'Publishes real-time Amazon Connect queue and agent metrics to CloudWatch every minute',
      // Shorter than the schedule's period, so runs never overlap.
      timeout: Duration.seconds(50),
      logRetention: props.logRetention,
      serviceName: props.serviceName,
      environment: {
        [ENV.metricsNamespace]: this.metricsNamespace,
        [ENV.slThresholdsJson]: serviceLevelThresholdsJson(thresholds),
      },
    });
    this.publisher = publisher.fn;
    props.table.bind(this.publisher, 'publisher');
    // PutMetricData has no resource ARN, so the namespace condition is what limits it.
    this.publisher.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PutMetricDataInOwnNamespace',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': this.metricsNamespace } },
      }),
    );
    Validations.of(publisher.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudwatch:PutMetricData takes no resource ARN (it is conditioned on cloudwatch:namespace = the project namespace); ' +
        'active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which take none either',
    });
    this.publisher.configureAsyncInvoke({ retryAttempts: 0 });
    this.publishRule = new events.Rule(this, 'PublishSchedule', {
      description: 'Runs the real-time metrics publisher',
      schedule: props.publishSchedule ?? events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.publisher)],
    });

    if (!this.contactEvents) return;

    this.contactEventsFailureQueue = new sqs.Queue(this, 'ContactEventsFailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.contactEventsFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the contact-events rule target and function; nothing consumes it automatically',
    });

    const contactEvents = new MetricsFunction(this, 'ContactEvents', {
      entry: REALTIME_HANDLER_ENTRIES.contactEvents,
      description: 'Tracks Amazon Connect contacts in queue from contact events',
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: props.contactEventsReservedConcurrency,
      logRetention: props.logRetention,
      serviceName: props.serviceName,
      // Its pipeline-health counters (Source = contact-events) go to the same namespace.
      environment: { [ENV.metricsNamespace]: this.metricsNamespace },
    });
    this.contactEventsFn = contactEvents.fn;
    props.table.bind(this.contactEventsFn, 'contactEvents');
    // Events the function keeps failing on (after Lambda's two retries) are kept, with the error, for replay.
    this.contactEventsFn.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: sendOnlyAsyncDestination(this.contactEventsFailureQueue),
    });

    this.contactEventsRule = new events.Rule(this, 'ContactEventsRule', {
      description: 'Amazon Connect contact events for the contacts-in-queue metrics',
      eventPattern: {
        source: [...CONTACT_EVENT_PATTERN.source],
        detailType: [...CONTACT_EVENT_PATTERN.detailType],
        detail: {
          eventType: [...CONTACT_EVENT_PATTERN.eventTypes],
          ...(props.connectInstanceArn === undefined ? {} : { instanceArn: [props.connectInstanceArn] }),
        },
      },
      // Events EventBridge cannot deliver (e.g. throttled past the retries) land in the same queue.
      targets: [new targets.LambdaFunction(this.contactEventsFn, { deadLetterQueue: this.contactEventsFailureQueue, maxEventAge: Duration.hours(6), retryAttempts: 20 })],
    });
  }
}

/**
 * An asynchronous-invocation failure destination that lets the function's
 * role send messages to `queue` and nothing more (SqsDestination's grant also
 * allows GetQueueAttributes and GetQueueUrl, which Lambda does not call).
 */
function sendOnlyAsyncDestination(queue: sqs.IQueue): lambda.IDestination {
  return {
    bind: (_scope, fn) => {
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'SendToFailureQueue', actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
      queue.encryptionMasterKey?.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
      return { destination: queue.queueArn };
    },
  };
}

function validateRealtime(props: RealtimeMetricsProps, contactEvents: boolean, thresholds: Readonly<Record<string, number>>): void {
  const fail = (message: string): never => {
    throw new Error(`RealtimeMetrics: ${message}`);
  };
  validateNamespace(props.metricsNamespace, fail);
  const offered: readonly number[] = SL_THRESHOLDS;
  for (const [queue, seconds] of Object.entries(thresholds)) {
    if (!offered.includes(seconds)) fail(`service-level threshold of queue "${queue}" must be one of ${SL_THRESHOLDS.join(', ')} seconds; got ${seconds}`);
  }
  const json = serviceLevelThresholdsJson(thresholds);
  if (json.length > MAX_SL_THRESHOLDS_JSON_LENGTH) {
    fail(`the service-level thresholds take ${json.length} characters of the publisher's environment (at most ${MAX_SL_THRESHOLDS_JSON_LENGTH}); list fewer queues`);
  }
  const arn = props.connectInstanceArn;
  if (arn !== undefined) {
    if (!contactEvents) fail('connectInstanceArn only filters contact events; it needs contactEvents');
    if (!Token.isUnresolved(arn) && !CONNECT_INSTANCE_ARN_PATTERN.test(arn)) {
      fail(`connectInstanceArn must be an Amazon Connect instance ARN (arn:aws:connect:<region>:<account>:instance/<id>); got "${arn}"`);
    }
  }
  if (props.contactEventsReservedConcurrency !== undefined && !contactEvents) fail('contactEventsReservedConcurrency needs contactEvents');
}

function validateNamespace(namespace: string | undefined, fail: (message: string) => never): void {
  if (namespace === undefined || Token.isUnresolved(namespace)) return;
  if (!/^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/.test(namespace)) {
    fail(`metricsNamespace must be 1–255 letters, digits and . - _ / # :, not starting with 'AWS/'; got "${namespace}"`);
  }
}

/** Alarm thresholds of one queue. */
export interface QueueAlarmThresholds {
  /** Service level (percent) the queue should meet; the alarm fires below it. */
  readonly serviceLevelTarget: number;
  /** Seconds the queue's service level is measured at (only shown in alarm descriptions and charts). */
  readonly serviceLevelThresholdSeconds: number;
  /** Abandon rate (percent) above which the alarm fires. */
  readonly abandonRateMax: number;
  /** Age (seconds) of the oldest waiting contact above which the alarm fires. */
  readonly oldestContactMaxSeconds: number;
  /** Consecutive 5-minute periods the service level or abandon rate must be off before the alarm fires. */
  readonly evaluationPeriods: number;
}

export const DEFAULT_QUEUE_THRESHOLDS: QueueAlarmThresholds = {
  serviceLevelTarget: 80,
  serviceLevelThresholdSeconds: DEFAULT_SL_THRESHOLD,
  abandonRateMax: 10,
  oldestContactMaxSeconds: 120,
  evaluationPeriods: 3,
};

export interface MonitoringProps {
  /**
   * Namespace of the project's own metrics (those of the metric catalog).
   *
   * @default 'ConnectMetrics' (DEFAULT_NAMESPACE of the metric catalog)
   */
  readonly metricsNamespace?: string;

  /**
   * Queues (by name, the `Queue` dimension) to alarm on and chart one by one.
   *
   * @default - none: no queue alarms, and the dashboard charts every queue the publisher reports (SEARCH expressions)
   */
  readonly queues?: Readonly<Record<string, QueueAlarmThresholds>>;

  /**
   * Its service-level target is drawn on the all-queues service-level chart when no queues are listed.
   *
   * @default DEFAULT_QUEUE_THRESHOLDS
   */
  readonly defaultThresholds?: QueueAlarmThresholds;

  /**
   * Stream consumers to watch: their iterator-age and failure-queue alarms
   * get the alarm topic as action, and their errors get an alarm.
   *
   * @default - none
   */
  readonly streamConsumers?: readonly StreamIngestion[];

  /** @default - no report scheduler to watch */
  readonly reportScheduler?: ReportScheduler;

  /** @default - no real-time functions to watch, and no agent-event or in-queue alarms */
  readonly realtime?: RealtimeMetrics;

  /**
   * Address subscribed to the alarm topic. May be a token (say, a CfnParameter's
   * `valueAsString`): the subscription is then created only when the value is
   * not empty, through a CfnCondition.
   *
   * @default - no subscription
   */
  readonly alarmEmail?: string;

  /**
   * The no-agent-events alarm fires when the newest agent event is older than
   * this while agents are online. Agents send a HEART_BEAT every 120 seconds,
   * so this must be longer.
   *
   * @default Duration.minutes(5)
   */
  readonly agentEventMaxAge?: Duration;

  /** @default - a name generated by CloudFormation */
  readonly dashboardName?: string;
}

/** Alarms on queue metrics look at 5-minute periods: the publisher's 15-minute figures move slowly. */
const QUEUE_ALARM_PERIOD = Duration.minutes(5);
const CHART_PERIOD = Duration.minutes(1);
const PIPELINE_PERIOD = Duration.minutes(5);

/**
 * Alerting and the dashboard: an encrypted SNS topic (optionally with an
 * e-mail subscription), alarms on every queue's service level, abandon rate
 * and oldest contact, on the pipeline (stream lag, function errors,
 * dead-lettered records, failure queues, failed report runs, silent agent
 * event stream), all with the topic as alarm and OK action; and a CloudWatch
 * dashboard of the real-time metrics and the pipeline's health.
 *
 * Metric names and dimensions come from the metric catalog
 * (lambdas/domain/realtime/cloudwatch-catalog.ts), never retyped.
 */
export class Monitoring extends Construct {
  public readonly topic: sns.Topic;
  public readonly topicKey: kms.Key;
  public readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm that notifies the topic (the reused ones of the stream consumers included). */
  public readonly alarms: cloudwatch.IAlarm[] = [];
  public readonly metricsNamespace: string;

  private readonly action: cwActions.SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    this.metricsNamespace = props.metricsNamespace ?? DEFAULT_NAMESPACE;
    const queues = props.queues ?? {};
    validateMonitoring(props, queues);

    // CloudWatch can only publish to an encrypted topic whose key lets it:
    // the AWS-managed aws/sns key does not, so the topic has its own key.
    this.topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the connect-metrics alarm topic',
      enableKeyRotation: true,
      // The key protects no stored data (SNS keeps messages only until delivered).
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'connect-metrics alarms',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    this.subscribe(props.alarmEmail);
    this.action = new cwActions.SnsAction(this.topic);

    for (const [name, thresholds] of Object.entries(queues)) this.queueAlarms(name, thresholds, props.realtime?.contactEvents ?? false);
    this.pipelineAlarms(props);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: new DashboardLayout(this.metricsNamespace, queues, props.defaultThresholds ?? DEFAULT_QUEUE_THRESHOLDS, props, this.alarms).rows(),
    });
  }

  private subscribe(alarmEmail: string | undefined): void {
    if (alarmEmail === undefined) return;
    if (!Token.isUnresolved(alarmEmail)) {
      if (alarmEmail !== '') this.topic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
      return;
    }
    // A deploy-time value: subscribe only when it is not empty.
    const hasEmail = new CfnCondition(this, 'HasAlarmEmail', { expression: Fn.conditionNot(Fn.conditionEquals(alarmEmail, '')) });
    const subscription = new sns.CfnSubscription(this, 'AlarmEmailSubscription', {
      topicArn: this.topic.topicArn,
      protocol: sns.SubscriptionProtocol.EMAIL,
      endpoint: alarmEmail,
    });
    subscription.cfnOptions.condition = hasEmail;
  }

  /** Notifies the topic when `alarm` fires and when it recovers. */
  private notify<T extends cloudwatch.Alarm | cloudwatch.CompositeAlarm>(alarm: T): T {
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  private queueMetric(def: CloudWatchMetricDef, queue: string, statistic: string, period: Duration): cloudwatch.Metric {
    // No label: a labelled metric turns the alarm into a metric-math (Metrics array) alarm.
    return new cloudwatch.Metric({ namespace: this.metricsNamespace, metricName: def.name, dimensionsMap: { Queue: queue }, statistic, period });
  }

  private queueAlarms(queue: string, t: QueueAlarmThresholds, contactEvents: boolean): void {
    const id = `Queue${queue}`;
    // The publisher has no service level or abandon rate to publish while a
    // queue has no contacts in the trailing 15 minutes: missing data is a quiet
    // queue, not a breach.
    this.notify(
      new cloudwatch.Alarm(this, `${id}ServiceLevelAlarm`, {
        alarmDescription: `Queue "${queue}": service level (${t.serviceLevelThresholdSeconds} s) below its ${t.serviceLevelTarget}% target for ${t.evaluationPeriods * 5} minutes`,
        metric: this.queueMetric(QUEUE_METRICS.serviceLevel, queue, cloudwatch.Stats.AVERAGE, QUEUE_ALARM_PERIOD),
        threshold: t.serviceLevelTarget,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: t.evaluationPeriods,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    this.notify(
      new cloudwatch.Alarm(this, `${id}AbandonRateAlarm`, {
        alarmDescription: `Queue "${queue}": abandon rate above ${t.abandonRateMax}% for ${t.evaluationPeriods * 5} minutes`,
        metric: this.queueMetric(QUEUE_METRICS.abandonRate, queue, cloudwatch.Stats.AVERAGE, QUEUE_ALARM_PERIOD),
        threshold: t.abandonRateMax,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: t.evaluationPeriods,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    if (!contactEvents) return;
    // Nobody waiting means no oldest contact: missing data is not breaching.
    // Two minutes in a row, so one slow publish does not page anyone.
    this.notify(
      new cloudwatch.Alarm(this, `${id}OldestContactAlarm`, {
        alarmDescription: `Queue "${queue}": a contact has been waiting more than ${t.oldestContactMaxSeconds} s`,
        metric: this.queueMetric(QUEUE_METRICS.oldestContactAge, queue, cloudwatch.Stats.MAXIMUM, Duration.minutes(1)),
        threshold: t.oldestContactMaxSeconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  /**
   * A Metrics Insights query summing `def` over every time series of the
   * namespace, whatever its dimensions: the handlers publish these counters
   * with Powertools' embedded metric format, which adds a `service`
   * dimension to the catalog's ones.
   */
  private namespaceTotal(def: CloudWatchMetricDef, label: string): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `SELECT SUM(${def.name}) FROM "${this.metricsNamespace}"`,
      usingMetrics: {},
      period: PIPELINE_PERIOD,
      label,
    });
  }

  private functionErrorsAlarm(id: string, fn: nodejs.NodejsFunction, what: string, threshold = 1): void {
    // No invocations, no errors: missing data is not breaching.
    this.notify(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: `${what}: ${threshold === 1 ? 'the function failed' : `the function failed ${threshold} times or more`} in 5 minutes`,
        metric: fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: PIPELINE_PERIOD }),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  private pipelineAlarms(props: MonitoringProps): void {
    for (const consumer of props.streamConsumers ?? []) {
      // The consumer's own alarms: iterator age at a quarter of its record age
      // limit (well below the stream retention), and its failure queue.
      this.notify(consumer.iteratorAgeAlarm);
      this.notify(consumer.failureQueueAlarm);
      this.functionErrorsAlarm(`${consumer.node.id}ErrorsAlarm`, consumer.fn, `${consumer.source} stream consumer`);
    }

    // Counters published only when a batch is processed: no batch, nothing dead-lettered.
    this.notify(
      new cloudwatch.Alarm(this, 'DeadLetteredRecordsAlarm', {
        alarmDescription: 'Records were dead-lettered (malformed or invalid); they are in the table under pk X#..., with the reason',
        metric: this.namespaceTotal(PIPELINE_METRICS.deadLettered, 'Dead-lettered records'),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    if (props.reportScheduler !== undefined) {
      // Published once per wake-up; between wake-ups there is nothing to judge.
      this.notify(
        new cloudwatch.Alarm(this, 'ReportRunsFailedAlarm', {
          alarmDescription: 'A scheduled report run failed (it is retried at the next wake-up, up to its attempt limit)',
          metric: this.namespaceTotal(PIPELINE_METRICS.reportRunsFailed, 'Failed report runs'),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
      // A timeout or crash publishes no ReportRunsFailed; the function's errors catch it.
      this.functionErrorsAlarm('ReportSchedulerErrorsAlarm', props.reportScheduler.fn, 'Report scheduler');
    }

    const realtime = props.realtime;
    if (realtime === undefined) return;
    // It runs every minute: three failed runs in five minutes is an outage, one is a blip.
    this.functionErrorsAlarm('PublisherErrorsAlarm', realtime.publisher, 'Real-time publisher', 3);
    if (realtime.contactEventsFn !== undefined) this.functionErrorsAlarm('ContactEventsErrorsAlarm', realtime.contactEventsFn, 'Contact-events consumer');
    if (realtime.contactEventsFailureQueue !== undefined) {
      this.notify(
        new cloudwatch.Alarm(this, 'ContactEventsFailureQueueAlarm', {
          alarmDescription: 'Contact events could not be processed; they are in the contact-events failure queue with the error',
          metric: realtime.contactEventsFailureQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: PIPELINE_PERIOD }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    this.agentEventsAlarm(props.agentEventMaxAge ?? Duration.minutes(5));
  }

  /**
   * No agent events while agents are logged in: the agent-event stream (or
   * its consumer) has gone quiet. Agents send a HEART_BEAT every 120 seconds,
   * so the newest agent event is never older than that while anyone is online.
   *
   * "Online" is AgentsOnline summed over routing profiles, which are not known
   * at synth; that takes a Metrics Insights query. An alarm on one such query
   * is what CloudWatch documents, so the condition is a composite of two
   * alarms (`IF(online > 0, age, 0)` in one metric-math alarm would need the
   * query inside the math). Neither child notifies; the composite does.
   */
  private agentEventsAlarm(maxAge: Duration): void {
    // Missing age means the publisher is not running, which its errors alarm reports.
    const stale = new cloudwatch.Alarm(this, 'AgentEventAgeAlarm', {
      alarmDescription: `The newest agent event is more than ${maxAge.toHumanString()} old (no notification on its own: see the no-agent-events alarm)`,
      metric: new cloudwatch.Metric({
        namespace: this.metricsNamespace,
        metricName: PIPELINE_METRICS.agentEventAge.name,
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
      threshold: maxAge.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Missing means no agent is reported online.
    const online = new cloudwatch.Alarm(this, 'AgentsOnlineAlarm', {
      alarmDescription: 'Agents are logged in (no notification on its own: see the no-agent-events alarm)',
      metric: new cloudwatch.MathExpression({
        expression: `SELECT SUM(${AGENT_METRICS.online.name}) FROM SCHEMA("${this.metricsNamespace}", RoutingProfile)`,
        usingMetrics: {},
        period: Duration.minutes(1),
        label: 'Agents online',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notify(
      new cloudwatch.CompositeAlarm(this, 'NoAgentEventsAlarm', {
        alarmDescription: `No agent events for more than ${maxAge.toHumanString()} while agents are online: the agent-event stream or its consumer has stopped`,
        alarmRule: cloudwatch.AlarmRule.allOf(
          cloudwatch.AlarmRule.fromAlarm(stale, cloudwatch.AlarmState.ALARM),
          cloudwatch.AlarmRule.fromAlarm(online, cloudwatch.AlarmState.ALARM),
        ),
      }),
    );
  }
}

function validateMonitoring(props: MonitoringProps, queues: Readonly<Record<string, QueueAlarmThresholds>>): void {
  const fail = (message: string): never => {
    throw new Error(`Monitoring: ${message}`);
  };
  validateNamespace(props.metricsNamespace, fail);
  if (props.realtime !== undefined && props.realtime.metricsNamespace !== (props.metricsNamespace ?? DEFAULT_NAMESPACE)) {
    fail(`metricsNamespace "${props.metricsNamespace ?? DEFAULT_NAMESPACE}" differs from the real-time publisher's "${props.realtime.metricsNamespace}"`);
  }
  const check = (where: string, t: QueueAlarmThresholds) => {
    if (!(t.serviceLevelTarget > 0 && t.serviceLevelTarget <= 100)) fail(`${where}: serviceLevelTarget must be a percentage above 0 and at most 100; got ${t.serviceLevelTarget}`);
    if (!(t.abandonRateMax >= 0 && t.abandonRateMax < 100)) fail(`${where}: abandonRateMax must be a percentage from 0 to below 100; got ${t.abandonRateMax}`);
    if (!Number.isInteger(t.oldestContactMaxSeconds) || t.oldestContactMaxSeconds < 1) fail(`${where}: oldestContactMaxSeconds must be a whole number ≥ 1; got ${t.oldestContactMaxSeconds}`);
    if (!Number.isInteger(t.evaluationPeriods) || t.evaluationPeriods < 1 || t.evaluationPeriods > 288) {
      fail(`${where}: evaluationPeriods must be a whole number from 1 to 288 (5-minute periods, one day at most); got ${t.evaluationPeriods}`);
    }
  };
  for (const [name, thresholds] of Object.entries(queues)) {
    if (name.length < 1 || name.length > 255) fail(`queue names must be 1–255 characters; got "${name}"`);
    check(`queue "${name}"`, thresholds);
  }
  if (props.defaultThresholds !== undefined) check('defaultThresholds', props.defaultThresholds);
  const maxAge = props.agentEventMaxAge;
  if (maxAge !== undefined && !maxAge.isUnresolved() && maxAge.toSeconds() <= 120) {
    fail(`agentEventMaxAge must be longer than the 120 seconds between agent HEART_BEAT events; got ${maxAge.toHumanString()}`);
  }
  const email = props.alarmEmail;
  if (email !== undefined && email !== '' && !Token.isUnresolved(email) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(`alarmEmail must be an e-mail address; got "${email}"`);
}

/** Builds the dashboard's rows from the metric catalog. */
class DashboardLayout {
  private readonly queueNames: readonly string[];

  constructor(
    private readonly namespace: string,
    private readonly queues: Readonly<Record<string, QueueAlarmThresholds>>,
    private readonly defaults: QueueAlarmThresholds,
    private readonly props: MonitoringProps,
    private readonly alarms: readonly cloudwatch.IAlarm[],
  ) {
    this.queueNames = Object.keys(queues);
  }

  rows(): cloudwatch.IWidget[][] {
    return [
      [
        new cloudwatch.TextWidget({
          markdown:
            '# Amazon Connect metrics\nReal-time figures from the connect-metrics publisher (namespace `' +
            this.namespace +
            '`); service level and abandon rate are over the trailing 15 minutes.',
          width: 24,
          height: 2,
        }),
      ],
      this.serviceLevelRow(),
      this.contactsRow(),
      this.agentsRow(),
      ...(this.props.realtime?.contactEvents === true ? [this.inQueueRow()] : []),
      ...this.pipelineRows(),
      [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms], width: 24, height: 4 })],
    ];
  }

  /** One series per listed queue, or one SEARCH over the `Queue` dimension when none are listed. */
  private perQueue(def: CloudWatchMetricDef, statistic: string, period = CHART_PERIOD): cloudwatch.IMetric[] {
    if (this.queueNames.length > 0) return this.queueNames.map((queue) => this.ofQueue(def, queue, statistic, period));
    return [this.search(def, 'Queue', statistic, period)];
  }

  private ofQueue(def: CloudWatchMetricDef, queue: string, statistic: string, period = CHART_PERIOD): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: this.namespace, metricName: def.name, dimensionsMap: { Queue: queue }, statistic, period, label: queue });
  }

  /** Every series of `def` with exactly the `dimension` dimension, one line each, labelled by its value. */
  private search(def: CloudWatchMetricDef, dimension: string, statistic: string, period = CHART_PERIOD): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `SEARCH('{"${this.namespace}",${dimension}} MetricName="${def.name}"', '${statistic}', ${period.toSeconds()})`,
      usingMetrics: {},
      label: `\${PROP('Dim.${dimension}')}`,
      period,
    });
  }

  /**
   * Every series of `def` in the namespace, whatever its dimensions (the EMF
   * counters carry a `service` dimension too), labelled `label` (by default
   * the metric name and the series' Source, for the per-source pipeline counters).
   */
  private searchAnyDimensions(def: CloudWatchMetricDef, statistic: string, period = PIPELINE_PERIOD, label = `${def.name} \${PROP('Dim.Source')}`): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `SEARCH('Namespace="${this.namespace}" MetricName="${def.name}"', '${statistic}', ${period.toSeconds()})`,
      usingMetrics: {},
      label,
      period,
    });
  }

  /** The instance-wide total of an agent count: the sum over routing profiles (each agent has exactly one). */
  private agentTotal(def: CloudWatchMetricDef, label: string): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `SUM(SEARCH('{"${this.namespace}",RoutingProfile} MetricName="${def.name}"', 'Maximum', ${CHART_PERIOD.toSeconds()}))`,
      usingMetrics: {},
      label,
      period: CHART_PERIOD,
    });
  }

  private serviceLevelRow(): cloudwatch.IWidget[] {
    const sl = QUEUE_METRICS.serviceLevel;
    const chart = (title: string, metrics: cloudwatch.IMetric[], t: QueueAlarmThresholds, width: number) =>
      new cloudwatch.GraphWidget({
        title,
        left: metrics,
        leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
        leftAnnotations: [{ value: t.serviceLevelTarget, label: `Target ${t.serviceLevelTarget}%`, color: cloudwatch.Color.RED }],
        width,
        height: 6,
      });
    if (this.queueNames.length === 0) {
      return [chart(`Service level by queue (${DEFAULT_SL_THRESHOLD} s)`, this.perQueue(sl, cloudwatch.Stats.AVERAGE), this.defaults, 24)];
    }
    const width = Math.max(6, Math.floor(24 / Math.min(this.queueNames.length, 4)));
    return Object.entries(this.queues).map(([queue, t]) =>
      chart(`${queue}: service level (${t.serviceLevelThresholdSeconds} s)`, [this.ofQueue(sl, queue, cloudwatch.Stats.AVERAGE)], t, width),
    );
  }

  private contactsRow(): cloudwatch.IWidget[] {
    const graph = (title: string, metrics: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left: metrics, width: 6, height: 6, ...options });
    return [
      graph('Contacts queued per minute', this.perQueue(QUEUE_METRICS.contactsQueued, cloudwatch.Stats.SUM)),
      graph('Contacts handled per minute', this.perQueue(QUEUE_METRICS.contactsHandled, cloudwatch.Stats.SUM)),
      graph('Contacts abandoned per minute', this.perQueue(QUEUE_METRICS.contactsAbandoned, cloudwatch.Stats.SUM)),
      graph('Abandon rate (trailing 15 min)', this.perQueue(QUEUE_METRICS.abandonRate, cloudwatch.Stats.AVERAGE), { leftYAxis: { min: 0, label: '%', showUnits: false } }),
      graph('Average handle time (trailing 15 min)', this.perQueue(QUEUE_METRICS.averageHandleTime, cloudwatch.Stats.AVERAGE), { width: 12 }),
      graph('Maximum queued time (trailing 15 min)', this.perQueue(QUEUE_METRICS.maxQueuedTime, cloudwatch.Stats.MAXIMUM), { width: 12 }),
    ];
  }

  private agentsRow(): cloudwatch.IWidget[] {
    const states = [
      [AGENT_METRICS.available, 'Available'],
      [AGENT_METRICS.onContact, 'On contact'],
      [AGENT_METRICS.afterContactWork, 'After contact work'],
      [AGENT_METRICS.nonProductive, 'Non-productive'],
      [AGENT_METRICS.error, 'Error'],
    ] as const;
    return [
      new cloudwatch.GraphWidget({
        title: 'Agent states',
        left: states.map(([def, label]) => this.agentTotal(def, label)),
        stacked: true,
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Agents online and staffed',
        left: [this.agentTotal(AGENT_METRICS.online, 'Online'), this.agentTotal(AGENT_METRICS.staffed, 'Staffed')],
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Occupancy by routing profile (trailing 15 min)',
        left: [this.search(AGENT_METRICS.occupancy, 'RoutingProfile', cloudwatch.Stats.AVERAGE)],
        leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
        width: 8,
        height: 6,
      }),
    ];
  }

  private inQueueRow(): cloudwatch.IWidget[] {
    return [
      new cloudwatch.GraphWidget({ title: 'Contacts in queue', left: this.perQueue(QUEUE_METRICS.contactsInQueue, cloudwatch.Stats.MAXIMUM), width: 12, height: 6 }),
      new cloudwatch.GraphWidget({
        title: 'Oldest contact in queue',
        left: this.perQueue(QUEUE_METRICS.oldestContactAge, cloudwatch.Stats.MAXIMUM),
        leftAnnotations:
          this.queueNames.length === 1
            ? Object.values(this.queues).map((t) => ({ value: t.oldestContactMaxSeconds, label: `Alarm at ${t.oldestContactMaxSeconds} s`, color: cloudwatch.Color.RED }))
            : [],
        width: 12,
        height: 6,
      }),
    ];
  }

  private pipelineRows(): cloudwatch.IWidget[][] {
    const consumers = this.props.streamConsumers ?? [];
    const realtime = this.props.realtime;
    const scheduler = this.props.reportScheduler;
    const functions: Array<[string, nodejs.NodejsFunction]> = [
      ...consumers.map((c): [string, nodejs.NodejsFunction] => [`${c.source} consumer`, c.fn]),
      ...(scheduler === undefined ? [] : [['Report scheduler', scheduler.fn] satisfies [string, nodejs.NodejsFunction]]),
      ...(realtime === undefined ? [] : [['Publisher', realtime.publisher] satisfies [string, nodejs.NodejsFunction]]),
      ...(realtime?.contactEventsFn === undefined ? [] : [['Contact events', realtime.contactEventsFn] satisfies [string, nodejs.NodejsFunction]]),
    ];
    const queues: Array<[string, sqs.IQueue]> = [
      ...consumers.map((c): [string, sqs.IQueue] => [`${c.source} failure queue`, c.failureQueue]),
      ...(realtime?.contactEventsFailureQueue === undefined ? [] : [['Contact-events failure queue', realtime.contactEventsFailureQueue] satisfies [string, sqs.IQueue]]),
    ];
    const p = PIPELINE_METRICS;
    return [
      [new cloudwatch.TextWidget({ markdown: '## Pipeline', width: 24, height: 1 })],
      [
        new cloudwatch.GraphWidget({
          title: 'Stream iterator age',
          left: consumers.map((c) => c.fn.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period: PIPELINE_PERIOD, label: c.source })),
          leftAnnotations: [...new Set(consumers.map((c) => c.iteratorAgeAlarmThreshold.toMilliseconds()))].map((ms) => ({
            value: ms,
            label: `Alarm at ${Duration.millis(ms).toHumanString()}`,
            color: cloudwatch.Color.RED,
          })),
          width: 8,
          height: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Function errors',
          left: functions.map(([label, fn]) => fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: PIPELINE_PERIOD, label })),
          width: 8,
          height: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Failure-queue depth',
          left: queues.map(([label, queue]) => queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: PIPELINE_PERIOD, label })),
          width: 8,
          height: 6,
        }),
      ],
      [
        new cloudwatch.GraphWidget({
          title: 'Dead-lettered and failed records',
          left: [this.searchAnyDimensions(p.deadLettered, cloudwatch.Stats.SUM), this.searchAnyDimensions(p.failedRecords, cloudwatch.Stats.SUM)],
          width: 8,
          height: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Report runs',
          // The scheduler's counters have no Source dimension: each series is named for what it counts.
          left: [
            this.searchAnyDimensions(p.reportRunsSucceeded, cloudwatch.Stats.SUM, Duration.minutes(15), 'Report runs succeeded'),
            this.searchAnyDimensions(p.reportsCorrected, cloudwatch.Stats.SUM, Duration.minutes(15), 'Reports corrected for late data'),
          ],
          right: [this.searchAnyDimensions(p.reportRunsFailed, cloudwatch.Stats.SUM, Duration.minutes(15), 'Report runs failed')],
          leftYAxis: { min: 0, label: 'Written, corrected', showUnits: false },
          rightYAxis: { min: 0, label: 'Failed', showUnits: false },
          width: 8,
          height: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'Data freshness (age of the newest event applied)',
          left: [this.searchAnyDimensions(p.dataFreshness, cloudwatch.Stats.MAXIMUM)],
          right: [
            new cloudwatch.Metric({ namespace: this.namespace, metricName: p.agentEventAge.name, statistic: cloudwatch.Stats.MAXIMUM, period: CHART_PERIOD, label: p.agentEventAge.name }),
          ],
          width: 8,
          height: 6,
        }),
      ],
      [
        new cloudwatch.GraphWidget({
          title: 'Records',
          left: [p.recordsProcessed, p.recordsApplied, p.duplicatesIgnored, p.updatesApplied].map((def) => this.searchAnyDimensions(def, cloudwatch.Stats.SUM)),
          width: 12,
          height: 6,
        }),
        new cloudwatch.GraphWidget({
          title: 'DynamoDB write units',
          left: [this.searchAnyDimensions(p.writeUnits, cloudwatch.Stats.SUM)],
          width: 12,
          height: 6,
        }),
      ],
    ];
  }
}
