/**
 * Agent-activity primitives over a real-time window, exact to the
 * millisecond, from one agent's timeline points (the point in force at the
 * window start, then every event in it).
 *
 * The historical engine attributes agent activity per 15-minute bucket; a
 * real-time window has arbitrary edges, so the same attribution is applied
 * with the window as the only interval:
 * - status time (online, idle, on contact, NPT, error): each segment between
 *   consecutive points, classified by the engine's `classifyPoint`, clipped to
 *   the window. The last point's segment runs until the report instant: the
 *   agent is still in that state now (the historical engine stops at the last
 *   event because it cannot know the future; a real-time report can).
 * - contact-state changes and Agent non-response (missed offers, the
 *   engine's `offerOutcome`): counted at the point where the state changes, if
 *   it lies in the window, comparing with the point before (the previous
 *   snapshot Connect sends is the previous event's current one).
 * - handle time in a custom status (Average handle time leaves it out): per
 *   contact connected, on hold or in ACW during a custom-status segment.
 * - Avg ACW ("as the 2019 guide describes"): an ACW period runs from the point
 *   where the contact becomes ENDED to the point whose snapshot no longer
 *   lists it; its time is clipped to the window and it counts once, in the
 *   window that holds its end, like `agent_acw_time` / `agent_acw_count`. A
 *   period still running now has not ended and counts for nothing yet.
 * Each result is a dims-tagged bag of primitives so callers can group by the
 * routing profile the agent had during each segment.
 */
import type { Dims } from '../dimensions.js';
import { ACTIVE_STATES, classifyPoint, offerOutcome } from '../engine/agent-activity.js';
import type { TimelinePoint } from '../engine/agent-activity.js';
import { addPrimitives } from '../metrics/primitives.js';
import type { PrimitiveId, Primitives } from '../metrics/primitives.js';

export interface DimsValues {
  readonly dims: Dims;
  readonly values: Primitives;
}

function overlap(a: number, b: number, start: number, end: number): number {
  return Math.max(0, Math.min(b, end) - Math.max(a, start));
}

/**
 * `points` in time order; the first may lie before `startMs` (the point in
 * force at the start). Points at or after `endMs` are ignored.
 */
export function agentWindowPrimitives(points: readonly TimelinePoint[], startMs: number, endMs: number): DimsValues[] {
  const out: DimsValues[] = [];
  const put = (dims: Dims, values: Partial<Record<PrimitiveId, number>>) => out.push({ dims, values });
  const inWindow = (ms: number) => ms >= startMs && ms < endMs;
  const acwStart = new Map<string, number>();
  let prev: TimelinePoint | undefined;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as TimelinePoint;
    if (p.eventMs >= endMs) break;
    const next = points[i + 1];
    const segEnd = next && next.eventMs < endMs ? next.eventMs : endMs;

    // Status time of the segment that starts here (nothing after a LOGOUT, as in the engine).
    if (p.type !== 'LOGOUT' && p.statusType !== null) {
      const ms = overlap(p.eventMs, segEnd, startMs, endMs);
      if (ms > 0) {
        const k = classifyPoint(p);
        const v: Partial<Record<PrimitiveId, number>> = {};
        if (k.online) v.online_time = ms;
        if (k.custom) v.non_productive_time = ms;
        if (k.idle) v.agent_idle_time = ms;
        if (k.onContact) v.agent_on_contact_time = ms;
        if (k.error) v.error_status_time = ms;
        if (Object.keys(v).length > 0) put(p.dims, v);
        if (k.custom) {
          for (const c of p.contacts) {
            if (ACTIVE_STATES.has(c.state)) put({ ...p.dims, queue: c.queue ?? null, channel: c.channel ?? null }, { contact_time_in_custom_status: ms });
          }
        }
      }
    }

    // Contact-state changes at this point, against the point before.
    const before = new Map((prev?.contacts ?? []).map((c) => [c.id, c.state]));
    const methods = new Map((prev?.contacts ?? []).map((c) => [c.id, c.method]));
    const now = new Set<string>();
    const counted: Partial<Record<PrimitiveId, number>> = {};
    const add = (id: PrimitiveId, n: number) => (counted[id] = (counted[id] ?? 0) + n);
    for (const c of p.contacts) {
      now.add(c.id);
      const was = before.get(c.id);
      if (c.state === 'ENDED' && was !== 'ENDED' && !acwStart.has(c.id)) acwStart.set(c.id, p.eventMs);
      if (prev === undefined || was === c.state) continue;
      if (!inWindow(p.eventMs)) continue;
      add('contact_state_changes', 1);
      if (offerOutcome(was, c.state, c.method) === 'missed') add('contacts_missed', 1);
    }
    if (prev !== undefined) {
      for (const [id, state] of before) {
        if (now.has(id)) continue;
        const started = acwStart.get(id);
        acwStart.delete(id);
        if (!inWindow(p.eventMs)) continue;
        add('contact_state_changes', 1);
        if (offerOutcome(state, null, methods.get(id)) === 'missed') add('contacts_missed', 1);
        if (state === 'ENDED' && started !== undefined) {
          add('agent_acw_count', 1);
          add('agent_acw_time', overlap(started, p.eventMs, startMs, endMs));
        }
      }
    }
    if (Object.keys(counted).length > 0) put(p.dims, counted);
    prev = p;
  }
  return out;
}

/** Σ of the bags whose dims pass the filter (all of them by default). */
export function sumValues(items: Iterable<DimsValues>, keep: (d: Dims) => boolean = () => true): Primitives {
  const acc: Record<string, number> = {};
  for (const it of items) if (keep(it.dims)) addPrimitives(acc, it.values);
  return acc as Primitives;
}
