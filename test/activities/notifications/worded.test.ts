/**
 * A nudge as the machines now send it (the matter and its facts, no words) reaches the
 * co-ordinator worded by presentation/notices.ts, with a link to the form that resolves it when
 * the web app's address is known; a nudge recorded by an older version keeps the words it carried.
 */
import { describe, expect, it } from 'vitest';
import { notificationRecipient, notificationVars, type Recipient } from '../../../activities/notifications/compose';
import { loadTemplates } from '../../../activities/notifications/templates';
import type { OpenedNotificationRequest } from '../../../activities/notifications/requests';
import { directory, nudge, now } from './fixtures';

const coordinator = notificationRecipient(directory, { coordinatorId: 'co-1' }) as Recipient;

describe('the words of a nudge in its email', () => {
  it('come from presentation/, with a link to the pre-filled form when the web address is known', async () => {
    const request = nudge({ kind: 'nudge', params: { about: 'checkInOverdue', dueAt: '2025-06-02T08:00:00Z', facts: { outstanding: 'mentee', checkInsCompleted: 2 } } }) as OpenedNotificationRequest;
    const vars = notificationVars(request, coordinator, { directory, timeZone: 'Europe/London', now: now(), webUrl: 'https://mentorflow.example.org/' });
    expect(vars.summary).toBe('A co-ordinator check-in on a match is overdue');
    expect(vars.whatToDo).toBe('Check in with the mentee, then record it');
    expect(vars.actionLink).toBe(`https://mentorflow.example.org/journeys/young-person/${request.journey.id}/record/checkIn.recorded?with=mentee`);
    const message = (await loadTemplates()).render('nudge', vars);
    expect(message.subject).toContain('Action needed: A co-ordinator check-in on a match is overdue');
    expect(message.text).toContain(`Record it in mentorflow: https://mentorflow.example.org/journeys/young-person/${request.journey.id}/record/checkIn.recorded?with=mentee`);
    expect(message.html).toContain('<a href="https://mentorflow.example.org/journeys/young-person/');
  });

  it('carry no link without the web address, and keep the words an older version wrote', () => {
    const request = nudge() as OpenedNotificationRequest;
    const vars = notificationVars(request, coordinator, { directory, timeZone: 'Europe/London', now: now() });
    expect(vars.summary).toBe('No meeting logged for 21 days');
    expect(vars.whatToDo).toBe(`Record the next meeting: npx mentorflow record ${request.journey.id} meeting.logged`);
    expect(vars.actionLink).toBeUndefined();
  });
});
