/**
 * Where a run's simulated clock starts: the earliest event among the records
 * the handlers will accept. A record counts only if it parses and validates
 * with the same domain parsers the stream handlers use, so a record they
 * dead-letter (not JSON, a missing field, a zone-less or impossible timestamp)
 * can never move the clock — a stray line dated 1970 must not make the
 * scheduler wake every 15 minutes from 1970 on. Observed record by record as
 * the input streams by: nothing is held.
 */
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import { parseCtr } from '../../lambdas/domain/model/ctr.js';

export type ClockSource = 'ctr' | 'agent-events';

export class EventClock {
  private earliest: number | null = null;
  private counted = 0;
  private ignored = 0;

  /** The earliest event time seen (epoch ms), or null when no valid record has been seen. */
  get earliestMs(): number | null {
    return this.earliest;
  }

  /** Records that moved, or could have moved, the clock. */
  get validRecords(): number {
    return this.counted;
  }

  /** Records left out because the handlers would dead-letter them. */
  get invalidRecords(): number {
    return this.ignored;
  }

  /** Takes one record's parsed JSON (undefined when the line is not JSON). */
  observe(source: ClockSource, json: unknown): void {
    const at = json === undefined ? undefined : eventTime(source, json);
    if (at === undefined) {
      this.ignored++;
      return;
    }
    this.counted++;
    if (this.earliest === null || at < this.earliest) this.earliest = at;
  }
}

/** When a valid record happened: a CTR's initiation, an agent event's EventTimestamp. */
function eventTime(source: ClockSource, json: unknown): number | undefined {
  if (source === 'ctr') {
    const r = parseCtr(json);
    return r.ok ? r.value.initiationMs : undefined;
  }
  const r = parseAgentEvent(json);
  return r.ok ? r.value.eventMs : undefined;
}
