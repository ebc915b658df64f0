/**
 * The deployment's settings: one typed, validated object read from the CDK
 * context key `connectMetrics` (in cdk.json, or `-c connectMetrics='{...}'`).
 * Every setting has a default, so an empty or missing object deploys a
 * working pipeline. Infrastructure code takes settings from here only.
 *
 * Bad settings fail synthesis with a `ConfigError` whose message names each
 * offending setting by its path, e.g.
 * `connectMetrics.ingestion.batchSize: expected a whole number from 1 to 10000`.
 */
import { readFileSync } from 'node:fs';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { SL_THRESHOLDS, type SlThreshold } from '../lambdas/domain/metrics/primitives.js';
import { DEFAULT_NAMESPACE } from '../lambdas/domain/realtime/cloudwatch-catalog.js';
import { DEFAULT_SL_THRESHOLD } from '../lambdas/domain/realtime/datapoints.js';
import { parseReportDefinitions, ReportDefinitionError } from '../lambdas/domain/reports/definitions.js';
import { MAX_SL_THRESHOLDS_JSON_LENGTH } from './constructs/monitoring.js';
import { CONNECT_INSTANCE_ARN_PATTERN, KINESIS_STREAM_ARN_PATTERN, KMS_KEY_ARN_PATTERN, S3_BUCKET_NAME_PATTERN } from './arns.js';
import { resolveRepoPath } from './paths.js';

export const CONTEXT_KEY = 'connectMetrics';

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export type StreamsConfig = CreateStreamsConfig | ImportStreamsConfig;

/** The stack creates both streams. */
export interface CreateStreamsConfig {
  readonly mode: 'create';
  /** Kinesis capacity mode. */
  readonly capacityMode: 'provisioned' | 'on-demand';
  /** Shards per stream; present exactly when `capacityMode` is 'provisioned'. */
  readonly shardCount?: number;
  /** How long the streams keep records. */
  readonly retentionHours: number;
}

/** The streams exist already (Amazon Connect streams to them); the stack only reads them. */
export interface ImportStreamsConfig {
  readonly mode: 'import';
  readonly ctrStreamArn: string;
  readonly agentEventStreamArn: string;
  /** The existing streams' retention; only used to check `ingestion.maxRecordAgeHours`. */
  readonly retentionHours: number;
  /**
   * The customer-managed KMS key the existing streams are encrypted with, if
   * they are (the stream consumers are granted kms:Decrypt on it). Not needed
   * for the AWS-managed key `aws/kinesis`.
   */
  readonly encryptionKeyArn?: string;
}

export interface IngestionConfig {
  /** Most records per Lambda invocation. */
  readonly batchSize: number;
  /** How long Lambda gathers records before invoking. */
  readonly maxBatchingWindowSeconds: number;
  /** Retries of a failing batch before it is given up on (sent to the failure queue). */
  readonly retryAttempts: number;
  /** Records older than this are given up on; shorter than the stream retention so they can be replayed. */
  readonly maxRecordAgeHours: number;
  /**
   * Concurrent batches per shard (1–10), for both streams. Lambda keeps order per partition key,
   * and Connect's partition key for agent events is the agent ARN, so each
   * agent's events stay in order; every write of the store is conditional, so
   * concurrent batches are safe. Unset: each stream's default (`StreamIngestion`:
   * 8 for agent events, so that a shard drains a backlog at 2,000 events/s; 1 for CTRs).
   */
  readonly parallelizationFactor?: number;
}

export type ReportsBucketConfig = CreateReportsBucketConfig | ImportReportsBucketConfig;

/** The stateful stack creates the reports bucket (and its access-log bucket). */
export interface CreateReportsBucketConfig {
  readonly mode: 'create';
  /** Days a report is kept; it moves to S3 Standard-IA after 90, so more than 90. */
  readonly reportRetentionDays: number;
  /** Days the S3 server access logs of the reports bucket are kept. */
  readonly accessLogRetentionDays: number;
}

/** Reports go to an existing bucket; the stack changes nothing on it and only grants the scheduler its prefix. */
export interface ImportReportsBucketConfig {
  readonly mode: 'import';
  readonly bucketName: string;
  /** The bucket's customer-managed default encryption key, if it has one (the scheduler is granted its use). */
  readonly encryptionKeyArn?: string;
}

export interface ReportsConfig {
  /**
   * The report-definitions file, relative to the repository root or absolute.
   * Validated at synth; bundled next to the scheduler as report-definitions.json.
   */
  readonly definitionsFile: string;
  readonly bucket: ReportsBucketConfig;
  /** The Amazon Connect instance alias in report keys; defaults to `instancePrefix`. */
  readonly instanceAlias: string;
  /**
   * First segments of every report key, `<keyPrefix>/Reports/<report prefix>/<name>-<scheduled time>Z.csv`,
   * as Amazon Connect writes them; defaults to `connect/<instanceAlias>`.
   */
  readonly keyPrefix: string;
  /**
   * For this many hours after a run's scheduled time, the scheduler rewrites
   * the run's report under the same key when late data changed one of its
   * cells (0 disables corrections). At most 2160 (90 days, the run ledger's retention).
   */
  readonly correctionWindowHours: number;
}

/** Alarm thresholds of one queue. */
export interface QueueThresholds {
  /** Service level (percent) the queue should meet; the alarm fires below it. */
  readonly serviceLevelTarget: number;
  /** Seconds within which a contact counts as served (one of the thresholds Amazon Connect offers). */
  readonly serviceLevelThresholdSeconds: SlThreshold;
  /** Abandon rate (percent) above which the alarm fires. */
  readonly abandonRateMax: number;
  /** Age in seconds of the oldest waiting contact above which the alarm fires (needs contact events). */
  readonly oldestContactMaxSeconds: number;
  /** Consecutive 5-minute periods the service level or abandon rate must be off before the alarm fires. */
  readonly evaluationPeriods: number;
}

/** Dead-lettered records too large for the table are kept in a bucket of the stateful stack. */
export interface DeadLettersConfig {
  /** Days a dead-lettered payload is kept in the dead-letter bucket before S3 deletes it. */
  readonly retentionDays: number;
}

export interface MonitoringConfig {
  /**
   * CloudWatch namespace of the project's own metrics: one per deployment,
   * ending in `/<instancePrefix>` (default `ConnectMetrics/<instancePrefix>`),
   * so two deployments in one account never feed each other's alarms.
   */
  readonly metricsNamespace: string;
  /** Default of the `AlarmEmail` stack parameter: who is subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Consume Amazon Connect contact events (EventBridge) for contacts in queue and the oldest contact. */
  readonly contactEvents: boolean;
  /** Only contact events of this Amazon Connect instance; all instances in the account and region otherwise. */
  readonly connectInstanceArn?: string;
  /**
   * Concurrency reserved for (and capping) the contact-events function; null
   * for no reservation (an account at the minimum concurrency quota cannot
   * reserve any: Lambda keeps 10 unreserved).
   */
  readonly contactEventsConcurrency: number | null;
  /** The no-agent-events alarm fires when the newest agent event is older than this while agents are online. */
  readonly agentEventMaxAgeSeconds: number;
  /**
   * What listed queues get for the settings they leave out. (Queues not
   * listed get no alarms, and the publisher measures them at 60 s.)
   */
  readonly defaults: QueueThresholds;
  /** Queues (by name) to alarm on and show on the dashboard, each with the defaults applied. */
  readonly queues: Readonly<Record<string, QueueThresholds>>;
}

export interface ConnectMetricsConfig {
  /** Starts the stack and stream names, so several deployments can share an account. */
  readonly instancePrefix: string;
  readonly streams: StreamsConfig;
  /** Days an aggregate is kept before DynamoDB TTL deletes it. */
  readonly retentionDays: number;
  /** Days Lambda log events are kept; one of `LOG_RETENTION_DAYS`. */
  readonly logRetentionDays: (typeof LOG_RETENTION_DAYS)[number];
  /** CloudFormation termination protection on the stack that holds the data. */
  readonly terminationProtection: boolean;
  readonly ingestion: IngestionConfig;
  readonly reports: ReportsConfig;
  readonly deadLetters: DeadLettersConfig;
  readonly monitoring: MonitoringConfig;
}

/** Thrown for invalid settings; the message lists every problem, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

const STREAM_ARN_PROBLEM = 'expected an ARN of a Kinesis stream (arn:aws:kinesis:<region>:<account>:stream/<name>)';

function wholeNumber(min: number, max: number) {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

const streamArn = z.string({ error: STREAM_ARN_PROBLEM }).regex(KINESIS_STREAM_ARN_PATTERN, { error: STREAM_ARN_PROBLEM });
const retentionHours = wholeNumber(24, 8760).default(24);

const createStreamsSchema = z.strictObject({
  mode: z.literal('create'),
  capacityMode: z.enum(['provisioned', 'on-demand'], { error: "expected 'provisioned' or 'on-demand'" }).default('provisioned'),
  shardCount: wholeNumber(1, 500).optional(),
  retentionHours,
});

const KMS_KEY_PROBLEM = 'expected the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>)';
const kmsKeyArn = z.string({ error: KMS_KEY_PROBLEM }).regex(KMS_KEY_ARN_PATTERN, { error: KMS_KEY_PROBLEM });

const importStreamsSchema = z.strictObject({
  mode: z.literal('import'),
  ctrStreamArn: streamArn,
  agentEventStreamArn: streamArn,
  retentionHours,
  encryptionKeyArn: kmsKeyArn.optional(),
});

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `mode` may be left out: it is 'import' when a stream ARN is given, 'create' otherwise. */
function inferStreamsMode(value: unknown): unknown {
  if (value === undefined) return { mode: 'create' };
  if (!isObject(value) || 'mode' in value) return value;
  const hasArn = 'ctrStreamArn' in value || 'agentEventStreamArn' in value;
  return { mode: hasArn ? 'import' : 'create', ...value };
}

const streamsSchema = z.preprocess(
  inferStreamsMode,
  z.discriminatedUnion('mode', [createStreamsSchema, importStreamsSchema], {
    error: (issue) => (isObject(issue.input) ? "expected mode 'create' or 'import'" : 'expected an object'),
  }),
);

const ingestionSchema = z
  .strictObject({
    batchSize: wholeNumber(1, 10_000).default(1000),
    maxBatchingWindowSeconds: wholeNumber(0, 300).default(5),
    retryAttempts: wholeNumber(0, 10_000).default(10),
    maxRecordAgeHours: wholeNumber(1, 168).default(6),
    parallelizationFactor: wholeNumber(1, 10).optional(),
  })
  .prefault({});

const logRetentionDays = z.union(
  LOG_RETENTION_DAYS.map((days) => z.literal(days)),
  { error: `expected one of the CloudWatch Logs retention periods in days: ${LOG_RETENTION_DAYS.join(', ')}` },
);

/** The report set deployed unless `reports.definitionsFile` says otherwise. */
export const DEFAULT_DEFINITIONS_FILE = 'config/reports.json';

const createReportsBucketSchema = z.strictObject({
  mode: z.literal('create'),
  reportRetentionDays: z
    .int({ error: 'expected a whole number of days from 91 to 36500 (reports move to Infrequent Access after 90 days)' })
    .min(91, { error: 'expected a whole number of days from 91 to 36500 (reports move to Infrequent Access after 90 days)' })
    .max(36_500, { error: 'expected a whole number of days from 91 to 36500 (reports move to Infrequent Access after 90 days)' })
    .default(365),
  accessLogRetentionDays: wholeNumber(1, 3650).default(90),
});

const BUCKET_NAME_PROBLEM = 'expected an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)';
const importReportsBucketSchema = z.strictObject({
  mode: z.literal('import'),
  bucketName: z.string({ error: BUCKET_NAME_PROBLEM }).regex(S3_BUCKET_NAME_PATTERN, { error: BUCKET_NAME_PROBLEM }),
  encryptionKeyArn: kmsKeyArn.optional(),
});

/** `mode` may be left out: it is 'import' when a bucket name is given, 'create' otherwise. */
function inferBucketMode(value: unknown): unknown {
  if (value === undefined) return { mode: 'create' };
  if (!isObject(value) || 'mode' in value) return value;
  return { mode: 'bucketName' in value ? 'import' : 'create', ...value };
}

const INSTANCE_ALIAS_PROBLEM = 'expected an Amazon Connect instance alias: 1–62 letters, digits and hyphens, not starting or ending with a hyphen';
/** S3-safe key characters less `*`, which would widen the scheduler's IAM grant on `<keyPrefix>/Reports/*`. */
const KEY_PREFIX_PROBLEM = "expected key segments separated by single '/' (no leading or trailing '/', no '.' or '..'), of letters, digits and ! - _ . ' ( )";
const KEY_SEGMENT = /^[A-Za-z0-9!_.'()-]+$/;

/** Runs stay in the run ledger 90 days; a run cannot be corrected once it is gone. */
const MAX_CORRECTION_WINDOW_HOURS = 90 * 24;

const reportsSchema = z
  .strictObject({
    definitionsFile: z.string({ error: 'expected a path' }).min(1, { error: 'expected a path' }).default(DEFAULT_DEFINITIONS_FILE),
    instanceAlias: z
      .string({ error: INSTANCE_ALIAS_PROBLEM })
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,60}[A-Za-z0-9])?$/, { error: INSTANCE_ALIAS_PROBLEM })
      .optional(),
    keyPrefix: z
      .string({ error: KEY_PREFIX_PROBLEM })
      .max(512, { error: KEY_PREFIX_PROBLEM })
      .refine((p) => p.split('/').every((seg) => KEY_SEGMENT.test(seg) && seg !== '.' && seg !== '..'), { error: KEY_PREFIX_PROBLEM })
      .optional(),
    correctionWindowHours: wholeNumber(0, MAX_CORRECTION_WINDOW_HOURS).default(24),
    bucket: z.preprocess(
      inferBucketMode,
      z.discriminatedUnion('mode', [createReportsBucketSchema, importReportsBucketSchema], {
        error: (issue) => (isObject(issue.input) ? "expected mode 'create' or 'import'" : 'expected an object'),
      }),
    ),
  })
  // `bucket` is preprocessed: left out, it becomes { mode: 'create' }.
  .prefault({ bucket: undefined });

const SL_TARGET_PROBLEM = 'expected a percentage above 0 and at most 100';
const ABANDON_PROBLEM = 'expected a percentage from 0 to below 100';
const SL_THRESHOLD_PROBLEM = `expected one of the service-level thresholds Amazon Connect offers, in seconds: ${SL_THRESHOLDS.join(', ')}`;
const thresholdFields = {
  serviceLevelTarget: z.number({ error: SL_TARGET_PROBLEM }).gt(0, { error: SL_TARGET_PROBLEM }).max(100, { error: SL_TARGET_PROBLEM }),
  serviceLevelThresholdSeconds: z.union(
    SL_THRESHOLDS.map((seconds) => z.literal(seconds)),
    { error: SL_THRESHOLD_PROBLEM },
  ),
  abandonRateMax: z.number({ error: ABANDON_PROBLEM }).min(0, { error: ABANDON_PROBLEM }).lt(100, { error: ABANDON_PROBLEM }),
  oldestContactMaxSeconds: wholeNumber(1, 86_400),
  // Alarms evaluate 5-minute periods, and CloudWatch looks back at most a day.
  evaluationPeriods: wholeNumber(1, 288),
};

const DEFAULT_THRESHOLDS: QueueThresholds = {
  serviceLevelTarget: 80,
  // The publisher's own default, so listed and unlisted queues agree unless told otherwise.
  serviceLevelThresholdSeconds: DEFAULT_SL_THRESHOLD,
  abandonRateMax: 10,
  oldestContactMaxSeconds: 120,
  evaluationPeriods: 3,
};

const defaultThresholdsSchema = z
  .strictObject({
    serviceLevelTarget: thresholdFields.serviceLevelTarget.default(DEFAULT_THRESHOLDS.serviceLevelTarget),
    serviceLevelThresholdSeconds: thresholdFields.serviceLevelThresholdSeconds.default(DEFAULT_THRESHOLDS.serviceLevelThresholdSeconds),
    abandonRateMax: thresholdFields.abandonRateMax.default(DEFAULT_THRESHOLDS.abandonRateMax),
    oldestContactMaxSeconds: thresholdFields.oldestContactMaxSeconds.default(DEFAULT_THRESHOLDS.oldestContactMaxSeconds),
    evaluationPeriods: thresholdFields.evaluationPeriods.default(DEFAULT_THRESHOLDS.evaluationPeriods),
  })
  .prefault({});

const queueThresholdsSchema = z.strictObject(
  {
    serviceLevelTarget: thresholdFields.serviceLevelTarget.optional(),
    serviceLevelThresholdSeconds: thresholdFields.serviceLevelThresholdSeconds.optional(),
    abandonRateMax: thresholdFields.abandonRateMax.optional(),
    oldestContactMaxSeconds: thresholdFields.oldestContactMaxSeconds.optional(),
    evaluationPeriods: thresholdFields.evaluationPeriods.optional(),
  },
  { error: 'expected an object of thresholds (serviceLevelTarget, serviceLevelThresholdSeconds, abandonRateMax, oldestContactMaxSeconds, evaluationPeriods)' },
);

/** Each queue adds three alarms and dashboard widgets; CloudFormation allows 500 resources a stack. */
export const MAX_QUEUES = 50;
const QUEUE_NAME_PROBLEM = 'queue names must be 1–255 characters with no control characters';

const NAMESPACE_PATTERN = /^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/;
const NAMESPACE_PROBLEM = "expected a CloudWatch namespace: 1–255 letters, digits and . - _ / # :, not starting with 'AWS/'";

const deadLettersSchema = z
  .strictObject({
    retentionDays: wholeNumber(1, 3650).default(90),
  })
  .prefault({});

const monitoringSchema = z
  .strictObject({
    // Left out, it is `${DEFAULT_NAMESPACE}/<instancePrefix>` (filled in by parseConfig, which knows the prefix).
    metricsNamespace: z
      .string({ error: NAMESPACE_PROBLEM })
      .regex(NAMESPACE_PATTERN, { error: NAMESPACE_PROBLEM })
      .optional(),
    alarmEmail: z.email({ error: 'expected an e-mail address' }).optional(),
    contactEvents: z.boolean({ error: 'expected true or false' }).default(true),
    connectInstanceArn: z
      .string({ error: 'expected the ARN of an Amazon Connect instance' })
      .regex(CONNECT_INSTANCE_ARN_PATTERN, { error: 'expected the ARN of an Amazon Connect instance (arn:aws:connect:<region>:<account>:instance/<id>)' })
      .optional(),
    contactEventsConcurrency: wholeNumber(1, 1000).nullable().default(10),
    agentEventMaxAgeSeconds: z
      .int({ error: 'expected a whole number of seconds from 180 to 86400 (agents send a HEART_BEAT event every 120 seconds)' })
      .min(180, { error: 'expected a whole number of seconds from 180 to 86400 (agents send a HEART_BEAT event every 120 seconds)' })
      .max(86_400, { error: 'expected a whole number of seconds from 180 to 86400 (agents send a HEART_BEAT event every 120 seconds)' })
      .default(300),
    defaults: defaultThresholdsSchema,
    queues: z
      .record(
        z.string().min(1, { error: QUEUE_NAME_PROBLEM }).max(255, { error: QUEUE_NAME_PROBLEM }).regex(/^[^\p{Cc}]+$/u, { error: QUEUE_NAME_PROBLEM }),
        queueThresholdsSchema,
        { error: 'expected an object of queue name → thresholds' },
      )
      .refine((queues) => Object.keys(queues).length <= MAX_QUEUES, { error: `at most ${MAX_QUEUES} queues` })
      .default({}),
  })
  .prefault({});

export const configSchema = z
  .strictObject(
    {
      instancePrefix: z
        .string({ error: 'expected a string' })
        .regex(/^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/, {
          error: 'expected 1–40 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen',
        })
        .default('connect-metrics'),
      streams: streamsSchema,
      retentionDays: wholeNumber(1, 3650).default(400),
      logRetentionDays: logRetentionDays.default(30),
      terminationProtection: z.boolean({ error: 'expected true or false' }).default(true),
      ingestion: ingestionSchema,
      reports: reportsSchema,
      deadLetters: deadLettersSchema,
      monitoring: monitoringSchema,
    },
    { error: 'expected an object' },
  )
  .superRefine((config, ctx) => {
    const { streams, ingestion, monitoring, instancePrefix } = config;
    // Metrics, alarms and the dashboard are per namespace: sharing one with another deployment would mix their figures.
    const namespace = monitoring.metricsNamespace;
    if (namespace !== undefined && NAMESPACE_PATTERN.test(namespace) && !namespace.endsWith(`/${instancePrefix}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['monitoring', 'metricsNamespace'],
        message: `must end with "/${instancePrefix}" (the instancePrefix), so no other deployment in the account shares it; the default is "${DEFAULT_NAMESPACE}/${instancePrefix}"`,
      });
    }
    // The publisher gets the listed queues' thresholds as SL_THRESHOLDS_JSON, and Lambda allows 4 KB of environment in all.
    const thresholdsJson = JSON.stringify(Object.fromEntries(Object.keys(monitoring.queues).map((name) => [name, 600])));
    if (thresholdsJson.length > MAX_SL_THRESHOLDS_JSON_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['monitoring', 'queues'],
        message: `the queue names take ${thresholdsJson.length} characters of the publisher's environment (at most ${MAX_SL_THRESHOLDS_JSON_LENGTH}); list fewer queues or shorter names`,
      });
    }
    if (!monitoring.contactEvents) {
      if (monitoring.connectInstanceArn !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['monitoring', 'connectInstanceArn'], message: 'only filters contact events, and contactEvents is false; remove it' });
      }
    }
    if (streams.mode === 'create' && streams.capacityMode === 'on-demand' && streams.shardCount !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['streams', 'shardCount'], message: "applies only to capacityMode 'provisioned'; remove it" });
    }
    if (streams.mode === 'import' && streams.ctrStreamArn === streams.agentEventStreamArn) {
      ctx.addIssue({ code: 'custom', path: ['streams', 'agentEventStreamArn'], message: 'must be a different stream from ctrStreamArn' });
    }
    if (ingestion.maxRecordAgeHours >= streams.retentionHours) {
      ctx.addIssue({
        code: 'custom',
        path: ['ingestion', 'maxRecordAgeHours'],
        message:
          `must be less than the stream retention (streams.retentionHours = ${streams.retentionHours}), ` +
          'so records given up on can still be replayed from the stream',
      });
    }
  });

/** Validates raw settings (the value of the `connectMetrics` context key) and fills in defaults. */
export function parseConfig(raw: unknown): ConnectMetricsConfig {
  const result = configSchema.safeParse(raw ?? {});
  // The report definitions are checked even when other settings are wrong, so every problem shows at once.
  const definitionsFile = result.success ? result.data.reports.definitionsFile : givenDefinitionsFile(raw);
  const definitionProblems = definitionsFile === undefined ? [] : reportDefinitionProblems(definitionsFile);
  if (!result.success) {
    throw new ConfigError([...result.error.issues.map(describeIssue), ...definitionProblems]);
  }
  if (definitionProblems.length > 0) throw new ConfigError(definitionProblems);
  const { streams: parsedStreams, monitoring: parsedMonitoring, reports: parsedReports, ...rest } = result.data;
  const instanceAlias = parsedReports.instanceAlias ?? rest.instancePrefix;
  const reports: ReportsConfig = { ...parsedReports, instanceAlias, keyPrefix: parsedReports.keyPrefix ?? `connect/${instanceAlias}` };

  const { defaults } = parsedMonitoring;
  const queues = Object.fromEntries(
    Object.entries(parsedMonitoring.queues).map(([name, given]) => [name, { ...defaults, ...withoutUndefined(given) }]),
  );
  const metricsNamespace = parsedMonitoring.metricsNamespace ?? `${DEFAULT_NAMESPACE}/${rest.instancePrefix}`;
  const monitoring: MonitoringConfig = { ...parsedMonitoring, metricsNamespace, queues };

  let streams: StreamsConfig = parsedStreams;
  if (parsedStreams.mode === 'create') {
    const { shardCount, ...created } = parsedStreams;
    streams = created.capacityMode === 'provisioned' ? { ...created, shardCount: shardCount ?? 1 } : created;
  }
  return { ...rest, streams, reports, monitoring };
}

/** The definitions file raw settings name (or the default), if they name one the schema would accept. */
function givenDefinitionsFile(raw: unknown): string | undefined {
  const reports: unknown = isObject(raw) && 'reports' in raw ? raw.reports : undefined;
  if (reports === undefined) return raw === undefined || raw === null || isObject(raw) ? DEFAULT_DEFINITIONS_FILE : undefined;
  if (!isObject(reports)) return undefined;
  const file: unknown = 'definitionsFile' in reports ? reports.definitionsFile : DEFAULT_DEFINITIONS_FILE;
  return typeof file === 'string' && file.length > 0 ? file : undefined;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Checks the report-definitions file with the same validation the scheduler
 * runs (`parseReportDefinitions`); one problem per line, each naming the setting.
 */
function reportDefinitionProblems(definitionsFile: string): string[] {
  const where = `${CONTEXT_KEY}.reports.definitionsFile`;
  let text: string;
  try {
    text = readFileSync(resolveRepoPath(definitionsFile), 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [`${where}: cannot read "${definitionsFile}" (${reason})`];
  }
  try {
    parseReportDefinitions(text);
    return [];
  } catch (error) {
    if (!(error instanceof ReportDefinitionError)) throw error;
    return error.problems.map((problem) => `${where}: "${definitionsFile}": ${problem}`);
  }
}

/**
 * Reads and validates the `connectMetrics` context value. It is an object in
 * cdk.json; from the command line (`-c connectMetrics=...`) it arrives as a
 * JSON string.
 */
export function loadConfig(scope: Construct): ConnectMetricsConfig {
  const value: unknown = scope.node.tryGetContext(CONTEXT_KEY);
  if (typeof value !== 'string') return parseConfig(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new ConfigError([`${CONTEXT_KEY}: expected a JSON object (${error instanceof Error ? error.message : String(error)})`]);
  }
  return parseConfig(parsed);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = [CONTEXT_KEY, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return `${where}: unknown setting${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  return `${where}: ${issue.message}`;
}
