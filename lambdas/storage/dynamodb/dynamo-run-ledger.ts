/**
 * The run ledger in the metrics table:
 * | scheduler state | Q#scheduler      | state                          |
 * | a run           | R#<utc gen. day> | <generation time>#<report>     |
 * Runs stay in the table when finished (status succeeded/failed) until their
 * TTL, so a run can never be registered, or generated, a second time.
 * A succeeded run carries `dataAsOfMs` (wall clock), `corrections` and its own
 * correction claim (`corrToken`, `corrLeaseUntilMs`), apart from the run's claim.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { DueRun } from '../../domain/reports/schedule.js';
import type { CorrectionResult, RunLedger, RunRecord } from '../run-ledger.js';
import { padMs, utcDay, utcDaysBetween } from './keys.js';

const STATE = { pk: 'Q#scheduler', sk: 'state' };
const runKey = (generateAtMs: number, report: string) => ({ pk: `R#${utcDay(generateAtMs)}`, sk: `${padMs(generateAtMs)}#${report}` });
const RUN_TTL_DAYS = 90;

export class DynamoRunLedger implements RunLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async watermark(): Promise<number | null> {
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: STATE, ConsistentRead: true }));
    return typeof r.Item?.watermark === 'number' ? r.Item.watermark : null;
  }

  async register(runs: readonly DueRun[], watermarkMs: number): Promise<void> {
    for (const run of runs) {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...runKey(run.generateAtMs, run.report),
              runId: run.runId,
              report: run.report,
              scheduledMs: run.scheduledMs,
              generateAtMs: run.generateAtMs,
              startMs: run.range.startMs,
              endMs: run.range.endMs,
              status: 'pending',
              attempts: 0,
              leaseUntilMs: 0,
              lastError: null,
              key: null,
              ttl: Math.floor(run.generateAtMs / 1000) + RUN_TTL_DAYS * 86400,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    // Only forward: an overlapping invocation that read an older watermark cannot move it back.
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: STATE,
          UpdateExpression: 'SET watermark = :w',
          ConditionExpression: 'attribute_not_exists(watermark) OR watermark < :w',
          ExpressionAttributeValues: { ':w': watermarkMs },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async open(nowMs: number, lookbackMs: number): Promise<RunRecord[]> {
    return this.runsUpTo(nowMs, nowMs - lookbackMs, '#s = :pending', { ':pending': 'pending' });
  }

  /** Runs generated from the day of `fromMs` up to `nowMs` that pass `filter` (status is `#s`), oldest first. */
  private async runsUpTo(nowMs: number, fromMs: number, filter: string, values: Record<string, unknown>): Promise<RunRecord[]> {
    const out: RunRecord[] = [];
    for (const day of utcDaysBetween(fromMs, nowMs + 1)) {
      let start: Record<string, unknown> | undefined;
      do {
        const r = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk <= :to',
            FilterExpression: filter,
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':pk': `R#${day}`, ':to': `${padMs(nowMs)}#~`, ...values },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of r.Items ?? []) out.push(toRecord(item));
        start = r.LastEvaluatedKey;
      } while (start);
    }
    return out.sort((a, b) => a.generateAtMs - b.generateAtMs || a.report.localeCompare(b.report));
  }

  async claim(run: RunRecord, nowMs: number, leaseMs: number): Promise<string | null> {
    const token = randomUUID();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(run.generateAtMs, run.report),
          UpdateExpression: 'SET #t = :t, leaseUntilMs = :lease, attempts = attempts + :one',
          ConditionExpression: '#s = :pending AND leaseUntilMs < :now',
          ExpressionAttributeNames: { '#t': 'token', '#s': 'status' },
          ExpressionAttributeValues: { ':t': token, ':lease': nowMs + leaseMs, ':one': 1, ':pending': 'pending', ':now': nowMs },
        }),
      );
      return token;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return null;
      throw err;
    }
  }

  async succeed(run: RunRecord, token: string, result: { key: string; rows: number; bytes: number; finishedMs: number; dataAsOfMs: number }): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: runKey(run.generateAtMs, run.report),
        UpdateExpression: 'SET #s = :done, #k = :key, #rows = :rows, bytes = :bytes, finishedMs = :fin, dataAsOfMs = :asOf, leaseUntilMs = :zero',
        ConditionExpression: '#t = :t',
        ExpressionAttributeNames: { '#s': 'status', '#k': 'key', '#rows': 'rows', '#t': 'token' },
        ExpressionAttributeValues: {
          ':done': 'succeeded',
          ':key': result.key,
          ':rows': result.rows,
          ':bytes': result.bytes,
          ':fin': result.finishedMs,
          ':asOf': result.dataAsOfMs,
          ':zero': 0,
          ':t': token,
        },
      }),
    );
  }

  async finished(nowMs: number, sinceScheduledMs: number): Promise<RunRecord[]> {
    // A run is in the partition of its generation day, which is on or after its scheduled day.
    return this.runsUpTo(nowMs, sinceScheduledMs, '#s = :done AND scheduledMs >= :since AND scheduledMs <= :now', { ':done': 'succeeded', ':since': sinceScheduledMs, ':now': nowMs });
  }

  async claimCorrection(run: RunRecord, nowMs: number, leaseMs: number): Promise<string | null> {
    const token = randomUUID();
    // Nobody checked the run since `run` was read: its data time is still the one seen.
    const unchanged = run.dataAsOfMs === null ? 'attribute_not_exists(dataAsOfMs)' : 'dataAsOfMs = :asOf';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(run.generateAtMs, run.report),
          UpdateExpression: 'SET corrToken = :t, corrLeaseUntilMs = :lease',
          ConditionExpression: `#s = :done AND (attribute_not_exists(corrLeaseUntilMs) OR corrLeaseUntilMs < :now) AND ${unchanged}`,
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':t': token,
            ':lease': nowMs + leaseMs,
            ':done': 'succeeded',
            ':now': nowMs,
            ...(run.dataAsOfMs === null ? {} : { ':asOf': run.dataAsOfMs }),
          },
        }),
      );
      return token;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return null;
      throw err;
    }
  }

  async finishCorrection(run: RunRecord, token: string, result: CorrectionResult): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: runKey(run.generateAtMs, run.report),
        UpdateExpression:
          'SET dataAsOfMs = :asOf, corrections = if_not_exists(corrections, :zero) + :n, correctionAttempts = :zero, lastCheckedMs = :checked, corrLeaseUntilMs = :zero' +
          (result.rewritten ? ', lastCorrectedMs = :checked, lastCellsChanged = :cells' : '') +
          ' REMOVE corrToken',
        ConditionExpression: 'corrToken = :t',
        ExpressionAttributeValues: {
          ':asOf': result.dataAsOfMs,
          ':n': result.rewritten ? 1 : 0,
          ':zero': 0,
          ':checked': result.checkedMs,
          ':t': token,
          ...(result.rewritten ? { ':cells': result.cellsChanged } : {}),
        },
      }),
    );
  }

  async failCorrection(run: RunRecord, token: string, error: string, giveUpAsOfMs: number | null): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: runKey(run.generateAtMs, run.report),
        UpdateExpression:
          giveUpAsOfMs === null
            ? 'SET lastCorrectionError = :e, correctionAttempts = if_not_exists(correctionAttempts, :zero) + :one, corrLeaseUntilMs = :zero REMOVE corrToken'
            : 'SET lastCorrectionError = :e, correctionAttempts = :zero, dataAsOfMs = :asOf, corrLeaseUntilMs = :zero REMOVE corrToken',
        ConditionExpression: 'corrToken = :t',
        ExpressionAttributeValues: {
          ':e': error.slice(0, 2000),
          ':zero': 0,
          ':t': token,
          ...(giveUpAsOfMs === null ? { ':one': 1 } : { ':asOf': giveUpAsOfMs }),
        },
      }),
    );
  }

  async fail(run: RunRecord, token: string, error: string, permanent: boolean): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: runKey(run.generateAtMs, run.report),
        UpdateExpression: 'SET #s = :status, lastError = :e, leaseUntilMs = :zero',
        ConditionExpression: '#t = :t',
        ExpressionAttributeNames: { '#s': 'status', '#t': 'token' },
        ExpressionAttributeValues: { ':status': permanent ? 'failed' : 'pending', ':e': error.slice(0, 2000), ':zero': 0, ':t': token },
      }),
    );
  }

  async get(runId: string, generateAtMs: number): Promise<RunRecord | null> {
    const report = runId.slice(0, runId.lastIndexOf('@'));
    const r = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: runKey(generateAtMs, report), ConsistentRead: true }));
    return r.Item ? toRecord(r.Item) : null;
  }
}

function toRecord(item: Record<string, unknown>): RunRecord {
  return {
    runId: String(item.runId),
    report: String(item.report),
    scheduledMs: Number(item.scheduledMs),
    generateAtMs: Number(item.generateAtMs),
    startMs: Number(item.startMs),
    endMs: Number(item.endMs),
    status: item.status as RunRecord['status'],
    attempts: Number(item.attempts ?? 0),
    leaseUntilMs: Number(item.leaseUntilMs ?? 0),
    lastError: (item.lastError as string | null) ?? null,
    key: (item.key as string | null) ?? null,
    dataAsOfMs: typeof item.dataAsOfMs === 'number' ? item.dataAsOfMs : null,
    corrections: Number(item.corrections ?? 0),
    correctionLeaseUntilMs: Number(item.corrLeaseUntilMs ?? 0),
    correctionAttempts: Number(item.correctionAttempts ?? 0),
  };
}
