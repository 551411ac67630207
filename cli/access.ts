/**
 * Which permission each command needs (the permissions themselves: access/permissions.ts). Checked
 * by runCli before a command runs, so a refusal comes before any work; the journeys API checks
 * again, call by call (access/authorized-journeys.ts). A command not listed here is for
 * co-ordinators only, until it is given a rule of its own.
 */
import type { Permission } from '../access';
import type { Command } from './command';

/** `null`: anyone may run it (it reads nothing of the scheme's, or checks for itself). */
export const commandPermissions: Readonly<Record<string, Permission | null>> = {
  refer: 'refer',
  'volunteer enquire': 'startJourney',
  record: 'record',
  'propose-match': 'proposeMatch',
  shortlist: 'proposeMatch',
  'match-plan': 'proposeMatch',
  import: 'import',
  status: 'readStatus',
  caseload: 'listJourneys',
  due: 'listJourneys',
  'policy show': null,
  'policy check': null,
  'audit export': 'audit',
  'audit replay': 'audit',
  'audit timeline': 'audit',
  'audit compliance': 'audit',
  'audit coverage': 'audit',
  'export evaluation': 'audit',
  report: 'audit',
  erase: 'erase',
  erasures: 'readErasures',
  'keys rotate': 'rotateKeys',
  // The first user is added by whoever runs mentorflow on this machine; after that, by a
  // co-ordinator (the command checks).
  'users add': null,
  'users remove': 'manageUsers',
  'users list': 'listUsers',
  whoami: null,
};

/** The permission `command` needs; an alias of an event (contact, check-in, ...) records. */
export function permissionFor(command: Command, isEventAlias: boolean): Permission | null {
  if (isEventAlias) return 'record';
  const listed = commandPermissions[command.name];
  return listed === undefined ? 'coordinate' : listed;
}
