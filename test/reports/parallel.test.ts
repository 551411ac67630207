/**
 * The scheme report read on several threads gives exactly the report read in one: the readings
 * cross to the workers as history bytes and come back as plain data.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../machines/policy';
import { readJourneys } from '../../reports/parallel';
import { readJourney } from '../../reports/reading';
import { schemeReport, schemeReportInParallel } from '../../reports/scheme';
import { goldenJourneys } from '../audit/golden';

const period = { from: '2026-11-01T00:00:00.000Z', to: '2027-06-01T00:00:00.000Z', policy: defaultPolicy };

describe('the scheme report on several threads', () => {
  // Enough journeys that the work is split (small sets are read in the calling thread).
  const golden = goldenJourneys();
  const many = Array.from({ length: Math.ceil(250 / golden.length) }, () => golden).flat();

  it('reads every journey as one thread does, in the order given', async () => {
    const progress: number[] = [];
    const readings = await readJourneys(many, period.to, { threads: 2, onProgress: (done) => progress.push(done) });
    expect(readings).toEqual(many.map((j) => readJourney(j, period.to)));
    expect(progress.at(-1)).toBe(many.length);
  }, 120_000);

  it('gives the same report', async () => {
    const parallel = await schemeReportInParallel(many, { ...period, threads: 2 });
    expect(parallel).toEqual(schemeReport(many, period));
    expect(parallel.matches.started.count).toBeGreaterThan(0);
  }, 120_000);
});
