/**
 * The scheme report's charts as SVG, drawn on the server by Vega-Lite (compiled to Vega, rendered
 * headless): the funnel, time from referral to match, match length, and nudges month by month.
 * SVG so that the HTML report needs no script and prints sharply; each chart has a title and a
 * text equivalent beside it in the report (the figures themselves), for screen readers.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { SchemeReport } from './scheme';

export interface Chart {
  id: string;
  title: string;
  /** What the chart shows, in words: the accessible name of the SVG. */
  description: string;
  svg: string;
}

const font = 'Arial, Helvetica, sans-serif';
const config = { font, axis: { labelFontSize: 12, titleFontSize: 12 }, view: { stroke: null }, background: 'white' };

/** Whole-number ticks from 0 to at least `max` (counts are never fractional). */
function countAxis(max: number, title: string) {
  const step = Math.max(1, Math.ceil(max / 5));
  const top = Math.max(1, Math.ceil(max / step) * step);
  return { title, axis: { values: Array.from({ length: top / step + 1 }, (_, i) => i * step), format: 'd' }, scale: { domain: [0, top] } };
}

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/**
 * A histogram of whole days in bins of whole weeks (wider when the values spread far), binned here
 * so that the count axis is known and ticks stay whole numbers.
 */
function daysHistogram(values: readonly number[], what: string): TopLevelSpec {
  const max = Math.max(0, ...values);
  const width = 7 * Math.max(1, Math.ceil(max / 7 / 15));
  const bins = new Map<number, number>();
  for (let start = 0; start <= max; start += width) bins.set(start, 0);
  for (const v of values) bins.set(Math.floor(v / width) * width, (bins.get(Math.floor(v / width) * width) ?? 0) + 1);
  const rows = [...bins.entries()].map(([start, n]) => ({ start, end: start + width, n }));
  return {
    width: 480,
    height: 160,
    config,
    data: { values: rows },
    mark: { type: 'rect', color: '#1d70b8', stroke: 'white', strokeWidth: 1 },
    encoding: {
      x: { field: 'start', type: 'quantitative', title: `${what} (bins of ${width} days)`, axis: { values: rows.map((r) => r.start), format: 'd' }, scale: { domain: [0, rows.at(-1)!.end] } },
      x2: { field: 'end' },
      y: { field: 'n', type: 'quantitative', ...countAxis(Math.max(0, ...rows.map((r) => r.n)), 'matches') },
      y2: { datum: 0 },
    },
  };
}

export async function reportCharts(report: SchemeReport): Promise<Chart[]> {
  const charts: Chart[] = [];
  charts.push({
    id: 'funnel',
    title: 'Young people referred in the period: how far they came',
    description: report.funnel.map((s) => `${s.step} ${s.count}`).join(', '),
    svg: await render({
      width: 480,
      height: 24 * report.funnel.length,
      config,
      data: { values: report.funnel.map((s, order) => ({ step: s.step, count: s.count, order })) },
      mark: { type: 'bar', color: '#1d70b8' },
      encoding: {
        y: { field: 'step', type: 'nominal', sort: { field: 'order' }, title: null },
        x: { field: 'count', type: 'quantitative', ...countAxis(Math.max(0, ...report.funnel.map((f) => f.count)), 'young people') },
      },
    }),
  });
  const toMatch = report.series.daysReferralToMatch;
  if (toMatch.length > 0) {
    charts.push({
      id: 'time-to-match',
      title: 'Days from referral to match (matches started in the period)',
      description: `${toMatch.length} matches; median ${report.matches.daysReferralToMatch.median} days, longest ${report.matches.daysReferralToMatch.longest}`,
      svg: await render(daysHistogram(toMatch, 'days from referral to match')),
    });
  }
  const lengths = report.series.matchLengthDays;
  if (lengths.length > 0) {
    charts.push({
      id: 'match-length',
      title: 'Match length in days (matches ended in the period)',
      description: `${lengths.length} matches; median ${report.matches.lengthDays.median} days, longest ${report.matches.lengthDays.longest}`,
      svg: await render(daysHistogram(lengths, 'days from start to formal ending')),
    });
  }
  const months = report.series.nudgesByMonth;
  charts.push({
    id: 'nudges',
    title: 'Nudges raised and escalated, month by month',
    description: months.map((m) => `${m.month}: ${m.raised} raised, ${m.escalated} escalated`).join('; '),
    svg: await render({
      width: 480,
      height: 160,
      config,
      data: { values: months.flatMap((m) => [{ month: m.month, what: 'raised', n: m.raised }, { month: m.month, what: 'escalated', n: m.escalated }]) },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'month', type: 'ordinal', title: null },
        xOffset: { field: 'what' },
        y: { field: 'n', type: 'quantitative', ...countAxis(Math.max(0, ...months.flatMap((m) => [m.raised, m.escalated])), 'nudges') },
        color: { field: 'what', type: 'nominal', title: null, scale: { domain: ['raised', 'escalated'], range: ['#1d70b8', '#d4351c'] } },
      },
    }),
  });
  // The SVG names itself for assistive technology.
  return charts.map((c) => ({ ...c, svg: c.svg.replace('<svg ', `<svg role="img" aria-label="${escapeAttribute(`${c.title}: ${c.description}`)}" `) }));
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
