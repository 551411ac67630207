/** Roles and permissions, the users file, and the journeys API as one principal may use it (docs/privacy.md "Roles"). */
export {
  AccessDeniedError,
  AuthenticationError,
  actorOf,
  can,
  claimedPrincipal,
  demand,
  permissions,
  principalRoles,
  roleDescriptions,
  roleWords,
  type AccessOptions,
  type Permission,
  type Principal,
  type PrincipalRole,
} from './permissions';
export { addUser, authenticateToken, hashToken, newToken, principalOf, readUsersFile, removeUser, userWithToken, type NewUser, type User } from './users';
export { AuthorizedJourneys, describeErasure, erasuresFor } from './authorized-journeys';
