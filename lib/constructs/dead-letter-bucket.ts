import { Duration, FeatureFlags, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { lockedBucketProps } from './locked-bucket.js';
import { Construct } from 'constructs';
import { DEAD_LETTER_KEY_PREFIX, ENV } from '../env-vars.js';
import { acknowledgeWildcardResource } from '../nag-findings.js';

export interface DeadLetterBucketProps {
  /**
   * How long a dead-lettered payload is kept before S3 deletes it (whole days).
   *
   * @default Duration.days(90)
   */
  readonly retention?: Duration;

  /**
   * Where S3 server access logs of the bucket go (under `dead-letter-bucket/`).
   *
   * @default - a new access-log bucket, keeping logs `accessLogRetention`
   */
  readonly accessLogBucket?: s3.IBucket;

  /**
   * How long the access logs of a new access-log bucket are kept. Only without `accessLogBucket`.
   *
   * @default Duration.days(90)
   */
  readonly accessLogRetention?: Duration;

  /**
   * What happens to the bucket (and the payloads in it) when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Where dead-lettered records too large for a DynamoDB item are kept, under
 * `dead-letters/`, so that a poison record of any size can be set aside
 * (and redriven later) instead of failing its batch. Encrypted (SSE-S3),
 * TLS-only, private, not versioned (a payload is written once), and emptied
 * by a lifecycle rule after the retention period.
 *
 * Writers get access through `bindWriter`, which grants s3:PutObject under
 * the prefix and sets `DEAD_LETTER_BUCKET` together.
 */
export class DeadLetterBucket extends Construct {
  public readonly bucket: s3.Bucket;
  /** The access-log bucket created for it; undefined when one was given. */
  public readonly accessLogBucket?: s3.Bucket;
  /** Key prefix of every dead-lettered payload. */
  public readonly keyPrefix = DEAD_LETTER_KEY_PREFIX;

  constructor(scope: Construct, id: string, props: DeadLetterBucketProps = {}) {
    super(scope, id);
    const retention = props.retention ?? Duration.days(90);
    const fail = (message: string): never => {
      throw new Error(`DeadLetterBucket: ${message}`);
    };
    for (const [name, value] of [['retention', retention], ['accessLogRetention', props.accessLogRetention]] as const) {
      if (value === undefined || value.isUnresolved()) continue;
      const days = value.toDays({ integral: false });
      if (!Number.isInteger(days) || days < 1) fail(`${name} must be a whole number of days ≥ 1; got ${value.toHumanString()}`);
    }
    if (props.accessLogBucket !== undefined && props.accessLogRetention !== undefined) fail('accessLogRetention applies only to a new access-log bucket; remove it or accessLogBucket');

    const locked = lockedBucketProps(props.removalPolicy);

    let accessLogBucket = props.accessLogBucket;
    if (accessLogBucket === undefined) {
      const logsByPolicy = FeatureFlags.of(this).isEnabled(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY) === true;
      this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
        ...locked,
        objectOwnership: logsByPolicy ? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED : s3.ObjectOwnership.OBJECT_WRITER,
        lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: props.accessLogRetention ?? Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      });
      Validations.of(this.accessLogBucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason: 'This bucket receives the server access logs of the dead-letter bucket; logging access to it as well would need another log bucket, and so on',
      });
      accessLogBucket = this.accessLogBucket;
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...locked,
      versioned: false,
      serverAccessLogsBucket: accessLogBucket,
      serverAccessLogsPrefix: 'dead-letter-bucket/',
      lifecycleRules: [{ id: 'ExpireDeadLetters', expiration: retention, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
  }

  /** Lets `fn` put dead-lettered payloads under `dead-letters/` (and nothing else), and sets `DEAD_LETTER_BUCKET` on it. */
  public bindWriter(fn: lambda.Function): void {
    fn.addEnvironment(ENV.deadLetterBucket, this.bucket.bucketName);
    const objects = this.bucket.arnForObjects(`${this.keyPrefix}*`);
    fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'WriteDeadLetters', actions: ['s3:PutObject'], resources: [objects] }));
    if (fn.role !== undefined) {
      acknowledgeWildcardResource(fn.role, objects, `Dead-letter keys are made per record; the grant covers the bucket's ${this.keyPrefix} prefix and nothing else`);
    }
  }
}
