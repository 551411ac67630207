/**
 * The users file (`MENTORFLOW_USERS`, default `<data dir>/users.yaml`): who may use this scheme's
 * mentorflow, with which role. Each user has an opaque staff id, a role, for auditors whether they
 * may read personal data, and the SHA-256 of their token. Tokens are 256 random bits, shown once
 * when the user is added and never stored: a copy of the file lets nobody in.
 *
 * ```yaml
 * format: mentorflow-users/1
 * users:
 *   - id: co-1
 *     role: coordinator
 *     tokenSha256: 3f0c...
 *     addedAt: 2025-01-31T10:00:00.000Z
 *     addedBy: operator
 * ```
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { opaqueIdSchema } from '../machines/journey';
import { AuthenticationError, principalRoles, type Principal, type PrincipalRole } from './permissions';
import { issueReasons } from '../contracts/refusals';

const userSchema = z
  .object({
    id: opaqueIdSchema,
    role: z.enum(principalRoles),
    personalData: z.boolean().optional(),
    tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the token, 64 hex digits'),
    addedAt: z.string().optional(),
    addedBy: z.string().optional(),
  })
  .strict()
  .refine((u) => u.role === 'auditor' || u.personalData === undefined, {
    message: 'personalData is set on auditors only (co-ordinators always read personal data, referrers never)',
    path: ['personalData'],
  });

const usersFileSchema = z
  .object({
    format: z.literal('mentorflow-users/1'),
    users: z.array(userSchema),
  })
  .strict()
  .refine((f) => new Set(f.users.map((u) => u.id)).size === f.users.length, { message: 'two users have the same id', path: ['users'] });

export type User = z.infer<typeof userSchema>;

/** What a user is, as the rest of mentorflow sees them (never the token's hash). */
export function principalOf(user: User): Principal {
  return {
    id: user.id,
    role: user.role,
    personalData: user.role === 'coordinator' || user.role === 'leadCoordinator' || (user.role === 'auditor' && user.personalData === true),
  };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token: `mft_` and 43 characters of base64url (256 random bits). */
export function newToken(): string {
  return `mft_${randomBytes(32).toString('base64url')}`;
}

/** The users in the file, or undefined when there is no file (single-operator mode). */
export function readUsersFile(file: string): User[] | undefined {
  if (!existsSync(file)) return undefined;
  let document: unknown;
  try {
    document = YAML.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AuthenticationError('ACCESS.USERS_FILE', `the users file ${file} cannot be read: ${(error as Error).message}`);
  }
  const parsed = usersFileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = issueReasons(parsed.error, 'file');
    throw new AuthenticationError('ACCESS.USERS_FILE', `the users file ${file} is not valid: ${problems.join('; ')}`);
  }
  return parsed.data.users;
}

/** The user whose token this is, comparing hashes in constant time. */
export function userWithToken(users: readonly User[], token: string): User | undefined {
  const hash = Buffer.from(hashToken(token), 'hex');
  let found: User | undefined;
  for (const user of users) {
    if (timingSafeEqual(hash, Buffer.from(user.tokenSha256, 'hex'))) found = user;
  }
  return found;
}

/**
 * Who a token belongs to, for the codec server or any API: `authenticateToken(file)(token)`.
 * The file is read again whenever it changes, so a user added or removed counts at once; no file,
 * or a file that cannot be read, authenticates nobody.
 */
export function authenticateToken(usersFile: string): (token: string) => Principal | undefined {
  let cached: { stamp: string; users: User[] } | undefined;
  return (token) => {
    if (typeof token !== 'string' || token.length === 0) return undefined;
    let stamp: string;
    try {
      const stat = statSync(usersFile);
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      cached = undefined;
      return undefined;
    }
    if (cached?.stamp !== stamp) {
      try {
        cached = { stamp, users: readUsersFile(usersFile) ?? [] };
      } catch {
        cached = undefined;
        return undefined;
      }
    }
    const user = userWithToken(cached.users, token);
    return user ? principalOf(user) : undefined;
  };
}

export interface NewUser {
  id: string;
  role: PrincipalRole;
  /** Auditors only. */
  personalData?: boolean;
}

/**
 * Add a user and return their token (shown once; only its hash is kept). Creates the file (mode
 * 0600) when there is none. Refuses an id already there, and `personalData` on a role other than
 * auditor.
 */
export function addUser(file: string, user: NewUser, addedBy: string, now = new Date()): { user: User; token: string } {
  const id = opaqueIdSchema.safeParse(user.id);
  if (!id.success) throw new AuthenticationError('ACCESS.USERS_FILE', `"${user.id}" is not a staff id: ${id.error.issues[0]!.message}`);
  const users = readUsersFile(file) ?? [];
  if (users.some((u) => u.id === user.id)) throw new AuthenticationError('ACCESS.USERS_FILE', `there is already a user ${user.id} in ${file}`);
  if (user.personalData && user.role !== 'auditor') {
    throw new AuthenticationError('ACCESS.USERS_FILE', '--personal-data is for auditors: co-ordinators always read personal data, referrers never');
  }
  const token = newToken();
  const added: User = {
    id: user.id,
    role: user.role,
    ...(user.role === 'auditor' ? { personalData: user.personalData === true } : {}),
    tokenSha256: hashToken(token),
    addedAt: now.toISOString(),
    addedBy,
  };
  writeUsersFile(file, [...users, added]);
  return { user: added, token };
}

/**
 * Remove a user: their token stops working at once (everything that authenticates rereads the
 * file when it changes). Refuses an id that is not there, and the last co-ordinator or lead
 * co-ordinator, without whom nobody could add users again.
 */
export function removeUser(file: string, id: string): User {
  const users = readUsersFile(file);
  if (!users) throw new AuthenticationError('ACCESS.USERS_FILE', `there is no users file at ${file}: nobody to remove`);
  const user = users.find((u) => u.id === id);
  if (!user) throw new AuthenticationError('ACCESS.USERS_FILE', `there is no user ${id} in ${file}`);
  const remaining = users.filter((u) => u !== user);
  if (!remaining.some((u) => u.role === 'coordinator' || u.role === 'leadCoordinator')) {
    throw new AuthenticationError(
      'ACCESS.USERS_FILE',
      `${id} is the last co-ordinator: add another co-ordinator or lead co-ordinator first, or nobody could add users again`,
    );
  }
  writeUsersFile(file, remaining);
  return user;
}

function writeUsersFile(file: string, users: User[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const text =
    '# mentorflow users (docs/privacy.md "Roles"). Add users with: npx mentorflow users add\n' +
    '# Tokens are never stored, only their SHA-256: a lost token is replaced, not recovered.\n' +
    YAML.stringify({ format: 'mentorflow-users/1', users });
  // Write beside, then rename: a crash never leaves half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
  chmodSync(file, 0o600);
}
