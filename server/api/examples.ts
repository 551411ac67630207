/**
 * One worked example for each request body that starts a journey or records an event, shown in
 * the OpenAPI document (and so in the API docs page) and tried first by the API fuzzer. `by` is
 * left out of events: the API fills it in with the caller. test/server/api-examples.test.ts checks
 * that each one passes its own schema, so they cannot drift from what the API accepts.
 */
import type { JourneyKind } from '../../machines/journey';

export const referralExample = {
  referral: { referredBy: { role: 'referrer', id: 'sw-17' }, dateOfBirth: '2008-05-01', careExperienced: true },
};

export const volunteerExample = {
  volunteer: { type: 'traditional', dateOfBirth: '1985-04-12', careExperienced: false },
  contact: { email: 'robin@example.org', firstName: 'Robin' },
};

export const matchExample = { youngPersonId: 'yp-7k3m9q2x4d', volunteerId: 'vol-3q8w2e5r1t' };

export const eventExamples: Record<JourneyKind, Record<string, unknown>> = {
  youngPerson: { type: 'contact.recorded', method: 'phone' },
  volunteer: { type: 'training.sessionLogged', hours: 3, topics: ['safeguarding'] },
  match: { type: 'checkIn.recorded', with: ['mentor', 'mentee'] },
};
