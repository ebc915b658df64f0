/**
 * The local dashboard as one self-contained HTML page: inline CSS and inline
 * SVG charts drawn here, no script, no external resource, so it opens from
 * disk anywhere (and in a headless browser in the tests).
 */
import { formatInTimeZone } from 'date-fns-tz';
import type { ChartModel } from './charts.js';

export interface PipelineSummary {
  /** Label → value tiles (records applied, dead letters, report runs …). */
  readonly tiles: ReadonlyArray<{ readonly label: string; readonly value: string; readonly note?: string }>;
  readonly charts: readonly ChartModel[];
}

export interface TableModel {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  readonly note?: string;
}

export interface DashboardModel {
  readonly title: string;
  readonly subtitle: string;
  readonly timeZone: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly rows: ReadonlyArray<{ readonly title: string; readonly charts: readonly ChartModel[] }>;
  readonly pipeline: PipelineSummary;
  readonly tables: readonly TableModel[];
  readonly notes: readonly string[];
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A round tick step for `ticks` steps reaching at least `max`: 1, 2, 2.5 or 5 times a power of ten (whole numbers below 1 avoided for counts). */
export function niceStep(max: number, ticks = 4): number {
  if (!(max > 0)) return 1 / ticks;
  const raw = max / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

const fmtNumber = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3))));

const W = 560;
const H = 220;
const M = { left: 46, right: 12, top: 12, bottom: 26 };

export function chartSvg(c: ChartModel, range: { startMs: number; endMs: number }, timeZone: string): string {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const values = c.series.flatMap((s) => s.points.map((p) => p.v));
  const TICKS = 4;
  const yStep = niceStep(Math.max(0, ...values, c.annotation?.value ?? 0), TICKS);
  const yMax = yStep * TICKS;
  const x = (t: number) => M.left + ((t - range.startMs) / (range.endMs - range.startMs)) * plotW;
  const y = (v: number) => M.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [];
  // Grid and axes.
  for (let i = 0; i <= TICKS; i++) {
    const v = yStep * i;
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`);
    parts.push(`<text class="tick" x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${fmtNumber(v)}</text>`);
  }
  const span = range.endMs - range.startMs;
  const step = span > 12 * 3600_000 ? 3 * 3600_000 : span > 4 * 3600_000 ? 3600_000 : 15 * 60_000;
  for (let t = range.startMs; t <= range.endMs; t += step) {
    parts.push(`<line class="grid" x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${M.top}" y2="${M.top + plotH}"/>`);
    parts.push(`<text class="tick" x="${x(t).toFixed(1)}" y="${H - 8}" text-anchor="middle">${formatInTimeZone(t, timeZone, 'HH:mm')}</text>`);
  }
  if (c.annotation) {
    const ay = y(c.annotation.value).toFixed(1);
    parts.push(`<line class="annotation" x1="${M.left}" x2="${W - M.right}" y1="${ay}" y2="${ay}"/>`);
    parts.push(`<text class="annotation-label" x="${W - M.right - 4}" y="${(Number(ay) - 4).toFixed(1)}" text-anchor="end">${escapeHtml(c.annotation.label)}</text>`);
  }
  c.series.forEach((s, i) => {
    if (s.points.length === 0) return;
    // A period without a datapoint is a gap (CloudWatch draws none), not a line to the next point.
    const gap = c.periodSec * 1000 * 1.5;
    // Every subpath starts with a zero-length segment so that, with round caps, a lone datapoint still shows as a dot.
    const d = s.points
      .map((p, j) => {
        const xy = `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
        return j === 0 || p.t - (s.points[j - 1] as { t: number }).t > gap ? `M${xy} l0,0` : `L${xy}`;
      })
      .join(' ');
    parts.push(`<path class="series" data-label="${escapeHtml(s.label)}" d="${d}" stroke="${PALETTE[i % PALETTE.length]}"/>`);
  });
  return `<svg class="chart" data-chart="${escapeHtml(c.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(c.title)}">${parts.join('')}</svg>`;
}

function chartCard(c: ChartModel, range: { startMs: number; endMs: number }, timeZone: string): string {
  const caption = `${c.stat} per ${c.periodSec >= 60 ? `${c.periodSec / 60} min` : `${c.periodSec} s`}`;
  const hasData = c.series.some((s) => s.points.length > 0);
  if (!hasData) {
    return `<section class="card empty" data-widget="${escapeHtml(c.id)}"><h3>${escapeHtml(c.title)}</h3><p class="note">No data. ${escapeHtml(c.emptyNote ?? '')}</p></section>`;
  }
  const legend = c.series.map((s, i) => `<span class="key"><i style="background:${PALETTE[i % PALETTE.length]}"></i>${escapeHtml(s.label)}</span>`).join('');
  return `<section class="card" data-widget="${escapeHtml(c.id)}"><h3>${escapeHtml(c.title)} <small>${escapeHtml(caption)}</small></h3>${chartSvg(c, range, timeZone)}<div class="legend">${legend}</div></section>`;
}

function table(t: TableModel): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('');
  return `<section class="card wide"><h3>${escapeHtml(t.title)}</h3>${t.note ? `<p class="note">${escapeHtml(t.note)}</p>` : ''}<table><thead><tr>${head}</tr></thead><tbody>${body || `<tr><td colspan="${t.columns.length}">No agent online.</td></tr>`}</tbody></table></section>`;
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#16191f}
header{background:#232f3e;color:#fff;padding:14px 22px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#d5dbdb;font-size:13px}
main{padding:14px 22px}h2{font-size:16px;margin:18px 0 8px;color:#232f3e}
.row{display:flex;flex-wrap:wrap;gap:14px}.card{background:#fff;border:1px solid #d5dbdb;border-radius:6px;padding:10px 12px}
.card.wide{flex:1 1 100%;overflow-x:auto}.card h3{margin:0 0 6px;font-size:14px}.card h3 small{color:#687078;font-weight:normal}
.chart .grid{stroke:#e9ebed;stroke-width:1}.chart .tick{font-size:10px;fill:#687078}.chart .series{fill:none;stroke-width:1.6;stroke-linecap:round;stroke-linejoin:round}
.chart .annotation{stroke:#d13212;stroke-dasharray:5 4;stroke-width:1.2}.chart .annotation-label{font-size:10px;fill:#d13212}
.legend{font-size:11px;display:flex;flex-wrap:wrap;gap:10px;max-width:${W}px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.tiles{display:flex;gap:14px;flex-wrap:wrap}.tile{background:#fff;border:1px solid #d5dbdb;border-radius:6px;padding:10px 14px;min-width:150px}
.tile b{display:block;font-size:22px}.tile span{font-size:12px;color:#687078}.note{font-size:12px;color:#687078;max-width:${W}px}
table{border-collapse:collapse;font-size:12px}th,td{border-bottom:1px solid #e9ebed;padding:4px 8px;text-align:left;white-space:nowrap}th{background:#fafafa}
footer{padding:10px 22px 24px;font-size:12px;color:#687078}
`;

export function renderDashboard(m: DashboardModel): string {
  const range = { startMs: m.startMs, endMs: m.endMs };
  const rows = m.rows
    .map((r) => `<h2>${escapeHtml(r.title)}</h2><div class="row">${r.charts.map((c) => chartCard(c, range, m.timeZone)).join('')}</div>`)
    .join('');
  const tiles = m.pipeline.tiles
    .map((t) => `<div class="tile"><b>${escapeHtml(t.value)}</b><span>${escapeHtml(t.label)}</span>${t.note ? `<p class="note">${escapeHtml(t.note)}</p>` : ''}</div>`)
    .join('');
  const pipeline = `<h2>Pipeline</h2><div class="tiles">${tiles}</div><div class="row" style="margin-top:14px">${m.pipeline.charts.map((c) => chartCard(c, range, m.timeZone)).join('')}</div>`;
  const tables = m.tables.map(table).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(m.title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(m.title)}</h1><p>${escapeHtml(m.subtitle)}</p></header>
<main>${rows}${pipeline}<h2>Current agent states</h2><div class="row">${tables}</div></main>
<footer>${m.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('')}</footer></body></html>
`;
}
