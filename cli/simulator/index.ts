/**
 * Deterministic Amazon Connect contact-center simulator with ground truth.
 *
 * `simulate` runs in memory (small runs, tests); `simulateToDir` streams
 * ctr.jsonl, agent-events.jsonl and truth.json to a directory with bounded
 * memory (month-long runs). Same options ⇒ byte-identical output.
 */
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { buildCenter } from './center.js';
import type { InitiationMethod } from './ctr-record.js';
import { Simulation } from './simulation.js';
import type { SimulationOutput } from './simulation.js';
import { TruthBuilder, truthFooter, truthHeader, truthIntervalJson } from './truth.js';
import type { Truth, TruthInterval, TruthMeta } from './truth.js';
import { HOUR_MS, ZoneClock, isValidTimeZone, isoMillis } from './zone-clock.js';

export type { Truth, TruthInterval, TruthSession, TruthGrouping, MetricValues } from './truth.js';
export { TRUTH_METRIC_IDS } from './truth.js';
export type { InitiationMethod } from './ctr-record.js';

export const DEFAULTS = { seed: 1, agents: 20, hours: 24, timeZone: 'UTC', outDir: './out/sim' } as const;
export const MAX_AGENTS = 10_000;
export const MAX_HOURS = 24 * 366;

export interface SimulateOptions {
  /** PRNG seed, a non-negative integer. @default 1 */
  readonly seed?: number;
  /** @default 20 */
  readonly agents?: number;
  /** Length of the simulated window. @default 24 */
  readonly hours?: number;
  /**
   * Window start: ISO 8601 with `Z` or an offset, or a local date or
   * date-time (no offset) read in `timeZone`.
   * @default today 00:00 in `timeZone`
   */
  readonly start?: string;
  /** IANA zone for shifts and arrival rates (intervals are always UTC). @default 'UTC' */
  readonly timeZone?: string;
}

export interface ResolvedSimulateOptions {
  readonly seed: number;
  readonly agents: number;
  readonly hours: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly timeZone: string;
}

export class SimulateOptionsError extends Error {
  override readonly name = 'SimulateOptionsError';
}

/** Validates options and fills in defaults; throws SimulateOptionsError with a message fit for the command line. */
export function resolveSimulateOptions(opts: SimulateOptions, nowMs: number = Date.now()): ResolvedSimulateOptions {
  const seed = opts.seed ?? DEFAULTS.seed;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new SimulateOptionsError(`--seed must be a non-negative integer, got ${String(opts.seed)}`);
  const agents = opts.agents ?? DEFAULTS.agents;
  if (!Number.isInteger(agents) || agents < 1 || agents > MAX_AGENTS) {
    throw new SimulateOptionsError(`--agents must be a whole number from 1 to ${MAX_AGENTS}, got ${String(opts.agents)}`);
  }
  const hours = opts.hours ?? DEFAULTS.hours;
  if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_HOURS) {
    throw new SimulateOptionsError(`--hours must be a positive number of hours up to ${MAX_HOURS}, got ${String(opts.hours)}`);
  }
  const timeZone = opts.timeZone ?? DEFAULTS.timeZone;
  if (!isValidTimeZone(timeZone)) throw new SimulateOptionsError(`--time-zone: unknown IANA time zone "${timeZone}" (e.g. UTC, Europe/Paris, America/New_York)`);
  const zone = new ZoneClock(timeZone);
  const startMs = opts.start === undefined ? localMidnight(zone, nowMs) : parseStart(opts.start, zone);
  return { seed, agents, hours, startMs, endMs: startMs + Math.round(hours * HOUR_MS), timeZone };
}

function localMidnight(zone: ZoneClock, ms: number): number {
  const p = zone.local(ms);
  return zone.toUtc(p.year, p.month, p.day);
}

const START_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseStart(input: string, zone: ZoneClock): number {
  const m = START_RE.exec(input.trim());
  const bad = (): SimulateOptionsError =>
    new SimulateOptionsError(`--start must be an ISO 8601 date or date-time (e.g. 2026-03-10, 2026-03-10T08:00, 2026-03-10T08:00:00Z), got "${input}"`);
  if (!m) throw bad();
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', tz] = m;
  const n = (v: string | undefined): number => Number(v ?? '0');
  const year = n(y);
  const month = n(mo);
  const day = n(d);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || probe.getUTCDate() !== day || n(h) > 23 || n(mi) > 59 || n(s) > 59) throw bad();
  const ms = Number(frac.padEnd(3, '0'));
  if (tz !== undefined) {
    const iso = `${y}-${mo}-${d}T${h.padStart(2, '0')}:${mi}:${s.padStart(2, '0')}.${String(ms).padStart(3, '0')}${tz === 'Z' ? 'Z' : tz.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
    const t = Date.parse(iso);
    if (Number.isNaN(t)) throw bad();
    return t;
  }
  return zone.toUtc(year, month, day, n(h), n(mi), n(s), ms);
}

interface RunSinks {
  readonly agentEvent: (line: string) => void;
  readonly ctr: (line: string) => void;
  readonly truthInterval: ((iv: TruthInterval) => void) | null;
  readonly progress?: (simMs: number) => void;
}

interface RunResult {
  readonly meta: TruthMeta;
  readonly contactsByMethod: Record<InitiationMethod, number>;
  readonly ctrLines: number;
  readonly agentEvents: number;
  readonly sessions: Truth['sessions'];
}

function run(o: ResolvedSimulateOptions, sinks: RunSinks): RunResult {
  const center = buildCenter(o.seed, o.agents);
  const truth = sinks.truthInterval ? new TruthBuilder(o.startMs, o.endMs, sinks.truthInterval) : null;
  const out: SimulationOutput = { agentEvent: sinks.agentEvent, ctr: sinks.ctr, progress: sinks.progress };
  const sim = new Simulation(center, { seed: o.seed, startMs: o.startMs, endMs: o.endMs, timeZone: o.timeZone }, out, truth);
  const stats = sim.run();
  return {
    meta: { seed: o.seed, start: isoMillis(o.startMs), end: isoMillis(o.endMs), timeZone: o.timeZone, agents: o.agents },
    contactsByMethod: stats.contactsByMethod,
    ctrLines: stats.ctrLines,
    agentEvents: stats.agentEvents,
    sessions: stats.sessions,
  };
}

export interface SimulateResult {
  readonly ctrLines: string[];
  readonly agentEventLines: string[];
  readonly truth: Truth;
}

/** Runs a (small) simulation in memory. Lines carry no trailing newline. */
export function simulate(opts: SimulateOptions): SimulateResult {
  const o = resolveSimulateOptions(opts);
  const ctrLines: string[] = [];
  const agentEventLines: string[] = [];
  const intervals: TruthInterval[] = [];
  const r = run(o, {
    agentEvent: (l) => agentEventLines.push(l),
    ctr: (l) => ctrLines.push(l),
    truthInterval: (iv) => intervals.push(iv),
  });
  return { ctrLines, agentEventLines, truth: { ...r.meta, intervals, sessions: r.sessions } };
}

/** The exact bytes of truth.json for a truth object (the streaming writer produces the same). */
export function truthToJson(truth: Truth): string {
  const meta: TruthMeta = { seed: truth.seed, start: truth.start, end: truth.end, timeZone: truth.timeZone, agents: truth.agents };
  return truthHeader(meta) + truth.intervals.map((iv, i) => truthIntervalJson(iv, i === 0)).join('') + truthFooter(truth.sessions);
}

/**
 * Appends text to a file through one reused buffer. Synchronous writes keep
 * the simulation loop simple; reusing the buffer (instead of joining strings)
 * avoids allocating megabytes per flush, which dominated month-long runs.
 */
class LineFile {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(1 << 23);
  private used = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.used + text.length * 3 > this.buf.length) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        writeSync(this.fd, text);
        return;
      }
    }
    this.used += this.buf.write(text, this.used);
  }

  line(text: string): void {
    this.write(text);
    this.write('\n');
  }

  flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export interface SimulateToDirOptions extends SimulateOptions {
  readonly outDir?: string;
  /** Write truth.json. @default true */
  readonly truth?: boolean;
  /** Called at each simulated UTC midnight with the fraction done (0–1). */
  readonly onProgress?: (fraction: number) => void;
}

export interface SimulateSummary {
  readonly options: ResolvedSimulateOptions;
  /** Contacts whose final record was written, by initiation method. */
  readonly contactsByMethod: Record<InitiationMethod, number>;
  readonly contacts: number;
  /** ctr.jsonl lines: one per contact plus the earlier versions of twice-published records. */
  readonly ctrLines: number;
  readonly agentEvents: number;
  readonly sessions: number;
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
}

/** Streams a simulation to `outDir` (created if needed): ctr.jsonl, agent-events.jsonl and, unless disabled, truth.json. */
export function simulateToDir(opts: SimulateToDirOptions, nowMs: number = Date.now()): SimulateSummary {
  const o = resolveSimulateOptions(opts, nowMs);
  const outDir = opts.outDir ?? DEFAULTS.outDir;
  mkdirSync(outDir, { recursive: true });
  const ctrFile = new LineFile(join(outDir, 'ctr.jsonl'));
  const eventFile = new LineFile(join(outDir, 'agent-events.jsonl'));
  const truthPath = join(outDir, 'truth.json');
  // A truth.json left by an earlier run would not describe these files.
  if (opts.truth === false) rmSync(truthPath, { force: true });
  const truthFile = opts.truth === false ? null : new LineFile(truthPath);
  let first = true;
  if (truthFile) {
    truthFile.write(
      truthHeader({ seed: o.seed, start: isoMillis(o.startMs), end: isoMillis(o.endMs), timeZone: o.timeZone, agents: o.agents }),
    );
  }
  const onProgress = opts.onProgress;
  let r: RunResult;
  try {
    r = run(o, {
      agentEvent: (l) => eventFile.line(l),
      ctr: (l) => ctrFile.line(l),
      truthInterval: truthFile
        ? (iv) => {
            truthFile.write(truthIntervalJson(iv, first));
            first = false;
          }
        : null,
      progress: onProgress ? (t) => onProgress((t - o.startMs) / (o.endMs - o.startMs)) : undefined,
    });
    truthFile?.write(truthFooter(r.sessions));
  } finally {
    ctrFile.close();
    eventFile.close();
    truthFile?.close();
  }
  const files = [ctrFile, eventFile, ...(truthFile ? [truthFile] : [])].map((f) => ({ path: f.path, bytes: statSync(f.path).size }));
  const contacts = Object.values(r.contactsByMethod).reduce((a, b) => a + b, 0);
  return {
    options: o,
    contactsByMethod: r.contactsByMethod,
    contacts,
    ctrLines: r.ctrLines,
    agentEvents: r.agentEvents,
    sessions: r.sessions.length,
    files,
  };
}
