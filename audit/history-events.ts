/**
 * Reading one Temporal history event without the server: its id, type and time, and the values in
 * its payloads. Events are read by which `...EventAttributes` field is set, so no protobuf enum is
 * needed and a history loaded from JSON reads the same as one fetched from the server.
 */
import { defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { cloneHistory } from './history-file';

export type HistoryEvent = NonNullable<History['events']>[number];
type Payload = Parameters<typeof defaultPayloadConverter.fromPayload>[0];

/** A protobuf int64 as a number (a Long, a string in JSON, or already a number). */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (value && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return Number(value ?? 0);
}

export function eventIdOf(event: HistoryEvent): number {
  return toNumber(event.eventId);
}

/** The event's time (ISO 8601, millisecond precision as the workflow's clock sees it). */
export function eventTimeOf(event: HistoryEvent): string {
  const time = event.eventTime;
  if (!time) return new Date(0).toISOString();
  return new Date(toNumber(time.seconds) * 1000 + Math.floor((time.nanos ?? 0) / 1e6)).toISOString();
}

/** A protobuf Duration in milliseconds. */
export function durationMs(duration: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!duration) return 0;
  return toNumber(duration.seconds) * 1000 + Math.round((duration.nanos ?? 0) / 1e6);
}

/**
 * The event's type in the attributes' own words, e.g. "timerStarted" for
 * `timerStartedEventAttributes`.
 */
export function eventTypeOf(event: HistoryEvent): string {
  const record = event as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key.endsWith('EventAttributes') && record[key]) return key.slice(0, -'EventAttributes'.length);
  }
  return 'unknown';
}

/** The attributes object of the event, whatever its type. */
export function attributesOf(event: HistoryEvent): Record<string, unknown> {
  const record = event as unknown as Record<string, unknown>;
  return (record[`${eventTypeOf(event)}EventAttributes`] ?? {}) as Record<string, unknown>;
}

/** A payload's value, with the default payload converter (JSON today). */
export function decodePayload<T = unknown>(payload: Payload | null | undefined): T | undefined {
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload<T>(payload);
  } catch {
    return undefined;
  }
}

export function firstPayload<T = unknown>(payloads: { payloads?: Payload[] | null } | null | undefined): T | undefined {
  return decodePayload<T>(payloads?.payloads?.[0]);
}

/** A timer's or an activity's summary as the workflow wrote it ("first contact due"). */
export function summaryOf(event: HistoryEvent): string | undefined {
  const summary = decodePayload<unknown>(event.userMetadata?.summary ?? undefined);
  return typeof summary === 'string' ? summary : undefined;
}

/**
 * The patch ids the workflow recorded (`patched(id)` writes a "core_patch" marker the first time a
 * run takes the patched path), so the audit can follow the same path as the workflow did.
 */
export function patchesIn(events: readonly HistoryEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') continue;
    for (const payload of marker.details?.['patch-data']?.payloads ?? []) {
      const data = decodePayload<unknown>(payload);
      const id = typeof data === 'string' ? data : (data as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}

/**
 * A copy of `history` with every payload decoded by `codec` (e.g. a scheme's encryption codec), so
 * the rest of the audit reads plain values. Without a codec the history is returned as it is.
 */
export async function decodeHistory(history: History, codec?: PayloadCodec): Promise<History> {
  if (!codec) return history;
  const copy = cloneHistory(history);
  const found: { holder: Record<string, unknown> | unknown[]; key: string | number; payload: Payload }[] = [];
  const walk = (value: unknown, holder: Record<string, unknown> | unknown[] | undefined, key: string | number | undefined): void => {
    if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
    const record = value as Record<string, unknown>;
    if (holder && key !== undefined && record.data instanceof Uint8Array && record.metadata && typeof record.metadata === 'object') {
      found.push({ holder, key, payload: record as Payload });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, value, i));
    else for (const [k, v] of Object.entries(record)) walk(v, record, k);
  };
  walk(copy, undefined, undefined);
  const decoded = await codec.decode(found.map((f) => f.payload));
  found.forEach((f, i) => {
    (f.holder as Record<string | number, unknown>)[f.key] = decoded[i];
  });
  return copy;
}
