/**
 * An in-memory stand-in for DynamoDB behind the document client's `send`, for
 * benchmarks that must measure this project's code and a chosen network
 * latency rather than an emulator's CPU (dynalite handles a few hundred calls
 * a second). It implements exactly the calls and condition expressions the
 * store issues (BatchGet, BatchWrite puts, conditional Put, Query, Delete);
 * anything else throws. Capacity is metered by the store itself, by
 * DynamoDB's rules, whatever the backend.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown> & { pk: string; sk: string };

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
    private readonly latencyMs = 0,
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

  /** A document client whose `send` is served from memory. */
  client(): DynamoDBDocumentClient {
    return { send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => this.send(command) } as unknown as DynamoDBDocumentClient;
  }

  private async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
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
    const input = command.input as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const clone = <T>(v: T): T => structuredClone(v);
    switch (command.constructor.name) {
      case 'BatchGetCommand': {
        const out: Record<string, Item[]> = {};
        for (const [table, req] of Object.entries(input.RequestItems as Record<string, { Keys: Item[] }>)) {
          out[table] = req.Keys.flatMap((k) => {
            const it = this.part(table, k.pk).get(k.sk);
            return it ? [clone(it)] : [];
          });
        }
        return { Responses: out, UnprocessedKeys: {} };
      }
      case 'BatchWriteCommand': {
        for (const [table, reqs] of Object.entries(input.RequestItems as Record<string, Array<{ PutRequest?: { Item: Item } }>>)) {
          for (const r of reqs) {
            if (!r.PutRequest) throw new Error('MemoryDynamo: only PutRequest is supported');
            this.part(table, r.PutRequest.Item.pk).set(r.PutRequest.Item.sk, clone(r.PutRequest.Item));
          }
        }
        return { UnprocessedItems: {} };
      }
      case 'PutCommand': {
        const item = input.Item as Item;
        const p = this.part(input.TableName as string, item.pk);
        if (input.ConditionExpression && !this.check(p.get(item.sk), input.ConditionExpression as string, input.ExpressionAttributeValues as Record<string, unknown>)) {
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        }
        p.set(item.sk, clone(item));
        return {};
      }
      case 'UpdateCommand': {
        const key = input.Key as Item;
        const p = this.part(input.TableName as string, key.pk);
        const cur: Item = { ...(p.get(key.sk) ?? { pk: key.pk, sk: key.sk }) };
        const names = input.ExpressionAttributeNames as Record<string, string>;
        const values = input.ExpressionAttributeValues as Record<string, unknown>;
        const expr = String(input.UpdateExpression);
        if (!expr.startsWith('SET ')) throw new Error(`MemoryDynamo: unsupported update ${expr}`);
        for (const part of expr.slice(4).split(', ')) {
          const [n, v] = part.split(' = ') as [string, string];
          cur[names[n] as string] = clone(values[v]);
        }
        p.set(key.sk, cur);
        return {};
      }
      case 'DeleteCommand': {
        const p = this.part(input.TableName as string, (input.Key as Item).pk);
        if (input.ConditionExpression && !this.check(p.get((input.Key as Item).sk), input.ConditionExpression as string, input.ExpressionAttributeValues as Record<string, unknown>)) {
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        }
        p.delete((input.Key as Item).sk);
        return {};
      }
      case 'QueryCommand': {
        const values = input.ExpressionAttributeValues as Record<string, string>;
        const items = this.part(input.TableName as string, values[':pk'] as string).range(values[':a'], values[':b']);
        return { Items: items.map(clone) };
      }
      default:
        throw new Error(`MemoryDynamo: unsupported command ${command.constructor.name}`);
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
