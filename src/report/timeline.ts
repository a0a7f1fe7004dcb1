// Timeline charts for the HTML report: records per time bin as an inline SVG bar chart.
// All types share one time axis (the same bins), so their charts can be compared by eye.

import type { MinuteCount } from '../diagnosis/types.js';

/** The bins shared by every chart of one report. */
export interface TimeAxis {
  /** 'time': bins of `binMinutes` from `startMs`; 'ordinal': one bin per distinct label, in order. */
  kind: 'time' | 'ordinal';
  startMs: number;
  binMinutes: number;
  bins: number;
  /** For 'ordinal': the labels, in order. */
  labels: string[];
}

const MINUTE = 60_000;
const NICE_BINS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200];
const MAX_BINS = 120;

/** Milliseconds of a minute label (`2025-05-17T10:05`, with or without seconds and zone), or null. */
export function parseMinute(label: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(label.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}${m[4] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : Math.floor(ms / MINUTE) * MINUTE;
}

/** One axis for all the given timelines: at most MAX_BINS bins of a round number of minutes. */
export function buildAxis(timelines: MinuteCount[][]): TimeAxis | null {
  const points = timelines.flat();
  if (points.length === 0) return null;
  const times = points.map((p) => parseMinute(p.minute));
  if (times.some((t) => t === null)) {
    const labels = [...new Set(points.map((p) => p.minute))].sort();
    return { kind: 'ordinal', startMs: 0, binMinutes: 1, bins: labels.length, labels };
  }
  const ts = times as number[];
  const start = Math.min(...ts);
  const spanMinutes = (Math.max(...ts) - start) / MINUTE + 1;
  const binMinutes = NICE_BINS.find((b) => spanMinutes / b <= MAX_BINS) ?? Math.ceil(spanMinutes / MAX_BINS);
  const alignedStart = Math.floor(start / (binMinutes * MINUTE)) * binMinutes * MINUTE;
  const bins = Math.floor((Math.max(...ts) - alignedStart) / (binMinutes * MINUTE)) + 1;
  return { kind: 'time', startMs: alignedStart, binMinutes, bins, labels: [] };
}

/** Counts per bin of one timeline on `axis`. */
export function binCounts(axis: TimeAxis, timeline: MinuteCount[]): number[] {
  const counts = new Array<number>(axis.bins).fill(0);
  for (const p of timeline) {
    let i: number;
    if (axis.kind === 'ordinal') i = axis.labels.indexOf(p.minute);
    else i = Math.floor(((parseMinute(p.minute) as number) - axis.startMs) / (axis.binMinutes * MINUTE));
    if (i >= 0 && i < counts.length) counts[i] += p.count;
  }
  return counts;
}

/** The label of bin `i`: `2025-05-17 10:05` (UTC) or the ordinal label. */
export function binLabel(axis: TimeAxis, i: number): string {
  if (axis.kind === 'ordinal') return axis.labels[i] ?? '';
  const d = new Date(axis.startMs + i * axis.binMinutes * MINUTE);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export interface ChartOptions {
  width?: number;
  height?: number;
  /** Accessible name of the chart. */
  title: string;
  /** CSS class of the bars (a colour per chart). */
  barClass?: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An inline SVG bar chart of `counts` on `axis`: one <rect class="bar"> per non-empty bin. */
export function barChartSvg(axis: TimeAxis, counts: number[], options: ChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 140;
  const left = 44;
  const right = 8;
  const top = 8;
  const bottom = 22;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...counts);
  const step = plotW / Math.max(1, counts.length);
  const barW = Math.max(1, step * 0.8);
  const unit = axis.kind === 'time' ? (axis.binMinutes === 1 ? 'per minute' : `per ${axis.binMinutes} minutes`) : 'per bin';
  const bars = counts
    .map((c, i) => {
      if (c === 0) return '';
      const h = Math.max(1, (c / max) * plotH);
      const x = left + i * step + (step - barW) / 2;
      const y = top + plotH - h;
      return `<rect class="${esc(options.barClass ?? 'bar')} bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(binLabel(axis, i))}: ${c}</title></rect>`;
    })
    .join('');
  const baseline = top + plotH;
  const firstLabel = esc(binLabel(axis, 0));
  const lastLabel = esc(binLabel(axis, counts.length - 1));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="${esc(options.title)}">` +
    `<title>${esc(options.title)} (${unit})</title>` +
    `<path class="axis" d="M${left} ${top}V${baseline}H${width - right}"/>` +
    `<path class="grid" d="M${left} ${top}H${width - right}"/>` +
    `<text class="tick" x="${left - 4}" y="${top + 4}" text-anchor="end">${max}</text>` +
    `<text class="tick" x="${left - 4}" y="${baseline}" text-anchor="end">0</text>` +
    bars +
    `<text class="tick" x="${left}" y="${height - 6}">${firstLabel}</text>` +
    (counts.length > 1 ? `<text class="tick" x="${width - right}" y="${height - 6}" text-anchor="end">${lastLabel}</text>` : '') +
    `</svg>`
  );
}
