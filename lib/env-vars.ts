/**
 * Names of the environment variables the infrastructure sets on the Lambda
 * functions. The handlers read the same names
 * (lambdas/handlers/runtime.ts); keep the two in step.
 */
export const ENV = {
  /** Name of the DynamoDB table that holds every aggregate. */
  tableName: 'TABLE_NAME',
  /** Which stream a handler consumes: `ctr` or `agent-events`. */
  source: 'SOURCE',
  /** Days an aggregate is kept before DynamoDB TTL removes it (the store sets `ttl` from it). */
  retentionDays: 'RETENTION_DAYS',
  /** Service name Powertools puts on every log line, metric and trace. */
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
} as const;
