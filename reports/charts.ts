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

async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** A histogram of whole days, or a note that there is nothing to draw. */
function daysHistogram(values: readonly number[], what: string): TopLevelSpec {
  return {
    width: 480,
    height: 160,
    config,
    data: { values: values.map((days) => ({ days })) },
    mark: { type: 'bar', color: '#1d70b8' },
    encoding: {
      x: { field: 'days', type: 'quantitative', bin: { maxbins: 20 }, title: what },
      y: { aggregate: 'count', type: 'quantitative', title: 'matches', axis: { tickMinStep: 1, format: 'd' } },
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
        x: { field: 'count', type: 'quantitative', title: 'young people', axis: { tickMinStep: 1, format: 'd' } },
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
        y: { field: 'n', type: 'quantitative', title: 'nudges', axis: { tickMinStep: 1, format: 'd' } },
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
