/**
 * Issue 8's erasure test, end to end on Temporal's time-skipping server: a young person and a
 * volunteer matched, then both people erased at the end of the retention period. Their journeys'
 * histories still replay and pass compliance; their personal fields cannot be read by anyone, in
 * Temporal or in an exported file; another person's data are untouched; and a reminder due to an
 * erased volunteer fails for good, on the journey's record, instead of going anywhere.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportJourneys } from '../../audit/export';
import { complianceReport } from '../../audit';
import { loadEncodedJourneys } from '../../audit/journey-history';
import { replayJourneys } from '../../audit/replay';
import { PersonErasedError } from '../../privacy';
import { useTimeSkippingEnvironment } from '../helpers/temporal-env';
import { withJourneyWorker, workflowBundle } from '../helpers/journey-worker';
import { freshPersonKeys } from '../helpers/privacy';
import { coordinator, eventually, recordAll, referralStart, volunteerPathway, volunteerStart, youngPersonToWaiting } from '../helpers/scenario';

const env = useTimeSkippingEnvironment();
const retentionOfficer = { role: 'leadCoordinator' as const, id: 'lead-1' };

describe('erasure at the end of the retention period', () => {
  it("leaves the journeys replayable and auditable, the people's details unreadable, and everyone else's intact", async () => {
    // Keys of this test's own, so that erasing here cannot touch another test's people.
    const privacy = freshPersonKeys();
    await withJourneyWorker(env(), { privacy }, async ({ journeys, client }) => {
      const t0 = new Date(await env().currentTimeMs()).toISOString();
      const referral = referralStart('yp-erase', t0);
      await journeys.start('youngPerson', { ...referral, referral: { ...referral.referral, details: { name: 'Erin Erasable', phone: '07700 900777' } } });
      await journeys.start('youngPerson', { ...referralStart('yp-kept', t0), referral: { ...referralStart('yp-kept', t0).referral, details: { name: 'Kit Kept' } } });
      await journeys.start('volunteer', volunteerStart('vol-erase', t0), { contact: { email: 'vol.erase@example.org', firstName: 'Vee' } });
      await recordAll(journeys, 'youngPerson', 'yp-erase', youngPersonToWaiting);
      const path0 = volunteerPathway(t0.slice(0, 10));
      await recordAll(journeys, 'volunteer', 'vol-erase', [...path0.toVetting, ...path0.vetting, ...path0.training, ...path0.suitability]);
      await journeys.proposeMatch({ youngPersonId: 'yp-erase', volunteerId: 'vol-erase', by: coordinator, matchId: 'm-erase' });
      // The match journey is started by the volunteer's: wait until it has told the young person's.
      await eventually(journeys, 'youngPerson', 'yp-erase', (s) => s.stage === 'matchProposed', 'hears of the proposal');
      await journeys.record('match', 'm-erase', { type: 'introduction.held', by: coordinator, format: 'personalMeeting' });
      await journeys.record('match', 'm-erase', { type: 'youngPerson.accepted', by: coordinator });
      await eventually(journeys, 'volunteer', 'vol-erase', (s) => s.stage === 'matched', 'matched');
      expect(await journeys.personal('youngPerson', 'yp-erase', { granted: true })).toMatchObject({ details: { name: 'Erin Erasable' } });

      // Both people are erased (for the volunteer, while the match runs, so that a reminder is due).
      privacy.personalData.keys.erase('young-person-yp-erase', retentionOfficer, 'retention period ended');
      privacy.personalData.keys.erase('volunteer-vol-erase', retentionOfficer, 'asked to be forgotten');

      // Nobody can read them: not a co-ordinator through mentorflow, not anyone with the sealed values.
      const erased = await journeys.personal('youngPerson', 'yp-erase', { granted: true });
      expect(erased.details).toMatch(/^\[erased on \d{4}-\d{2}-\d{2}\]$/);
      expect(erased.dateOfBirth).toMatch(/^\[erased on/);
      expect(JSON.stringify(erased)).not.toMatch(/Erin|07700|2008-05-01/);
      const sealed = await client.workflow.getHandle('young-person-yp-erase').query<Record<string, unknown>>('personal');
      expect(() => privacy.personalData.open(sealed.details as string)).toThrow(PersonErasedError);
      // Someone else's are untouched.
      expect(await journeys.personal('youngPerson', 'yp-kept', { granted: true })).toMatchObject({ details: { name: 'Kit Kept' } });
      // Nothing new can be recorded about an erased person's details, and the refusal says why.
      await expect(
        journeys.record('youngPerson', 'yp-erase', { type: 'consent.recorded', by: coordinator, consent: 'given', ownGoals: ['x'] } as never),
      ).rejects.toMatchObject({ code: 'PERSON.ERASED' });

      // The journeys go on. The volunteer attends supervision; the invitation to the next session
      // has no address to go to: it fails for good, on the record, and the co-ordinator is told.
      await env().sleep('30 days');
      const { facts } = await journeys.status('volunteer', 'vol-erase');
      const session = facts.nextSupervision as { sessionId: string };
      await journeys.record('volunteer', 'vol-erase', { type: 'supervision.attended', by: coordinator, sessionId: session.sessionId } as never);
      const volunteer = await eventually(journeys, 'volunteer', 'vol-erase', (s) => s.failures.length > 0, 'a failed invitation');
      expect(volunteer.failures[0]).toMatchObject({ errorType: 'EMAIL.PERSON_ERASED' });
      expect(volunteer.failures[0]!.error).not.toMatch(/vol\.erase|Vee/);

      // The histories, exported, replay against the code and can be audited: no personal key needed.
      const outDir = mkdtempSync(path.join(tmpdir(), 'mentorflow-erased-export-'));
      const summary = await exportJourneys({ client, outDir, workflowIds: ['young-person-yp-erase', 'volunteer-vol-erase', 'match-m-erase'] });
      expect(summary.failed).toEqual([]);
      const exported = await loadEncodedJourneys([outDir], privacy.codec);
      const replayed = await replayJourneys(exported, { workflowBundle: await workflowBundle(), codec: privacy.codec });
      expect(replayed.map((r) => [r.workflowId, r.ok])).toEqual(expect.arrayContaining([
        ['young-person-yp-erase', true],
        ['volunteer-vol-erase', true],
        ['match-m-erase', true],
      ]));
      const report = complianceReport(exported);
      expect(report.journeys).toEqual({ youngPerson: 1, volunteer: 1, match: 1 });
      expect(report.rules.find((r) => r.id === 'match.formalEnding')).toBeDefined();
      // The exported files hold the erased people's details only as sealed values nobody can open:
      // not in the files as written, and not in their payloads decrypted with the Temporal key.
      // (Short needles are searched in decrypted text only, its sealed values' ciphertext left out:
      // "Erin" turns up by chance in kilobytes of base64 about once in fifty runs.)
      const files = summary.files.map((f) => readFileSync(f, 'utf8')).join('\n');
      expect(files).not.toMatch(/Erin Erasable|07700 900777|vol\.erase@example/);
      const decrypted = exported.flatMap((j) => j.runs.flatMap((r) => payloadTexts(r.history)));
      expect(decrypted.some((text) => text.includes('sealed:v1:young-person-yp-erase:'))).toBe(true);
      const clear = decrypted.join('\n').replace(/sealed:v1:[A-Za-z0-9_:-]+/g, '[sealed]');
      expect(clear).not.toMatch(/Erin|Erasable|07700|vol\.erase@|Vee\b/);
      expect(privacy.personalData.keys.erasures().map((e) => [e.subject, e.erasedBy.id])).toEqual([
        ['young-person-yp-erase', 'lead-1'],
        ['volunteer-vol-erase', 'lead-1'],
      ]);
    });
  }, 120_000);
});

/** The text of every payload in a history (its `data` bytes, as UTF-8). */
function payloadTexts(value: unknown): string[] {
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (record.data instanceof Uint8Array && record.metadata) return [Buffer.from(record.data).toString('utf8')];
  return Object.values(record).flatMap(payloadTexts);
}
