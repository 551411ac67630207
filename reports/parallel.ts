/**
 * Reading journeys for the scheme report on every core: re-running each journey's machine over
 * its history is nearly all of a report's cost (BENCHMARKS.md, section 9), and journeys are read
 * independently, so a scheme with thousands of histories is split across worker threads. Each
 * history travels in its binary protobuf form (transferred, not copied); each reading comes back
 * as plain data. The figures are the same as when read in one thread (test/reports/parallel.test.ts).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { historyToBytes } from '../audit/history-file';
import type { Journey, JourneyRun } from '../audit/journey-history';
import { readJourney, type JourneyReading } from './reading';

/** A journey as it crosses to a worker: its runs with each history as bytes. */
export interface JourneyOnTheWire {
  kind: Journey['kind'];
  journeyId: string;
  workflowId: string;
  runs: (Omit<JourneyRun, 'history'> & { historyBytes: Uint8Array })[];
}

export type WorkerMessage = { type: 'read'; index: number; reading: JourneyReading } | { type: 'failed'; message: string };

export interface ParallelOptions {
  /** Worker threads to use (default: the cores available, at most 8). 1 reads in this thread. */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Below this many journeys, starting threads costs more than it saves. */
const SMALL = 200;

/** Every journey read up to `asOf`, in the order given, on several threads where it pays. */
export async function readJourneys(journeys: readonly Journey[], asOf: string, options: ParallelOptions = {}): Promise<JourneyReading[]> {
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), 8), journeys.length));
  if (threads === 1 || journeys.length < SMALL) {
    return journeys.map((j, i) => {
      const reading = readJourney(j, asOf);
      options.onProgress?.(i + 1, journeys.length);
      return reading;
    });
  }
  const readings: JourneyReading[] = new Array(journeys.length);
  let done = 0;
  const shares = Array.from({ length: threads }, (_, t) => journeys.flatMap((j, i) => (i % threads === t ? [{ index: i, journey: j }] : [])));
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const transfer: ArrayBuffer[] = [];
          const wire = share.map(({ index, journey }) => ({ index, journey: onTheWire(journey, transfer) }));
          // The worker runs the TypeScript sources through tsx, as the CLI does (bin/mentorflow.js).
          const worker = new Worker(
            "require('tsx/cjs'); require(require('node:worker_threads').workerData.entry);",
            { eval: true, workerData: { entry: path.join(__dirname, 'read-worker.ts') } },
          );
          worker.on('message', (message: WorkerMessage) => {
            if (message.type === 'failed') {
              reject(new Error(`reading journeys in a worker thread failed: ${message.message}`));
              void worker.terminate();
              return;
            }
            readings[message.index] = message.reading;
            done += 1;
            options.onProgress?.(done, journeys.length);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code === 0) resolve();
            else reject(new Error(`a worker thread reading journeys stopped with code ${code}`));
          });
          worker.postMessage({ asOf, journeys: wire }, transfer);
        }),
    ),
  );
  return readings;
}

function onTheWire(journey: Journey, transfer: ArrayBuffer[]): JourneyOnTheWire {
  return {
    kind: journey.kind,
    journeyId: journey.journeyId,
    workflowId: journey.workflowId,
    runs: journey.runs.map(({ history, ...run }) => {
      // A copy of its own, so that transferring it detaches nothing the caller still holds.
      const historyBytes = historyToBytes(history).slice();
      transfer.push(historyBytes.buffer as ArrayBuffer);
      return { ...run, historyBytes };
    }),
  };
}
