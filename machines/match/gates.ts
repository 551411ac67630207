/**
 * The match's gates, each a list of what is unmet in a co-ordinator's words. A guard passes when
 * its list is empty, and a refusal quotes the same list, so the reason given never drifts from the
 * rule applied. (Vetting, training, suitability, peer criteria and the peer age gap are the
 * volunteer journey's gates, checked before a match is proposed.)
 */
import type { MatchContext } from './context';
import { meetingDay } from './schedule';

/** The young person is involved in the choice: they meet (or read about) the mentor first. */
export function acceptanceUnmet(context: MatchContext): string[] {
  const unmet: string[] = [];
  if (context.introductions.count === 0) {
    unmet.push('the young person has not been introduced to the mentor yet: record the introduction first');
  }
  if (context.volunteerCheckExpiredSince) {
    unmet.push("the volunteer's safeguarding check has expired: it must be renewed before the match starts");
  }
  if (context.concerns.safeguardingOpenSince) {
    unmet.push('a safeguarding concern about this match is open: resolve it first');
  }
  return unmet;
}

/** A meeting is logged for a day (or a moment) that has happened, while the match was on. */
export function meetingDateUnmet(context: MatchContext, meeting: { on?: unknown; at?: unknown }): string[] {
  if (typeof meeting.on !== 'string') return [];
  const on = meeting.on;
  const unmet: string[] = [];
  const day = meetingDay(on);
  const loggedAt = typeof meeting.at === 'string' ? meeting.at : undefined;
  const today = loggedAt?.slice(0, 10);
  if (today && day > today) unmet.push(`the meeting date ${on} is in the future`);
  else if (loggedAt && on !== day && Date.parse(on) > Date.parse(loggedAt)) unmet.push(`the meeting time ${on} is in the future`);
  const started = context.acceptedAt?.slice(0, 10);
  if (started && day < started) {
    unmet.push(`the meeting date ${on} is before the match started on ${started}`);
  }
  const paused = context.concerns.safeguardingOpenSince?.slice(0, 10);
  if (paused && day > paused) {
    unmet.push(`the match has been paused since ${paused} for a safeguarding concern: no meetings after that day`);
  }
  return unmet;
}
