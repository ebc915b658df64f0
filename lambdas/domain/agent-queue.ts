/**
 * Agent queues. Every agent has a queue of their own, used to route a contact
 * to that agent (a quick-connect transfer, "Transfer to queue" by agent). Its
 * ARN is `arn:aws:connect:<region>:<account>:instance/<instance id>/queue/agent/<agent id>`
 * and it has no name (Agent event streams data model sample: "This queue has a
 * name of "null" because it's an agent queue, and agent queues don't have names").
 *
 * Amazon Connect leaves agent queues out of queue reports unless asked: "By
 * default, agent queues are excluded from historical metrics reports. To include
 * agent queues in the report, select agent queues as a filter for the report."
 * (Amazon Connect Administrator Guide, 2019, "Include Agent Queues in Historical
 * Metric Reports"); real-time agent queues are a table of their own ("Agent queues").
 */

const AGENT_QUEUE_ARN = /^(arn:[^:]+:connect:[^:]*:[^:]*:instance\/[^/]+)\/queue\/agent\/([^/]+)$/;

/** Whether a queue id (its ARN) is an agent queue. */
export function isAgentQueue(queueId: string | null | undefined): boolean {
  return typeof queueId === 'string' && AGENT_QUEUE_ARN.test(queueId);
}

/** The ARN of the agent an agent queue belongs to (null when `queueId` is not an agent queue). */
export function agentOfAgentQueue(queueId: string): string | null {
  const m = AGENT_QUEUE_ARN.exec(queueId);
  return m ? `${m[1]}/agent/${m[2]}` : null;
}

const AGENT_ARN = /^(arn:[^:]+:connect:[^:]*:[^:]*:instance\/[^/]+)\/agent\/([^/]+)$/;

/** The ARN of an agent's own queue (null when `agentArn` is not an agent ARN). */
export function agentQueueOf(agentArn: string): string | null {
  const m = AGENT_ARN.exec(agentArn);
  return m ? `${m[1]}/queue/agent/${m[2]}` : null;
}

/**
 * The name an agent queue is shown under: its agent's login (the name the Agent
 * column shows), else the agent's id — never the raw ARN.
 */
export function agentQueueName(queueId: string, agentName: (agentArn: string) => string | null | undefined): string {
  const m = AGENT_QUEUE_ARN.exec(queueId);
  if (!m) return queueId;
  return agentName(`${m[1]}/agent/${m[2]}`) ?? (m[2] as string);
}
