/**
 * Defaults of the agent-event consumer that the scale benchmark measures against (kept apart from the constructs,
 * so the benchmark needs no CDK).
 */

/** Memory of the agent-event consumer: one full vCPU (Lambda allots CPU in proportion to memory). */
export const AGENT_EVENT_MEMORY_MB = 1769;

/** Concurrent batches per agent-event shard by default (`StreamIngestionProps.parallelizationFactor`). */
export const AGENT_EVENT_PARALLELIZATION = 8;
