/**
 * My settings: a co-ordinator turns their daily digest off or moves it, through the web app; the
 * schedule changes at once, and the next `npm start` (which makes the schedules again) keeps it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirectory } from '../../activities/notifications/directory';
import { defaultPolicy } from '../../machines/policy';
import { buildServer } from '../../server/app';
import { SESSION_COOKIE } from '../../server/sessions';
import { digestSettings, readDigestSettings } from '../../worker/digest-settings';
import { digestScheduleId, ensureDigestSchedules } from '../../worker/schedules';
import { useDevServerEnvironment } from '../helpers/temporal-env';
import { testPrivacy } from '../helpers/privacy';

const env = useDevServerEnvironment();

describe('My settings', () => {
  it("moves a co-ordinator's digest and turns it off, at once and for the next start", async () => {
    const { client } = env();
    const tag = Date.now().toString(36);
    const me = `co-set-${tag}`;
    const directory = parseDirectory({
      scheme: { name: 'Riverside Mentoring', from: 'mentoring@riverside.example.org' },
      leadCoordinator: { id: `lead-${tag}`, name: 'Morgan Lead', email: 'morgan@riverside.example.org' },
      coordinators: [{ id: me, name: 'Sam Setter', email: 'sam@riverside.example.org' }],
    });
    const taskQueue = `settings-${tag}`;
    const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-settings-'));
    const file = path.join(dir, 'digest-settings.json');
    await ensureDigestSchedules(client, { directory, timeZone: 'Europe/London', taskQueue });
    const app = await buildServer({
      journeys: { client, taskQueue, policy: defaultPolicy, personalData: testPrivacy().personalData },
      usersFile: path.join(dir, 'no-users.yaml'),
      digests: digestSettings({ client, file, directory, timeZone: 'Europe/London', taskQueue }),
    });
    try {
      const session = app.sessions.create({ id: me, role: 'coordinator', personalData: true });
      const form = async () => {
        const page = await app.inject({ method: 'GET', url: '/settings', cookies: { [SESSION_COOKIE]: session.id } });
        expect(page.statusCode).toBe(200);
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
        const cookie = page.cookies.find((c) => c.name === '_csrf')!.value;
        return { page, csrf, cookie };
      };
      const save = async (fields: Record<string, string>) => {
        const { csrf, cookie } = await form();
        return app.inject({ method: 'POST', url: '/settings', cookies: { [SESSION_COOKIE]: session.id, _csrf: cookie }, payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      };
      expect((await form()).page.body).toContain('value="08:00"');

      const bad = await save({ enabled: 'yes', time: '5pm' });
      expect(bad.statusCode).toBe(422);
      expect(bad.body).toContain('Enter a time of day such as 08:00');

      expect((await save({ enabled: 'yes', time: '17:30' })).statusCode).toBe(303);
      const moved = await client.schedule.getHandle(digestScheduleId(me)).describe();
      expect(moved.spec.calendars![0]).toMatchObject({ hour: [{ start: 17, end: 17, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
      expect((await form()).page.body).toContain('value="17:30"');

      expect((await save({ enabled: 'no', time: '17:30' })).statusCode).toBe(303);
      await expect(client.schedule.getHandle(digestScheduleId(me)).describe()).rejects.toThrow();
      expect(readDigestSettings(file)[me]).toEqual({ enabled: false, at: '17:30' });
      // The next start makes the schedules again, and keeps the choice; the lead's is untouched.
      await ensureDigestSchedules(client, { directory, timeZone: 'Europe/London', taskQueue, personal: readDigestSettings(file) });
      await expect(client.schedule.getHandle(digestScheduleId(me)).describe()).rejects.toThrow();
      await expect(client.schedule.getHandle(digestScheduleId(`lead-${tag}`)).describe()).resolves.toBeDefined();
    } finally {
      await ensureDigestSchedules(client, { directory, timeZone: 'Europe/London', taskQueue, enabled: false });
      await app.close();
    }
  });
});
