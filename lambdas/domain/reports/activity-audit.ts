/**
 * The agent activity audit report: per agent and local day, every status and
 * contact-state change with its start, end and duration, in the report's zone.
 * "The agent activity audit is like a report version of the agent event
 * stream. All of the data in this report is also in the agent event stream"
 * (agent-activity-audit-report.md), so rows come straight from an agent's
 * timeline points.
 *
 * Columns: Agent (login), Date (local yyyy-MM-dd), Status (the agent status
 * name: Available, Offline or a custom status, as in the doc's Status column),
 * Contact ID and Contact State (for contact rows: the agent event stream state,
 * e.g. CONNECTED, CONNECTED_ONHOLD, ENDED — timeline points carry no initiation
 * method, so the doc's voice labels such as "Calling Customer" vs "Connecting
 * Agent" cannot be told apart), Start, End (ISO 8601 with the zone's offset) and
 * Duration. Status rows leave the contact columns empty; contact rows leave
 * Status empty.
 *
 * Segments:
 * - a status segment starts at the point where the status name changes and
 *   ends at the next change, or at LOGOUT; nothing is recorded between LOGOUT
 *   and the next LOGIN.
 * - a contact segment starts when a contact appears in the snapshot or changes
 *   state, and ends at its next state change, when it leaves the snapshot, or
 *   at LOGOUT.
 * - a segment still open after the last point ends at the range end.
 * - segments are clipped to the range and split at local midnight, so each
 *   row lies within its Date.
 */
import type { TimelinePoint } from '../engine/agent-activity.js';
import type { EntityCatalog } from '../engine/entities.js';
import { addDays, localDate, localMidnight } from '../time/intervals.js';
import type { AgentFilterKey, Filters } from './definitions.js';
import { agentMatches, resolveFilters } from './filters.js';
import { csvText, formatDuration, formatInstant } from './format.js';
import type { DurationFormat } from './format.js';

export const ACTIVITY_AUDIT_HEADER = ['Agent', 'Date', 'Status', 'Contact ID', 'Contact State', 'Start', 'End', 'Duration'] as const;

export type AuditSegment =
  | { readonly kind: 'STATUS'; readonly status: string; readonly startMs: number; readonly endMs: number }
  | { readonly kind: 'CONTACT'; readonly contactId: string; readonly state: string; readonly startMs: number; readonly endMs: number };

/**
 * Status and contact-state segments of one agent's sorted timeline points (the
 * first may be the point in force before the range), clipped to
 * [startMs, endMs). A change at an instant inside the range that lasted no
 * time is kept as a zero-length segment: it still happened.
 */
export function auditSegments(points: readonly TimelinePoint[], startMs: number, endMs: number): AuditSegment[] {
  const out: AuditSegment[] = [];
  // Held in an object: closures below reset it, which local-variable narrowing would not see.
  const open: { status: { name: string; startMs: number } | null } = { status: null };
  const contacts = new Map<string, { state: string; startMs: number }>();

  const clip = (s: number, e: number): [number, number] | null => {
    const cs = Math.max(s, startMs);
    const ce = Math.min(e, endMs);
    if (cs < ce || (s === e && s >= startMs && s < endMs)) return [cs, ce];
    return null;
  };
  const closeStatus = (at: number) => {
    const cur = open.status;
    const c = cur && clip(cur.startMs, at);
    if (cur && c) out.push({ kind: 'STATUS', status: cur.name, startMs: c[0], endMs: c[1] });
    open.status = null;
  };
  const closeContact = (id: string, at: number) => {
    const cur = contacts.get(id);
    const c = cur && clip(cur.startMs, at);
    if (cur && c) out.push({ kind: 'CONTACT', contactId: id, state: cur.state, startMs: c[0], endMs: c[1] });
    contacts.delete(id);
  };

  for (const p of points) {
    if (p.eventMs >= endMs) break;
    const at = p.eventMs;
    if (p.type === 'LOGOUT') {
      closeStatus(at);
      for (const id of [...contacts.keys()]) closeContact(id, at);
      continue;
    }
    // A point without a snapshot says nothing about status or contacts.
    if (p.statusType === null) continue;
    const name = p.statusName ?? p.statusType;
    if (open.status?.name !== name) {
      closeStatus(at);
      open.status = { name, startMs: at };
    }
    const present = new Set<string>();
    for (const c of p.contacts) {
      present.add(c.id);
      const was = contacts.get(c.id);
      if (was && was.state === c.state) continue;
      if (was) closeContact(c.id, at);
      contacts.set(c.id, { state: c.state, startMs: at });
    }
    for (const id of [...contacts.keys()]) if (!present.has(id)) closeContact(id, at);
  }
  closeStatus(endMs);
  for (const id of [...contacts.keys()]) closeContact(id, endMs);
  return out;
}

/** Splits [startMs, endMs) at local midnights: one piece per local day. */
function byLocalDay(startMs: number, endMs: number, zone: string): Array<{ date: string; startMs: number; endMs: number }> {
  const out: Array<{ date: string; startMs: number; endMs: number }> = [];
  let s = startMs;
  do {
    const date = localDate(s, zone);
    const next = localMidnight(addDays(date, 1), zone);
    const e = Math.min(endMs, next);
    out.push({ date, startMs: s, endMs: e });
    s = e;
  } while (s < endMs);
  return out;
}

export interface AgentTimeline {
  readonly agentArn: string;
  /** Sorted by time; the first may be the point in force before the range. */
  readonly points: readonly TimelinePoint[];
}

export interface ActivityAuditOptions {
  readonly startMs: number;
  readonly endMs: number;
  readonly zone: string;
  readonly filters?: Filters<AgentFilterKey>;
  readonly durationFormat?: DurationFormat;
}

export interface ActivityAuditReport {
  readonly header: readonly string[];
  readonly rows: readonly string[][];
  readonly warnings: readonly string[];
}

/**
 * Rows for every agent, sorted by agent login, date, start, status rows
 * before contact rows, then contact id. Routing-profile and hierarchy filters
 * match an agent when any of its points in the timeline carries a matching
 * configuration (agents can switch routing profiles during a day).
 */
export function activityAuditRows(timelines: Iterable<AgentTimeline>, catalog: EntityCatalog, opts: ActivityAuditOptions): ActivityAuditReport {
  const { startMs, endMs, zone } = opts;
  const format = opts.durationFormat ?? 'HH_MM_SS';
  const { sets, warnings } = resolveFilters(opts.filters ?? {}, catalog);

  type Keyed = { login: string; agentArn: string; startMs: number; kindOrder: number; contactId: string; row: string[] };
  const keyed: Keyed[] = [];
  for (const { agentArn, points } of timelines) {
    if (!points.some((p) => agentMatches(agentArn, p.dims, sets))) continue;
    const login = catalog.nameOf(agentArn);
    for (const seg of auditSegments(points, startMs, endMs)) {
      for (const piece of byLocalDay(seg.startMs, seg.endMs, zone)) {
        const contactId = seg.kind === 'CONTACT' ? seg.contactId : '';
        keyed.push({
          login,
          agentArn,
          startMs: piece.startMs,
          kindOrder: seg.kind === 'STATUS' ? 0 : 1,
          contactId,
          // Login, status, contact id and state come from input: neutralised as CSV text (format.ts).
          row: [
            csvText(login),
            piece.date,
            csvText(seg.kind === 'STATUS' ? seg.status : ''),
            csvText(contactId),
            csvText(seg.kind === 'CONTACT' ? seg.state : ''),
            formatInstant(piece.startMs, zone),
            formatInstant(piece.endMs, zone),
            formatDuration((piece.endMs - piece.startMs) / 1000, format),
          ],
        });
      }
    }
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  keyed.sort(
    (a, b) =>
      cmp(a.login, b.login) || cmp(a.agentArn, b.agentArn) || a.startMs - b.startMs || a.kindOrder - b.kindOrder || cmp(a.contactId, b.contactId),
  );
  return { header: [...ACTIVITY_AUDIT_HEADER], rows: keyed.map((k) => k.row), warnings };
}
