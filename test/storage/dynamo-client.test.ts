import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoClient, dynamoDocumentClient, SDK_LOGGER_MIDDLEWARE } from '../../lambdas/adapters/aws-clients.js';

const names = (c: { middlewareStack: { identify(): string[] } }) => c.middlewareStack.identify().map((s) => s.split(' ')[0]);

describe('the DynamoDB client', () => {
  it('is built without the SDK logger middleware, deployed and local (aws-clients.ts, withoutSdkLogging)', () => {
    // The name removed is the one the SDK uses: a plain client has it (if the SDK renames it, this fails and the
    // removal no longer applies).
    const plain = new DynamoDBClient({ region: 'us-east-1' });
    expect(names(plain)).toContain(SDK_LOGGER_MIDDLEWARE);
    for (const c of [dynamoClient({ region: 'us-east-1' }), dynamoClient({ endpoints: { dynamodb: 'http://127.0.0.1:1' } })]) {
      // Only the logger goes: signing, retries and the rest stay.
      expect(names(c)).toEqual(names(plain).filter((n) => n !== SDK_LOGGER_MIDDLEWARE));
      expect(names(c)).toContain('retryMiddleware');
      c.destroy();
    }
    plain.destroy();
  });

  it('keeps the removal when wrapped in the document client the store uses', () => {
    const doc = dynamoDocumentClient({ region: 'us-east-1' });
    expect(names(doc)).not.toContain(SDK_LOGGER_MIDDLEWARE);
    doc.destroy();
  });
});
