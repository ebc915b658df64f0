/** Lambda handler for the contact-record (CTR) Kinesis stream. */
import { ingestCtrBatch } from '../pipeline/ingest.js';
import { lambdaRuntime, streamHandler } from './runtime.js';
import type { HandlerRuntime } from './runtime.js';

let runtime: HandlerRuntime | undefined;

export const makeCtrHandler = (rt: () => HandlerRuntime) => streamHandler('ctr', ingestCtrBatch, rt);
export const handler = makeCtrHandler(() => (runtime ??= lambdaRuntime('ctr-stream')));
