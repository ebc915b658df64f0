import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { ConfigError, LOG_RETENTION_DAYS, loadConfig, parseConfig } from '../../lib/config.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { newApp, newOutdir } from './synth.js';

const CTR_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/ctr';
const AGENT_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/agent-events';

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
    });
  });

  it('keeps given settings and defaults the rest of their object', () => {
    const config = parseConfig({ streams: { mode: 'create', shardCount: 4 }, ingestion: { batchSize: 200 } });
    expect(config.streams).toEqual({ mode: 'create', capacityMode: 'provisioned', shardCount: 4, retentionHours: 24 });
    expect(config.ingestion).toEqual({ batchSize: 200, maxBatchingWindowSeconds: 5, retryAttempts: 10, maxRecordAgeHours: 6 });
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
  it('exits 1 and prints the named problems, without a stack trace', () => {
    const bad = { connectMetrics: { streams: { mode: 'import', ctrStreamArn: 'nope', agentEventStreamArn: AGENT_ARN } } };
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bin/app.ts')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(bad), CDK_OUTDIR: newOutdir() },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('connectMetrics.streams.ctrStreamArn: expected an ARN of a Kinesis stream');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
