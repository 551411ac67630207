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
    const wanted = mentorflowSearchAttributes.map((key) => `${key.name} (${key.type})`).join(', ');
    console.warn(
      `Could not register search attributes on this cluster (${(error as Error).message.split('\n')[0]}).\n` +
        `If they are not there yet, add them with your cluster's tools (Temporal Cloud: the namespace's settings or tcld): ${wanted}.`,
    );
  }
}
