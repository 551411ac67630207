/**
 * The quality standards a scheme may be assessed against, as far as the histories can show them.
 *
 * - MENTOR, Elements of Effective Practice for Mentoring (4th edition): six standards.
 * - The UK Approved Provider Standard (APS, NCVO Mentoring and Befriending): ten requirements in
 *   four key areas. Requirements about aims and resources (1 and 2) are not shown by journeys'
 *   histories and have no rule here.
 */

export const mentorStandards = {
  recruitment: 'Recruitment',
  screening: 'Screening',
  training: 'Training',
  matchingAndInitiating: 'Matching and initiating',
  monitoringAndSupport: 'Monitoring and support',
  closure: 'Closure',
} as const;
export type MentorStandard = keyof typeof mentorStandards;

export const apsRequirements = {
  safety: { area: 'Management and operation', requirement: 3, title: 'A commitment to the safety of staff, service users and mentors' },
  referral: { area: 'Service users', requirement: 4, title: 'A clear process for the identification and referral of service users' },
  recruitmentAndSelection: { area: 'Mentors and befrienders', requirement: 6, title: 'A safe and effective recruitment and selection process' },
  inductionAndTraining: { area: 'Mentors and befrienders', requirement: 7, title: 'Appropriate induction and training for mentors' },
  supportForMentors: { area: 'Mentors and befrienders', requirement: 8, title: 'Support for mentors to develop their role' },
  matching: { area: 'The mentoring relationship', requirement: 9, title: 'A clear and consistent process for matching' },
  monitoring: { area: 'The mentoring relationship', requirement: 10, title: 'Relationships regularly monitored so that progress is made and outcomes achieved' },
} as const;
export type ApsRequirement = keyof typeof apsRequirements;

export function apsLabel(requirement: ApsRequirement): string {
  const r = apsRequirements[requirement];
  return `APS ${r.requirement} (${r.area}): ${r.title}`;
}
