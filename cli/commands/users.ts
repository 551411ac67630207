/** `users add`, `users remove`, `users list` and `whoami`: who may use mentorflow (docs/privacy.md "Roles"). */
import { addUser, principalRoles, readUsersFile, removeUser, roleDescriptions, roleWords, type PrincipalRole } from '../../access';
import { booleanOf, refuseExtraArguments, requireString } from '../args';
import { type Command } from '../command';
import { UsageError } from '../errors';
import { table } from '../format';

export const usersAddCommand: Command = {
  name: 'users add',
  summary: 'add a user (co-ordinators; the first user by the local operator): prints their token, once',
  usage: 'npx mentorflow users add --id <staff id> --role coordinator|leadCoordinator|referrer|auditor [--personal-data]',
  options: {
    id: { type: 'string', value: '<staff id>', description: 'an opaque staff id (never a name), e.g. co-2, ref-17, aud-1' },
    role: { type: 'string', value: '<role>', description: principalRoles.join(', ') },
    personalData: { type: 'boolean', description: 'auditors only: may read personal details' },
  },
  examples: [
    'npx mentorflow users add --id co-1 --role leadCoordinator        (the first user: creates the users file)',
    'MENTORFLOW_TOKEN=... npx mentorflow users add --id aud-1 --role auditor --personal-data',
  ],
  details: [
    'The token is printed once on stdout and never stored (only its SHA-256): give it to the person, who sets',
    'MENTORFLOW_TOKEN to it. A lost token cannot be recovered. The users file is MENTORFLOW_USERS, default',
    '<data dir>/users.yaml. Once it exists, every command needs a token, and only a co-ordinator or a lead',
    'co-ordinator adds users. The first user is added by whoever runs mentorflow on this machine, and must be',
    'a co-ordinator or a lead co-ordinator, so that someone can add the others.',
  ],
  async run(args, ctx) {
    refuseExtraArguments(args.positionals, 'users add');
    const id = requireString(args, 'id', "the new user's staff id", 'users add');
    const role = requireString(args, 'role', 'the role', 'users add');
    if (!(principalRoles as readonly string[]).includes(role)) throw new UsageError(`--role is one of ${principalRoles.join(', ')}, not "${role}"`, 'users add');
    const file = ctx.configuration().usersFile;
    const first = readUsersFile(file) === undefined;
    let addedBy = 'operator';
    if (first) {
      if (role !== 'coordinator' && role !== 'leadCoordinator') {
        throw new UsageError('the first user is a co-ordinator or a lead co-ordinator, so that someone can add the others', 'users add');
      }
    } else {
      addedBy = ctx.authorize('manageUsers', args).principal.id;
    }
    const personalData = booleanOf(args, 'personalData');
    const { user, token } = addUser(file, { id, role: role as PrincipalRole, ...(personalData !== undefined ? { personalData } : {}) }, addedBy, ctx.now());
    const what = `${roleWords[user.role]} ${user.id}${user.role === 'auditor' ? (user.personalData ? ', with personal data' : ', without personal data') : ''}`;
    if (ctx.json) {
      ctx.print('', { user: { id: user.id, role: user.role, personalData: user.personalData ?? null, addedAt: user.addedAt }, token, usersFile: file });
    } else {
      ctx.out(token);
      ctx.err(
        [
          `Added ${what} to ${file}.`,
          'Their token is above: it is shown only now. Give it to them privately; they set MENTORFLOW_TOKEN to it.',
          ...(first
            ? [
                'This was the first user: from now on every mentorflow command on this scheme needs a token',
                '(MENTORFLOW_TOKEN), including yours. Keep the token safe.',
              ]
            : []),
        ].join('\n'),
      );
    }
    return 0;
  },
};

export const usersRemoveCommand: Command = {
  name: 'users remove',
  summary: "remove a user (co-ordinators): their token stops working at once",
  usage: 'npx mentorflow users remove <staff id> [--json]',
  options: {},
  examples: ['npx mentorflow users remove aud-1', 'npx mentorflow users remove co-2   (then users add --id co-2 ... for a lost token)'],
  details: [
    'The user is taken out of the users file; the CLI, the codec server and the Web UI refuse their token from',
    'then on, without a restart. What they recorded stays on the journeys, under their staff id. The last',
    'co-ordinator or lead co-ordinator cannot be removed. A lost token is replaced by removing the user and adding',
    'them again, which prints a new one.',
  ],
  async run(args, ctx) {
    const [id, ...extra] = args.positionals;
    if (!id) throw new UsageError('say which user to remove: npx mentorflow users remove <staff id>', 'users remove');
    refuseExtraArguments(extra, 'users remove');
    const file = ctx.configuration().usersFile;
    const by = ctx.authorize('manageUsers', args).principal.id;
    const user = removeUser(file, id);
    ctx.print(`Removed ${roleWords[user.role]} ${user.id} from ${file} (by ${by}): their token no longer works.`, {
      removed: { id: user.id, role: user.role },
      by,
      usersFile: file,
    });
    return 0;
  },
};

export const usersListCommand: Command = {
  name: 'users list',
  summary: 'who may use mentorflow, with which role (never their tokens)',
  usage: 'npx mentorflow users list [--json]',
  options: {},
  examples: ['npx mentorflow users list'],
  async run(args, ctx) {
    refuseExtraArguments(args.positionals, 'users list');
    const file = ctx.configuration().usersFile;
    const users = readUsersFile(file);
    if (!users) {
      ctx.print(`No users file at ${file}: single-operator mode, nobody is authenticated (npx mentorflow users add ...).`, { usersFile: file, users: [] });
      return 0;
    }
    const listed = users.map((u) => ({ id: u.id, role: u.role, personalData: u.role === 'auditor' ? u.personalData === true : u.role !== 'referrer', addedAt: u.addedAt ?? null, addedBy: u.addedBy ?? null }));
    ctx.print(
      [
        `${users.length} user${users.length === 1 ? '' : 's'} in ${file}:`,
        ...table([['id', 'role', 'personal data', 'added'], ...listed.map((u) => [u.id, roleWords[u.role], u.personalData ? 'yes' : 'no', u.addedAt?.slice(0, 10) ?? ''])]),
      ],
      { usersFile: file, users: listed },
    );
    return 0;
  },
};

export const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'who mentorflow takes you to be, and what you may do',
  usage: 'npx mentorflow whoami [--json]',
  options: { as: { type: 'string', value: '<role:id>', description: 'who is acting, without a users file (default: $MENTORFLOW_AS)' } },
  examples: ['npx mentorflow whoami'],
  async run(args, ctx) {
    const identity = ctx.identity(args);
    const { principal } = identity;
    const how =
      identity.mode === 'users'
        ? `authenticated by your token (users file ${identity.usersFile})`
        : identity.named
          ? `claimed with --as or MENTORFLOW_AS; single-operator mode: nobody is authenticated (no users file at ${identity.usersFile})`
          : `nobody named: the local operator, who may read but not record; single-operator mode: nobody is authenticated (no users file at ${identity.usersFile})`;
    ctx.print(
      [`${roleWords[principal.role]} ${principal.id}: ${how}`, `${roleDescriptions[principal.role]}.`, `Personal details: ${principal.personalData ? 'shown' : 'not shown'}.`],
      { ...principal, mode: identity.mode, named: identity.named, usersFile: identity.usersFile },
    );
    return 0;
  },
};

export const userCommands: Command[] = [usersAddCommand, usersRemoveCommand, usersListCommand, whoamiCommand];
