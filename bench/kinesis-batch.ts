/**
 * A Lambda Kinesis event holding JSON lines, as the event source mapping delivers a batch of one shard (the
 * records built by the local poller's `toLambdaRecord`, so exactly as Lambda shapes them).
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import { toLambdaRecord } from '../cli/local/kinesis-poller.js';

export function kinesisBatch(source: 'ctr' | 'agent-events', lines: readonly string[], firstSeq: number): KinesisStreamEvent {
  const ctx = {
    shardId: `shardId-00000000000${source === 'ctr' ? 0 : 1}`,
    region: 'us-east-1',
    eventSourceArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${source}`,
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/bench',
  };
  const now = new Date();
  return {
    Records: lines.map((line, i) =>
      toLambdaRecord({ SequenceNumber: String(firstSeq + i).padStart(21, '0'), Data: Buffer.from(line, 'utf8'), PartitionKey: 'bench', ApproximateArrivalTimestamp: now }, ctx),
    ),
  };
}
