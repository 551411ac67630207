/** Journey kinds in URLs: /journeys/young-person/yp-..., /api/journeys/volunteer/vol-... */
import { z } from 'zod';
import type { JourneyKind } from '../machines/journey';
import { kindSlugs } from '../presentation/links';

export { kindSlugs, journeyPath } from '../presentation/links';

export const kindTitles: Record<JourneyKind, string> = { youngPerson: 'Young person', volunteer: 'Volunteer', match: 'Match' };

export const kindSlugSchema = z.enum(['young-person', 'volunteer', 'match']).describe('the kind of journey');

export function kindOfSlug(slug: string): JourneyKind | undefined {
  return (Object.entries(kindSlugs) as [JourneyKind, string][]).find(([, s]) => s === slug)?.[0];
}
