/** Lambda handler for the agent-event Kinesis stream. */
import { ingestAgentEventBatch } from '../pipeline/ingest.js';
import { lambdaRuntime, streamHandler } from './runtime.js';
import type { HandlerRuntime } from './runtime.js';

let runtime: HandlerRuntime | undefined;

export const makeAgentEventHandler = (rt: () => HandlerRuntime) => streamHandler('agent-events', ingestAgentEventBatch, rt);
export const handler = makeAgentEventHandler(() => (runtime ??= lambdaRuntime('agent-event-stream')));
