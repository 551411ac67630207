/**
 * Which events a journey's machine would take in the state its status shows, read from the machine
 * itself (never a list of our own): the web app offers a form for each, and for an overdue matter
 * the events of the overdue state itself, which are the ones that resolve it. Whether an event's
 * gates are met is still for the machine to judge when it is recorded.
 */
import { getStateNodes, pathToStateValue, type AnyStateMachine, type AnyStateNode, type StateValue } from 'xstate';

/** "a.b | a.c.d" (the status's `state`) as a state value. */
export function stateValueOf(state: string): StateValue {
  const merged: Record<string, unknown> = {};
  for (const path of state.split(' | ').filter(Boolean)) mergeInto(merged, pathToStateValue(path.split('.')) as Record<string, unknown>);
  const keys = Object.keys(merged);
  // A single leaf at the top is its name alone ("ended"), as XState writes it.
  return keys.length === 1 && Object.keys(merged[keys[0]!] as object).length === 0 ? keys[0]! : (merged as StateValue);
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const inner = (typeof value === 'string' ? { [value]: {} } : value) as Record<string, unknown>;
    const existing = (target[key] ??= {}) as Record<string, unknown>;
    mergeInto(existing, inner);
  }
}

export interface AcceptedEvents {
  /** Every event type some active state (or an ancestor) takes, in the machine's own order. */
  all: string[];
  /** For each open nudge (`nudge:<about>` tag), the events of the state that carries it. */
  resolving: Record<string, string[]>;
}

export function acceptedEvents(machine: AnyStateMachine, state: string): AcceptedEvents {
  let nodes: AnyStateNode[];
  try {
    nodes = [...getStateNodes(machine.root, stateValueOf(state))];
  } catch {
    // A state this machine version does not have (never expected): offer nothing rather than guess.
    return { all: [], resolving: {} };
  }
  const all = new Set<string>();
  const resolving: Record<string, string[]> = {};
  for (const node of nodes) {
    for (const type of node.ownEvents) all.add(type);
    for (const tag of node.tags) {
      if (tag.startsWith('nudge:')) resolving[tag.slice('nudge:'.length)] = node.ownEvents.filter((t) => !t.startsWith('xstate.'));
    }
  }
  return { all: [...all].filter((t) => !t.startsWith('xstate.')), resolving };
}
