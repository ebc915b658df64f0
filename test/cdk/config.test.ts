import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { ConfigError, LOG_RETENTION_DAYS, loadConfig, MAX_QUEUES, parseConfig } from '../../lib/config.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { newApp, newOutdir, synth } from './synth.js';

const CTR_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/ctr';
const AGENT_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/agent-events';
const INSTANCE_ARN = 'arn:aws:connect:eu-west-1:123456789012:instance/12345678-aaaa-bbbb-cccc-123456789012';
const SL_THRESHOLD_PROBLEM = 'expected one of the service-level thresholds Amazon Connect offers, in seconds: 15, 20, 25, 30, 45, 60, 90, 120, 180, 240, 300, 600';

/** A report-definitions file with `content`, in a fresh directory removed after the tests; returns its absolute path. */
function definitionsFile(content: string): string {
  const file = path.join(newOutdir(), 'reports.json');
  writeFileSync(file, content);
  return file;
}

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills in every default from nothing', () => {
    expect(parseConfig(undefined)).toEqual({
      instancePrefix: 'connect-metrics',
      streams: { mode: 'create', capacityMode: 'provisioned', shardCount: 1, retentionHours: 24 },
      retentionDays: 400,
      logRetentionDays: 30,
      terminationProtection: true,
      ingestion: { batchSize: 1000, maxBatchingWindowSeconds: 5, retryAttempts: 10, maxRecordAgeHours: 6 },
      reports: {
        definitionsFile: 'config/reports.json',
        bucket: { mode: 'create', reportRetentionDays: 365, accessLogRetentionDays: 90 },
        instanceAlias: 'connect-metrics',
        keyPrefix: 'connect/connect-metrics',
        correctionWindowHours: 24,
      },
      deadLetters: { retentionDays: 90 },
      monitoring: {
        metricsNamespace: 'ConnectMetrics/connect-metrics',
        contactEvents: true,
        contactEventsConcurrency: 10,
        agentEventMaxAgeSeconds: 300,
        defaults: { serviceLevelTarget: 80, serviceLevelThresholdSeconds: 60, abandonRateMax: 10, oldestContactMaxSeconds: 120, evaluationPeriods: 3 },
        queues: {},
      },
    });
  });

  it('gives each listed queue the defaults for the settings it leaves out', () => {
    const { monitoring } = parseConfig({
      monitoring: { defaults: { abandonRateMax: 5 }, queues: { Sales: { serviceLevelTarget: 90, serviceLevelThresholdSeconds: 20 }, Support: {} } },
    });
    expect(monitoring.queues).toEqual({
      Sales: { serviceLevelTarget: 90, serviceLevelThresholdSeconds: 20, abandonRateMax: 5, oldestContactMaxSeconds: 120, evaluationPeriods: 3 },
      Support: { serviceLevelTarget: 80, serviceLevelThresholdSeconds: 60, abandonRateMax: 5, oldestContactMaxSeconds: 120, evaluationPeriods: 3 },
    });
  });

  it('imports the reports bucket given by name, with or without mode', () => {
    const expected = { mode: 'import', bucketName: 'acme-reports' };
    expect(parseConfig({ reports: { bucket: { bucketName: 'acme-reports' } } }).reports.bucket).toEqual(expected);
    expect(parseConfig({ reports: { bucket: { mode: 'import', bucketName: 'acme-reports' } } }).reports.bucket).toEqual(expected);
  });

  it('keeps given settings and defaults the rest of their object', () => {
    const config = parseConfig({ streams: { mode: 'create', shardCount: 4 }, ingestion: { batchSize: 200 } });
    expect(config.streams).toEqual({ mode: 'create', capacityMode: 'provisioned', shardCount: 4, retentionHours: 24 });
    expect(config.ingestion).toEqual({ batchSize: 200, maxBatchingWindowSeconds: 5, retryAttempts: 10, maxRecordAgeHours: 6 });
    // Set, it applies to both streams; unset, each stream has its own default (StreamIngestion).
    expect(parseConfig({ ingestion: { parallelizationFactor: 3 } }).ingestion.parallelizationFactor).toBe(3);
  });

  it('has no shard count for on-demand streams', () => {
    expect(parseConfig({ streams: { capacityMode: 'on-demand' } }).streams).toEqual({ mode: 'create', capacityMode: 'on-demand', retentionHours: 24 });
  });

  it('imports streams given by ARN, with or without mode', () => {
    const expected = { mode: 'import', ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, retentionHours: 24 };
    expect(parseConfig({ streams: { mode: 'import', ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN } }).streams).toEqual(expected);
    expect(parseConfig({ streams: { ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN } }).streams).toEqual(expected);
  });

  it('offers only retention periods CloudWatch Logs has', () => {
    const known = new Set<unknown>(Object.values(RetentionDays));
    expect(LOG_RETENTION_DAYS.filter((days) => !known.has(days))).toEqual([]);
  });

  it('puts the instance prefix in the default metrics namespace, so each deployment has its own', () => {
    expect(parseConfig({ instancePrefix: 'east' }).monitoring.metricsNamespace).toBe('ConnectMetrics/east');
    expect(parseConfig({ instancePrefix: 'west' }).monitoring.metricsNamespace).toBe('ConnectMetrics/west');
    expect(parseConfig({ instancePrefix: 'west', monitoring: { metricsNamespace: 'Acme/west' } }).monitoring.metricsNamespace).toBe('Acme/west');
  });

  it('takes the KMS key of imported streams', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';
    expect(parseConfig({ streams: { ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, encryptionKeyArn: key } }).streams).toMatchObject({ mode: 'import', encryptionKeyArn: key });
  });

  describe('rejects bad settings, naming each by its path', () => {
    it.each([
      [
        { streams: { mode: 'import', ctrStreamArn: 'my-stream', agentEventStreamArn: AGENT_ARN } },
        'connectMetrics.streams.ctrStreamArn: expected an ARN of a Kinesis stream (arn:aws:kinesis:<region>:<account>:stream/<name>)',
      ],
      [
        { streams: { ctrStreamArn: CTR_ARN } },
        'connectMetrics.streams.agentEventStreamArn: expected an ARN of a Kinesis stream (arn:aws:kinesis:<region>:<account>:stream/<name>)',
      ],
      [{ streams: { mode: 'copy' } }, "connectMetrics.streams.mode: expected mode 'create' or 'import'"],
      [{ streams: { mode: 'import', ctrStreamArn: CTR_ARN, agentEventStreamArn: CTR_ARN } }, 'connectMetrics.streams.agentEventStreamArn: must be a different stream from ctrStreamArn'],
      [{ streams: { mode: 'create', shardCount: 0 } }, 'connectMetrics.streams.shardCount: expected a whole number from 1 to 500'],
      [{ streams: { capacityMode: 'on-demand', shardCount: 2 } }, "connectMetrics.streams.shardCount: applies only to capacityMode 'provisioned'; remove it"],
      [{ streams: { mode: 'import', ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, shardCount: 1 } }, 'connectMetrics.streams: unknown setting "shardCount"'],
      [{ ingestion: { batchSize: 20_000 } }, 'connectMetrics.ingestion.batchSize: expected a whole number from 1 to 10000'],
      [{ ingestion: { parallelizationFactor: 11 } }, 'connectMetrics.ingestion.parallelizationFactor: expected a whole number from 1 to 10'],
      [{ ingestion: { retryAttempts: -1 } }, 'connectMetrics.ingestion.retryAttempts: expected a whole number from 0 to 10000'],
      [{ ingestion: { batchsize: 10 } }, 'connectMetrics.ingestion: unknown setting "batchsize"'],
      [
        { ingestion: { maxRecordAgeHours: 24 } },
        'connectMetrics.ingestion.maxRecordAgeHours: must be less than the stream retention (streams.retentionHours = 24), so records given up on can still be replayed from the stream',
      ],
      [{ retentionDays: 1.5 }, 'connectMetrics.retentionDays: expected a whole number from 1 to 3650'],
      [{ logRetentionDays: 31 }, expect.stringMatching(/^connectMetrics\.logRetentionDays: expected one of the CloudWatch Logs retention periods in days: 1, 3, 5/)],
      [{ instancePrefix: 'Connect_Metrics' }, expect.stringMatching(/^connectMetrics\.instancePrefix: expected 1–40 lower-case letters/)],
      [{ terminationProtection: 'yes' }, 'connectMetrics.terminationProtection: expected true or false'],
      [{ monitoring: { queues: { Sales: { serviceLevelThresholdSeconds: 50 } } } }, `connectMetrics.monitoring.queues.Sales.serviceLevelThresholdSeconds: ${SL_THRESHOLD_PROBLEM}`],
      [{ monitoring: { defaults: { serviceLevelThresholdSeconds: '60' } } }, `connectMetrics.monitoring.defaults.serviceLevelThresholdSeconds: ${SL_THRESHOLD_PROBLEM}`],
      [{ monitoring: { queues: { Sales: { serviceLevelTarget: 120 } } } }, 'connectMetrics.monitoring.queues.Sales.serviceLevelTarget: expected a percentage above 0 and at most 100'],
      [{ monitoring: { queues: { Sales: { serviceLevelTarget: 0 } } } }, 'connectMetrics.monitoring.queues.Sales.serviceLevelTarget: expected a percentage above 0 and at most 100'],
      [{ monitoring: { defaults: { abandonRateMax: 100 } } }, 'connectMetrics.monitoring.defaults.abandonRateMax: expected a percentage from 0 to below 100'],
      [{ monitoring: { queues: { Sales: { oldestContactMaxSeconds: 0 } } } }, 'connectMetrics.monitoring.queues.Sales.oldestContactMaxSeconds: expected a whole number from 1 to 86400'],
      [{ monitoring: { queues: { Sales: { evaluationPeriods: 300 } } } }, 'connectMetrics.monitoring.queues.Sales.evaluationPeriods: expected a whole number from 1 to 288'],
      [{ monitoring: { queues: { Sales: { target: 80 } } } }, 'connectMetrics.monitoring.queues.Sales: unknown setting "target"'],
      [{ monitoring: { queues: ['Sales'] } }, 'connectMetrics.monitoring.queues: expected an object of queue name → thresholds'],
      [
        { monitoring: { queues: Object.fromEntries(Array.from({ length: MAX_QUEUES + 1 }, (_, i) => [`Q${i}`, {}])) } },
        `connectMetrics.monitoring.queues: at most ${MAX_QUEUES} queues`,
      ],
      [
        { monitoring: { queues: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${'Q'.repeat(200)}${i}`, {}])) } },
        expect.stringMatching(/^connectMetrics\.monitoring\.queues: the queue names take \d+ characters of the publisher's environment \(at most 3000\)/),
      ],
      [{ monitoring: { alarmEmail: 'ops' } }, 'connectMetrics.monitoring.alarmEmail: expected an e-mail address'],
      [{ monitoring: { metricsNamespace: 'AWS/Connect' } }, expect.stringMatching(/^connectMetrics\.monitoring\.metricsNamespace: expected a CloudWatch namespace/)],
      [{ monitoring: { connectInstanceArn: 'my-instance' } }, expect.stringMatching(/^connectMetrics\.monitoring\.connectInstanceArn: expected the ARN of an Amazon Connect instance/)],
      [
        { monitoring: { contactEvents: false, connectInstanceArn: INSTANCE_ARN } },
        'connectMetrics.monitoring.connectInstanceArn: only filters contact events, and contactEvents is false; remove it',
      ],
      [{ monitoring: { contactEventsConcurrency: 0 } }, 'connectMetrics.monitoring.contactEventsConcurrency: expected a whole number from 1 to 1000'],
      [{ monitoring: { agentEventMaxAgeSeconds: 120 } }, expect.stringMatching(/^connectMetrics\.monitoring\.agentEventMaxAgeSeconds: .*HEART_BEAT event every 120 seconds/)],
      [{ reports: { bucket: { bucketName: 'Acme_Reports' } } }, 'connectMetrics.reports.bucket.bucketName: expected an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)'],
      [{ reports: { bucket: { mode: 'import' } } }, 'connectMetrics.reports.bucket.bucketName: expected an S3 bucket name (3–63 lower-case letters, digits, dots and hyphens)'],
      [{ reports: { bucket: { bucketName: 'acme-reports', reportRetentionDays: 400 } } }, 'connectMetrics.reports.bucket: unknown setting "reportRetentionDays"'],
      [
        { reports: { bucket: { reportRetentionDays: 90 } } },
        'connectMetrics.reports.bucket.reportRetentionDays: expected a whole number of days from 91 to 36500 (reports move to Infrequent Access after 90 days)',
      ],
      [{ reports: { bucket: { bucketName: 'acme-reports', encryptionKeyArn: 'alias/reports' } } }, expect.stringMatching(/^connectMetrics\.reports\.bucket\.encryptionKeyArn: expected the ARN of a KMS key/)],
      [{ reports: { definitionsFile: '' } }, 'connectMetrics.reports.definitionsFile: expected a path'],
      [
        { monitoring: { metricsNamespace: 'ConnectMetrics' } },
        'connectMetrics.monitoring.metricsNamespace: must end with "/connect-metrics" (the instancePrefix), so no other deployment in the account shares it; the default is "ConnectMetrics/connect-metrics"',
      ],
      [
        { streams: { ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, encryptionKeyArn: 'alias/aws/kinesis' } },
        'connectMetrics.streams.encryptionKeyArn: expected the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>)',
      ],
      [{ streams: { mode: 'create', encryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9' } }, 'connectMetrics.streams: unknown setting "encryptionKeyArn"'],
      [{ deadLetters: { retentionDays: 0 } }, 'connectMetrics.deadLetters.retentionDays: expected a whole number from 1 to 3650'],
      [{ deadLetters: { retention: 30 } }, 'connectMetrics.deadLetters: unknown setting "retention"'],
      ['streams', 'connectMetrics: expected an object'],
    ])('%j', (raw, problem) => {
      expect(problemsOf(raw)).toEqual([problem]);
    });

    it('reports every problem at once', () => {
      expect(problemsOf({ retentionDays: 0, ingestion: { batchSize: 0 } })).toEqual([
        'connectMetrics.retentionDays: expected a whole number from 1 to 3650',
        'connectMetrics.ingestion.batchSize: expected a whole number from 1 to 10000',
      ]);
    });
  });
});

describe('the report-definitions file', () => {
  it('is read and validated: every problem is reported, naming the setting and the file', () => {
    const file = definitionsFile(
      JSON.stringify({
        reports: [
          { name: 'queues', type: 'HISTORICAL', groupings: ['QUEUE'], metrics: ['Occupancy'], timeRange: 'YESTERDAY', schedule: { frequency: 'DAILY' } },
          { name: 'audit', type: 'AGENT_ACTIVITY_AUDIT', metrics: ['Contacts handled'] },
        ],
      }),
    );
    const problems = problemsOf({ reports: { definitionsFile: file } });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(new RegExp(`^connectMetrics\\.reports\\.definitionsFile: "${file}": reports\\[0\\] "queues"\\.metrics\\[0\\]: "Occupancy" cannot be grouped by QUEUE`));
    expect(problems[1]).toBe(
      `connectMetrics.reports.definitionsFile: "${file}": reports[1] "audit".metrics: not allowed: an AGENT_ACTIVITY_AUDIT report has fixed columns, one row per status or contact-state change per agent and day`,
    );
  });

  it('must be JSON', () => {
    const file = definitionsFile('{ "reports": [ }');
    expect(problemsOf({ reports: { definitionsFile: file } })).toEqual([expect.stringMatching(new RegExp(`^connectMetrics\\.reports\\.definitionsFile: ".*": \\(file\\): not valid JSON`))]);
  });

  it('must exist (relative paths are from the repository root)', () => {
    expect(problemsOf({ reports: { definitionsFile: 'config/no-such-reports.json' } })).toEqual([
      expect.stringMatching(/^connectMetrics\.reports\.definitionsFile: cannot read "config\/no-such-reports\.json" \(ENOENT/),
    ]);
  });

  it('is checked along with the other settings, so every problem shows at once', () => {
    const file = definitionsFile('[]');
    expect(problemsOf({ retentionDays: 0, reports: { definitionsFile: file } })).toEqual([
      'connectMetrics.retentionDays: expected a whole number from 1 to 3650',
      `connectMetrics.reports.definitionsFile: "${file}": (file): must be an object { "reports": [...] } (got [])`,
    ]);
  });

  it('is config/reports.json by default, and that one is valid', () => {
    expect(parseConfig({}).reports.definitionsFile).toBe('config/reports.json');
  });
});

describe('reports.correctionWindowHours', () => {
  it('is 24 hours by default; 0 disables corrections', () => {
    expect(parseConfig({}).reports.correctionWindowHours).toBe(24);
    expect(parseConfig({ reports: { correctionWindowHours: 0 } }).reports.correctionWindowHours).toBe(0);
    expect(parseConfig({ reports: { correctionWindowHours: 72 } }).reports.correctionWindowHours).toBe(72);
  });

  it.each([[-1], [1.5], [2161], ['24']])('refuses %j, naming the setting', (value) => {
    expect(problemsOf({ reports: { correctionWindowHours: value } })).toEqual(['connectMetrics.reports.correctionWindowHours: expected a whole number from 0 to 2160']);
  });

  it('reaches the report scheduler as REPORT_CORRECTION_WINDOW_HOURS', () => {
    const { pipeline } = synth({ reports: { correctionWindowHours: 6 } });
    const values = Object.values(pipeline.findResources('AWS::Lambda::Function'))
      .map((f) => f.Properties?.Environment?.Variables?.REPORT_CORRECTION_WINDOW_HOURS as unknown)
      .filter((v) => v !== undefined);
    expect(values).toEqual(['6']);
  });
});

describe('reports.instanceAlias and reports.keyPrefix', () => {
  it('default to the instance prefix and connect/<alias>, as Amazon Connect writes scheduled reports', () => {
    const { reports } = parseConfig({ instancePrefix: 'acme' });
    expect([reports.instanceAlias, reports.keyPrefix]).toEqual(['acme', 'connect/acme']);
  });

  it('derive the key prefix from an alias that is given', () => {
    const { reports } = parseConfig({ reports: { instanceAlias: 'MyConnect-1' } });
    expect([reports.instanceAlias, reports.keyPrefix]).toEqual(['MyConnect-1', 'connect/MyConnect-1']);
  });

  it('take a key prefix as given', () => {
    expect(parseConfig({ reports: { instanceAlias: 'x', keyPrefix: 'exports/connect/x' } }).reports.keyPrefix).toBe('exports/connect/x');
  });

  const KEY_PREFIX_PROBLEM = "connectMetrics.reports.keyPrefix: expected key segments separated by single '/' (no leading or trailing '/', no '.' or '..'), of letters, digits and ! - _ . ' ( )";
  it.each<[string, unknown, string]>([
    ['a leading slash', { keyPrefix: '/connect/x' }, KEY_PREFIX_PROBLEM],
    ['a trailing slash', { keyPrefix: 'connect/x/' }, KEY_PREFIX_PROBLEM],
    ['a ".." segment', { keyPrefix: 'connect/../x' }, KEY_PREFIX_PROBLEM],
    ['a "*" (it would widen the scheduler’s IAM grant)', { keyPrefix: 'connect/*' }, KEY_PREFIX_PROBLEM],
    ['a space', { keyPrefix: 'connect/my alias' }, KEY_PREFIX_PROBLEM],
    ['an alias with an underscore', { instanceAlias: 'my_alias' }, 'connectMetrics.reports.instanceAlias: expected an Amazon Connect instance alias: 1–62 letters, digits and hyphens, not starting or ending with a hyphen'],
    ['an alias ending with a hyphen', { instanceAlias: 'alias-' }, 'connectMetrics.reports.instanceAlias: expected an Amazon Connect instance alias: 1–62 letters, digits and hyphens, not starting or ending with a hyphen'],
  ])('reject %s', (_what, reports, problem) => {
    expect(problemsOf({ reports })).toEqual([problem]);
  });
});

describe('loadConfig', () => {
  it('reads the connectMetrics context object', () => {
    const app = newApp({ instancePrefix: 'acme' });
    expect(loadConfig(app).instancePrefix).toBe('acme');
  });

  it('reads a JSON string, as -c connectMetrics=... on the command line gives', () => {
    const app = newApp(JSON.stringify({ retentionDays: 30 }));
    expect(loadConfig(app).retentionDays).toBe(30);
  });

  it('names the setting when the string is not JSON', () => {
    const app = newApp('{retentionDays: 30}');
    expect(() => loadConfig(app)).toThrow(/^connectMetrics: expected a JSON object/);
  });
});

describe('bin/app.ts with bad configuration', () => {
  function runApp(connectMetrics: unknown) {
    return spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bin/app.ts')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ connectMetrics }), CDK_OUTDIR: newOutdir() },
      timeout: 60_000,
    });
  }

  it('exits 1 and prints every named problem, report definitions included, without a stack trace', () => {
    const file = definitionsFile(JSON.stringify({ reports: [{ name: 'x', type: 'HISTORICAL', metrics: ['Nope'], timeRange: 'YESTERDAY', schedule: { frequency: 'DAILY' } }] }));
    const result = runApp({
      streams: { mode: 'import', ctrStreamArn: 'nope', agentEventStreamArn: AGENT_ARN },
      reports: { definitionsFile: file },
      monitoring: { queues: { Sales: { serviceLevelThresholdSeconds: 50 } } },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('connectMetrics.streams.ctrStreamArn: expected an ARN of a Kinesis stream');
    expect(result.stderr).toContain(`connectMetrics.monitoring.queues.Sales.serviceLevelThresholdSeconds: ${SL_THRESHOLD_PROBLEM}`);
    expect(result.stderr).toContain(`connectMetrics.reports.definitionsFile: "${file}": reports[0] "x".metrics[0]: "Nope" is not a known metric`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
