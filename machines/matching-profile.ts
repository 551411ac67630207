/**
 * The words both sides of a match use about themselves: when they are free, which languages they
 * speak, what they like doing, where they live. One set of schemas, so that a young person's
 * "tue-evening" and a volunteer's are the same slot and "Polish" is "polish".
 */
import { z } from 'zod';

export const weekDays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const dayParts = ['morning', 'afternoon', 'evening'] as const;
export type WeekDay = (typeof weekDays)[number];
export type DayPart = (typeof dayParts)[number];

/** A part of a week day when someone is free to meet: "tue-evening". */
export type AvailabilitySlot = `${WeekDay}-${DayPart}`;
export const availabilitySlots = weekDays.flatMap((day) => dayParts.map((part) => `${day}-${part}` as AvailabilitySlot));

export const availabilitySchema = z
  .array(z.enum(availabilitySlots as [AvailabilitySlot, ...AvailabilitySlot[]], { error: 'a slot is a day and a part of it, e.g. "tue-evening"' }))
  .max(availabilitySlots.length);

/** Languages and interests as people write them; matching compares them without regard to case. */
export const languagesSchema = z.array(z.string().min(2).max(40)).max(5);
export const interestsSchema = z.array(z.string().min(1).max(40)).max(10);

/** One of the areas the scheme lists in its policy (`matching.areas`). */
export const areaSchema = z.string().trim().min(1).max(60);

/** A volunteer's gender, as they describe it; sensitive, so sealed on their journey. */
export const genders = ['female', 'male', 'nonBinary', 'other', 'preferNotToSay'] as const;
export type Gender = (typeof genders)[number];

/** How matching compares two languages or interests: "Polish" is " polish". */
export const sameTerm = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The slots two people share, in week order. */
export function sharedSlots(a: readonly string[], b: readonly string[]): AvailabilitySlot[] {
  const other = new Set(b);
  return availabilitySlots.filter((slot) => a.includes(slot) && other.has(slot));
}
