// Starts a benchmark worker thread written in TypeScript: registers tsx in the thread, then loads the module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
