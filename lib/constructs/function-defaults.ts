import { existsSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../env-vars.js';
import { REPO_ROOT, repoPath, resolveRepoPath } from '../paths.js';

/**
 * Makes `require` exist inside the ESM bundle, so CommonJS dependencies that
 * call `require('node:...')` keep working after esbuild inlines them.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface MetricsFunctionProps {
  /**
   * The handler module, relative to the repository root
   * (for example `lambdas/handlers/ctr-stream.ts`).
   */
  readonly entry: string;

  /**
   * Exported name of the handler function in `entry`.
   *
   * @default 'handler'
   */
  readonly handler?: string;

  /** @default - no description */
  readonly description?: string;

  /**
   * Value of `POWERTOOLS_SERVICE_NAME`, which Powertools puts on every log line.
   *
   * @default 'connect-metrics'
   */
  readonly serviceName?: string;

  /**
   * Memory in MB (128–10240). CPU share grows with memory, and bundled SDK
   * start-up is CPU-bound, so this is well above the Lambda minimum.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * At most 15 minutes.
   *
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;

  /**
   * How long the function's log group keeps log events.
   *
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the log group when the function is removed from the stack.
   * Events still expire after `logRetention` when the group is kept.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * Concurrency reserved for (and capping) this function.
   *
   * @default - no reservation: the function shares the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Extra environment variables, added to the defaults.
   *
   * @default - only the defaults
   */
  readonly environment?: Readonly<Record<string, string>>;

  /**
   * Files copied into the bundle, next to the handler, after esbuild has run:
   * data the handler reads at run time (for example its configuration). They
   * are part of the asset, so changing one redeploys the function.
   *
   * @default - none
   */
  readonly bundledFiles?: readonly BundledFile[];
}

/** A file to copy into a function's bundle. */
export interface BundledFile {
  /** The file to copy: relative to the repository root, or absolute. */
  readonly source: string;
  /** Its name in the bundle, next to the handler (a plain file name). */
  readonly fileName: string;
}

/**
 * The one place that says how this project's Lambda functions are built and
 * run: Node.js 22 on Graviton, ESM bundle with the AWS SDK v3 inside (so the
 * SDK version is the one pinned in package-lock.json, not whatever the runtime
 * ships), source maps, active tracing, and an explicit log group with a
 * retention period (instead of the `logRetention` custom resource, which adds
 * a singleton Lambda function to every stack), which the function's role may
 * write to and nothing else.
 */
export class MetricsFunction extends Construct {
  public readonly fn: nodejs.NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MetricsFunctionProps) {
    super(scope, id);
    validate(props);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // Our own role instead of the default one with AWSLambdaBasicExecutionRole,
    // whose log permissions cover every log group in the account (`Resource: "*"`):
    // this function only ever writes to its own.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      role: this.role,
      entry: repoPath(props.entry),
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(60),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      projectRoot: REPO_ROOT,
      depsLockFilePath: repoPath('package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.powertoolsServiceName]: props.serviceName ?? 'connect-metrics',
        ...props.environment,
      },
      bundling: {
        // Local esbuild from node_modules; never Docker (CI and developers have none).
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: nodejs.OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        // Prefer packages' ESM builds: they tree-shake far better (the SDK in particular).
        mainFields: ['module', 'main'],
        // Bundle everything, the AWS SDK v3 included.
        externalModules: [],
        commandHooks: copyIntoBundle(props.bundledFiles ?? []),
      },
    });

    // Findings of the AWS Solutions checks (cdk-nag) that are decisions, not oversights.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which take no resource ARN',
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the pinned runtime (and the esbuild target); moving to a newer one is a deliberate, tested change',
    });
  }
}

/**
 * Command hooks that copy `files` into the bundle's output directory. Local
 * bundling runs them with bash (cmd on Windows), from the project root.
 */
function copyIntoBundle(files: readonly BundledFile[]): nodejs.ICommandHooks | undefined {
  if (files.length === 0) return undefined;
  const quote = (p: string) => `"${p}"`;
  const copy = process.platform === 'win32' ? 'copy /Y' : 'cp';
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      files.map((file) => `${copy} ${quote(resolveRepoPath(file.source))} ${quote(path.join(outputDir, file.fileName))}`),
  };
}

function validate(props: MetricsFunctionProps): void {
  if (path.isAbsolute(props.entry) || props.entry.split(/[\\/]/).includes('..')) {
    throw new Error(`MetricsFunction: entry must be a path inside the repository, relative to its root; got "${props.entry}"`);
  }
  const memory = props.memorySize;
  if (memory !== undefined && !Token.isUnresolved(memory) && (!Number.isInteger(memory) || memory < 128 || memory > 10_240)) {
    throw new Error(`MetricsFunction: memorySize must be a whole number of MB from 128 to 10240; got ${memory}`);
  }
  const timeout = props.timeout;
  if (timeout !== undefined && !timeout.isUnresolved()) {
    const seconds = timeout.toSeconds();
    if (seconds < 1 || seconds > 900) {
      throw new Error(`MetricsFunction: timeout must be from 1 second to 15 minutes; got ${timeout.toHumanString()}`);
    }
  }
  for (const file of props.bundledFiles ?? []) {
    if (!/^[A-Za-z0-9._-]+$/.test(file.fileName) || file.fileName === '.' || file.fileName === '..' || file.fileName.startsWith('index.')) {
      throw new Error(`MetricsFunction: bundled file name must be a plain file name (letters, digits, '.', '_', '-') other than the handler's index.*; got "${file.fileName}"`);
    }
    if (file.source.includes('"') || !existsSync(resolveRepoPath(file.source))) {
      throw new Error(`MetricsFunction: bundled file "${file.source}" does not exist (paths are relative to the repository root)`);
    }
  }
  const reserved = props.reservedConcurrentExecutions;
  if (reserved !== undefined && !Token.isUnresolved(reserved) && (!Number.isInteger(reserved) || reserved < 0)) {
    throw new Error(`MetricsFunction: reservedConcurrentExecutions must be a whole number ≥ 0; got ${reserved}`);
  }
}
