/**
 * Registers the Mentorflow* search attributes on a Temporal server (self-hosted clusters and the
 * test servers; the embedded dev server gets them as start flags). Temporal Cloud manages search
 * attributes in its own console or `tcld`: there, say what to add instead of failing.
 */
import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { mentorflowSearchAttributes } from '../contracts/search-attributes';

export async function registerSearchAttributes(
  connection: Connection,
  namespace: string,
  options: { existingClusterMayRefuse?: boolean } = {},
): Promise<void> {
  const searchAttributes = Object.fromEntries(
    mentorflowSearchAttributes.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
  );
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (error) {
    if (!options.existingClusterMayRefuse) throw error;
    // Where the cluster shows what it has, refuse to start without them: a journey whose step
    // writes an attribute the namespace lacks cannot take that step, and would wait until it has.
    const missing = await missingSearchAttributes(connection, namespace).catch(() => undefined);
    if (missing?.length === 0) return;
    const wanted = (missing ?? mentorflowSearchAttributes).map((key) => `${key.name} (${key.type})`).join(', ');
    if (missing) {
      throw new Error(
        `The Temporal namespace "${namespace}" lacks search attributes that journeys write, and mentorflow could not add them ` +
          `(${(error as Error).message.split('\n')[0]}). Add them with your cluster's tools (Temporal Cloud: the namespace's settings or tcld), ` +
          `then start again: ${wanted}.`,
        { cause: error },
      );
    }
    console.warn(
      `Could not register search attributes on this cluster (${(error as Error).message.split('\n')[0]}).\n` +
        `If they are not there yet, add them with your cluster's tools (Temporal Cloud: the namespace's settings or tcld): ${wanted}.`,
    );
  }
}

/** The Mentorflow* search attributes the namespace does not have (listing them may itself be refused). */
async function missingSearchAttributes(connection: Connection, namespace: string): Promise<typeof mentorflowSearchAttributes> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return mentorflowSearchAttributes.filter((key) => !customAttributes?.[key.name]);
}
