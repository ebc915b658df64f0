import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulate, simulateToDir, truthToJson } from '../../cli/simulator/index.js';
import type { SimulateToDirOptions } from '../../cli/simulator/index.js';

const FILES = ['ctr.jsonl', 'agent-events.jsonl', 'truth.json'] as const;
const SMALL: SimulateToDirOptions = { seed: 11, agents: 5, hours: 4, start: '2026-03-10T12:00:00Z', timeZone: 'Europe/Paris' };

const dirs: string[] = [];
function runInto(opts: SimulateToDirOptions, nowMs?: number): Record<(typeof FILES)[number], Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-determinism-'));
  dirs.push(dir);
  simulateToDir({ ...opts, outDir: dir }, nowMs);
  return {
    'ctr.jsonl': readFileSync(join(dir, 'ctr.jsonl')),
    'agent-events.jsonl': readFileSync(join(dir, 'agent-events.jsonl')),
    'truth.json': readFileSync(join(dir, 'truth.json')),
  };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('simulator determinism', () => {
  it('writes byte-identical files for the same seed and options, whatever the wall clock', () => {
    const a = runInto(SMALL, Date.UTC(2020, 0, 1));
    const b = runInto(SMALL, Date.UTC(2031, 6, 15));
    for (const f of FILES) {
      expect(a[f].length).toBeGreaterThan(100);
      expect(a[f].equals(b[f])).toBe(true);
    }
  });

  it('writes different files for another seed', () => {
    const a = runInto(SMALL);
    const b = runInto({ ...SMALL, seed: 12 });
    for (const f of FILES) expect(a[f].equals(b[f])).toBe(false);
  });

  it('gives the same lines and truth in memory as on disk', () => {
    const files = runInto(SMALL);
    const mem = simulate(SMALL);
    expect(mem.ctrLines.map((l) => l + '\n').join('')).toBe(files['ctr.jsonl'].toString('utf8'));
    expect(mem.agentEventLines.map((l) => l + '\n').join('')).toBe(files['agent-events.jsonl'].toString('utf8'));
    expect(truthToJson(mem.truth)).toBe(files['truth.json'].toString('utf8'));
    expect(JSON.parse(files['truth.json'].toString('utf8'))).toEqual(mem.truth);
  });

  it('skips truth.json with truth: false and leaves the other files unchanged', () => {
    const full = runInto(SMALL);
    const dir = mkdtempSync(join(tmpdir(), 'sim-no-truth-'));
    dirs.push(dir);
    const summary = simulateToDir({ ...SMALL, outDir: dir, truth: false });
    expect(summary.files.map((f) => f.path)).toEqual([join(dir, 'ctr.jsonl'), join(dir, 'agent-events.jsonl')]);
    expect(readFileSync(join(dir, 'ctr.jsonl')).equals(full['ctr.jsonl'])).toBe(true);
    expect(readFileSync(join(dir, 'agent-events.jsonl')).equals(full['agent-events.jsonl'])).toBe(true);
  });
});
