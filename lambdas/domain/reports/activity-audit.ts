/**
 * The agent activity audit report: per agent and local day, every status and
 * contact-state change with its start, end and duration, in the report's zone.
 * "The agent activity audit is like a report version of the agent event
 * stream. All of the data in this report is also in the agent event stream"
 * (Agent activity audit report,
 * https://docs.aws.amazon.com/connect/latest/adminguide/agent-activity-audit-report.html),
 * so rows come straight from an agent's timeline points.
 *
 * Columns: Agent (login), Date (local yyyy-MM-dd), Status, Contact ID and
 * Contact State (for contact rows: the agent event stream state, e.g.
 * CONNECTED, CONNECTED_ONHOLD, ENDED), Start, End (ISO 8601 with the zone's
 * offset) and Duration.
 *
 * Status names, as the page's "Status definitions" list them:
 * - status rows: the status the agent set in the CCP — Available, Offline, or
 *   the custom status's own name (Break, Lunch, ...). Status rows leave the
 *   contact columns empty.
 * - contact rows: the system status of the contact's state —
 *   | state                          | method             | Status                                                   |
 *   | INCOMING, PENDING, CONNECTING  | OUTBOUND           | Calling Customer ("before an outbound call is established") |
 *   | CONNECTING                     | CALLBACK           | Calling Customer (Connect dials the customer after the agent accepted) |
 *   | INCOMING, PENDING, CONNECTING  | any other          | Connecting Agent ("between an inbound contact being routed to an agent and the agent receiving the contact") |
 *   | CONNECTED, CONNECTED_ONHOLD    |                    | Busy ("The agent is interacting with a customer")        |
 *   | ENDED                          |                    | After Contact Work (the page lists no name for ACW; the real-time Agent activity calls it After contact work) |
 *   | MISSED                         |                    | Contact Missed ("When the agent misses a contact")       |
 *   | REJECTED                       |                    | Agent Disconnected ("... or they choose Reject")        |
 *   | ERROR                          | OUTBOUND, CALLBACK | Telecom issue ("an outbound call is ended before the call is established") |
 *   | ERROR                          | any other          | Agent Disconnected (the offer failed before the agent received it) |
 *   The method comes from the point when the store keeps it, else from the
 *   contact's record (`methodOf`); unknown, an offer is Connecting Agent.
 *
 * Segments:
 * - a status starts at the snapshot's `AgentStatus.StartTimestamp` ("the time
 *   at which the agent entered the status", Agent event streams data model,
 *   https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html),
 *   not at the event that first shows it, which can be later (the first
 *   STATE_CHANGE after a LOGIN without a snapshot); never before the LOGIN
 *   that opened the session nor before the previous status began. A point
 *   without `statusStartMs` (or with one after the event) starts at the event.
 * - a status ends where the next status begins, or at LOGOUT. Nothing is
 *   recorded between a LOGOUT and the next LOGIN: Connect keeps publishing
 *   HEART_BEATs for up to an hour after a logout ("These events continue to be
 *   published up to an hour after an agent has logged off", same page), and
 *   they do not put the agent back online.
 * - a contact segment starts when a contact appears in the snapshot or changes
 *   state, and ends at its next state change, when it leaves the snapshot, or
 *   at LOGOUT.
 * - a segment still open after the agent's last point ends at that last point
 *   (the latest instant the agent is known to have been in it; the agent
 *   report counts status time up to the same instant), or at the range end
 *   when a later point exists — so the caller passes points past the range
 *   end when it has them.
 * - segments are clipped to the range and split at local midnight, so each
 *   row lies within its Date.
 * - whether the agent is logged in before the first LOGIN/LOGOUT point:
 *   `loggedInAtStart` when the caller knows it (from the stored sessions),
 *   else logged in unless that first session point is a LOGIN. A logged-out
 *   agent is back in a session at a LOGIN, or at a STATE_CHANGE to a status
 *   other than Offline (a session whose LOGIN the data does not have: only
 *   heart beats keep coming after a logout).
 */
import { toTimelinePoint } from '../engine/agent-activity.js';
import type { TimelinePoint } from '../engine/agent-activity.js';
import type { EntityCatalog } from '../engine/entities.js';
import type { AgentEvent } from '../model/types.js';
import { addDays, localDate, localMidnight } from '../time/intervals.js';
import type { AgentFilterKey, Filters } from './definitions.js';
import { agentMatches, resolveFilters } from './filters.js';
import { csvText, formatDuration, formatInstant } from './format.js';
import type { DurationFormat } from './format.js';

export const ACTIVITY_AUDIT_HEADER = ['Agent', 'Date', 'Status', 'Contact ID', 'Contact State', 'Start', 'End', 'Duration'] as const;

/**
 * A timeline point with what the audit can use beyond `TimelinePoint`: the
 * status's StartTimestamp (optional, so a store's plain `TimelinePoint` is one).
 * Each contact's InitiationMethod is `TimelineContact.method`.
 */
export interface AuditPoint extends TimelinePoint {
  /** CurrentAgentSnapshot.AgentStatus.StartTimestamp; null or absent when unknown. */
  readonly statusStartMs?: number | null;
}

/** The audit point of one event (what a store's timeline point should carry). */
export function toAuditPoint(e: AgentEvent): AuditPoint {
  return { ...toTimelinePoint(e), statusStartMs: e.current?.status?.startMs ?? null };
}

const OFFER_STATES: ReadonlySet<string> = new Set(['INCOMING', 'PENDING', 'CONNECTING']);
const DIALLING_METHODS: ReadonlySet<string> = new Set(['OUTBOUND', 'CALLBACK']);

/** The audit's Status for a contact in `state` (see the table in the module comment). */
export function contactStatusName(state: string, method: string | null | undefined): string {
  const m = method ?? null;
  if (OFFER_STATES.has(state)) {
    if (m === 'OUTBOUND' || (m === 'CALLBACK' && state === 'CONNECTING')) return 'Calling Customer';
    return 'Connecting Agent';
  }
  switch (state) {
    case 'CONNECTED':
    case 'CONNECTED_ONHOLD':
      return 'Busy';
    case 'ENDED':
      return 'After Contact Work';
    case 'MISSED':
      return 'Contact Missed';
    case 'REJECTED':
      return 'Agent Disconnected';
    case 'ERROR':
      return m !== null && DIALLING_METHODS.has(m) ? 'Telecom issue' : 'Agent Disconnected';
    default:
      return state;
  }
}

export type AuditSegment =
  | { readonly kind: 'STATUS'; readonly status: string; readonly startMs: number; readonly endMs: number }
  | { readonly kind: 'CONTACT'; readonly contactId: string; readonly state: string; readonly status: string; readonly startMs: number; readonly endMs: number };

export interface AuditSegmentOptions {
  /** Whether the agent is logged in before its first LOGIN/LOGOUT point (see the module comment). */
  readonly loggedInAtStart?: boolean;
  /** InitiationMethod of a contact, when the point does not carry it (e.g. from its contact record). */
  readonly methodOf?: (contactId: string) => string | null;
}

/**
 * Status and contact-state segments of one agent's sorted timeline points (the
 * first may be the point in force before the range; points after the range
 * tell how long the last segment lasted), clipped to [startMs, endMs). A
 * change at an instant inside the range that lasted no time is kept as a
 * zero-length segment: it still happened.
 */
export function auditSegments(points: readonly AuditPoint[], startMs: number, endMs: number, opts: AuditSegmentOptions = {}): AuditSegment[] {
  const out: AuditSegment[] = [];
  // Held in an object: closures below reset it, which local-variable narrowing would not see.
  const open: { status: { name: string; startMs: number } | null } = { status: null };
  const contacts = new Map<string, { state: string; status: string; startMs: number }>();

  const clip = (s: number, e: number): [number, number] | null => {
    const cs = Math.max(s, startMs);
    const ce = Math.min(e, endMs);
    if (cs < ce || (s === e && s >= startMs && s < endMs)) return [cs, ce];
    return null;
  };
  const closeStatus = (at: number) => {
    const cur = open.status;
    const c = cur && clip(cur.startMs, Math.max(at, cur.startMs));
    if (cur && c) out.push({ kind: 'STATUS', status: cur.name, startMs: c[0], endMs: c[1] });
    open.status = null;
  };
  const closeContact = (id: string, at: number) => {
    const cur = contacts.get(id);
    const c = cur && clip(cur.startMs, at);
    if (cur && c) out.push({ kind: 'CONTACT', contactId: id, state: cur.state, status: cur.status, startMs: c[0], endMs: c[1] });
    contacts.delete(id);
  };
  const closeAll = (at: number) => {
    closeStatus(at);
    for (const id of [...contacts.keys()]) closeContact(id, at);
  };

  const firstSession = points.find((p) => p.type === 'LOGIN' || p.type === 'LOGOUT');
  let loggedIn = opts.loggedInAtStart ?? firstSession?.type !== 'LOGIN';
  // Nothing of a status may start before this: the LOGIN of the session, or the previous status's start.
  let floorMs = Number.NEGATIVE_INFINITY;
  let lastMs: number | null = null;

  for (const p of points) {
    lastMs = p.eventMs;
    if (p.eventMs >= endMs) break;
    const at = p.eventMs;
    if (p.type === 'LOGOUT') {
      closeAll(at);
      loggedIn = false;
      floorMs = at;
      continue;
    }
    if (p.type === 'LOGIN') {
      // A LOGIN after a LOGIN without a LOGOUT: the earlier session's segments end here.
      closeAll(at);
      loggedIn = true;
      floorMs = at;
    } else if (!loggedIn && p.type === 'STATE_CHANGE' && p.statusType !== null && p.statusType !== 'OFFLINE') {
      // Only heart beats go on after a logout: a change to an online status means the agent is in a session whose LOGIN the data lacks.
      loggedIn = true;
    }
    // Between a LOGOUT and the next LOGIN (heart beats keep coming) nothing is recorded.
    if (!loggedIn) continue;
    // A point without a snapshot (a LOGIN or LOGOUT often has none) says nothing about status or contacts.
    if (p.statusType === null) continue;
    const name = p.statusName ?? p.statusType;
    if (open.status?.name !== name) {
      const since = p.statusStartMs ?? null;
      const begins = Math.max(since !== null && since <= at ? since : at, floorMs, open.status?.startMs ?? Number.NEGATIVE_INFINITY);
      closeStatus(begins);
      open.status = { name, startMs: begins };
    }
    const present = new Set<string>();
    for (const c of p.contacts) {
      present.add(c.id);
      const was = contacts.get(c.id);
      if (was && was.state === c.state) continue;
      if (was) closeContact(c.id, at);
      contacts.set(c.id, { state: c.state, status: contactStatusName(c.state, c.method ?? opts.methodOf?.(c.id) ?? null), startMs: at });
    }
    for (const id of [...contacts.keys()]) if (!present.has(id)) closeContact(id, at);
  }
  // The last known instant: the range end when a later point exists, else the last point.
  closeAll(lastMs === null ? endMs : Math.min(endMs, lastMs));
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
  /**
   * Sorted by time; the first may be the point in force before the range.
   * Points at or after the range end only tell whether the last segment
   * lasted to the range end.
   */
  readonly points: readonly AuditPoint[];
  /** Whether the agent was logged in at the range start, when known (a stored session spans it). */
  readonly loggedInAtStart?: boolean;
}

export interface ActivityAuditOptions {
  readonly startMs: number;
  readonly endMs: number;
  readonly zone: string;
  readonly filters?: Filters<AgentFilterKey>;
  readonly durationFormat?: DurationFormat;
  /** InitiationMethod of a contact when the points do not carry it (from contact records). */
  readonly methodOf?: (contactId: string) => string | null;
}

export interface ActivityAuditReport {
  readonly header: readonly string[];
  readonly rows: readonly string[][];
  readonly warnings: readonly string[];
}

/**
 * Rows for every agent, sorted by agent login, date, start, status rows
 * before contact rows, then contact id. Routing-profile and hierarchy filters
 * match an agent when any of its points in the range carries a matching
 * configuration (agents can switch routing profiles during a day; a LOGIN or
 * LOGOUT without a snapshot carries none).
 */
export function activityAuditRows(timelines: Iterable<AgentTimeline>, catalog: EntityCatalog, opts: ActivityAuditOptions): ActivityAuditReport {
  const { startMs, endMs, zone } = opts;
  const format = opts.durationFormat ?? 'HH_MM_SS';
  const { sets, warnings } = resolveFilters(opts.filters ?? {}, catalog);

  type Keyed = { login: string; agentArn: string; startMs: number; kindOrder: number; contactId: string; row: string[] };
  const keyed: Keyed[] = [];
  for (const { agentArn, points, loggedInAtStart } of timelines) {
    if (!points.some((p) => p.eventMs < endMs && agentMatches(agentArn, p.dims, sets))) continue;
    const login = catalog.nameOf(agentArn);
    for (const seg of auditSegments(points, startMs, endMs, { loggedInAtStart, methodOf: opts.methodOf })) {
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
            csvText(seg.status),
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
