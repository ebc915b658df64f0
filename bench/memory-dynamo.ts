/**
 * An in-memory stand-in for DynamoDB, served as the HTTP handler of the real
 * SDK client, for benchmarks that must measure this project's code, the SDK's
 * and a chosen network latency rather than an emulator's CPU (dynalite handles
 * a few hundred calls a second). It implements exactly the operations and
 * condition expressions the store issues (BatchGetItem, BatchWriteItem puts,
 * conditional PutItem, UpdateItem, Query, DeleteItem); anything else throws.
 * Capacity is metered by the store itself, by DynamoDB's rules, whatever the
 * backend.
 */
import { Readable } from 'node:stream';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { dynamoDocumentClient, RETRY, withoutSdkLogging } from '../lambdas/adapters/aws-clients.js';

type Item = Record<string, unknown> & { pk: string; sk: string };
type Wire = Record<string, AttributeValue>;

/** A request body with its attribute values as plain values. */
function fromWire(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  if (input.Item) out.Item = unmarshall(input.Item as Wire);
  if (input.Key) out.Key = unmarshall(input.Key as Wire);
  if (input.ExpressionAttributeValues) out.ExpressionAttributeValues = unmarshall(input.ExpressionAttributeValues as Wire);
  if (input.RequestItems) {
    const req: Record<string, unknown> = {};
    for (const [table, r] of Object.entries(input.RequestItems as Record<string, unknown>)) {
      req[table] = Array.isArray(r)
        ? r.map((w: { PutRequest?: { Item: Wire }; DeleteRequest?: { Key: Wire } }) => (w.PutRequest ? { PutRequest: { Item: unmarshall(w.PutRequest.Item) } } : { DeleteRequest: { Key: unmarshall((w.DeleteRequest as { Key: Wire }).Key) } }))
        : { ...(r as object), Keys: (r as { Keys: Wire[] }).Keys.map((k) => unmarshall(k)) };
    }
    out.RequestItems = req;
  }
  return out;
}

/** A response with its items as DynamoDB sends them. */
function toWire(output: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...output };
  const wire = (i: Record<string, unknown>) => marshall(i, { removeUndefinedValues: true });
  if (output.Items) out.Items = (output.Items as Array<Record<string, unknown>>).map(wire);
  if (output.Responses) out.Responses = Object.fromEntries(Object.entries(output.Responses as Record<string, Array<Record<string, unknown>>>).map(([t, items]) => [t, items.map(wire)]));
  return out;
}

export class MemoryDynamo {
  private readonly tables = new Map<string, Map<string, Partition>>();
  calls = 0;

  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  /**
   * `latencyMs` is added to every call; `maxSockets` bounds the calls in flight at once, as the client's socket
   * pool does (DYNAMO_MAX_SOCKETS): calls beyond it wait for a free one.
   */
  constructor(
    /** Settable: a benchmark may warm a table up without latency and then measure with it. */
    public latencyMs = 0,
    private readonly maxSockets = Infinity,
  ) {}

  private part(table: string, pk: string): Partition {
    let t = this.tables.get(table);
    if (!t) this.tables.set(table, (t = new Map()));
    let p = t.get(pk);
    if (!p) t.set(pk, (p = new Partition()));
    return p;
  }

  private check(cur: Item | undefined, expression: string, values: Record<string, unknown> = {}): boolean {
    return expression.split(' OR ').some((clause) => {
      const c = clause.trim();
      if (c === 'attribute_not_exists(pk)') return cur === undefined;
      const m = /^(\w+) (=|<|<=) (:\w+)$/.exec(c);
      if (!m) throw new Error(`MemoryDynamo: unsupported condition ${c}`);
      if (!cur) return false;
      const [, attr, op, ref] = m as unknown as [string, string, string, string];
      const a = cur[attr] as number;
      const b = values[ref] as number;
      return op === '=' ? a === b : op === '<' ? a < b : a <= b;
    });
  }

  /**
   * A document client served from memory: the real SDK client, configured as deployed (document client options,
   * adaptive retries), with this table as its HTTP handler. The SDK's own work per call (marshalling, serializing,
   * signing, parsing the response) is counted, and so is this table's parsing of the request body, which DynamoDB
   * does in production.
   */
  client(): DynamoDBDocumentClient {
    const handler = {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        let status = 200;
        let out: unknown;
        try {
          // The SDK's body is a Uint8Array (one that warns when read as a string): read its bytes.
          const body = request.body instanceof Uint8Array ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8') : String(request.body ?? '{}');
          const input = fromWire(JSON.parse(body) as Record<string, unknown>);
          out = toWire((await this.send(operation, input)) as Record<string, unknown>);
        } catch (err) {
          if (!(err instanceof ConditionalCheckFailedException)) throw err;
          status = 400;
          out = { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: err.message };
        }
        return { response: { statusCode: status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(JSON.stringify(out))]) } };
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
      destroy: () => {},
    };
    const raw = new DynamoDBClient({ ...RETRY, region: 'us-east-1', endpoint: 'http://memory-dynamo', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, requestHandler: handler });
    // As deployed (aws-clients.ts): without the SDK's logger middleware.
    return dynamoDocumentClient(withoutSdkLogging(raw));
  }

  /** Serves one operation; items come in parsed from the request and go out serialized, so none is shared. */
  private async send(operation: string, input: Record<string, any>): Promise<unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
    this.calls++;
    if (this.latencyMs > 0) {
      // A freed socket passes straight to the next waiting call.
      if (this.inFlight >= this.maxSockets) await new Promise<void>((r) => this.waiting.push(r));
      else this.inFlight++;
      try {
        await new Promise((r) => setTimeout(r, this.latencyMs));
      } finally {
        const next = this.waiting.shift();
        if (next) next();
        else this.inFlight--;
      }
    }
    switch (operation) {
      case 'BatchGetItem': {
        const out: Record<string, Item[]> = {};
        for (const [table, req] of Object.entries(input.RequestItems as Record<string, { Keys: Item[] }>)) {
          out[table] = req.Keys.flatMap((k) => {
            const it = this.part(table, k.pk).get(k.sk);
            return it ? [it] : [];
          });
        }
        return { Responses: out, UnprocessedKeys: {} };
      }
      case 'BatchWriteItem': {
        for (const [table, reqs] of Object.entries(input.RequestItems as Record<string, Array<{ PutRequest?: { Item: Item } }>>)) {
          for (const r of reqs) {
            if (!r.PutRequest) throw new Error('MemoryDynamo: only PutRequest is supported');
            this.part(table, r.PutRequest.Item.pk).set(r.PutRequest.Item.sk, r.PutRequest.Item);
          }
        }
        return { UnprocessedItems: {} };
      }
      case 'PutItem': {
        const item = input.Item as Item;
        const p = this.part(input.TableName as string, item.pk);
        if (input.ConditionExpression && !this.check(p.get(item.sk), input.ConditionExpression as string, input.ExpressionAttributeValues as Record<string, unknown>)) {
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        }
        p.set(item.sk, item);
        return {};
      }
      case 'UpdateItem': {
        const key = input.Key as Item;
        const p = this.part(input.TableName as string, key.pk);
        const cur: Item = { ...(p.get(key.sk) ?? { pk: key.pk, sk: key.sk }) };
        const names = input.ExpressionAttributeNames as Record<string, string>;
        const values = input.ExpressionAttributeValues as Record<string, unknown>;
        const expr = String(input.UpdateExpression);
        if (!expr.startsWith('SET ')) throw new Error(`MemoryDynamo: unsupported update ${expr}`);
        for (const part of expr.slice(4).split(', ')) {
          const [n, v] = part.split(' = ') as [string, string];
          cur[names[n] as string] = values[v];
        }
        p.set(key.sk, cur);
        return {};
      }
      case 'DeleteItem': {
        const p = this.part(input.TableName as string, (input.Key as Item).pk);
        if (input.ConditionExpression && !this.check(p.get((input.Key as Item).sk), input.ConditionExpression as string, input.ExpressionAttributeValues as Record<string, unknown>)) {
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        }
        p.delete((input.Key as Item).sk);
        return {};
      }
      case 'Query': {
        const values = input.ExpressionAttributeValues as Record<string, string>;
        const items = this.part(input.TableName as string, values[':pk'] as string).range(values[':a'], values[':b']);
        return { Items: items };
      }
      default:
        throw new Error(`MemoryDynamo: unsupported operation ${operation}`);
    }
  }
}

/** A partition: items by sort key, the keys kept sorted for range queries. */
class Partition {
  private readonly items = new Map<string, Item>();
  private readonly keys: string[] = [];

  private lowerBound(sk: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.keys[mid] as string) < sk) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(sk: string): Item | undefined {
    return this.items.get(sk);
  }

  set(sk: string, item: Item): void {
    if (!this.items.has(sk)) this.keys.splice(this.lowerBound(sk), 0, sk);
    this.items.set(sk, item);
  }

  delete(sk: string): void {
    if (!this.items.delete(sk)) return;
    this.keys.splice(this.lowerBound(sk), 1);
  }

  /** Items with from <= sk <= to (all without a range), in sort-key order. */
  range(from: string | undefined, to: string | undefined): Item[] {
    const out: Item[] = [];
    for (let i = from === undefined ? 0 : this.lowerBound(from); i < this.keys.length; i++) {
      const sk = this.keys[i] as string;
      if (to !== undefined && sk > to) break;
      out.push(this.items.get(sk) as Item);
    }
    return out;
  }
}
