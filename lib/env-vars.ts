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
  /**
   * CloudWatch namespace of the project's own metrics (catalog:
   * lambdas/domain/realtime/cloudwatch-catalog.ts), one per deployment:
   * `ConnectMetrics/<instancePrefix>` by default. Set on every function.
   */
  metricsNamespace: 'METRICS_NAMESPACE',
  /** Name of the S3 bucket scheduled reports are written to. */
  reportsBucket: 'REPORTS_BUCKET',
  /** First segment(s) of every report's S3 key: `<prefix>/Reports/...` (`connect/<instance alias>` by default). */
  reportsKeyPrefix: 'REPORTS_KEY_PREFIX',
  /** Hours after a run's scheduled time during which its report is corrected for late data (`reports.correctionWindowHours`); 0 disables. */
  reportCorrectionWindowHours: 'REPORT_CORRECTION_WINDOW_HOURS',
  /**
   * Service-level threshold (seconds) the real-time publisher measures each
   * listed queue's ServiceLevel at, as a JSON object of queue name → seconds:
   * `{"Sales":20,"Support":60}` (parseSlThresholds in lambdas/realtime/publisher.ts).
   * Queues not listed are measured at 60 seconds.
   */
  slThresholdsJson: 'SL_THRESHOLDS_JSON',
  /**
   * Name of the S3 bucket large dead-lettered payloads are kept in, under
   * `dead-letters/` (the functions may put objects there and nowhere else).
   */
  deadLetterBucket: 'DEAD_LETTER_BUCKET',
} as const;

/** Key prefix of dead-lettered payloads in the dead-letter bucket. */
export const DEAD_LETTER_KEY_PREFIX = 'dead-letters/';
