import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '../env-vars.js';

/** Attribute holding the expiry time (epoch seconds) that DynamoDB TTL reads. */
export const TTL_ATTRIBUTE = 'ttl';

export interface MetricsTableProps {
  /**
   * Customer-managed KMS key to encrypt the table with.
   *
   * @default - the AWS-managed key for DynamoDB (`aws/dynamodb`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the table (and its data) when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Refuse `DeleteTable` calls, from CloudFormation or anyone else.
   *
   * @default - true when `removalPolicy` is RETAIN, false otherwise (so a
   * table meant to be destroyed with its stack can be)
   */
  readonly deletionProtection?: boolean;
}

const READ_ACTIONS: ReadonlySet<string> = new Set(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);

/**
 * The DynamoDB calls each function's code makes (lambdas/storage/dynamodb):
 * - ingestion (both stream consumers): the metric store's batch reads, the
 *   query of an agent's pages, conditional puts, batch puts (dictionary, dead
 *   letters) and attribute updates (contact links, late-change markers);
 *   test/cdk/table-access.test.ts records what the handlers send;
 * - scheduler: the store's reads, the late-change markers, the run ledger
 *   (get, conditional put and update, query), and the batch puts that
 *   complete the entity name index once on a table written before it
 *   (dictionary.ts); test/cdk/table-access.test.ts records what reports send;
 * - publisher: reads only;
 * - contactEvents: the contact-event store (get, conditional put, delete, batch put).
 */
export const TABLE_ACCESS = {
  ingestion: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  scheduler: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
  publisher: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
  contactEvents: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
} as const satisfies Record<string, readonly string[]>;
export type TableAccess = keyof typeof TABLE_ACCESS;

/**
 * The single table every aggregate is stored in (single-table design: `pk`
 * and `sk` are strings the storage adapter composes). On-demand capacity,
 * point-in-time recovery, encryption at rest and TTL on `ttl`.
 *
 * Functions get access through `bind(fn, access)`, which grants the
 * IAM permissions and set `TABLE_NAME` together, so a function never has the
 * name without the permission or the other way round.
 */
export class MetricsTable extends Construct {
  public readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: MetricsTableProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (props.deletionProtection === true && removalPolicy === RemovalPolicy.DESTROY) {
      throw new Error('MetricsTable: deletionProtection cannot be true when removalPolicy is DESTROY: the stack could never delete the table');
    }

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(props.encryptionKey === undefined
        ? { encryption: dynamodb.TableEncryption.AWS_MANAGED }
        : { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }),
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy,
      deletionProtection: props.deletionProtection ?? removalPolicy === RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets `fn` make exactly the DynamoDB calls its code makes (TABLE_ACCESS),
   * with the key's use when the table has a customer-managed key, and sets
   * `TABLE_NAME` on it.
   */
  public bind(fn: lambda.Function, access: TableAccess): iam.Grant {
    fn.addEnvironment(ENV.tableName, this.table.tableName);
    const actions = TABLE_ACCESS[access];
    const writes = actions.some((a) => !READ_ACTIONS.has(a));
    if (writes) this.table.encryptionKey?.grantEncryptDecrypt(fn);
    else this.table.encryptionKey?.grantDecrypt(fn);
    return this.table.grant(fn, ...actions);
  }
}
