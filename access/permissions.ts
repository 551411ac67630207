/**
 * Who may do what, in one place (docs/privacy.md "Roles"). A principal is a member of the scheme's
 * staff (or a referrer, or an auditor) with one role; every entry point (the CLI, the library API
 * through AuthorizedJourneys, the codec server) asks `can` or `demand` before acting.
 *
 * One deployment serves one scheme: a co-ordinator's "their scheme's journeys" is every journey
 * this deployment holds.
 */

export const principalRoles = ['coordinator', 'leadCoordinator', 'referrer', 'auditor'] as const;
export type PrincipalRole = (typeof principalRoles)[number];

/** Someone using mentorflow: an opaque staff id, a role, and for auditors whether they may read personal data. */
export interface Principal {
  id: string;
  role: PrincipalRole;
  /** May read personal fields: co-ordinators and leads always, auditors only where granted, referrers never. */
  personalData: boolean;
}

/** Every permission, with the words a refusal uses ("may not <words>"). */
export const permissions = {
  refer: 'refer a young person',
  startJourney: "start a volunteer's journey",
  record: 'record events',
  proposeMatch: 'propose matches',
  import: 'import a caseload',
  readStatus: "read a journey's status",
  listJourneys: 'list caseloads or what is due',
  readPersonalData: 'read personal details',
  audit: 'export, replay or check histories (audit)',
  erase: "erase a person's personal data",
  readErasures: 'read the erasure records',
  manageUsers: 'add or remove users',
  listUsers: 'list users',
  rotateKeys: "rotate the scheme's keyring",
  /** Any other co-ordinator's command (a CLI command with no rule of its own is theirs alone). */
  coordinate: "use the co-ordinators' commands",
} as const;
export type Permission = keyof typeof permissions;

const everything = Object.keys(permissions) as Permission[];

/**
 * What each role may do. `readStatus` for a referrer is narrowed to the referrals they made
 * (AuthorizedJourneys); `readPersonalData` for an auditor needs their `personalData` flag.
 */
const grants: Record<PrincipalRole, readonly Permission[]> = {
  leadCoordinator: everything,
  coordinator: everything.filter((p) => p !== 'rotateKeys'),
  referrer: ['refer', 'readStatus'],
  auditor: ['readStatus', 'listJourneys', 'readPersonalData', 'audit', 'readErasures', 'listUsers'],
};

/** What each role may do, in words, for refusals and `whoami`. */
export const roleDescriptions: Record<PrincipalRole, string> = {
  leadCoordinator: "a lead co-ordinator may do everything with the scheme's journeys, its users and its keyring",
  coordinator: "a co-ordinator may do everything with the scheme's journeys (personal data included) and add users; rotating the keyring is for a lead co-ordinator",
  referrer: 'a referrer may refer a young person and follow the progress of the referrals they made, nothing else',
  auditor:
    'an auditor may only read: status, caseloads and what is due, the audit commands and the erasure records (personal details only where granted)',
};

export const roleWords: Record<PrincipalRole, string> = {
  leadCoordinator: 'lead co-ordinator',
  coordinator: 'co-ordinator',
  referrer: 'referrer',
  auditor: 'auditor',
};

export interface AccessOptions {
  /**
   * No users file: one operator on one machine, nobody authenticated. A co-ordinator there is
   * also the scheme's lead (may rotate the keyring).
   */
  singleOperator?: boolean;
}

export function can(principal: Principal, permission: Permission, options: AccessOptions = {}): boolean {
  if (permission === 'readPersonalData') return principal.personalData && grants[principal.role].includes(permission);
  if (permission === 'rotateKeys' && options.singleOperator && principal.role === 'coordinator') return true;
  return grants[principal.role].includes(permission);
}

/** Throws AccessDeniedError unless the principal may. */
export function demand(principal: Principal, permission: Permission, options: AccessOptions = {}): void {
  if (!can(principal, permission, options)) throw new AccessDeniedError(principal, permission);
}

/** The principal may not do this: names the role and what it may do. Never says whether a journey exists. */
export class AccessDeniedError extends Error {
  readonly code = 'ACCESS.DENIED';
  readonly reasons: string[];
  constructor(
    readonly principal: Pick<Principal, 'id' | 'role'>,
    readonly permission: Permission | undefined,
    detail?: string,
  ) {
    const what = detail ?? `may not ${permission ? permissions[permission] : 'do this'}`;
    super(`${roleWords[principal.role]} ${principal.id} ${what}: ${roleDescriptions[principal.role]}`);
    this.name = 'AccessDeniedError';
    this.reasons = [`${roleWords[principal.role]} ${principal.id} ${what}`];
  }
}

/** Nobody could be authenticated: no token, a token nobody has, a users file that cannot be read. */
export class AuthenticationError extends Error {
  constructor(
    readonly code: 'ACCESS.NO_TOKEN' | 'ACCESS.BAD_TOKEN' | 'ACCESS.NOT_YOU' | 'ACCESS.NO_USERS_FILE' | 'ACCESS.USERS_FILE',
    message: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/**
 * Who someone claims to be where nobody is authenticated (single-operator mode: the CLI's --as, the
 * API's X-Mentorflow-As, the web sign-in): co-ordinators read personal data, an auditor's claim never does.
 */
export function claimedPrincipal(role: PrincipalRole, id: string): Principal {
  return { id, role, personalData: role === 'coordinator' || role === 'leadCoordinator' };
}

/** The principal as the actor of the events they record. */
export function actorOf(principal: Principal): { role: PrincipalRole; id: string } {
  return { role: principal.role, id: principal.id };
}
