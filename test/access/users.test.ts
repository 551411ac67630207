/**
 * The users file, tokens, the permission table and the commands that need no Temporal: users add
 * (the first user, then co-ordinators only), users list, whoami, keys rotate.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addUser, authenticateToken, AuthorizedJourneys, can, hashToken, principalRoles, readUsersFile, removeUser, type Principal } from '../../access';
import { Journeys } from '../../client/journeys';
import { createKeyringFile } from '../../privacy';
import { run } from './run';

function freshFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'mentorflow-users-')), 'users.yaml');
}

describe('the users file', () => {
  it('keeps only the hash of each random token, and authenticates by it', () => {
    const file = freshFile();
    const { token, user } = addUser(file, { id: 'aud-1', role: 'auditor', personalData: true }, 'co-1');
    const second = addUser(file, { id: 'ref-1', role: 'referrer' }, 'co-1');
    expect(token).toMatch(/^mft_[A-Za-z0-9_-]{43}$/);
    expect(second.token).not.toBe(token);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(hashToken(token));
    expect(user).toMatchObject({ id: 'aud-1', role: 'auditor', personalData: true, addedBy: 'co-1' });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const authenticate = authenticateToken(file);
    expect(authenticate(token)).toEqual({ id: 'aud-1', role: 'auditor', personalData: true });
    expect(authenticate(second.token)).toEqual({ id: 'ref-1', role: 'referrer', personalData: false });
    expect(authenticate(`${token}x`)).toBeUndefined();
    expect(authenticate('')).toBeUndefined();
    // A user added later counts at once; no file authenticates nobody.
    const third = addUser(file, { id: 'co-2', role: 'coordinator' }, 'co-1');
    expect(authenticate(third.token)).toEqual({ id: 'co-2', role: 'coordinator', personalData: true });
    expect(authenticateToken(`${file}.none`)(token)).toBeUndefined();
  });

  it('refuses a second user with the same id, personal data for a non-auditor, an id that is not opaque, and a file that is not valid', () => {
    const file = freshFile();
    addUser(file, { id: 'co-1', role: 'coordinator' }, 'operator');
    expect(() => addUser(file, { id: 'co-1', role: 'auditor' }, 'operator')).toThrow('there is already a user co-1');
    expect(() => addUser(file, { id: 'co-9', role: 'coordinator', personalData: true }, 'operator')).toThrow('--personal-data is for auditors');
    expect(() => addUser(file, { id: 'Jamie Smith', role: 'auditor' }, 'operator')).toThrow('is not a staff id');
    writeFileSync(file, 'format: mentorflow-users/1\nusers:\n  - id: co-1\n    role: boss\n    tokenSha256: abc\n');
    expect(() => readUsersFile(file)).toThrow(/users file .* is not valid: users.0.role/);
    expect(authenticateToken(file)('anything')).toBeUndefined();
  });
});

describe('permissions', () => {
  it('gives each role what docs/privacy.md says', () => {
    const p = (role: Principal['role'], personalData = false): Principal => ({ id: 'x', role, personalData });
    expect(principalRoles).toEqual(['coordinator', 'leadCoordinator', 'referrer', 'auditor']);
    expect(can(p('referrer'), 'refer')).toBe(true);
    expect(can(p('referrer'), 'record')).toBe(false);
    expect(can(p('referrer'), 'listJourneys')).toBe(false);
    expect(can(p('referrer', true), 'readPersonalData')).toBe(false);
    expect(can(p('auditor'), 'audit')).toBe(true);
    expect(can(p('auditor'), 'readPersonalData')).toBe(false);
    expect(can(p('auditor', true), 'readPersonalData')).toBe(true);
    for (const permission of ['record', 'refer', 'proposeMatch', 'import', 'erase', 'startJourney', 'manageUsers', 'rotateKeys'] as const) {
      expect(can(p('auditor', true), permission), permission).toBe(false);
    }
    expect(can(p('coordinator', true), 'erase')).toBe(true);
    expect(can(p('coordinator', true), 'rotateKeys')).toBe(false);
    expect(can(p('coordinator', true), 'rotateKeys', { singleOperator: true })).toBe(true);
    expect(can(p('leadCoordinator', true), 'rotateKeys')).toBe(true);
  });

  it('AuthorizedJourneys checks every method of Journeys (a method added there must be added here)', () => {
    const methods = (proto: object) => Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor' && typeof Reflect.get(proto, n) === 'function');
    const guarded = new Set(methods(AuthorizedJourneys.prototype));
    // Private helpers of Journeys are not reachable from a caller of the class's type.
    const internal = new Set(['sealing', 'dateOf', 'list', 'query', 'volunteersWhoMayBeProposed', 'matchingReader', 'workflowExists']);
    const unguarded = methods(Journeys.prototype).filter((m) => !guarded.has(m) && !internal.has(m));
    expect(unguarded).toEqual([]);
  });
});

describe('users, whoami and keys rotate from the CLI', () => {
  it('the first user is a co-ordinator added by the operator; then only a co-ordinator adds users, and every command needs a token', async () => {
    const file = freshFile();
    const env = { MENTORFLOW_USERS: file };
    const auditorFirst = await run(undefined, ['users', 'add', '--id', 'aud-1', '--role', 'auditor'], env);
    expect(auditorFirst.code).toBe(1);
    expect(auditorFirst.stderr).toContain('the first user is a co-ordinator or a lead co-ordinator');
    expect(existsSync(file)).toBe(false);

    const first = await run(undefined, ['users', 'add', '--id', 'co-1', '--role', 'coordinator'], env);
    expect(first.code, first.stderr).toBe(0);
    const token = first.stdout.trim();
    expect(first.stderr).toContain('it is shown only now');
    expect(first.stderr).toContain('from now on every mentorflow command on this scheme needs a token');

    const noToken = await run(undefined, ['users', 'add', '--id', 'aud-1', '--role', 'auditor'], env);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('say who you are with MENTORFLOW_TOKEN');
    const added = await run(undefined, ['users', 'add', '--id', 'aud-1', '--role', 'auditor', '--personal-data', '--json'], { ...env, MENTORFLOW_TOKEN: token });
    expect(added.code, added.stderr).toBe(0);
    const { token: auditorToken, user } = added.json<{ token: string; user: unknown }>();
    expect(user).toMatchObject({ id: 'aud-1', role: 'auditor', personalData: true });
    const byAuditor = await run(undefined, ['users', 'add', '--id', 'aud-2', '--role', 'auditor'], { ...env, MENTORFLOW_TOKEN: auditorToken });
    expect(byAuditor.code).toBe(2);
    expect(byAuditor.stderr).toContain('Refused: auditor aud-1 may not add or remove users');

    const list = await run(undefined, ['users', 'list'], { ...env, MENTORFLOW_TOKEN: auditorToken });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/co-1\s+co-ordinator\s+yes/);
    expect(list.stdout).toMatch(/aud-1\s+auditor\s+yes/);
    expect(list.stdout).not.toContain(hashToken(token));

    const whoami = await run(undefined, ['whoami', '--token', auditorToken], env);
    expect(whoami.stdout).toContain('auditor aud-1: authenticated by your token');
    const claimed = await run(undefined, ['whoami'], { MENTORFLOW_USERS: `${file}.none`, MENTORFLOW_AS: 'referrer:ref-4' });
    expect(claimed.stdout).toContain('referrer ref-4: claimed with --as or MENTORFLOW_AS; single-operator mode: nobody is authenticated');
  });

  it('users remove: a co-ordinator removes a user, whose token stops working at once; never the last co-ordinator', async () => {
    const file = freshFile();
    const env = { MENTORFLOW_USERS: file };
    const lead = addUser(file, { id: 'co-1', role: 'leadCoordinator' }, 'operator').token;
    const auditor = addUser(file, { id: 'aud-1', role: 'auditor' }, 'co-1').token;
    const authenticate = authenticateToken(file);
    expect(authenticate(auditor)).toMatchObject({ id: 'aud-1' });

    const byAuditor = await run(undefined, ['users', 'remove', 'co-1'], { ...env, MENTORFLOW_TOKEN: auditor });
    expect(byAuditor.code).toBe(2);
    expect(byAuditor.stderr).toContain('Refused: auditor aud-1 may not add or remove users');

    const removed = await run(undefined, ['users', 'remove', 'aud-1'], { ...env, MENTORFLOW_TOKEN: lead });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('Removed auditor aud-1');
    expect(removed.stdout).toContain('their token no longer works');
    expect(readUsersFile(file)!.map((u) => u.id)).toEqual(['co-1']);
    // The same authenticator (as the codec server holds it) refuses the token without a restart.
    expect(authenticate(auditor)).toBeUndefined();
    const afterwards = await run(undefined, ['whoami'], { ...env, MENTORFLOW_TOKEN: auditor });
    expect(afterwards.code).toBe(1);

    const unknown = await run(undefined, ['users', 'remove', 'aud-9'], { ...env, MENTORFLOW_TOKEN: lead });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('there is no user aud-9');
    const last = await run(undefined, ['users', 'remove', 'co-1'], { ...env, MENTORFLOW_TOKEN: lead });
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('co-1 is the last co-ordinator');
    expect(readUsersFile(file)!.map((u) => u.id)).toEqual(['co-1']);
    expect(() => removeUser(`${file}.none`, 'co-1')).toThrow('there is no users file');
  });

  it('keys rotate: a lead co-ordinator (or the single operator) adds a key, is told running processes pick it up, and is reminded to back up', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mentorflow-keyring-'));
    const keyringFile = path.join(dir, 'keyring.json');
    const before = createKeyringFile(keyringFile);
    const single = { MENTORFLOW_USERS: path.join(dir, 'users.yaml'), MENTORFLOW_KEYRING: keyringFile };

    expect((await run(undefined, ['keys', 'rotate'], { ...single, MENTORFLOW_AS: 'auditor:aud-1' })).code).toBe(2);
    const rotated = await run(undefined, ['keys', 'rotate'], { ...single, MENTORFLOW_AS: 'coordinator:co-1' });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain(`(was ${before.currentKeyId}; kept, to read older data)`);
    expect(rotated.stdout).toContain('pick the new key up from this file');
    expect(rotated.stdout).toContain('back the keyring up again');
    const keyring = JSON.parse(readFileSync(keyringFile, 'utf8')) as { current: string; keys: { id: string }[] };
    expect(keyring.keys.map((k) => k.id)).toEqual([before.currentKeyId, keyring.current]);

    // With users, a co-ordinator may not; a lead may.
    const co = addUser(single.MENTORFLOW_USERS, { id: 'co-1', role: 'coordinator' }, 'test').token;
    const lead = addUser(single.MENTORFLOW_USERS, { id: 'lead-1', role: 'leadCoordinator' }, 'test').token;
    const denied = await run(undefined, ['keys', 'rotate'], { ...single, MENTORFLOW_TOKEN: co });
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain("co-ordinator co-1 may not rotate the scheme's keyring");
    expect((await run(undefined, ['keys', 'rotate'], { ...single, MENTORFLOW_TOKEN: lead })).code).toBe(0);
  });
});
