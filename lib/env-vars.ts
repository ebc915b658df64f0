/**
 * Names of the environment variables the infrastructure sets on the Lambda
 * functions. The handlers read the same names
 * (lambdas/handlers/runtime.ts, report-scheduler.ts, ...); keep the two in step.
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
  /** CloudWatch namespace of the project's own metrics (catalog: lambdas/domain/realtime/cloudwatch-catalog.ts). */
  metricsNamespace: 'METRICS_NAMESPACE',
  /** Name of the S3 bucket scheduled reports are written to. */
  reportsBucket: 'REPORTS_BUCKET',
  /** First segment(s) of every report's S3 key: `<prefix>/Reports/...` (`connect/<instance alias>` by default). */
  reportsKeyPrefix: 'REPORTS_KEY_PREFIX',
  /**
   * Service-level threshold (seconds) the real-time publisher measures each
   * queue's ServiceLevel at, as JSON: `{"default":60,"queues":{"Sales":20}}`.
   */
  slThresholdsJson: 'SL_THRESHOLDS_JSON',
} as const;
