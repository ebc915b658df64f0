/**
 * Guards for JSON documents that arrive already parsed (EventBridge hands a
 * Lambda function the event as an object): a document nested thousands of
 * levels deep is valid JSON, and every recursive walk over it — zod, error
 * rendering, `JSON.stringify` — throws `RangeError: Maximum call stack size
 * exceeded` (JSON.stringify does from about 5,000 levels on Node.js 20).
 * Both functions here walk iteratively, so they work at any depth.
 */
import { MAX_JSON_DEPTH, MAX_JSON_VALUES } from './limits.js';
import { formatPath } from './validation.js';
import type { ValidationIssue } from './validation.js';

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Frame | null;
  readonly key: PropertyKey;
}

function pathOf(frame: Frame): string {
  const keys: PropertyKey[] = [];
  for (let f: Frame | null = frame; f !== null && f.parent !== null; f = f.parent) keys.push(f.key);
  return formatPath(keys.reverse());
}

/**
 * An issue when `raw` nests objects and arrays more than `maxDepth` levels
 * deep (the document itself is level 0) or holds more than `maxValues`
 * values; null otherwise. Stops at the first excess, so the walk itself is
 * bounded by `maxValues`.
 */
export function jsonShapeIssue(raw: unknown, maxDepth = MAX_JSON_DEPTH, maxValues = MAX_JSON_VALUES): ValidationIssue | null {
  const stack: Frame[] = [{ value: raw, depth: 0, parent: null, key: '' }];
  let values = 0;
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (++values > maxValues) return { path: '', value: `more than ${maxValues} values`, message: `expected at most ${maxValues} values in the document` };
    const v = frame.value;
    if (v === null || typeof v !== 'object') continue;
    if (frame.depth >= maxDepth) {
      return { path: pathOf(frame), value: `nested deeper than ${maxDepth} levels`, message: `expected objects and arrays nested at most ${maxDepth} levels deep` };
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i] as unknown, depth: frame.depth + 1, parent: frame, key: i });
    } else {
      for (const key of Object.keys(v)) stack.push({ value: (v as Record<string, unknown>)[key], depth: frame.depth + 1, parent: frame, key });
    }
  }
  return null;
}

type Task = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'text'; readonly text: string } | { readonly kind: 'leave'; readonly value: object };

/**
 * `JSON.stringify(value)` for plain JSON data, without recursion: same output
 * for objects, arrays, strings, finite numbers, booleans and null (`undefined`
 * and functions are left out of objects and become `null` in arrays, like
 * JSON.stringify; `toJSON` is not called). Never throws: a cycle is written as
 * `null`, a bigint as a string. Used to keep the raw payload of a dead letter
 * whatever its depth.
 */
export function safeJsonStringify(value: unknown): string {
  const out: string[] = [];
  const open = new Set<object>();
  const tasks: Task[] = [{ kind: 'value', value }];
  const push = (t: Task) => tasks.push(t);
  while (tasks.length > 0) {
    const task = tasks.pop() as Task;
    if (task.kind === 'text') {
      out.push(task.text);
      continue;
    }
    if (task.kind === 'leave') {
      open.delete(task.value);
      continue;
    }
    const v = task.value;
    if (v === null || v === undefined || typeof v === 'function' || typeof v === 'symbol') out.push('null');
    else if (typeof v === 'string') out.push(JSON.stringify(v));
    else if (typeof v === 'number') out.push(Number.isFinite(v) ? String(v) : 'null');
    else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
    else if (typeof v === 'bigint') out.push(JSON.stringify(String(v)));
    else if (open.has(v)) out.push('null');
    else if (Array.isArray(v)) {
      open.add(v);
      // Tasks run last-in first-out: push the closing bracket first and the items in reverse.
      push({ kind: 'leave', value: v });
      push({ kind: 'text', text: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        push({ kind: 'value', value: v[i] as unknown });
        if (i > 0) push({ kind: 'text', text: ',' });
      }
      out.push('[');
    } else {
      open.add(v);
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
      push({ kind: 'leave', value: v });
      push({ kind: 'text', text: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i] as [string, unknown];
        push({ kind: 'value', value: x });
        push({ kind: 'text', text: `${i > 0 ? ',' : ''}${JSON.stringify(k)}:` });
      }
      out.push('{');
    }
  }
  return out.join('');
}
