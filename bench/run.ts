/**
 * `npm run bench`: performance and cost figures, printed. Targets are stated
 * next to each figure; tests check behaviour, benchmarks measure.
 *   npm run bench                 # everything
 *   npm run bench -- ingestion    # one section (ingestion, reports, scale)
 *   npm run bench -- replay-memory  # peak RSS of a replay; only when named, alone
 */
import { ingestionBench } from './ingestion.js';
import { replayMemoryBench } from './replay-memory.js';
import { reportsBench } from './reports.js';
import { scaleBench } from './scale.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const sections = process.argv.slice(2);
const want = (s: string) => sections.length === 0 || sections.includes(s);
const log = (line: string) => console.log(line);

console.log(`connect-metrics benchmarks — node ${process.version}, ${new Date().toISOString()}`);
if (want('ingestion')) {
  console.log('\n== Ingestion ==');
  await ingestionBench({ agents: 20, hours: 24, costRecords: Number(process.env.BENCH_COST_RECORDS ?? 3000), log });
}
if (want('reports')) {
  console.log('\n== Reports ==');
  await reportsBench(log);
}
if (want('scale')) {
  console.log('\n== Scale: a 10,000-agent center ==');
  await scaleBench({ agents: 10_000, warmupMinutes: Number(process.env.BENCH_SCALE_WARMUP_MINUTES ?? 10), minutes: Number(process.env.BENCH_SCALE_MINUTES ?? 10), latencyRecords: Number(process.env.BENCH_SCALE_LATENCY_RECORDS ?? 10_000), log });
}
// Only when named: RSS is the whole process's, so the section must run alone.
if (sections.includes('replay-memory')) {
  console.log('\n== Replay memory: replay --fresh with data on disk ==');
  await replayMemoryBench({
    ctr: process.env.BENCH_REPLAY_CTR,
    agentEvents: process.env.BENCH_REPLAY_AGENT_EVENTS,
    agents: Number(process.env.BENCH_REPLAY_AGENTS ?? 2_000),
    hours: Number(process.env.BENCH_REPLAY_HOURS ?? 0.5),
    log,
  });
}
