/**
 * Where the workflow code lives, for those who bundle or replay it from Node: the worker
 * (worker/create-worker.ts) and the auditor's replayer (audit/replay.ts). Workflow code never
 * imports this file; it is read by Node, not bundled. It sits here, beside the code it points at,
 * so that the audit need not reach up into worker/ to find it.
 */
export const workflowsPath = `${__dirname}/index.ts`;
