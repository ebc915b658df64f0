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
import type { Construct } from 'constructs';
import { z } from 'zod';
import { KINESIS_STREAM_ARN_PATTERN } from './arns.js';

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

const importStreamsSchema = z.strictObject({
  mode: z.literal('import'),
  ctrStreamArn: streamArn,
  agentEventStreamArn: streamArn,
  retentionHours,
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
  })
  .prefault({});

const logRetentionDays = z.union(
  LOG_RETENTION_DAYS.map((days) => z.literal(days)),
  { error: `expected one of the CloudWatch Logs retention periods in days: ${LOG_RETENTION_DAYS.join(', ')}` },
);

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
    },
    { error: 'expected an object' },
  )
  .superRefine((config, ctx) => {
    const { streams, ingestion } = config;
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
  if (!result.success) {
    throw new ConfigError(result.error.issues.map(describeIssue));
  }
  const { streams, ...rest } = result.data;
  if (streams.mode === 'create') {
    const { shardCount, ...created } = streams;
    return {
      ...rest,
      streams: created.capacityMode === 'provisioned' ? { ...created, shardCount: shardCount ?? 1 } : created,
    };
  }
  return { ...rest, streams };
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
