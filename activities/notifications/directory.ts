/**
 * The scheme directory: the staff who receive nudges and escalations, and who the scheme's mail
 * comes from. Co-ordinators are staff, so their names and work addresses live here; volunteers'
 * addresses do not (they arrive in each activity input, from the volunteer's own record).
 *
 * The caller reads the YAML file; `parseDirectory` only validates, so it is pure and testable.
 */
import { z } from 'zod';
import { opaqueIdSchema } from '../../machines/journey';

const staffSchema = z
  .object({
    id: opaqueIdSchema,
    name: z.string().min(1).max(200),
    email: z.email(),
  })
  .strict();

const coordinatorSchema = staffSchema
  .extend({
    /** Who this co-ordinator's escalations go to; the scheme's lead co-ordinator when absent. */
    leadId: opaqueIdSchema.optional(),
  })
  .strict();

export const schemeDirectorySchema = z
  .object({
    coordinators: z.array(coordinatorSchema),
    leadCoordinator: staffSchema,
    scheme: z
      .object({
        name: z.string().min(1).max(200),
        /** Where replies to volunteers' reminders go; replies go to `from` when absent. */
        replyTo: z.email().optional(),
        /** The sender address; its domain also names the Message-IDs. */
        from: z.email(),
      })
      .strict(),
  })
  .strict()
  .superRefine((dir, ctx) => {
    const ids = new Set<string>();
    dir.coordinators.forEach((c, i) => {
      if (ids.has(c.id)) {
        ctx.addIssue({ code: 'custom', path: ['coordinators', i, 'id'], message: `"${c.id}" is listed twice` });
      }
      ids.add(c.id);
    });
    ids.add(dir.leadCoordinator.id);
    dir.coordinators.forEach((c, i) => {
      if (c.leadId !== undefined && !ids.has(c.leadId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['coordinators', i, 'leadId'],
          message: `"${c.leadId}" is neither a co-ordinator nor the lead co-ordinator`,
        });
      }
    });
  });

export type SchemeDirectory = z.infer<typeof schemeDirectorySchema>;
export type StaffMember = z.infer<typeof staffSchema>;
export type Coordinator = z.infer<typeof coordinatorSchema>;

export class DirectoryError extends Error {
  readonly code = 'DIRECTORY.INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`The scheme directory is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DirectoryError';
  }
}

/** Validate a parsed directory document; every problem names its field and the reason. */
export function parseDirectory(document: unknown): SchemeDirectory {
  const result = schemeDirectorySchema.safeParse(document);
  if (result.success) return result.data;
  throw new DirectoryError(
    result.error.issues.map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : '(the whole file)';
      return `${field}: ${issue.message}`;
    }),
  );
}

export function findCoordinator(directory: SchemeDirectory, id: string): StaffMember | undefined {
  if (directory.leadCoordinator.id === id) return directory.leadCoordinator;
  return directory.coordinators.find((c) => c.id === id);
}

/** The lead a co-ordinator escalates to: their own `leadId` if set, else the scheme's lead. */
export function leadFor(directory: SchemeDirectory, coordinatorId?: string): StaffMember {
  const coordinator = coordinatorId ? directory.coordinators.find((c) => c.id === coordinatorId) : undefined;
  const lead = coordinator?.leadId ? findCoordinator(directory, coordinator.leadId) : undefined;
  return lead ?? directory.leadCoordinator;
}

/** The domain of the scheme's sender address, used to name Message-IDs. */
export function mailDomain(directory: SchemeDirectory): string {
  return directory.scheme.from.slice(directory.scheme.from.lastIndexOf('@') + 1).toLowerCase();
}
