import { readFileSync } from 'node:fs';
import { Duration, FeatureFlags, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { lockedBucketProps } from './locked-bucket.js';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import { parseReportDefinitions, ReportDefinitionError, type ReportDefinition } from '../../lambdas/domain/reports/definitions.js';
import { S3_BUCKET_NAME_PATTERN, KMS_KEY_ARN_PATTERN } from '../arns.js';
import { ENV } from '../env-vars.js';
import { acknowledgeWildcardResource } from '../nag-findings.js';
import { resolveRepoPath } from '../paths.js';
import { MetricsFunction } from './function-defaults.js';
import type { MetricsTable } from './metrics-table.js';

/** Handler module of the report scheduler, relative to the repository root. */
export const REPORT_SCHEDULER_ENTRY = 'lambdas/handlers/report-scheduler.ts';

/** Name the report definitions have in the scheduler's bundle; the handler reads it from its own directory. */
export const REPORT_DEFINITIONS_FILE_NAME = 'report-definitions.json';

/** Key prefix of an instance's reports: `<keyPrefix>/Reports/` (see `reportKey` in lambdas/domain/reports/schedule.ts). */
export function reportsKeyPrefix(keyPrefix: string): string {
  return `${keyPrefix}/Reports/`;
}

/** Default first segments of report keys, as Amazon Connect writes them: `connect/<instance alias>`. */
export const DEFAULT_REPORTS_KEY_PREFIX = 'connect/connect-metrics';

/** S3 refuses to move objects to Standard-IA sooner than 30 days after creation. */
const MINIMUM_INFREQUENT_ACCESS_DAYS = 30;

export interface ReportsBucketProps {
  /**
   * First segment(s) of every report's key (`<keyPrefix>/Reports/...`, Amazon
   * Connect's `connect/<instance alias>`); the report lifecycle rule applies
   * under it and the scheduler may write under `<keyPrefix>/Reports/` only.
   *
   * @default 'connect/connect-metrics'
   */
  readonly keyPrefix?: string;

  /**
   * Name of an existing bucket to write reports to, instead of creating one.
   * Nothing on an imported bucket is changed (its encryption, lifecycle and
   * logging stay its owner's business); writers are only granted the
   * instance's report prefix.
   *
   * @default - a new bucket, with an access-log bucket, is created
   */
  readonly importBucketName?: string;

  /**
   * ARN of the customer-managed KMS key an imported bucket encrypts with by
   * default, so that writers are granted its use. Only with `importBucketName`.
   *
   * @default - the imported bucket uses SSE-S3 (or an AWS-managed key): nothing to grant
   */
  readonly importedBucketKeyArn?: string;

  /**
   * How long a report is kept (its current version; older versions go after
   * `noncurrentVersionRetention`). Longer than `infrequentAccessAfter`.
   *
   * @default Duration.days(365)
   */
  readonly reportRetention?: Duration;

  /**
   * When reports move to S3 Standard-IA (at least 30 days; reports are rarely
   * read once the next one is out).
   *
   * @default Duration.days(90)
   */
  readonly infrequentAccessAfter?: Duration;

  /**
   * How long a replaced or deleted report version is kept (a rerun overwrites its file).
   *
   * @default Duration.days(30)
   */
  readonly noncurrentVersionRetention?: Duration;

  /**
   * How long the S3 server access logs of the reports bucket are kept.
   *
   * @default Duration.days(90)
   */
  readonly accessLogRetention?: Duration;

  /**
   * What happens to the created buckets (and the reports and logs in them) when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The S3 bucket scheduled reports are written to: created with encryption
 * at rest (SSE-S3), all public access blocked, TLS 1.2+ enforced, versioning,
 * a lifecycle for old reports and server access logging to a separate,
 * equally locked-down bucket; or an existing bucket imported by name.
 *
 * Stateful: belongs in the stack that holds data, and is retained by default.
 */
export class ReportsBucket extends Construct {
  public readonly bucket: s3.IBucket;
  /** The bucket receiving the reports bucket's server access logs; only for a created bucket. */
  public readonly accessLogBucket?: s3.Bucket;
  /** The customer-managed key of an imported bucket, when one was given. */
  public readonly encryptionKey?: kms.IKey;
  /** True when the bucket was imported by name rather than created. */
  public readonly imported: boolean;
  public readonly keyPrefix: string;
  /** `<keyPrefix>/Reports/`: the only part of the bucket report writers may write to. */
  public readonly reportsPrefix: string;

  constructor(scope: Construct, id: string, props: ReportsBucketProps = {}) {
    super(scope, id);
    const settings = resolveBucketSettings(props);
    this.keyPrefix = settings.keyPrefix;
    this.reportsPrefix = reportsKeyPrefix(settings.keyPrefix);

    if (props.importBucketName !== undefined) {
      this.imported = true;
      this.bucket = s3.Bucket.fromBucketName(this, 'Bucket', props.importBucketName);
      if (props.importedBucketKeyArn !== undefined) {
        this.encryptionKey = kms.Key.fromKeyArn(this, 'BucketKey', props.importedBucketKeyArn);
      }
      return;
    }

    this.imported = false;
    const locked = lockedBucketProps(settings.removalPolicy);

    // With the @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy flag (cdk.json
    // sets it) S3 delivers the logs under a bucket policy and ACLs stay
    // disabled; without it CDK grants delivery by ACL, which needs ObjectWriter.
    const logsByPolicy = FeatureFlags.of(this).isEnabled(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY) === true;
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      ...locked,
      objectOwnership: logsByPolicy ? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED : s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: settings.accessLogRetention, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the reports bucket; logging access to it as well would need another log bucket, and so on',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...locked,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'reports-bucket/',
      lifecycleRules: [
        {
          id: 'AgeReports',
          prefix: this.reportsPrefix,
          transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: settings.infrequentAccessAfter }],
          expiration: settings.reportRetention,
        },
        {
          id: 'ExpireOldVersions',
          noncurrentVersionExpiration: settings.noncurrentVersionRetention,
          expiredObjectDeleteMarker: true,
          // A failed multipart upload of a large report leaves parts behind.
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
  }
}

interface BucketSettings {
  readonly keyPrefix: string;
  readonly reportRetention: Duration;
  readonly infrequentAccessAfter: Duration;
  readonly noncurrentVersionRetention: Duration;
  readonly accessLogRetention: Duration;
  readonly removalPolicy: RemovalPolicy;
}

function resolveBucketSettings(props: ReportsBucketProps): BucketSettings {
  const fail = (message: string): never => {
    throw new Error(`ReportsBucket: ${message}`);
  };
  const settings: BucketSettings = {
    keyPrefix: props.keyPrefix ?? DEFAULT_REPORTS_KEY_PREFIX,
    reportRetention: props.reportRetention ?? Duration.days(365),
    infrequentAccessAfter: props.infrequentAccessAfter ?? Duration.days(90),
    noncurrentVersionRetention: props.noncurrentVersionRetention ?? Duration.days(30),
    accessLogRetention: props.accessLogRetention ?? Duration.days(90),
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
  };
  validateKeyPrefix(settings.keyPrefix, fail);

  const name = props.importBucketName;
  if (name !== undefined) {
    if (!Token.isUnresolved(name) && !S3_BUCKET_NAME_PATTERN.test(name)) fail(`importBucketName must be an S3 bucket name; got "${name}"`);
    const keyArn = props.importedBucketKeyArn;
    if (keyArn !== undefined && !Token.isUnresolved(keyArn) && !KMS_KEY_ARN_PATTERN.test(keyArn)) fail(`importedBucketKeyArn must be a KMS key ARN; got "${keyArn}"`);
    for (const key of ['reportRetention', 'infrequentAccessAfter', 'noncurrentVersionRetention', 'accessLogRetention', 'removalPolicy'] as const) {
      if (props[key] !== undefined) fail(`${key} applies only to a created bucket; remove it or importBucketName`);
    }
    return settings;
  }
  if (props.importedBucketKeyArn !== undefined) fail('importedBucketKeyArn applies only with importBucketName');

  const days = (value: Duration) => (value.isUnresolved() ? undefined : value.toDays({ integral: false }));
  for (const key of ['reportRetention', 'infrequentAccessAfter', 'noncurrentVersionRetention', 'accessLogRetention'] as const) {
    const value = days(settings[key]);
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) fail(`${key} must be a whole number of days ≥ 1; got ${settings[key].toHumanString()}`);
  }
  const ia = days(settings.infrequentAccessAfter);
  const retention = days(settings.reportRetention);
  if (ia !== undefined && ia < MINIMUM_INFREQUENT_ACCESS_DAYS) {
    fail(`infrequentAccessAfter must be at least ${MINIMUM_INFREQUENT_ACCESS_DAYS} days (S3 Standard-IA minimum); got ${settings.infrequentAccessAfter.toHumanString()}`);
  }
  if (ia !== undefined && retention !== undefined && retention <= ia) {
    fail(
      `reportRetention (${settings.reportRetention.toHumanString()}) must be longer than infrequentAccessAfter (${settings.infrequentAccessAfter.toHumanString()}): ` +
        'S3 expires an object only after its last transition',
    );
  }
  return settings;
}

/** S3-safe characters less `*` (an IAM wildcard in the writers' grant). */
function validateKeyPrefix(prefix: string, fail: (message: string) => never): void {
  if (Token.isUnresolved(prefix)) return;
  if (!/^[A-Za-z0-9!_.'()-]+(?:\/[A-Za-z0-9!_.'()-]+)*$/.test(prefix) || prefix.split('/').some((segment) => segment === '.' || segment === '..')) {
    fail(`keyPrefix must be key segments of letters, digits and ! - _ . ' ( ) separated by single '/'; got "${prefix}"`);
  }
}

export interface ReportSchedulerProps {
  /** The aggregate table: read for the reports, and written for the run ledger. Sets `TABLE_NAME`. */
  readonly table: MetricsTable;

  /** Where reports go; the function may write under its `reportsPrefix` only. Sets `REPORTS_BUCKET` and `REPORTS_KEY_PREFIX`. */
  readonly reportsBucket: ReportsBucket;

  /**
   * The report-definitions file (relative to the repository root, or
   * absolute). It is validated here with `parseReportDefinitions`, the
   * scheduler's own validation, and bundled next to the handler as
   * `report-definitions.json`, so a definitions change is a code deploy.
   *
   * @default 'config/reports.json'
   */
  readonly definitionsFile?: string;

  /**
   * CloudWatch namespace of the `ReportRunsSucceeded`/`ReportRunsFailed`/`ReportsCorrected` metrics. Sets `METRICS_NAMESPACE`.
   *
   * @default 'ConnectMetrics' (DEFAULT_NAMESPACE of the metric catalog)
   */
  readonly metricsNamespace?: string;

  /**
   * For how long after a run's scheduled time the scheduler corrects its
   * report when late data changed a cell: it rewrites the object under the
   * same key (bucket versioning keeps the earlier version). Whole hours, at
   * most 90 days (the run ledger's retention); zero disables corrections.
   * Sets `REPORT_CORRECTION_WINDOW_HOURS`.
   *
   * @default Duration.hours(24)
   */
  readonly correctionWindow?: Duration;

  /**
   * When the scheduler wakes. Each wake-up registers every run that came due
   * since the last one and generates whatever is open, so a late or missed
   * wake-up delays reports but loses none.
   *
   * @default every quarter hour on the clock (cron 0/15), so a run due at T + 15 min is generated within seconds of it
   */
  readonly schedule?: events.Schedule;

  /**
   * A wake-up generates every due report in one invocation, so it gets
   * Lambda's maximum. Must stay below the run ledger's 20-minute claim lease.
   *
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;

  /**
   * Report generation rolls up many aggregates in memory and CPU grows with memory.
   *
   * @default 2048
   */
  readonly memorySize?: number;

  /** @default - see `MetricsFunction` (one month) */
  readonly logRetention?: logs.RetentionDays;

  /** @default - see `MetricsFunction` ('connect-metrics') */
  readonly serviceName?: string;
}

/** The claim a wake-up takes on a run lasts 20 minutes (lambdas/reporting/scheduler.ts); a wake-up must end sooner. */
const RUN_LEASE = Duration.minutes(20);

/**
 * The report scheduler: a function woken by an EventBridge schedule that
 * generates every report run that is due and writes it to S3, with the
 * report definitions bundled in.
 *
 * Concurrency is deliberately not reserved. Invocations are bounded by the
 * schedule (one every 15 minutes, no async retries: the next wake-up retries
 * failed runs itself) and the 15-minute timeout, so at most two overlap, and
 * the run ledger's claims make overlap harmless: each run is generated by
 * whoever claims it first. A reservation of 1 would add nothing but a
 * deduction from the account's unreserved concurrency (which fails deploys
 * on accounts at the minimum).
 */
export class ReportScheduler extends Construct {
  public readonly fn: nodejs.NodejsFunction;
  public readonly rule: events.Rule;
  /** The report definitions, as validated at synth. */
  public readonly definitions: readonly ReportDefinition[];

  constructor(scope: Construct, id: string, props: ReportSchedulerProps) {
    super(scope, id);
    const definitionsFile = props.definitionsFile ?? 'config/reports.json';
    this.definitions = loadDefinitions(definitionsFile);
    const timeout = props.timeout ?? Duration.minutes(15);
    if (!timeout.isUnresolved() && timeout.toSeconds() >= RUN_LEASE.toSeconds()) {
      throw new Error(`ReportScheduler: timeout must be shorter than the run ledger's ${RUN_LEASE.toHumanString()} claim lease; got ${timeout.toHumanString()}`);
    }
    const bucket = props.reportsBucket;
    const correctionWindow = props.correctionWindow ?? Duration.hours(24);
    const correctionHours = correctionWindow.isUnresolved() ? Number.NaN : correctionWindow.toHours({ integral: false });
    if (!Number.isInteger(correctionHours) || correctionHours < 0 || correctionHours > 90 * 24) {
      throw new Error(`ReportScheduler: correctionWindow must be whole hours from 0 to 2160 (90 days, the run ledger's retention); got ${correctionWindow.toHumanString()}`);
    }

    const handler = new MetricsFunction(this, 'Handler', {
      entry: REPORT_SCHEDULER_ENTRY,
      description: 'Generates the scheduled reports that are due and writes them to S3',
      memorySize: props.memorySize ?? 2048,
      timeout,
      logRetention: props.logRetention,
      serviceName: props.serviceName,
      environment: {
        [ENV.reportsBucket]: bucket.bucket.bucketName,
        [ENV.reportsKeyPrefix]: bucket.keyPrefix,
        [ENV.metricsNamespace]: props.metricsNamespace ?? DEFAULT_NAMESPACE,
        [ENV.reportCorrectionWindowHours]: String(correctionHours),
      },
      bundledFiles: [{ source: definitionsFile, fileName: REPORT_DEFINITIONS_FILE_NAME }],
    });
    this.fn = handler.fn;
    props.table.bind(this.fn, 'scheduler');

    // Only the instance's report prefix, and only what @aws-sdk/lib-storage's
    // Upload calls: PutObject (which also authorises CreateMultipartUpload,
    // UploadPart and CompleteMultipartUpload) and AbortMultipartUpload when a
    // multipart upload fails. (It never lists parts; it tags objects only
    // when given tags, and the report sink gives none.) With corrections,
    // GetObject too: a correction compares with the file already at the key.
    const reportObjects = bucket.bucket.arnForObjects(`${bucket.reportsPrefix}*`);
    const corrects = correctionHours > 0;
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteReports',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', ...(corrects ? ['s3:GetObject'] : [])],
        resources: [reportObjects],
      }),
    );
    // A multipart upload to an SSE-KMS bucket generates a data key and decrypts it for each part (and reading one back decrypts it).
    bucket.encryptionKey?.grant(this.fn, 'kms:GenerateDataKey', 'kms:Decrypt');
    acknowledgeWildcardResource(
      handler.role,
      reportObjects,
      `Report keys are made per run (${bucket.reportsPrefix}<report prefix>/<name>-<scheduled time>.csv); the grant covers the instance's Reports prefix and nothing else`,
    );

    // No retries of a failed invocation: the next wake-up picks up every run that is still open.
    this.fn.configureAsyncInvoke({ retryAttempts: 0 });

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Wakes the report scheduler',
      schedule: props.schedule ?? events.Schedule.cron({ minute: '0/15' }),
      targets: [new targets.LambdaFunction(this.fn)],
    });
  }
}

/** Reads and validates a report-definitions file; throws naming the file and every problem in it. */
export function loadDefinitions(definitionsFile: string): ReportDefinition[] {
  let text: string;
  try {
    text = readFileSync(resolveRepoPath(definitionsFile), 'utf8');
  } catch (error) {
    throw new Error(`ReportScheduler: cannot read the report definitions "${definitionsFile}": ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return parseReportDefinitions(text);
  } catch (error) {
    if (error instanceof ReportDefinitionError) throw new Error(`ReportScheduler: "${definitionsFile}": ${error.message}`);
    throw error;
  }
}
