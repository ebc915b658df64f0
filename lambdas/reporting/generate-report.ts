/**
 * Builds one report run from stored aggregates: the rows a definition asks for,
 * over its time range as of the run's scheduled time.
 */
import { agentDims } from '../domain/engine/agent-activity.js';
import type { EntityCatalog } from '../domain/engine/entities.js';
import { Rollup } from '../domain/engine/rollup.js';
import { activityAuditRows } from '../domain/reports/activity-audit.js';
import type { ReportDefinition } from '../domain/reports/definitions.js';
import type { AgentConfig } from '../domain/reports/filters.js';
import { historicalReportRows, historicalRollupQuery } from '../domain/reports/historical.js';
import { loginLogoutRows } from '../domain/reports/login-logout.js';
import type { MetricReader } from '../storage/metric-store.js';

export interface BuiltReport {
  readonly header: readonly string[];
  readonly rows: Iterable<readonly string[]>;
  readonly warnings: readonly string[];
}

export interface ReportRange {
  readonly startMs: number;
  readonly endMs: number;
}

async function agentConfigs(reader: MetricReader): Promise<Map<string, AgentConfig>> {
  const out = new Map<string, AgentConfig>();
  for (const s of await reader.agentStates()) {
    if (s.snapshot) out.set(s.agentArn, agentDims(s.agentArn, s.snapshot.configuration));
  }
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
      const configs = await agentConfigs(reader);
      const sessions = await reader.sessions(range.startMs, range.endMs);
      const report = loginLogoutRows(sessions, entities, {
        startMs: range.startMs,
        endMs: range.endMs,
        zone: def.timeZone,
        filters: def.filters,
        durationFormat: def.durationFormat,
        agentInfo: (arn) => configs.get(arn),
      });
      return report;
    }
    case 'AGENT_ACTIVITY_AUDIT': {
      const agents = (await reader.agentStates()).map((s) => s.agentArn);
      const timelines = [];
      for (const agentArn of agents) timelines.push({ agentArn, points: await reader.timeline(agentArn, range.startMs, range.endMs) });
      return activityAuditRows(timelines, entities, { startMs: range.startMs, endMs: range.endMs, zone: def.timeZone, filters: def.filters, durationFormat: def.durationFormat });
    }
  }
}
