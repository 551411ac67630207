/**
 * Who a message goes to and what its template may show. This is where the data-protection rules
 * for messages live:
 * - staff (co-ordinators, the lead) see the journey's opaque id, the facts and the command that
 *   records the action; a fact may name a young person where the co-ordinator needs it;
 * - volunteers never see journey ids, and never a fact that could name a young person;
 * - no subject line shows a fact, and any value of a fact that could name someone is struck out
 *   of every subject (and of everything a volunteer receives), in case a summary carries one.
 */
import { plainWords } from '../../presentation/words';
import { findCoordinator, leadFor, type SchemeDirectory, type StaffMember } from './directory';
import type { RecipientRole } from './errors';
import type { MailAddress } from './mailer';
import type { Formatted, TemplateVars } from './render';
import { escapeHtml } from './render';
import type { JourneyRef, OpenedNotificationRequest as NotificationRequest, OpenedSupervisionRequest as SupervisionRequest } from './requests';
import { formatForPeople, formatShort, formatTimeOfDay } from './time-zone';
import { absoluteLink, journeyPath, resolvingPath } from '../../presentation/links';
import { noticeAudiences, wordNotice } from '../../presentation/notices';

export interface Recipient {
  role: RecipientRole;
  address: MailAddress;
  /** For the greeting. */
  greetingName?: string;
}

/** Who receives a notification; names the co-ordinator id when the directory does not know it. */
export function notificationRecipient(
  directory: SchemeDirectory,
  to: NotificationRequest['to'],
): Recipient | { unknownCoordinator: string } {
  if ('volunteer' in to) {
    return {
      role: 'volunteer',
      address: { address: to.volunteer.email, ...(to.volunteer.firstName ? { name: to.volunteer.firstName } : {}) },
      ...(to.volunteer.firstName ? { greetingName: to.volunteer.firstName } : {}),
    };
  }
  if ('lead' in to) {
    if (to.coordinatorId && !findCoordinator(directory, to.coordinatorId)) return { unknownCoordinator: to.coordinatorId };
    return staff(leadFor(directory, to.coordinatorId), 'leadCoordinator');
  }
  const coordinator = findCoordinator(directory, to.coordinatorId);
  if (!coordinator) return { unknownCoordinator: to.coordinatorId };
  return staff(coordinator, coordinator.id === directory.leadCoordinator.id ? 'leadCoordinator' : 'coordinator');
}

function staff(member: StaffMember, role: RecipientRole): Recipient {
  return { role, address: { name: member.name, address: member.email }, greetingName: member.name };
}

const journeyWords: Record<JourneyRef['kind'], string> = {
  youngPerson: "young person's journey",
  volunteer: "volunteer's journey",
  match: 'match',
};

/** Fact keys that may hold a name: never shown to volunteers, never in a subject. */
const personalFactKey = /name|youngPerson|mentee/i;

function factsList(facts: Record<string, string | number | boolean>): Formatted {
  const entries = Object.entries(facts).map(([key, value]) => [plainWords(key), typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)] as const);
  return {
    text: entries.map(([key, value]) => `- ${key}: ${value}`).join('\n'),
    html: entries.length ? `<ul>${entries.map(([key, value]) => `<li>${escapeHtml(key)}: ${escapeHtml(value)}</li>`).join('')}</ul>` : '',
  };
}

/** "3 days ago", "in 30 days", "today". */
export function relativeDays(iso: string, now: Date, timeZone: string): string {
  const day = (d: Date) => {
    const [y, m, dd] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .format(d)
      .split('-')
      .map(Number);
    return Date.UTC(y!, m! - 1, dd!) / 86_400_000;
  };
  const diff = day(new Date(iso)) - day(now);
  if (diff === 0) return 'today';
  if (diff === -1) return 'yesterday';
  if (diff === 1) return 'tomorrow';
  return diff < 0 ? `${-diff} days ago` : `in ${diff} days`;
}

export interface NotificationContext {
  directory: SchemeDirectory;
  timeZone: string;
  now: Date;
  commandHint?: (journey: JourneyRef) => string;
  /** The web app's public address (MENTORFLOW_WEB_URL): staff messages link to the form that resolves the matter. */
  webUrl?: string;
}

export function notificationVars(req: NotificationRequest, recipient: Recipient, ctx: NotificationContext): TemplateVars {
  const { params } = req;
  const forVolunteer = recipient.role === 'volunteer';
  const words = wordNotice(params, req.journey, noticeAudiences[req.kind]!);
  const facts = Object.fromEntries(
    Object.entries(params.facts ?? {}).filter(([key]) => !forVolunteer || !personalFactKey.test(key)),
  );
  const vars: Record<string, TemplateVars[string]> = {
    schemeName: ctx.directory.scheme.name,
    recipientName: recipient.greetingName,
    about: params.about,
    summary: words.summary,
    whatToDo: words.whatToDo,
    dueAt: params.dueAt ? formatForPeople(params.dueAt, ctx.timeZone) : undefined,
    dueAtIso: params.dueAt,
    dueRelative: params.dueAt ? relativeDays(params.dueAt, ctx.now, ctx.timeZone) : undefined,
    facts: factsList(facts),
  };
  for (const [key, value] of Object.entries(facts)) vars[`facts.${key}`] = value;
  if (!forVolunteer) {
    vars.journeyKind = journeyWords[req.journey.kind];
    vars.journeyId = req.journey.id;
    vars.workflowId = req.journey.workflowId;
    vars.command = ctx.commandHint?.(req.journey);
    if (ctx.webUrl) {
      vars.journeyLink = absoluteLink(ctx.webUrl, journeyPath(req.journey.kind, req.journey.id));
      if (words.resolvedBy) vars.actionLink = absoluteLink(ctx.webUrl, resolvingPath(words.resolvedBy));
    }
  }
  return vars;
}

export function supervisionVars(
  req: SupervisionRequest,
  coordinator: StaffMember,
  directory: SchemeDirectory,
): TemplateVars {
  const { params, timeZone } = req;
  const endsAt = new Date(Date.parse(params.startsAt) + params.durationMinutes * 60_000).toISOString();
  return {
    schemeName: directory.scheme.name,
    recipientName: req.volunteer.firstName,
    coordinatorName: coordinator.name,
    startsAt: formatForPeople(params.startsAt, timeZone),
    startsAtShort: formatShort(params.startsAt, timeZone),
    endsAt: formatTimeOfDay(endsAt, timeZone),
    durationMinutes: params.durationMinutes,
    timeZone,
    rescheduled: params.sequence > 0,
  };
}

/** The values of facts that could name someone, to strike out of subjects (and volunteers' mail). */
export function personalValues(req: NotificationRequest): string[] {
  return Object.entries(req.params.facts ?? {})
    .filter(([key, value]) => personalFactKey.test(key) && typeof value === 'string' && value.trim().length >= 2)
    .map(([, value]) => String(value).trim());
}

export function strikeOut(text: string, values: readonly string[]): string {
  return values.reduce((out, value) => {
    const pattern = new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    return out.replace(pattern, '[name withheld]');
  }, text);
}
