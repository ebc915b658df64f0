/**
 * The `connect-metrics` command as a user runs it: every command has --help,
 * the main job writes reports, and mistakes end with a clear message and a
 * non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'cm-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/connect-metrics.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('connect-metrics', () => {
  it('lists its commands, and every command has --help', () => {
    const top = cli('--help');
    expect(top.code).toBe(0);
    const commands = [...top.out.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1] as string).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['simulate', 'replay', 'run', 'realtime', 'dashboard', 'demo', 'redrive', 'backfill']));
    for (const c of commands) {
      const h = cli(c, '--help');
      expect({ command: c, code: h.code, usage: h.out.includes(`Usage: connect-metrics ${c}`) }).toEqual({ command: c, code: 0, usage: true });
    }
  });

  it('simulate writes the three files, and run writes the scheduled reports', () => {
    const sim = join(tmp, 'sim');
    expect(cli('simulate', '--seed', '4', '--agents', '4', '--hours', '26', '--start', '2026-03-10T00:00:00', '--time-zone', 'America/New_York', '--out', sim).code).toBe(0);
    expect(['ctr.jsonl', 'agent-events.jsonl', 'truth.json'].every((f) => existsSync(join(sim, f)))).toBe(true);

    const out = join(tmp, 'reports');
    const r = cli('run', '--ctr', join(sim, 'ctr.jsonl'), '--agent-events', join(sim, 'agent-events.jsonl'), '--reports', 'config/reports.json', '--until', '2026-03-11T05:00:00Z', '--out', out);
    expect({ code: r.code, stderr: r.err }).toMatchObject({ code: 0 });
    const csvs = files(out).filter((f) => f.endsWith('.csv'));
    // Five reports scheduled at local midnight of 2026-03-11 (00:00 EDT = 04:00Z, generated at 04:15Z) and named by that
    // scheduled time, plus those of the day before.
    expect(csvs.filter((f) => f.includes('2026-03-11T04:00:00Z')).map((f) => f.split('/').pop())).toEqual([
      'agent-activity-audit-2026-03-11T04:00:00Z.csv',
      'agents-daily-2026-03-11T04:00:00Z.csv',
      'login-logout-2026-03-11T04:00:00Z.csv',
      'queues-30min-2026-03-11T04:00:00Z.csv',
      'routing-profiles-daily-2026-03-11T04:00:00Z.csv',
    ]);
    expect(csvs.every((f) => f.startsWith(join(out, 'connect', 'connect-metrics', 'Reports', 'daily')))).toBe(true);
  });

  it('run with the Salesforce CTI example writes sfIntervalQueue/sfIntervalAgent every 30 minutes, named by the scheduled time, durations in seconds', () => {
    const sim = join(tmp, 'sim-cti');
    expect(cli('simulate', '--seed', '5', '--agents', '4', '--hours', '3', '--start', '2026-03-10T13:00:00', '--time-zone', 'UTC', '--out', sim).code).toBe(0);
    const out = join(tmp, 'cti');
    const r = cli(
      'run', '--ctr', join(sim, 'ctr.jsonl'), '--agent-events', join(sim, 'agent-events.jsonl'), '--reports', 'config/examples/salesforce-cti.json',
      '--from', '2026-03-10T13:00:00Z', '--until', '2026-03-10T16:15:00Z', '--key-prefix', 'connect/acme', '--out', out,
    );
    expect({ code: r.code, stderr: r.err }).toMatchObject({ code: 0 });
    const csvs = files(out).filter((f) => f.endsWith('.csv')).map((f) => f.slice(out.length + 1));
    // Generation times in (12:45, 16:15]: scheduled 13:00, 13:30, ... 16:00 (the grid "every 0.5 hour starting at 01:00").
    const times = ['13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00'];
    expect(csvs.sort()).toEqual(
      [
        ...times.map((hhmm) => `connect/acme/Reports/SFDC/Agent/sfIntervalAgent-2026-03-10T${hhmm}:00Z.csv`),
        ...times.map((hhmm) => `connect/acme/Reports/SFDC/Queue/sfIntervalQueue-2026-03-10T${hhmm}:00Z.csv`),
      ].sort(),
    );
    // Each file covers the 30 minutes before its scheduled time, and no cell is HH:MM:SS.
    let rowCount = 0;
    for (const hhmm of times) {
      const text = readFileSync(join(out, 'connect', 'acme', 'Reports', 'SFDC', 'Queue', `sfIntervalQueue-2026-03-10T${hhmm}:00Z.csv`), 'utf8');
      const rows = text.trim().split('\r\n').slice(1).map((line) => line.split(','));
      const end = `2026-03-10T${hhmm}:00Z`;
      rowCount += rows.length;
      expect(rows.filter((row) => row[2] !== end || Date.parse(row[1] ?? '') !== Date.parse(end) - 30 * 60_000)).toEqual([]);
      expect(rows.flat().filter((cell) => /^\d+:\d\d:\d\d$/.test(cell))).toEqual([]);
    }
    expect(rowCount).toBeGreaterThan(0);
  });

  it('fails with a message naming the report and field for a bad report definitions file', () => {
    const bad = join(tmp, 'bad-reports.json');
    writeFileSync(bad, JSON.stringify({ reports: [{ name: 'q', type: 'HISTORICAL', groupings: ['QUEUE'], metrics: ['Occupancy'], timeRange: 'YESTERDAY', schedule: { frequency: 'DAILY', at: '00:00' } }] }));
    const r = cli('run', '--ctr', 'x', '--agent-events', 'y', '--reports', bad, '--until', '2026-03-11T05:00:00Z', '--out', join(tmp, 'never'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('reports[0] "q".metrics[0]');
    expect(r.err).toContain('Occupancy');
  });

  it('fails clearly on a missing input file', () => {
    const r = cli('replay', '--ctr', join(tmp, 'does-not-exist.jsonl'), '--data-dir', join(tmp, 'data'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('Cannot read');
  });
});
