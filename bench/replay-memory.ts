/**
 * Replay memory (issue: the CLI streams, < 1 GiB for a 10,000-agent day):
 * what `replay --fresh` does — start the local services with data on disk,
 * put the files on the streams, drain them through the handlers — with the
 * process's resident set sampled every second, split into anonymous memory
 * (JS heap, malloc) and file-backed pages (LevelDB's memory-mapped table
 * files). The profile over records processed is the figure: it must level
 * off, since a whole day cannot be replayed in a benchmark (dynalite takes a
 * few hundred calls a second).
 *
 * Input: BENCH_REPLAY_CTR and BENCH_REPLAY_AGENT_EVENTS (files), else a
 * simulated center (BENCH_REPLAY_AGENTS, default 2,000 agents, for
 * BENCH_REPLAY_HOURS, default 0.5), simulated in a child process so the
 * simulator's own memory is not counted.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalPipeline } from '../cli/local/pipeline.js';
import { readRecords } from '../cli/support/archives.js';

export interface ReplayMemoryBenchOptions {
  readonly ctr?: string;
  readonly agentEvents?: string;
  readonly agents: number;
  readonly hours: number;
  readonly log: (line: string) => void;
}

const GIB = 1024 ** 3;
const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/** Resident anonymous and file-backed bytes (Linux); null elsewhere. */
function residentSplit(): { anon: number; file: number } | null {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { anon: kib('RssAnon'), file: kib('RssFile') + kib('RssShmem') };
  } catch {
    return null;
  }
}

export async function replayMemoryBench(opts: ReplayMemoryBenchOptions): Promise<{ peakRss: number }> {
  const { log } = opts;
  const work = await mkdtemp(join(tmpdir(), 'connect-metrics-replay-memory-'));
  try {
    let ctr = opts.ctr;
    let agentEvents = opts.agentEvents;
    if (ctr === undefined || agentEvents === undefined) {
      const out = join(work, 'sim');
      execFileSync(process.execPath, [fileURLToPath(new URL('../bin/connect-metrics.js', import.meta.url)), 'simulate', '--seed', '3', '--agents', String(opts.agents), '--hours', String(opts.hours), '--start', '2026-03-10T10:00:00', '--time-zone', 'America/New_York', '--no-truth', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
      ctr = join(out, 'ctr.jsonl');
      agentEvents = join(out, 'agent-events.jsonl');
      log(`Simulated ${opts.agents.toLocaleString('en-US')} agents × ${opts.hours} h`);
    }

    const started = Date.now();
    let phase = 'put';
    let put = 0;
    let processed = 0;
    let peakRss = 0;
    const samples: Array<{ phase: string; records: number; rss: number; heap: number; split: ReturnType<typeof residentSplit> }> = [];
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      samples.push({ phase, records: phase === 'put' ? put : processed, rss: m.rss, heap: m.heapTotal, split: residentSplit() });
    };
    const timer = setInterval(sample, 1_000);
    const pipeline = await LocalPipeline.start({ dataDir: join(work, 'data'), batchSize: 100 });
    try {
      for (const [source, file] of [
        ['ctr', ctr],
        ['agent-events', agentEvents],
      ] as const) {
        const before = put;
        const r = await pipeline.put(source, await readRecords(file), { onPut: (n) => (put = before + n) });
        put = before + r.written;
      }
      sample();
      phase = 'drain';
      await pipeline.drain((n) => (processed = n));
      sample();
    } finally {
      clearInterval(timer);
      await pipeline.stop();
    }

    log(`Replayed ${put.toLocaleString('en-US')} records (local services, data on disk, batches of 100) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    log(`  ${'phase'.padEnd(7)}${'records'.padStart(10)}${'RSS'.padStart(10)}${'JS heap'.padStart(10)}${'anon'.padStart(10)}${'file'.padStart(10)}`);
    // About ten rows: the put phase's end and each tenth of the drain.
    const rows = samples.filter((s, i) => {
      const next = samples[i + 1];
      if (next === undefined || s.phase !== next.phase) return true;
      return s.phase === 'drain' && Math.floor((s.records * 10) / put) !== Math.floor((next.records * 10) / put);
    });
    for (const s of rows) {
      log(`  ${s.phase.padEnd(7)}${s.records.toLocaleString('en-US').padStart(10)}${mib(s.rss).padStart(10)}${mib(s.heap).padStart(10)}${(s.split ? mib(s.split.anon) : '-').padStart(10)}${(s.split ? mib(s.split.file) : '-').padStart(10)}`);
    }
    log(`  peak RSS ${mib(peakRss)} (target < 1 GiB for a 10,000-agent day, and flat over records processed) ${peakRss < GIB ? 'OK' : 'OVER'}`);
    return { peakRss };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
