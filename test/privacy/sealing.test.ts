/**
 * Personal fields sealed with each person's own key, and erasure: destroying one person's key makes
 * their values unreadable everywhere, leaves everyone else's untouched, and is recorded without
 * the erased data.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSealedValue, unsealedPersonalFields } from '../../machines/journey';
import { youngPersonJourney } from '../../machines/young-person';
import { PersonErasedError, PersonKeyMissingError, SEALED_PLACEHOLDER, openPrivacy } from '../../privacy';

function privacy() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-sealing-test-'));
  return { dir, ...openPrivacy({ keyringFile: path.join(dir, 'keyring.json'), personKeysDir: path.join(dir, 'person-keys') }, { create: true }) };
}
const coordinator = { role: 'coordinator' as const, id: 'co-1' };

describe('sealing personal fields', () => {
  it('seals a value for its person and opens it again; the sealed form names only the journey', () => {
    const { personalData } = privacy();
    const sealed = personalData.seal('young-person-yp-1', { name: 'Jamie Example' });
    expect(isSealedValue(sealed)).toBe(true);
    expect(sealed).toMatch(/^sealed:v1:young-person-yp-1:[0-9a-f]{16}:/);
    expect(sealed).not.toMatch(/Jamie/);
    expect(personalData.open(sealed)).toEqual({ name: 'Jamie Example' });
  });

  it('seals the personal fields of a referral, after working out the age the eligibility gate needs', () => {
    const { personalData } = privacy();
    const input = {
      journeyId: 'yp-1',
      coordinatorId: 'co-1',
      startedAt: '2026-11-23T10:00:00.000Z',
      referral: {
        referredBy: { role: 'referrer', id: 'sw-1' },
        dateOfBirth: '2008-11-24',
        careExperienced: true,
        ownGoals: ['get back into college', 'make friends'],
        referrerNotes: 'prefers text messages',
        details: { name: 'Jamie Example', phone: '07700 900123' },
      },
    };
    const sealed = personalData.sealInput(youngPersonJourney, input, 'young-person-yp-1') as typeof input & { referral: { ageAtReferral: number } };
    expect(sealed.referral.ageAtReferral).toBe(17);
    expect(unsealedPersonalFields(sealed, youngPersonJourney.personalFields.input)).toEqual([]);
    expect(sealed.referral.ownGoals).toHaveLength(2);
    expect(JSON.stringify(sealed)).not.toMatch(/2008|college|text messages|Jamie|07700/);
    expect(youngPersonJourney.input.safeParse(sealed).success).toBe(true);
    expect(personalData.reveal(sealed, true)).toEqual({ ...input, referral: { ...input.referral, ageAtReferral: 17 } });
    // The plain input is not touched.
    expect(input.referral.dateOfBirth).toBe('2008-11-24');
  });

  it('shows a placeholder instead of personal values to someone not granted them', () => {
    const { personalData } = privacy();
    const sealed = { name: personalData.seal('volunteer-vol-1', 'Sam'), stage: 'training' };
    expect(personalData.reveal(sealed, false)).toEqual({ name: SEALED_PLACEHOLDER, stage: 'training' });
  });

  it('refuses a sealed value passed off as another person\'s (the subject is bound into the ciphertext)', () => {
    const { personalData } = privacy();
    personalData.seal('young-person-yp-2', 'x');
    const sealed = personalData.seal('young-person-yp-1', 'Jamie');
    const forged = sealed.replace('young-person-yp-1', 'young-person-yp-2');
    expect(() => personalData.open(forged)).toThrow(/no key|could not be decrypted/);
  });
});

describe('erasure', () => {
  it("makes one person's values unreadable everywhere, keeps others', and records who, when and why without the data", () => {
    const { personalData, dir } = privacy();
    const jamie = personalData.seal('young-person-yp-1', { name: 'Jamie Example' });
    const jamieAgain = personalData.seal('young-person-yp-1', '2008-11-24');
    const sam = personalData.seal('volunteer-vol-1', { name: 'Sam Mentor' });
    const record = personalData.keys.erase('young-person-yp-1', coordinator, 'retention period ended', new Date('2033-01-05T09:00:00Z'));
    expect(record).toMatchObject({ subject: 'young-person-yp-1', erasedAt: '2033-01-05T09:00:00.000Z', erasedBy: coordinator, reason: 'retention period ended' });

    expect(() => personalData.open(jamie)).toThrow(PersonErasedError);
    expect(() => personalData.open(jamieAgain)).toThrow(/erased on 2033-01-05 by coordinator co-1/);
    expect(personalData.reveal({ name: jamie }, true)).toEqual({ name: '[erased on 2033-01-05]' });
    expect(personalData.open(sam)).toEqual({ name: 'Sam Mentor' });

    // The key is gone from disk; the erasure log holds no personal data.
    expect(readdirSync(path.join(dir, 'person-keys', 'keys'))).toEqual(['volunteer-vol-1.json']);
    const log = readFileSync(path.join(dir, 'person-keys', 'erasures.jsonl'), 'utf8');
    expect(log).not.toMatch(/Jamie|2008/);
    expect(personalData.keys.erasures()).toEqual([record]);
  });

  it('refuses to seal anything new for an erased person, and to erase twice', () => {
    const { personalData } = privacy();
    personalData.seal('young-person-yp-1', 'x');
    personalData.keys.erase('young-person-yp-1', coordinator, 'asked to be forgotten');
    expect(() => personalData.seal('young-person-yp-1', 'again')).toThrow(PersonErasedError);
    expect(() => personalData.keys.erase('young-person-yp-1', coordinator, 'again')).toThrow(PersonErasedError);
    expect(() => personalData.keys.erase('young-person-never', coordinator, 'x')).toThrow(PersonKeyMissingError);
  });

  it('a person key store from another scheme cannot open the values: a clear error', () => {
    const a = privacy();
    const b = privacy();
    const sealed = a.personalData.seal('young-person-yp-1', 'x');
    expect(() => b.personalData.open(sealed)).toThrow(PersonKeyMissingError);
  });
});
