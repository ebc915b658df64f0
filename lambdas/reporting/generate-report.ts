/**
 * Builds one report run from stored aggregates: the rows a definition asks for,
 * over its time range as of the run's scheduled time.
 */
import { pool } from '../domain/concurrency.js';
import { agentDims } from '../domain/engine/agent-activity.js';
import type { AgentSession, TimelinePoint } from '../domain/engine/agent-activity.js';
import type { EntityCatalog } from '../domain/engine/entities.js';
import { Rollup } from '../domain/engine/rollup.js';
import { activityAuditRows } from '../domain/reports/activity-audit.js';
import type { AgentTimeline } from '../domain/reports/activity-audit.js';
import type { ReportDefinition } from '../domain/reports/definitions.js';
import type { AgentConfig } from '../domain/reports/filters.js';
import { historicalReportRows, historicalRollupQuery } from '../domain/reports/historical.js';
import { loginLogoutRows, sessionAsOfMs, sessionConfig, sessionInRange } from '../domain/reports/login-logout.js';
import type { MetricReader } from '../storage/metric-store.js';

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

/** The agent's latest snapshot's configuration: the fallback when no timeline point carries one. */
async function agentConfigs(reader: MetricReader): Promise<Map<string, AgentConfig>> {
  const out = new Map<string, AgentConfig>();
  for (const s of await reader.agentStates()) {
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

/** Contact id → InitiationMethod, from the contact records around the range (for the audit's Calling Customer / Connecting Agent). */
async function contactMethods(reader: MetricReader, range: ReportRange): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const c of reader.contacts(range.startMs, range.endMs + LOOKAHEAD_MS)) out.set(c.contactId, c.facts.m);
  return out;
}

export async function buildReport(def: ReportDefinition, range: ReportRange, reader: MetricReader, catalog?: EntityCatalog): Promise<BuiltReport> {
  const entities = catalog ?? (await reader.entities());
  switch (def.type) {
    case 'HISTORICAL': {
      const { query, warnings } = historicalRollupQuery(def, range, entities);
      const rollup = new Rollup(query);
      for await (const cell of reader.cells(range.startMs, range.endMs)) rollup.add(cell);
      const report = historicalReportRows(def, rollup.result(), entities);
      return { header: report.header, rows: report.rows, warnings };
    }
    case 'LOGIN_LOGOUT': {
      const sessions = (await reader.sessions(range.startMs, range.endMs)).filter((s) => sessionInRange(s, range.startMs, range.endMs));
      const [fallback, configs] = await Promise.all([agentConfigs(reader), sessionConfigs(reader, sessions, range)]);
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
