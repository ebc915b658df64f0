/**
 * The in-memory engine: the reference "one clean pass over the de-duplicated
 * input". It keeps the latest version of every contact record and every
 * distinct agent event, and derives cells from them on demand. The local
 * runtime, the simulator's ground-truth tests and the streaming store's
 * exactly-once tests all compare against it.
 */
import { addPrimitives } from '../metrics/primitives.js';
import type { Primitives } from '../metrics/primitives.js';
import type { AgentEvent, Ctr } from '../model/types.js';
import type { Cell } from './cell.js';
import { cellKey } from './cell.js';
import { contactsEndedOnHold, ctrContribution } from './ctr-contribution.js';
import type { ContactJoin } from './ctr-contribution.js';
import { eventContribution, segmentContribution, sessionsOf } from './agent-activity.js';
import type { AgentSession } from './agent-activity.js';
import { EntityCatalog, entitiesOfAgentEvent, entitiesOfCtr } from './entities.js';

export type CtrOutcome = 'new' | 'updated' | 'duplicate' | 'stale';
export type AgentEventOutcome = 'new' | 'duplicate';

/** Which of two versions of a contact record wins: the later LastUpdateTimestamp. */
export function isNewerCtr(candidate: Ctr, current: Ctr): boolean {
  return candidate.lastUpdateMs > current.lastUpdateMs;
}

/**
 * Orders an agent's events: by EventTimestamp, then by EventId. The order must
 * not depend on delivery (retries, replays and late events must all give the
 * same timeline), so arrival order is deliberately not used. Two events of one
 * agent in the same millisecond make a zero-length segment either way; only
 * which snapshot governs the time after them depends on the tie-break.
 */
export function compareAgentEvents(a: { eventMs: number; eventId: string }, b: { eventMs: number; eventId: string }): number {
  return a.eventMs - b.eventMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

/** Cells of one agent's whole ordered timeline: every segment plus every event's own contribution. */
export function agentTimelineCells(ordered: readonly AgentEvent[]): Cell[] {
  const out: Cell[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const e = ordered[i] as AgentEvent;
    const next = ordered[i + 1];
    if (next) out.push(...segmentContribution(e, next.eventMs));
    out.push(...eventContribution(e));
  }
  return out;
}

/** Merges cells with the same bucket and dims. */
export function mergeCells(cells: Iterable<Cell>, into = new Map<string, Cell>()): Map<string, Cell> {
  for (const c of cells) {
    const k = cellKey(c.bucket, c.dims);
    const cur = into.get(k);
    if (!cur) {
      into.set(k, { bucket: c.bucket, dims: c.dims, values: { ...c.values } });
    } else {
      addPrimitives(cur.values as Record<string, number>, c.values);
    }
  }
  return into;
}

export interface EngineStats {
  ctrNew: number;
  ctrUpdated: number;
  ctrDuplicate: number;
  ctrStale: number;
  agentEventsNew: number;
  agentEventsDuplicate: number;
  unknownEnums: Map<string, number>;
}

export class MetricEngine {
  private readonly ctrs = new Map<string, Ctr>();
  private readonly agentEvents = new Map<string, Map<string, AgentEvent>>();
  readonly entities = new EntityCatalog();
  readonly stats: EngineStats = {
    ctrNew: 0,
    ctrUpdated: 0,
    ctrDuplicate: 0,
    ctrStale: 0,
    agentEventsNew: 0,
    agentEventsDuplicate: 0,
    unknownEnums: new Map(),
  };

  /** Records an unknown enum value seen by the parser (carried through, counted). */
  noteUnknownEnum(path: string, value: string): void {
    const k = `${path}=${value}`;
    this.stats.unknownEnums.set(k, (this.stats.unknownEnums.get(k) ?? 0) + 1);
  }

  addCtr(ctr: Ctr): CtrOutcome {
    const cur = this.ctrs.get(ctr.contactId);
    if (cur) {
      if (isNewerCtr(ctr, cur)) {
        this.ctrs.set(ctr.contactId, ctr);
        this.stats.ctrUpdated++;
        for (const e of entitiesOfCtr(ctr)) this.entities.put(e);
        return 'updated';
      }
      if (ctr.lastUpdateMs === cur.lastUpdateMs) {
        this.stats.ctrDuplicate++;
        return 'duplicate';
      }
      this.stats.ctrStale++;
      return 'stale';
    }
    this.ctrs.set(ctr.contactId, ctr);
    this.stats.ctrNew++;
    for (const e of entitiesOfCtr(ctr)) this.entities.put(e);
    return 'new';
  }

  addAgentEvent(event: AgentEvent): AgentEventOutcome {
    let byId = this.agentEvents.get(event.agentArn);
    if (!byId) {
      byId = new Map();
      this.agentEvents.set(event.agentArn, byId);
    }
    if (byId.has(event.eventId)) {
      this.stats.agentEventsDuplicate++;
      return 'duplicate';
    }
    byId.set(event.eventId, event);
    this.stats.agentEventsNew++;
    for (const e of entitiesOfAgentEvent(event)) this.entities.put(e);
    return 'new';
  }

  /** The latest version of each contact record. */
  contactRecords(): IterableIterator<Ctr> {
    return this.ctrs.values();
  }

  agentArns(): string[] {
    return [...this.agentEvents.keys()];
  }

  /** One agent's distinct events in timeline order. */
  orderedEvents(agentArn: string): AgentEvent[] {
    const byId = this.agentEvents.get(agentArn);
    if (!byId) return [];
    return [...byId.values()].sort(compareAgentEvents);
  }

  /**
   * What other records say about each contact (see `ContactJoin`): the
   * next contact's InitiationMethod, found by the contact's NextContactId or
   * by a record whose PreviousContactId names it, and whether the agent
   * events show it ending on hold.
   */
  contactJoins(): (ctr: Ctr) => ContactJoin {
    const byPrevious = new Map<string, Ctr>();
    for (const c of this.ctrs.values()) if (c.previousContactId) byPrevious.set(c.previousContactId, c);
    const endedOnHold = new Set<string>();
    for (const byId of this.agentEvents.values()) for (const e of byId.values()) for (const id of contactsEndedOnHold(e)) endedOnHold.add(id);
    return (ctr) => {
      const next = (ctr.nextContactId ? this.ctrs.get(ctr.nextContactId) : undefined) ?? byPrevious.get(ctr.contactId);
      return { successorMethod: next ? next.initiationMethod : null, endedOnHold: endedOnHold.has(ctr.contactId) };
    };
  }

  /** All aggregate cells, merged per bucket and dims. */
  cells(): Map<string, Cell> {
    const out = new Map<string, Cell>();
    const joinOf = this.contactJoins();
    mergeCells(
      (function* (ctrs: Iterable<Ctr>) {
        for (const c of ctrs) yield ctrContribution(c, joinOf(c));
      })(this.ctrs.values()),
      out,
    );
    for (const arn of this.agentEvents.keys()) mergeCells(agentTimelineCells(this.orderedEvents(arn)), out);
    return out;
  }

  sessions(): AgentSession[] {
    return this.agentArns().flatMap((arn) => sessionsOf(arn, this.orderedEvents(arn)));
  }
}

/** Sums primitives over cells (handy for totals and tests). */
export function sumCells(cells: Iterable<Cell>): Primitives {
  const acc: Record<string, number> = {};
  for (const c of cells) addPrimitives(acc, c.values);
  return acc as Primitives;
}
