/**
 * The one place that constructs AWS SDK v3 clients.
 *
 * Handlers build their clients once per cold start (module scope, or through
 * `awsClients(cfg)` which builds each client lazily and then reuses it) so
 * that connections and credentials are reused across invocations. The same
 * handler code runs unchanged against the AWS-API-compatible local servers
 * (kinesalite, dynalite, s3rver): only the config differs, and the config
 * comes from the environment (`clientConfigFromEnv`).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface ClientEndpoints {
  readonly kinesis?: string;
  readonly dynamodb?: string;
  readonly s3?: string;
  readonly cloudwatch?: string;
}

export interface ClientConfig {
  readonly region?: string;
  readonly endpoints?: ClientEndpoints;
}

/** Credentials the local servers accept; they never check them, but the SDK must sign something. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
/** s3rver verifies signatures against this fixed key pair. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
/** Region used with local endpoints when none is configured: the local servers report this one in ARNs. */
export const LOCAL_DEFAULT_REGION = 'us-east-1';

/**
 * Options shared by every client. Without an endpoint nothing is set but the
 * region (if any), so the SDK uses its default credential chain and region
 * resolution (the Lambda execution role and AWS_REGION in production).
 */
/**
 * Throttling and transient errors are retried by the SDK with adaptive backoff
 * (client-side rate limiting on throttles) before an error ever reaches the
 * store; the store and Lambda's own batch retries come on top.
 */
export const RETRY = { maxAttempts: 8, retryMode: 'adaptive' } as const;

function baseOptions(cfg: ClientConfig, endpoint: string | undefined, credentials: { accessKeyId: string; secretAccessKey: string }) {
  if (endpoint === undefined) {
    return cfg.region === undefined ? { ...RETRY } : { ...RETRY, region: cfg.region };
  }
  return {
    ...RETRY,
    region: cfg.region ?? LOCAL_DEFAULT_REGION,
    endpoint,
    // Static test credentials: a local endpoint must never pick up real AWS
    // credentials from the developer's environment or profile.
    credentials: { ...credentials },
  };
}

export function kinesisClient(cfg: ClientConfig = {}): KinesisClient {
  const endpoint = cfg.endpoints?.kinesis;
  const base = baseOptions(cfg, endpoint, LOCAL_CREDENTIALS);
  if (endpoint === undefined) return new KinesisClient(base);
  // The Kinesis client defaults to an HTTP/2 handler, which kinesalite (a
  // plain node:http server) cannot speak; force HTTP/1.1.
  return new KinesisClient({ ...base, requestHandler: new NodeHttpHandler() });
}

/**
 * Sockets a DynamoDB client keeps open to DynamoDB (the SDK's default is 50). The agent-event consumer has about
 * three requests in flight per agent of a batch, each waiting a few milliseconds on the network: 50 sockets would cap
 * a shard at a few thousand requests a second, below what a backlog of agent events needs (README, Scale). Local
 * endpoints (dynalite, one process) keep the default.
 */
export const DYNAMO_MAX_SOCKETS = 256;

export function dynamoClient(cfg: ClientConfig = {}): DynamoDBClient {
  const endpoint = cfg.endpoints?.dynamodb;
  const base = baseOptions(cfg, endpoint, LOCAL_CREDENTIALS);
  const pool = endpoint === undefined ? { requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: DYNAMO_MAX_SOCKETS }) }) } : {};
  return withoutSdkLogging(new DynamoDBClient({ ...base, ...pool }));
}

/**
 * The DynamoDB client without the SDK's logger middleware. No SDK logger is ever configured here (handlers log
 * through Powertools), yet that middleware runs on every call: it walks the request and the response through the
 * operation's schema to mask sensitive fields for a logger that discards them. On the agent-event consumer, which
 * makes two to three DynamoDB calls per event, that is about a tenth of its CPU (README, Scale). Removing it changes
 * no request and no error: it only logs.
 */
export function withoutSdkLogging<C extends DynamoDBClient>(client: C): C {
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  return client;
}

/** The name under which the SDK adds its logger middleware to every client's stack. */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

/**
 * Document client over `dynamoClient(cfg)` (or over a client you already
 * built, so both share one connection pool). `removeUndefinedValues` because
 * our records carry optional fields as `undefined`, which the marshaller
 * otherwise rejects.
 */
export function dynamoDocumentClient(cfgOrClient: ClientConfig | DynamoDBClient = {}): DynamoDBDocumentClient {
  const client = cfgOrClient instanceof DynamoDBClient ? cfgOrClient : dynamoClient(cfgOrClient);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function s3Client(cfg: ClientConfig = {}): S3Client {
  const endpoint = cfg.endpoints?.s3;
  const base = baseOptions(cfg, endpoint, S3RVER_CREDENTIALS);
  if (endpoint === undefined) return new S3Client(base);
  return new S3Client({
    ...base,
    // s3rver only understands path-style addressing (no bucket subdomains on 127.0.0.1).
    forcePathStyle: true,
    // s3rver predates the SDK's default CRC32 flexible checksums and
    // aws-chunked streaming uploads; only send/validate checksums when the
    // operation requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function cloudWatchClient(cfg: ClientConfig = {}): CloudWatchClient {
  return new CloudWatchClient(baseOptions(cfg, cfg.endpoints?.cloudwatch, LOCAL_CREDENTIALS));
}

/** Reads the client config from the environment; empty variables count as unset. */
export function clientConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const endpoints: { kinesis?: string; dynamodb?: string; s3?: string; cloudwatch?: string } = {};
  const kinesis = read('CM_KINESIS_ENDPOINT');
  const dynamodb = read('CM_DYNAMODB_ENDPOINT');
  const s3 = read('CM_S3_ENDPOINT');
  const cloudwatch = read('CM_CLOUDWATCH_ENDPOINT');
  if (kinesis !== undefined) endpoints.kinesis = kinesis;
  if (dynamodb !== undefined) endpoints.dynamodb = dynamodb;
  if (s3 !== undefined) endpoints.s3 = s3;
  if (cloudwatch !== undefined) endpoints.cloudwatch = cloudwatch;
  const region = read('AWS_REGION');
  return {
    ...(region === undefined ? {} : { region }),
    ...(Object.keys(endpoints).length === 0 ? {} : { endpoints }),
  };
}

export interface AwsClients {
  readonly kinesis: KinesisClient;
  readonly dynamodb: DynamoDBClient;
  readonly dynamoDocument: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly cloudWatch: CloudWatchClient;
  /** Releases sockets of the clients that were built (tests and CLI; Lambda never needs it). */
  destroy(): void;
}

/**
 * A set of clients built on first use and reused afterwards, so a handler
 * module can hold one `awsClients(clientConfigFromEnv())` at module scope
 * without paying for clients it never touches.
 */
export function awsClients(cfg: ClientConfig = {}): AwsClients {
  let kinesis: KinesisClient | undefined;
  let dynamodb: DynamoDBClient | undefined;
  let dynamoDocument: DynamoDBDocumentClient | undefined;
  let s3: S3Client | undefined;
  let cloudWatch: CloudWatchClient | undefined;
  const getDynamo = (): DynamoDBClient => (dynamodb ??= dynamoClient(cfg));
  return {
    get kinesis() {
      return (kinesis ??= kinesisClient(cfg));
    },
    get dynamodb() {
      return getDynamo();
    },
    get dynamoDocument() {
      return (dynamoDocument ??= dynamoDocumentClient(getDynamo()));
    },
    get s3() {
      return (s3 ??= s3Client(cfg));
    },
    get cloudWatch() {
      return (cloudWatch ??= cloudWatchClient(cfg));
    },
    destroy() {
      // The document client shares the DynamoDB client's handler; destroying the base is enough.
      for (const client of [kinesis, dynamodb, s3, cloudWatch]) client?.destroy();
    },
  };
}
