/**
 * Temporal history files: the standard JSON form (protobuf JSON, as `temporal workflow show
 * --output json`, the Web UI's download and the SDK's `historyToJSON` write it), read back into the
 * SDK's History object that `Worker.runReplayHistories` replays.
 *
 * Why not `historyToJSON` / `historyFromJSON` from @temporalio/common: in this install
 * @temporalio/common and @temporalio/proto each carry their own copy of protobufjs (the top-level
 * slot is taken by the version @grpc/proto-loader needs), and protobufjs checks `instanceof Type`,
 * so those helpers throw "type must be a Type". Here the JSON codec is taken from the very copy of
 * protobufjs that built the History type, which works whatever the layout. The output is the same.
 */
import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils';

export type { History };

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}

interface ProtoRoot {
  lookupType(name: string): unknown;
}

interface HistoryClass {
  fromObject(o: unknown): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
}

let codec: { protojson: ProtoJson; historyType: unknown; fromObject(o: unknown): unknown; History: HistoryClass } | undefined;

/** The History type's JSON and binary codecs, from the copy of protobufjs that built it (see above). */
function protobufCodecs() {
  if (!codec) {
    const fromCommon = createRequire(require.resolve('@temporalio/common'));
    const protoEntry = fromCommon.resolve('@temporalio/proto');
    const fromProto = createRequire(protoEntry);
    const proto = fromCommon('@temporalio/proto') as {
      temporal: { api: { history: { v1: { History: HistoryClass } } } };
    };
    const { patchProtobufRoot } = fromProto('@temporalio/proto/lib/patch-protobuf-root') as {
      patchProtobufRoot(root: unknown): ProtoRoot;
    };
    const root = patchProtobufRoot(proto);
    codec = {
      protojson: fromProto('protobufjs/ext/protojson') as ProtoJson,
      historyType: root.lookupType('temporal.api.history.v1.History'),
      fromObject: (o) => proto.temporal.api.history.v1.History.fromObject(o),
      History: proto.temporal.api.history.v1.History,
    };
  }
  return codec;
}

/** A history as the standard JSON text (pretty-printed, as `historyToJSON` gives it). */
export function historyToJSON(history: History): string {
  const { protojson, historyType, fromObject } = protobufCodecs();
  return JSON.stringify(protojson.toJson(historyType, fromObject(history)), null, 2);
}

/**
 * A deep copy of a history, through its binary protobuf form: several times cheaper than through
 * JSON, which matters when an auditor decrypts a scheme's thousands of histories.
 */
export function cloneHistory(history: History): History {
  return historyFromBytes(historyToBytes(history));
}

/** A history in its binary protobuf form (e.g. to hand to a worker thread without copying objects). */
export function historyToBytes(history: History): Uint8Array {
  const { History: type, fromObject } = protobufCodecs();
  return type.encode(fromObject(history)).finish();
}

export function historyFromBytes(bytes: Uint8Array): History {
  return protobufCodecs().History.decode(bytes) as History;
}

/** A history from its standard JSON (text or parsed). Unknown fields (a newer server's) are ignored. */
export function historyFromJSON(json: unknown): History {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { events?: unknown }).events)) {
    throw new TypeError('not a Temporal history: expected an object with an array of events');
  }
  const { protojson, historyType } = protobufCodecs();
  return protojson.fromJson(historyType, value, { ignoreUnknownFields: true }) as History;
}
