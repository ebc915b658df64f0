/**
 * Builds one report run from stored aggregates: the rows a definition asks for,
 * over its time range as of the run's scheduled time.
 */
import { pool } from '../domain/concurrency.js';
import { agentDims } from '../domain/engine/agent-activity.js';
import type { AgentSession, TimelinePoint } from '../domain/engine/agent-activity.js';
import type { EntityCatalog, EntityKey } from '../domain/engine/entities.js';
import { Rollup } from '../domain/engine/rollup.js';
import type { RollupRow } from '../domain/engine/rollup.js';
import type { Grouping } from '../domain/dimensions.js';
import { activityAuditRows } from '../domain/reports/activity-audit.js';
import type { AgentTimeline } from '../domain/reports/activity-audit.js';
import type { ReportDefinition } from '../domain/reports/definitions.js';
import { GROUPING_ENTITY_KIND } from '../domain/reports/filters.js';
import type { AgentConfig } from '../domain/reports/filters.js';
import { historicalReportRows, historicalRollupQuery } from '../domain/reports/historical.js';
import { loginLogoutRows, sessionAsOfMs, sessionConfig, sessionInRange } from '../domain/reports/login-logout.js';
import type { MetricReader } from '../storage/metric-store.js';
import { ReportCatalog } from './report-catalog.js';

/** Agents' timelines the login/logout report and the activity audit read at once. */
const TIMELINE_READS = 16;

export interface BuiltReport {
  readonly header: readonly string[];
  readonly rows: Iterable<readonly string[]>;
  readonly warnings: readonly string[];
}

export interface ReportRange {
  readonly startMs: number;
  readonly endMs: number;
}

const HOUR_MS = 3_600_000;
/**
 * How far past the range end the agent reports read an agent's timeline: far
 * enough to see the next event of a logged-in agent (a HEART_BEAT at least
 * every 120 s) and the first snapshot after a session without one. Reports
 * run 15 minutes after their range ends, so later events rarely exist yet.
 */
const LOOKAHEAD_MS = HOUR_MS;
/** How far before the range start the login/logout report looks for a session's configuration. */
const CONFIG_LOOKBACK_MS = 24 * HOUR_MS;

/** The agents' latest snapshots' configurations: the fallback when no timeline point carries one. */
async function agentConfigs(reader: MetricReader, agentArns: Iterable<string>): Promise<Map<string, AgentConfig>> {
  const out = new Map<string, AgentConfig>();
  for (const s of await reader.agentStatesOf(agentArns)) {
    if (s.snapshot) out.set(s.agentArn, agentDims(s.agentArn, s.snapshot.configuration));
  }
  return out;
}

/** Per session, the routing profile and hierarchy as of it (see `sessionConfig`), from each agent's timeline around its sessions. */
async function sessionConfigs(reader: MetricReader, sessions: readonly AgentSession[], range: ReportRange): Promise<Map<AgentSession, AgentConfig>> {
  const byAgent = new Map<string, AgentSession[]>();
  for (const s of sessions) {
    const list = byAgent.get(s.agentArn);
    if (list) list.push(s);
    else byAgent.set(s.agentArn, [s]);
  }
  const out = new Map<AgentSession, AgentConfig>();
  await pool([...byAgent], TIMELINE_READS, async ([agentArn, list]) => {
    const from = Math.max(Math.min(...list.map((s) => s.loginMs)), range.startMs - CONFIG_LOOKBACK_MS);
    const points: TimelinePoint[] = await reader.timeline(agentArn, from, range.endMs + LOOKAHEAD_MS);
    for (const s of list) {
      const config = sessionConfig(s, points, sessionAsOfMs(s, range.endMs));
      if (config) out.set(s, config);
    }
  });
  return out;
}

/** The entities a historical report's rows show: each grouping's ids of a catalog kind. */
function groupEntities(groupings: readonly Grouping[], rows: readonly RollupRow[]): EntityKey[] {
  const out = new Map<string, EntityKey>();
  groupings.forEach((g, i) => {
    const kind = GROUPING_ENTITY_KIND[g];
    if (kind === null) return;
    for (const r of rows) {
      const id = r.group[i];
      if (id) out.set(`${kind}\u0000${id}`, { kind, id });
    }
  });
  return [...out.values()];
}

/** Contact id → InitiationMethod, from the contact records around the range (for the audit's Calling Customer / Connecting Agent). */
async function contactMethods(reader: MetricReader, range: ReportRange): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const c of reader.contacts(range.startMs, range.endMs + LOOKAHEAD_MS)) out.set(c.contactId, c.facts.m);
  return out;
}

/**
 * `catalog`: the whole entity catalog, when the caller holds it anyway (tests checking reports against the truth);
 * without it the report reads only the entities its filters select and its rows show (report-catalog.ts).
 */
export async function buildReport(def: ReportDefinition, range: ReportRange, reader: MetricReader, catalog?: EntityCatalog): Promise<BuiltReport> {
  const names = catalog ? null : new ReportCatalog(reader);
  await names?.loadFilters(def.filters);
  const entities = catalog ?? (names as ReportCatalog).catalog;
  switch (def.type) {
    case 'HISTORICAL': {
      const { query, warnings } = historicalRollupQuery(def, range, entities);
      const rollup = new Rollup(query);
      for await (const cell of reader.cells(range.startMs, range.endMs)) rollup.add(cell);
      const result = rollup.result();
      await names?.load(groupEntities(def.groupings, result));
      const report = historicalReportRows(def, result, entities);
      return { header: report.header, rows: report.rows, warnings };
    }
    case 'LOGIN_LOGOUT': {
      const sessions = (await reader.sessions(range.startMs, range.endMs)).filter((s) => sessionInRange(s, range.startMs, range.endMs));
      const agents = new Set(sessions.map((s) => s.agentArn));
      const [fallback, configs] = await Promise.all([agentConfigs(reader, agents), sessionConfigs(reader, sessions, range)]);
      await Promise.all([names?.load([...agents].map((id) => ({ kind: 'agent' as const, id }))), names?.loadConfigs([...fallback.values(), ...configs.values()])]);
      const report = loginLogoutRows(sessions, entities, {
        startMs: range.startMs,
        endMs: range.endMs,
        zone: def.timeZone,
        filters: def.filters,
        durationFormat: def.durationFormat,
        sessionInfo: (s) => configs.get(s),
        agentInfo: (arn) => fallback.get(arn),
      });
      return report;
    }
    case 'AGENT_ACTIVITY_AUDIT': {
      const [states, sessions, methods] = await Promise.all([reader.agentStates(), reader.sessions(range.startMs, range.endMs), contactMethods(reader, range)]);
      const spanning = new Set(
        sessions.filter((s) => s.loginMs < range.startMs && (s.logoutMs === null || s.logoutMs > range.startMs)).map((s) => s.agentArn),
      );
      // An agent whose latest event is before the range and who was not logged in at its start has nothing in it
      // (logged out all along): its timeline is not read. The others' are read side by side.
      const agents = states.filter((s) => s.eventMs >= range.startMs || spanning.has(s.agentArn)).map((s) => s.agentArn);
      const timelines: AgentTimeline[] = [];
      await pool(agents, TIMELINE_READS, async (agentArn) => {
        const points = await reader.timeline(agentArn, range.startMs, range.endMs + LOOKAHEAD_MS);
        const sessionEventInRange = points.some((p) => p.eventMs >= range.startMs && p.eventMs < range.endMs && (p.type === 'LOGIN' || p.type === 'LOGOUT'));
        // Logged in at the start: a stored session spans it; with a LOGIN or LOGOUT in the range the audit infers it from
        // the first one (a LOGOUT first: a session that began before the data); with neither, the agent was logged out
        // all along, whatever the heart beats of an earlier logout say.
        const loggedInAtStart = spanning.has(agentArn) ? true : sessionEventInRange ? undefined : false;
        timelines.push({ agentArn, points, loggedInAtStart });
      });
      await names?.load(timelines.map((t) => ({ kind: 'agent' as const, id: t.agentArn })));
      return activityAuditRows(timelines, entities, {
        startMs: range.startMs,
        endMs: range.endMs,
        zone: def.timeZone,
        filters: def.filters,
        durationFormat: def.durationFormat,
        methodOf: (id) => methods.get(id) ?? null,
      });
    }
  }
}
