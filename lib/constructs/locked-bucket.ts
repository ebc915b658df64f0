import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The settings every bucket this project creates shares: encrypted at rest,
 * no public access, owner-enforced objects, TLS 1.2 only, retained by default.
 */
export function lockedBucketProps(removalPolicy: RemovalPolicy = RemovalPolicy.RETAIN) {
  return {
    // S3 server access logs can only be delivered to SSE-S3 buckets, so both use it.
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy,
  } satisfies s3.BucketProps;
}
