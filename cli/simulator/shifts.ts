/**
 * Shift planning in the center's local time zone: one shift per working
 * local day, with breaks, lunch and sometimes training, all drawn from a
 * per-agent-per-day random stream so a plan does not depend on what happened
 * before it.
 */
import type { AgentDef, Center, StatusDef } from './center.js';
import { Rng } from './prng.js';
import { DAY_MS, MINUTE_MS, SECOND_MS, ZoneClock } from './zone-clock.js';

export interface ShiftStep {
  readonly status: StatusDef;
  readonly plannedAtMs: number;
  readonly durationMs: number;
  /** Training only: the agent places one outbound call while in the custom status. */
  readonly outboundCallAfterMs: number | null;
}

export interface Shift {
  readonly loginMs: number;
  readonly logoutMs: number;
  readonly steps: readonly ShiftStep[];
}

/** Local calendar day as days since 1970-01-01 (of the local date, not of UTC). */
export function localDayNumber(zone: ZoneClock, utcMs: number): number {
  const p = zone.local(utcMs);
  return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / DAY_MS);
}

/**
 * The first shift of `agent` on or after local day `fromDay` that ends after
 * `afterMs`. A shift already under way at `afterMs` (window start) begins with
 * a login shortly after `afterMs`; its steps that were due earlier are dropped.
 */
export function nextShift(
  center: Center,
  zone: ZoneClock,
  seed: number,
  agent: AgentDef,
  fromDay: number,
  afterMs: number,
  untilMs: number,
): { shift: Shift; day: number } | null {
  const pattern = agent.shift;
  for (let day = fromDay; ; day++) {
    const date = new Date(day * DAY_MS);
    const dayStartUtc = zone.toUtc(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
    if (dayStartUtc - DAY_MS > untilMs) return null;
    if (pattern.daysOff.includes(date.getUTCDay())) continue;
    const rng = new Rng(seed, 2, agent.idx, day);
    const nominal = zone.toUtc(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      Math.floor(pattern.startMinute / 60),
      pattern.startMinute % 60,
    );
    let loginMs = nominal + rng.int(-8 * MINUTE_MS, 8 * MINUTE_MS);
    const logoutMs = loginMs + pattern.lengthMin * MINUTE_MS + rng.int(0, 10 * MINUTE_MS);
    if (logoutMs <= afterMs) continue;
    if (loginMs < afterMs) loginMs = afterMs + rng.int(0, 120 * SECOND_MS);
    const steps = planSteps(center, rng, pattern.partTime, nominal).filter((s) => s.plannedAtMs > loginMs);
    return { shift: { loginMs, logoutMs, steps }, day };
  }
}

function planSteps(center: Center, rng: Rng, partTime: boolean, startMs: number): ShiftStep[] {
  const { breakStatus, lunch, training } = center.statuses;
  const jitter = (min: number): number => rng.int(-min * MINUTE_MS, min * MINUTE_MS);
  const dur = (min: number): number => min * MINUTE_MS + rng.int(-90 * SECOND_MS, 90 * SECOND_MS);
  const step = (status: StatusDef, plannedAtMs: number, durationMs: number, outboundCallAfterMs: number | null = null): ShiftStep => ({
    status,
    plannedAtMs,
    durationMs,
    outboundCallAfterMs,
  });
  if (partTime) return [step(breakStatus, startMs + 130 * MINUTE_MS + jitter(15), dur(15))];
  const steps = [
    step(breakStatus, startMs + 120 * MINUTE_MS + jitter(15), dur(15)),
    step(lunch, startMs + 240 * MINUTE_MS + jitter(20), dur(rng.chance(0.7) ? 30 : 45)),
  ];
  const late = startMs + 390 * MINUTE_MS + jitter(15);
  if (rng.chance(0.12)) {
    const call = rng.chance(0.35) ? rng.int(5, 20) * MINUTE_MS : null;
    steps.push(step(training, late, dur(rng.pick([60, 75, 90])), call));
  } else {
    steps.push(step(breakStatus, late, dur(15)));
  }
  return steps;
}
