/**
 * Lambda handler for the ctr Kinesis stream. Thin: everything it does is in
 * `ingestCtrBatch`; this file wires the runtime (store, logger, metrics) built once per container.
 */
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { ingestCtrBatch } from '../pipeline/ingest.js';
import { createRuntime, publishBatchReport } from './runtime.js';

const runtime = createRuntime('ctr-stream');

export async function handler(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
  const first = event.Records[0];
  const last = event.Records[event.Records.length - 1];
  runtime.logger.appendKeys({ eventSourceArn: first?.eventSourceARN, shard: first?.eventID.split(':')[0] });
  const unitsBefore = runtime.store.io.meter.writeUnits;
  const { response, report } = await ingestCtrBatch(event, { store: runtime.store, log: runtime.log });
  runtime.logger.info('Batch processed', {
    firstSequenceNumber: first?.kinesis.sequenceNumber,
    lastSequenceNumber: last?.kinesis.sequenceNumber,
    ...report,
  });
  publishBatchReport(runtime.metrics, 'ctr', report, runtime.store.io.meter.writeUnits - unitsBefore);
  return response;
}
