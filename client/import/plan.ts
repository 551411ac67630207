/**
 * From a caseload spreadsheet to a plan: for each row, the journey to start and the events that
 * bring it to the stage the person has reached. Every row is checked in full before anything is
 * started: the columns, the journey's own schemas, eligibility, and then the whole plan is played
 * through the journey machine itself (pure, no Temporal), so a row whose facts do not lead to its
 * stage (a check not clear, too few training hours) is reported with the machine's own reasons.
 *
 * The columns are documented here once (`importColumns`), for `import --help` and docs/cli.md.
 */
import { volunteerAddressSchema, type VolunteerAddress } from '../../activities/notifications/requests';
import { isoDateSchema, opaqueIdSchema, type Actor, type JourneyKind } from '../../machines/journey';
import { availabilitySlots, genders, type AvailabilitySlot } from '../../machines/matching-profile';
import type { SchemePolicy } from '../../machines/policy';
import { applyEvent, judge, startJourney } from '../../machines/runtime';
import { vettingUnmet, type VolunteerContext } from '../../machines/volunteer';
import { eligibilityProblems, type Referral } from '../../machines/young-person';
import type { RecordedEvent } from '../../contracts/messages';
import { journeys } from '../../machines/registry';
import { JourneyRefusedError } from '../journeys';
import type { CsvRow } from './csv';

export const youngPersonStages = ['referral', 'readiness', 'informalSupport', 'preferences', 'waitingForMatch'] as const;
export const volunteerStages = [
  'enquiry',
  'application',
  'interview',
  'vetting',
  'training',
  'suitabilityReview',
  'supportGroup',
  'peerCriteria',
  'available',
] as const;

export interface ImportColumn {
  name: string;
  for: 'all' | 'young-person' | 'volunteer';
  needed: string;
  meaning: string;
}

/** The columns of a caseload CSV. Headers are matched without regard to case, spaces or hyphens. */
export const importColumns: readonly ImportColumn[] = [
  { name: 'id', for: 'all', needed: 'always', meaning: 'an opaque id for the journey, e.g. yp-0001 or vol-0001 (never a name); a second import finds it' },
  { name: 'kind', for: 'all', needed: 'always', meaning: 'young-person or volunteer' },
  { name: 'coordinator', for: 'all', needed: 'always', meaning: 'the opaque id of the co-ordinator whose caseload it is on' },
  { name: 'stage', for: 'all', needed: 'always', meaning: `the stage reached: young person ${youngPersonStages.join('|')}; volunteer ${volunteerStages.join('|')}` },
  { name: 'date_of_birth', for: 'all', needed: 'always', meaning: 'YYYY-MM-DD' },
  { name: 'care_experienced', for: 'all', needed: 'always', meaning: 'yes or no' },
  { name: 'referred_on', for: 'young-person', needed: 'optional', meaning: 'YYYY-MM-DD the referral was made (eligibility is judged at this date; default: today)' },
  { name: 'referred_by', for: 'young-person', needed: 'always', meaning: '"self", or the opaque id of the referrer (social worker, personal adviser, agency)' },
  { name: 'referrer_notes', for: 'young-person', needed: 'optional', meaning: "the referrer's notes" },
  { name: 'contact_method', for: 'young-person', needed: 'from readiness on', meaning: 'first contact: phone|inPerson|video|message|letter' },
  { name: 'own_goals', for: 'young-person', needed: 'from readiness on', meaning: "the young person's own goals, in their words, separated by ;" },
  { name: 'mentor_type', for: 'young-person', needed: 'waitingForMatch', meaning: 'preferred mentor: peer|traditional|either' },
  { name: 'gender_preference', for: 'young-person', needed: 'optional', meaning: 'female|male|nonBinary|noPreference' },
  { name: 'languages', for: 'all', needed: 'optional', meaning: 'for matching (docs/matching.md), separated by ;' },
  { name: 'interests', for: 'all', needed: 'optional', meaning: 'for matching, separated by ;' },
  { name: 'area', for: 'all', needed: 'optional', meaning: "for matching: one of the policy's matching.areas" },
  { name: 'availability', for: 'all', needed: 'optional', meaning: 'for matching: when they can meet, e.g. tue-evening;sat-morning' },
  { name: 'gender', for: 'volunteer', needed: 'optional', meaning: `for matching: ${genders.join('|')} (sealed like the date of birth)` },
  { name: 'capacity', for: 'volunteer', needed: 'optional', meaning: 'for matching: how many matches at once (default: the policy maxActiveMatches)' },
  { name: 'ages_willing', for: 'volunteer', needed: 'optional', meaning: 'for matching: the ages of young people they mentor, e.g. 16-21' },
  { name: 'volunteer_type', for: 'volunteer', needed: 'always', meaning: 'peer|traditional' },
  { name: 'enquired_on', for: 'volunteer', needed: 'optional', meaning: 'YYYY-MM-DD of the enquiry (default: today)' },
  { name: 'left_care_on', for: 'volunteer', needed: 'peer mentors', meaning: 'YYYY-MM-DD the volunteer left care' },
  { name: 'email', for: 'volunteer', needed: 'always', meaning: 'for reminders and supervision invitations (never stored in ids or logs)' },
  { name: 'first_name', for: 'volunteer', needed: 'optional', meaning: 'for the greeting of their emails' },
  { name: 'check_type', for: 'volunteer', needed: 'from training on', meaning: 'the safeguarding check: PVG|enhancedDBS|other (optional at vetting)' },
  { name: 'check_issued_on', for: 'volunteer', needed: 'with check_type', meaning: 'YYYY-MM-DD issued (or applied for, if pending)' },
  { name: 'check_reference', for: 'volunteer', needed: 'with check_type', meaning: 'the certificate or membership number' },
  { name: 'check_decision', for: 'volunteer', needed: 'optional', meaning: 'clear|notClear|pending (default: clear)' },
  { name: 'check_expires_on', for: 'volunteer', needed: 'optional', meaning: 'YYYY-MM-DD (default: issued + the policy checkValidFor)' },
  { name: 'referees', for: 'volunteer', needed: 'from training on', meaning: 'opaque ids of the referees whose satisfactory references are in, separated by ; (optional at vetting)' },
  { name: 'training_hours', for: 'volunteer', needed: 'from suitabilityReview on', meaning: 'training hours done (optional at training)' },
  { name: 'training_topics', for: 'volunteer', needed: 'from suitabilityReview on', meaning: 'topics covered, separated by ; (e.g. safeguarding;confidentiality)' },
  { name: 'own_support', for: 'volunteer', needed: 'peer mentors, available', meaning: 'yes or no: the peer mentor has a mentor or support of their own' },
];

const required = ['id', 'kind', 'coordinator', 'stage', 'date_of_birth', 'care_experienced'];

export interface PlannedRow {
  line: number;
  id: string;
  kind: JourneyKind;
  stage: string;
  coordinatorId: string;
  input: Record<string, unknown>;
  contact?: VolunteerAddress;
  events: RecordedEvent[];
}

export interface BadRow {
  line: number;
  /** The row's opaque id, when it has a usable one. */
  id?: string;
  reasons: string[];
}

export interface ImportPlan {
  rows: PlannedRow[];
  bad: BadRow[];
  /** Columns that are not mentorflow's: not read, never stored. */
  ignoredColumns: string[];
}

export interface PlanOptions {
  by: Actor;
  policy: SchemePolicy;
  now: Date;
}

const normalise = (header: string) => header.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** Check every row and plan it; a problem with the file itself (no rows, missing columns) throws. */
export function planImport(csv: CsvRow[], options: PlanOptions): ImportPlan {
  const [header, ...body] = csv;
  if (!header) throw new JourneyRefusedError('IMPORT.BAD_FILE', 'the file is empty: the first line must name the columns', ['the file is empty']);
  const names = header.cells.map(normalise);
  const known = new Set(importColumns.map((c) => c.name));
  const missing = required.filter((c) => !names.includes(c));
  const duplicated = names.filter((n, i) => n !== '' && names.indexOf(n) !== i);
  if (missing.length > 0 || duplicated.length > 0) {
    const reasons = [
      ...missing.map((c) => `column "${c}" is missing`),
      ...[...new Set(duplicated)].map((c) => `column "${c}" appears more than once`),
    ];
    throw new JourneyRefusedError('IMPORT.BAD_FILE', `line ${header.line}: ${reasons.join('; ')}`, reasons);
  }
  const ignoredColumns = names.filter((n) => n !== '' && !known.has(n));
  const plan: ImportPlan = { rows: [], bad: [], ignoredColumns };
  const seen = new Map<string, number>();
  for (const row of body) {
    const values: Record<string, string> = {};
    names.forEach((name, i) => {
      if (known.has(name)) values[name] = (row.cells[i] ?? '').trim();
    });
    const reader = new RowReader(values);
    const extra = row.cells.length > names.length && row.cells.slice(names.length).some((c) => c.trim() !== '');
    if (extra) reader.problem('row', `${row.cells.length} cells but ${names.length} columns`);
    const planned = planRow(row.line, reader, options);
    const id = reader.idIfValid();
    if (id) {
      const first = seen.get(id);
      if (first !== undefined) reader.problem('id', `the same id as line ${first}`);
      else seen.set(id, row.line);
    }
    if (reader.problems.length > 0 || !planned) plan.bad.push({ line: row.line, ...(id ? { id } : {}), reasons: reader.problems });
    else plan.rows.push(planned);
  }
  return plan;
}

/** Reads a row's cells and collects what is wrong with them, without ever quoting a value. */
class RowReader {
  readonly problems: string[] = [];
  constructor(private readonly values: Record<string, string>) {}

  problem(column: string, message: string): void {
    this.problems.push(`${column}: ${message}`);
  }

  text(column: string, need = false): string | undefined {
    const v = this.values[column];
    if (v === undefined || v === '') {
      if (need) this.problem(column, 'needed');
      return undefined;
    }
    return v;
  }

  need(column: string): string | undefined {
    return this.text(column, true);
  }

  date(column: string, need = false): string | undefined {
    const v = this.text(column, need);
    if (v !== undefined && !isoDateSchema.safeParse(v).success) {
      this.problem(column, 'not a date: write YYYY-MM-DD');
      return undefined;
    }
    return v;
  }

  yesNo(column: string, need = false): boolean | undefined {
    const v = this.text(column, need);
    if (v === undefined) return undefined;
    const lower = v.toLowerCase();
    if (['yes', 'y', 'true', '1'].includes(lower)) return true;
    if (['no', 'n', 'false', '0'].includes(lower)) return false;
    this.problem(column, 'write yes or no');
    return undefined;
  }

  oneOf<T extends string>(column: string, allowed: readonly T[], need = false): T | undefined {
    const v = this.text(column, need);
    if (v === undefined) return undefined;
    const found = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (!found) this.problem(column, `one of ${allowed.join('|')}`);
    return found;
  }

  list(column: string, need = false): string[] {
    const v = this.text(column, need);
    return v === undefined ? [] : v.split(';').map((s) => s.trim()).filter((s) => s !== '');
  }

  /** Week slots, separated by ;: "tue-evening;sat-morning". */
  slots(column: string): AvailabilitySlot[] {
    const given = this.list(column);
    const bad = given.filter((slot) => !(availabilitySlots as readonly string[]).includes(slot));
    if (bad.length > 0) this.problem(column, `not a week slot: ${bad.join(', ')} (write a day and a part of it, e.g. tue-evening)`);
    return given.filter((slot): slot is AvailabilitySlot => (availabilitySlots as readonly string[]).includes(slot));
  }

  /** "16-21": both ends included. */
  ageRange(column: string): { from: number; to: number } | undefined {
    const v = this.text(column);
    if (v === undefined) return undefined;
    const m = /^(\d{1,2})\s*-\s*(\d{1,2})$/.exec(v);
    if (!m || Number(m[1]) > Number(m[2])) {
      this.problem(column, 'write the youngest and the oldest age, e.g. 16-21');
      return undefined;
    }
    return { from: Number(m[1]), to: Number(m[2]) };
  }

  wholeNumber(column: string, min: number, max: number): number | undefined {
    const v = this.text(column);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problem(column, `a whole number from ${min} to ${max}`);
      return undefined;
    }
    return n;
  }

  number(column: string, need = false): number | undefined {
    const v = this.text(column, need);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) {
      this.problem(column, 'not a number of hours');
      return undefined;
    }
    return n;
  }

  opaque(column: string, need = false): string | undefined {
    const v = this.text(column, need);
    if (v !== undefined && !opaqueIdSchema.safeParse(v).success) {
      this.problem(column, 'an id is 1-64 letters, digits, "_" or "-" (never a name)');
      return undefined;
    }
    return v;
  }

  idIfValid(): string | undefined {
    const v = this.values.id;
    return v && opaqueIdSchema.safeParse(v).success ? v : undefined;
  }
}

const startOfDay = (date: string | undefined, now: Date) => (date ? `${date}T00:00:00.000Z` : now.toISOString());

function planRow(line: number, r: RowReader, options: PlanOptions): PlannedRow | undefined {
  const id = r.opaque('id', true);
  const kindText = r.oneOf('kind', ['young-person', 'volunteer'] as const, true);
  const coordinatorId = r.opaque('coordinator', true);
  const dateOfBirth = r.date('date_of_birth', true);
  const careExperienced = r.yesNo('care_experienced', true);
  if (!kindText) {
    r.need('stage');
    return undefined;
  }
  const kind: JourneyKind = kindText === 'young-person' ? 'youngPerson' : 'volunteer';
  const stage = r.oneOf<string>('stage', kind === 'youngPerson' ? youngPersonStages : volunteerStages, true);
  const base = { line, id: id ?? '', kind, stage: stage ?? '', coordinatorId: coordinatorId ?? '' };
  const built =
    kind === 'youngPerson'
      ? youngPersonRow(r, options, { id, coordinatorId, dateOfBirth, careExperienced, stage })
      : volunteerRow(r, options, { id, coordinatorId, dateOfBirth, careExperienced, stage });
  if (!built || r.problems.length > 0 || !id || !stage) return undefined;
  const planned: PlannedRow = { ...base, ...built };
  for (const problem of simulate(planned, options)) r.problems.push(problem);
  return r.problems.length > 0 ? undefined : planned;
}

interface Common {
  id: string | undefined;
  coordinatorId: string | undefined;
  dateOfBirth: string | undefined;
  careExperienced: boolean | undefined;
  stage: string | undefined;
}

type Built = { input: Record<string, unknown>; events: RecordedEvent[]; contact?: VolunteerAddress };

/** Stages at or after `stage` in `order`. */
const reached = (order: readonly string[], stage: string | undefined, from: string) =>
  stage !== undefined && order.indexOf(stage) >= order.indexOf(from);

function youngPersonRow(r: RowReader, options: PlanOptions, c: Common): Built | undefined {
  const { by, now, policy } = options;
  const referredOn = r.date('referred_on');
  const referredByText = r.need('referred_by');
  let referredBy: Actor | undefined;
  if (referredByText) {
    const referrerId = referredByText.toLowerCase() === 'self' ? c.id : referredByText.replace(/^referrer:/, '');
    if (referrerId && opaqueIdSchema.safeParse(referrerId).success) {
      referredBy = { role: referredByText.toLowerCase() === 'self' ? 'youngPerson' : 'referrer', id: referrerId };
    } else if (referrerId) r.problem('referred_by', '"self" or the opaque id of the referrer (never a name)');
  }
  const notes = r.text('referrer_notes');
  const pastReferral = c.stage !== undefined && c.stage !== 'referral';
  const method = r.oneOf('contact_method', ['phone', 'inPerson', 'video', 'message', 'letter'] as const, pastReferral);
  const ownGoals = r.list('own_goals', pastReferral);
  const wantsMatch = c.stage === 'waitingForMatch';
  const mentorType = r.oneOf('mentor_type', ['peer', 'traditional', 'either'] as const, wantsMatch);
  const gender = r.oneOf('gender_preference', ['female', 'male', 'nonBinary', 'noPreference'] as const);
  const languages = r.list('languages');
  const interests = r.list('interests');
  const area = r.text('area');
  const availability = r.slots('availability');
  if (r.problems.length > 0 || !c.dateOfBirth || c.careExperienced === undefined || !referredBy) return undefined;

  const startedAt = startOfDay(referredOn, now);
  const referral = {
    referredBy,
    dateOfBirth: c.dateOfBirth,
    careExperienced: c.careExperienced,
    ...(notes ? { referrerNotes: notes } : {}),
  };
  const problems = eligibilityProblems(referral as Referral, startedAt, policy);
  for (const p of problems) r.problem('eligibility', p);

  const events: RecordedEvent[] = [];
  if (method) events.push({ type: 'contact.recorded', by, method });
  if (pastReferral) events.push({ type: 'consent.recorded', by, consent: 'given', ownGoals });
  if (c.stage === 'informalSupport') events.push({ type: 'readiness.assessed', by, outcome: 'notReady' });
  if (c.stage === 'preferences' || c.stage === 'waitingForMatch') events.push({ type: 'readiness.assessed', by, outcome: 'ready' });
  if (wantsMatch && mentorType) {
    events.push({
      type: 'preferences.recorded',
      by,
      mentorType,
      ...(gender ? { gender } : {}),
      ...(languages.length ? { languages } : {}),
      ...(interests.length ? { interests } : {}),
      ...(area ? { area } : {}),
      ...(availability.length ? { availability } : {}),
    });
  }
  return { input: { journeyId: c.id, coordinatorId: c.coordinatorId, startedAt, referral }, events };
}

function volunteerRow(r: RowReader, options: PlanOptions, c: Common): Built | undefined {
  const { by, now } = options;
  const order = volunteerStages;
  const type = r.oneOf('volunteer_type', ['peer', 'traditional'] as const, true);
  const enquiredOn = r.date('enquired_on');
  const leftCareOn = r.date('left_care_on');
  const email = r.need('email');
  const firstName = r.text('first_name');
  const stage = c.stage;
  const atTraining = reached(order, stage, 'training');
  const atReview = reached(order, stage, 'suitabilityReview');
  const checkType = r.oneOf('check_type', ['PVG', 'enhancedDBS', 'other'] as const, atTraining);
  const checkIssuedOn = r.date('check_issued_on', checkType !== undefined);
  const checkReference = r.opaque('check_reference', checkType !== undefined);
  const checkDecision = r.oneOf('check_decision', ['clear', 'notClear', 'pending'] as const) ?? 'clear';
  const checkExpiresOn = r.date('check_expires_on');
  const referees = r.list('referees', atTraining);
  for (const referee of referees) {
    if (!opaqueIdSchema.safeParse(referee).success) r.problem('referees', 'each referee is an opaque id (never a name)');
  }
  const hours = r.number('training_hours', atReview);
  const topics = r.list('training_topics', atReview);
  const peerAvailable = type === 'peer' && stage === 'available';
  const ownSupport = r.yesNo('own_support', peerAvailable);
  const profile = {
    languages: r.list('languages'),
    interests: r.list('interests'),
    availability: r.slots('availability'),
    area: r.text('area'),
    gender: r.oneOf('gender', genders),
    capacity: r.wholeNumber('capacity', 1, 10),
    agesWilling: r.ageRange('ages_willing'),
  };
  if (type === 'traditional' && stage === 'peerCriteria') r.problem('stage', 'peerCriteria is a stage of peer mentors only');
  let contact: VolunteerAddress | undefined;
  if (email) {
    const parsed = volunteerAddressSchema.safeParse({ email, ...(firstName ? { firstName } : {}) });
    if (parsed.success) contact = parsed.data;
    else for (const issue of parsed.error.issues) r.problem(issue.path[0] === 'email' ? 'email' : 'first_name', issue.message);
  }
  if (r.problems.length > 0 || !type || !c.dateOfBirth || c.careExperienced === undefined || !contact) return undefined;

  const events: RecordedEvent[] = [];
  const { area, gender, capacity, agesWilling, ...lists } = profile;
  if (area || gender || capacity !== undefined || agesWilling || Object.values(lists).some((l) => l.length > 0)) {
    events.push({
      type: 'matchingProfile.recorded',
      by,
      ...lists,
      ...(area ? { area } : {}),
      ...(gender ? { gender } : {}),
      ...(capacity !== undefined ? { capacity } : {}),
      ...(agesWilling ? { agesWilling } : {}),
    });
  }
  if (reached(order, stage, 'application')) events.push({ type: 'infoSession.attended', by });
  if (reached(order, stage, 'interview')) events.push({ type: 'application.received', by });
  if (reached(order, stage, 'vetting')) {
    events.push({ type: 'interview.held', by, outcome: 'proceed', faceToFace: true });
    // References first: they are taken during vetting only, which a clear check may end.
    for (const refereeRef of referees) events.push({ type: 'reference.received', by, refereeRef, satisfactory: true });
    if (checkType && checkIssuedOn && checkReference) {
      events.push({
        type: 'check.recorded',
        by,
        checkType,
        issuedOn: checkIssuedOn,
        referenceNumber: checkReference,
        decision: checkDecision,
        ...(checkExpiresOn ? { expiresOn: checkExpiresOn } : {}),
      });
    }
  }
  if (reached(order, stage, 'training') && hours !== undefined && hours > 0) {
    // A session is at most 24 hours: the hours done so far are recorded as consecutive sessions.
    let left = hours;
    let first = true;
    while (left > 0) {
      const chunk = Math.min(24, left);
      events.push({ type: 'training.sessionLogged', by, hours: chunk, topics: first ? topics : [] });
      left = Math.round((left - chunk) * 100) / 100;
      first = false;
    }
  }
  if (atReview) events.push({ type: 'training.completed', by });
  if (stage === 'supportGroup') events.push({ type: 'suitability.reviewed', by, outcome: 'peerSupportGroup' });
  if (stage === 'peerCriteria' || stage === 'available') events.push({ type: 'suitability.reviewed', by, outcome: 'ready' });
  if (peerAvailable) events.push({ type: 'peerCriteria.confirmed', by, readyWillingAble: true, ownSupportInPlace: ownSupport ?? false });

  const volunteer = {
    type,
    dateOfBirth: c.dateOfBirth,
    careExperienced: c.careExperienced,
    ...(leftCareOn ? { leftCareOn } : {}),
  };
  return {
    input: { journeyId: c.id, coordinatorId: c.coordinatorId, startedAt: startOfDay(enquiredOn, now), volunteer },
    events,
    contact,
  };
}

/**
 * Play the row through the journey machine, offline: the start input and every event must pass
 * the journey's schemas and gates, and the journey must end at the row's stage.
 */
function simulate(row: PlannedRow, options: PlanOptions): string[] {
  const definition = journeys[row.kind];
  const input = definition.input.safeParse(row.input);
  if (!input.success) return input.error.issues.map((i) => `${columnOf(i.path)}: ${i.message}`);
  const nowIso = options.now.toISOString();
  let snapshot;
  try {
    snapshot = startJourney(definition, { ...row.input, policy: options.policy }, nowIso).snapshot;
  } catch (error) {
    return [`the journey cannot start: ${(error as Error).message}`];
  }
  for (const event of row.events) {
    const parsed = definition.recordedEvents.safeParse(event);
    if (!parsed.success) return parsed.error.issues.map((i) => `${columnOf([event.type, ...i.path])}: ${i.message}`);
    const verdict = judge(definition, snapshot, { ...parsed.data, at: nowIso });
    if (!verdict.accepted) return [`does not reach stage ${row.stage}: ${verdict.message}`];
    snapshot = applyEvent(definition, snapshot, [], parsed.data as RecordedEvent, nowIso).snapshot;
  }
  const reachedStage = definition.stage(snapshot);
  if (reachedStage === row.stage) return [];
  // A volunteer held at vetting moves on by itself once it clears: say what holds it.
  const held = row.kind === 'volunteer' && reachedStage === 'vetting' ? vettingUnmet(snapshot.context as VolunteerContext, nowIso) : [];
  return [`stage: the row's facts bring the journey to stage ${reachedStage}, not ${row.stage}${held.length ? ` (${held.join('; ')})` : ''}`];
}

/** The column a schema problem comes from, so the reason points at the spreadsheet. */
const fieldColumns: Record<string, string> = {
  journeyId: 'id',
  coordinatorId: 'coordinator',
  startedAt: 'referred_on/enquired_on',
  dateOfBirth: 'date_of_birth',
  careExperienced: 'care_experienced',
  referredBy: 'referred_by',
  referrerNotes: 'referrer_notes',
  leftCareOn: 'left_care_on',
  type: 'volunteer_type',
  method: 'contact_method',
  ownGoals: 'own_goals',
  mentorType: 'mentor_type',
  gender: 'gender_preference',
  languages: 'languages',
  interests: 'interests',
  area: 'area',
  checkType: 'check_type',
  issuedOn: 'check_issued_on',
  referenceNumber: 'check_reference',
  decision: 'check_decision',
  expiresOn: 'check_expires_on',
  refereeRef: 'referees',
  hours: 'training_hours',
  topics: 'training_topics',
  ownSupportInPlace: 'own_support',
};

function columnOf(path: readonly PropertyKey[]): string {
  for (const key of [...path].reverse()) {
    const column = fieldColumns[String(key)];
    if (column) return column;
  }
  return path.map(String).join('.') || 'row';
}
