/**
 * The Login/Logout report: one row per agent session.
 *
 * Inclusion follows login-logout-reports.md, "A Login/Logout report includes
 * only login or logout actions by your users that occurred during the
 * specified time range":
 * - logged in during the range → included; "If user logged in during the time
 *   range and did not log out, the report shows a login time but not a logout
 *   time". A logout after the range end is not shown either: as of the end of
 *   the range the agent was still logged in, and a rerun gives the same file.
 * - logged in before the range and logged out during it → included with both
 *   times: "the report shows both the login and logout times even though the
 *   login occurred before the start of the time range".
 * - logged in before the range and still logged in at its end → not included:
 *   no login or logout action occurred during the range.
 *
 * Session Duration is logout − login for a closed session (the whole session,
 * also when it began before the range: "so you can view the duration of the
 * user session associated with the most recent logout"), and range end − login
 * for a session still open at the range end: the time logged in so far. The
 * empty Logout Time marks it as ongoing.
 *
 * More than 10,000 rows: `RowLimitExceededError`, and nothing is written: "If
 * you schedule a Login/Logout report that contains more than 10,000 rows, the
 * report will fail ... no report output will be saved to your S3 bucket".
 */
import type { AgentSession } from '../engine/agent-activity.js';
import type { EntityCatalog } from '../engine/entities.js';
import type { AgentFilterKey, Filters } from './definitions.js';
import { agentMatches, resolveFilters } from './filters.js';
import type { AgentConfig } from './filters.js';
import { csvText, formatDuration, formatInstant } from './format.js';
import type { DurationFormat } from './format.js';

export const LOGIN_LOGOUT_ROW_LIMIT = 10_000;

export const LOGIN_LOGOUT_HEADER = [
  'Agent',
  'Agent First Name',
  'Agent Last Name',
  'Routing Profile',
  'Agent Hierarchy',
  'Login Time',
  'Logout Time',
  'Session Duration',
] as const;

/** Separator between hierarchy level names in the Agent Hierarchy column (level one first). */
export const HIERARCHY_SEPARATOR = ' / ';

export class RowLimitExceededError extends Error {
  constructor(
    readonly rows: number,
    readonly limit: number,
  ) {
    super(`Login/logout report has ${rows} rows, more than the limit of ${limit}: nothing is written. Use a shorter time range or filters.`);
    this.name = 'RowLimitExceededError';
  }
}

export interface LoginLogoutOptions {
  readonly startMs: number;
  readonly endMs: number;
  readonly zone: string;
  readonly filters?: Filters<AgentFilterKey>;
  readonly durationFormat?: DurationFormat;
  /**
   * The agent's routing profile and hierarchy group ids (e.g. the dims of its
   * latest timeline point). Used for the Routing Profile and Agent Hierarchy
   * columns (names from the catalog) and for those filters; an agent without
   * it shows empty columns and passes only AGENT filters.
   */
  readonly agentInfo?: (agentArn: string) => AgentConfig | undefined;
  /** Defaults to LOGIN_LOGOUT_ROW_LIMIT. */
  readonly rowLimit?: number;
}

export interface LoginLogoutReport {
  readonly header: readonly string[];
  readonly rows: readonly string[][];
  /** Filter values that match no known entity. */
  readonly warnings: readonly string[];
}

/** Whether a session has a login or a logout in [startMs, endMs). */
export function sessionInRange(s: AgentSession, startMs: number, endMs: number): boolean {
  const loginIn = s.loginMs >= startMs && s.loginMs < endMs;
  const logoutIn = s.logoutMs !== null && s.logoutMs >= startMs && s.logoutMs < endMs;
  return loginIn || logoutIn;
}

/**
 * The report's rows, sorted by agent login, then login time. Throws
 * `RowLimitExceededError` when there would be more than the row limit.
 */
export function loginLogoutRows(sessions: Iterable<AgentSession>, catalog: EntityCatalog, opts: LoginLogoutOptions): LoginLogoutReport {
  const { startMs, endMs, zone } = opts;
  const format = opts.durationFormat ?? 'HH_MM_SS';
  const limit = opts.rowLimit ?? LOGIN_LOGOUT_ROW_LIMIT;
  const { sets, warnings } = resolveFilters(opts.filters ?? {}, catalog);

  const kept: Array<{ login: string; session: AgentSession; config: AgentConfig | undefined }> = [];
  for (const s of sessions) {
    if (!sessionInRange(s, startMs, endMs)) continue;
    const config = opts.agentInfo?.(s.agentArn);
    if (!agentMatches(s.agentArn, config, sets)) continue;
    kept.push({ login: catalog.nameOf(s.agentArn), session: s, config });
  }
  if (kept.length > limit) throw new RowLimitExceededError(kept.length, limit);

  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  kept.sort((a, b) => cmp(a.login, b.login) || a.session.loginMs - b.session.loginMs || cmp(a.session.agentArn, b.session.agentArn));

  const name = (id: string | null | undefined) => (id ? catalog.nameOf(id) : '');
  const rows = kept.map(({ login, session, config }) => {
    const agent = catalog.get(session.agentArn);
    const closed = session.logoutMs !== null && session.logoutMs < endMs ? session.logoutMs : null;
    const hierarchy = config ? [config.hierarchy1, config.hierarchy2, config.hierarchy3, config.hierarchy4, config.hierarchy5].filter((h): h is string => h !== null) : [];
    // Names come from input: neutralised as CSV text (format.ts).
    return [
      csvText(login),
      csvText(agent?.firstName ?? ''),
      csvText(agent?.lastName ?? ''),
      csvText(name(config?.routingProfile)),
      csvText(hierarchy.map(name).join(HIERARCHY_SEPARATOR)),
      formatInstant(session.loginMs, zone),
      closed === null ? '' : formatInstant(closed, zone),
      formatDuration(((closed ?? endMs) - session.loginMs) / 1000, format),
    ];
  });
  return { header: [...LOGIN_LOGOUT_HEADER], rows, warnings };
}
