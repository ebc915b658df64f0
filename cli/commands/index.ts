import type { Command } from 'commander';
import { registerCompare } from './compare.js';
import { registerDashboard } from './dashboard.js';
import { registerDemo } from './demo.js';
import { registerOps } from './ops.js';
import { registerRealtime } from './realtime.js';
import { registerReplay } from './replay.js';
import { registerRun } from './run.js';
import { registerSimulate } from './simulate.js';

/** Each command module adds itself here. */
export function registerCommands(program: Command): void {
  registerSimulate(program);
  registerReplay(program);
  registerDemo(program);
  registerRun(program);
  registerOps(program);
  registerRealtime(program);
  registerDashboard(program);
  registerCompare(program);
}
