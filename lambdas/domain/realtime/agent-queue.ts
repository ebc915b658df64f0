/**
 * Agent queues: Amazon Connect gives every agent a queue of their own
 * (ARN `arn:aws:connect:<region>:<account>:instance/<id>/queue/agent/<agent id>`)
 * for contacts transferred to that agent. They are not queues a supervisor
 * watches, and there is one per agent, so they are not published as queue
 * metrics (thousands of CloudWatch series at 10,000 agents, each one billed).
 */
const AGENT_QUEUE_ARN = /^arn:[^:]+:connect:[^:]*:[^:]*:instance\/[^/]+\/queue\/agent\/[^/]+$/;

/** Whether a queue id (its ARN, when the record had one) is an agent's own queue. */
export function isAgentQueue(queueId: string): boolean {
  return AGENT_QUEUE_ARN.test(queueId);
}
