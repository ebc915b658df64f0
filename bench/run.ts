/**
 * `npm run bench`: performance and cost figures, printed. Targets are stated
 * next to each figure; tests check behaviour, benchmarks measure.
 *   npm run bench                 # everything
 *   npm run bench -- ingestion    # one section (ingestion, reports, scale)
 */
import { ingestionBench } from './ingestion.js';
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
