/**
 * A worker thread of ./parallel.ts: reads the journeys it is sent and posts each reading back,
 * then exits.
 */
import { parentPort } from 'node:worker_threads';
import { historyFromBytes } from '../audit/history-file';
import type { Journey } from '../audit/journey-history';
import type { JourneyOnTheWire, WorkerMessage } from './parallel';
import { readJourney } from './reading';

parentPort!.once('message', (work: { asOf: string; journeys: { index: number; journey: JourneyOnTheWire }[] }) => {
  try {
    for (const { index, journey } of work.journeys) {
      const runs = journey.runs.map(({ historyBytes, ...run }) => ({ ...run, history: historyFromBytes(historyBytes) }));
      const reading = readJourney({ ...journey, runs } as Journey, work.asOf);
      parentPort!.postMessage({ type: 'read', index, reading } satisfies WorkerMessage);
    }
  } catch (error) {
    parentPort!.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
  }
  parentPort!.close();
});
