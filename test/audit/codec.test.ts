/**
 * Histories whose payloads a codec encoded (a scheme that encrypts them): read decoded for the
 * timeline, replayed as stored with the codec in the SDK's data converter.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { decodeHistory } from '../../audit/history-events';
import { historyToJSON } from '../../audit/history-file';
import { HistoryFormatError, loadEncodedJourneys, loadJourneys } from '../../audit/journey-history';
import { replayJourneys } from '../../audit/replay';
import { journeyTimeline } from '../../audit/timeline';
import { workflowBundle } from '../helpers/journey-worker';
import { goldenJourney } from './golden';

const text = new TextEncoder();
const bytes = (s: string) => text.encode(s);
const base64 = (b: Uint8Array | null | undefined) => Buffer.from(b ?? new Uint8Array()).toString('base64');

/** Stands in for an encryption codec: the payload sealed into opaque, reversed bytes. */
const sealing: PayloadCodec = {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const inner = JSON.stringify({ m: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, base64(v)])), d: base64(p.data) });
      return { metadata: { encoding: bytes('binary/sealed') }, data: bytes(inner).reverse() };
    });
  },
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const { m, d } = JSON.parse(new TextDecoder().decode(Uint8Array.from(p.data ?? []).reverse())) as { m: Record<string, string>; d: string };
      return { metadata: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Uint8Array.from(Buffer.from(v, 'base64'))])), data: Uint8Array.from(Buffer.from(d, 'base64')) };
    });
  },
};

describe('histories with encoded payloads', () => {
  it('read decoded, replayed as stored: the same timeline as the plain history', async () => {
    const journey = goldenJourney('young-person-yp-late');
    const plain = journey.runs[0]!.history;
    // Seal every payload, as the scheme's workers would have.
    const sealed = await decodeHistory(plain, { encode: sealing.decode, decode: sealing.encode });
    const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-sealed-'));
    writeFileSync(path.join(dir, 'young-person-yp-late.json'), historyToJSON(sealed));

    expect(() => loadJourneys([dir])).toThrow(HistoryFormatError);
    const [read] = await loadEncodedJourneys([dir], sealing);
    expect(journeyTimeline(read!)).toEqual(journeyTimeline(journey));

    const [replayed] = await replayJourneys([read!], { workflowBundle: await workflowBundle(), codec: sealing });
    expect(replayed!.ok).toBe(true);
    // A control: without the codec the workflow cannot even read its start.
    const [unreadable] = await replayJourneys([read!], { workflowBundle: await workflowBundle() });
    expect(unreadable!.replay.ok).toBe(false);
  });
});
