/**
 * Carrying out an import plan (./plan.ts): each row's journey started and brought to its stage by
 * recording the events that lead there, carrying on where an earlier run stopped. Used by the CLI's
 * `import` and the HTTP API's POST /api/imports, through the journeys API as one principal may use it.
 */
import type { JourneyKind } from '../../machines/journey';
import { AccessDeniedError } from '../../access/permissions';
import { JourneyRefusedError, type Journeys } from '../journeys';
import type { PlannedRow } from './plan';

export interface RowResult {
  line: number;
  id: string;
  kind: JourneyKind;
  /** started: new; alreadyStarted: found from an earlier import, nothing recorded; resumed: found half-imported, finished now. */
  outcome: 'started' | 'alreadyStarted' | 'resumed' | 'failed';
  /** Events recorded by this run. */
  recorded: number;
  /** The stage the journey reports now (null if it could not be asked). */
  stage: string | null;
  expectedStage: string;
  error?: { code: string; message: string; reasons: string[] };
  /** The row was refused (an unmet gate, not allowed) rather than failed for another reason. */
  refused?: boolean;
}

/** Import the rows, `concurrency` at a time; `onRow` hears of each as it is done. Results in line order. */
export async function importRows(journeys: Journeys, rows: readonly PlannedRow[], options: { concurrency?: number; onRow?: (row: PlannedRow, result: RowResult) => void } = {}): Promise<RowResult[]> {
  const results: RowResult[] = [];
  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const result = await importRow(journeys, row);
      results.push(result);
      options.onRow?.(row, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, Math.max(1, rows.length)) }, worker));
  return results.sort((a, b) => a.line - b.line);
}

/** Start one journey and record what brings it to its stage, carrying on where an earlier run stopped. */
async function importRow(journeys: Journeys, row: PlannedRow): Promise<RowResult> {
  const result: RowResult = { line: row.line, id: row.id, kind: row.kind, outcome: 'started', recorded: 0, stage: null, expectedStage: row.stage };
  try {
    const existed = await journeys.exists(row.kind, row.id);
    const started = existed ? { alreadyStarted: true } : await journeys.start(row.kind, row.input, { ...(row.contact ? { contact: row.contact } : {}), imported: true });
    // Ask the new journey for its status before sending it events: it has begun, and a worker is
    // polling (without one, this row fails here rather than half-way through its events).
    if (!started.alreadyStarted) await journeys.status(row.kind, row.id);
    let from = 0;
    if (started.alreadyStarted) {
      from = await journeys.recordedEventCount(row.kind, row.id);
      result.outcome = from >= row.events.length ? 'alreadyStarted' : 'resumed';
    }
    for (const event of row.events.slice(from)) {
      await journeys.record(row.kind, row.id, event);
      result.recorded++;
    }
    result.stage = (await journeys.status(row.kind, row.id)).stage;
  } catch (error) {
    const e = error as Error & { code?: string; reasons?: string[] };
    result.outcome = 'failed';
    result.error = { code: typeof e.code === 'string' ? e.code : 'ERROR', message: e.message, reasons: e.reasons ?? [e.message] };
    result.refused = error instanceof JourneyRefusedError || error instanceof AccessDeniedError;
  }
  return result;
}
