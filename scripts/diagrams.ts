/**
 * Draws every journey machine as a Mermaid state diagram in docs/machines/<kind>.md, so that a
 * co-ordinator or auditor can check the journeys against their scheme's practice without reading
 * TypeScript.
 *
 *   npx tsx scripts/diagrams.ts           write the diagrams
 *   npx tsx scripts/diagrams.ts --check   exit 1, naming each stale diagram, if any differs
 *
 * The diagram is read from the machine itself through XState's public StateNode API (`root`,
 * `states`, `initial`, `always`, `after`, `transitions`, `entry`, `tags`), in the order the machine
 * declares them, so the same machine always gives the same text.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyStateMachine } from 'xstate';
import { effectTypes, NUDGE_TAG_PREFIX, type JourneyDefinition } from '../machines/journey';
import { matchJourney } from '../machines/match';
import { volunteerJourney } from '../machines/volunteer';
import { youngPersonJourney } from '../machines/young-person';

/** The journeys drawn and checked: to add one, import its JourneyDefinition and add a line here. */
export const journeys: readonly { journey: JourneyDefinition; title: string; source: string }[] = [
  { journey: youngPersonJourney, title: "The young person's journey", source: 'machines/young-person' },
  { journey: volunteerJourney, title: "The volunteer's journey", source: 'machines/volunteer' },
  { journey: matchJourney, title: 'The match (the mentoring relationship)', source: 'machines/match' },
];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIAGRAM_DIR = 'docs/machines';

export interface Diagram {
  /** Relative to the repository root, e.g. "docs/machines/youngPerson.md". */
  path: string;
  content: string;
}

export function diagrams(): Diagram[] {
  return journeys.map(({ journey, title, source }) => ({
    path: `${DIAGRAM_DIR}/${journey.kind}.md`,
    content: page(title, source, journey.machine),
  }));
}

function page(title: string, source: string, machine: AnyStateMachine): string {
  return [
    `# ${title}`,
    '',
    `Generated from \`${source}\` by \`npx tsx scripts/diagrams.ts\`; do not edit by hand.`,
    '',
    'How to read it: boxes are stages, with their steps inside (dashed lines split steps that run',
    'side by side); an arrow is labelled `event [gate] / effect`, where `after(delay)` is a timer',
    'from the scheme policy and `always` is checked on entry; an arrow back to its own box records',
    'or sends something without moving on; arrows from `(from any stage)` apply until the journey',
    'ends; and a note `nudge: x` means the nudge about x stays open while the journey is in that box.',
    '',
    '```mermaid',
    ...mermaid(machine),
    '```',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The walk

/** The parts of XState's StateNode this script reads. */
interface Node {
  id: string;
  key: string;
  path: string[];
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  states: Record<string, Node>;
  parent?: Node;
  tags: string[];
  entry: unknown[];
  initial?: Transition;
  always?: Transition[];
  after: Transition[];
  transitions: Map<string, Transition[]>;
}

interface Transition {
  eventType: string | null;
  target?: Node[];
  guard?: unknown;
  actions: unknown[];
  delay?: string | number;
}

const AFTER_PREFIX = 'xstate.after.';
const ANY_STAGE = 'anyStage';
/** Words Mermaid's state diagram grammar reserves. */
const RESERVED = new Set(['state', 'note', 'end', 'as', 'direction', 'class', 'classDef', 'style', 'click', 'left', 'right', 'of']);

export function mermaid(machine: AnyStateMachine): string[] {
  const root = machine.root as unknown as Node;
  const lines = ['stateDiagram-v2', ...declare(root, '  ')];
  if (transitionsOf(root).length > 0) lines.push(`  state "(from any stage)" as ${ANY_STAGE}`);
  // Arrows come after every box is declared, so that Mermaid puts each state in its own box.
  for (const node of [root, ...descendantsOf(root)]) lines.push(...transitionsOf(node).map((line) => `  ${line}`));
  return lines;
}

function descendantsOf(node: Node): Node[] {
  return Object.values(node.states).flatMap((child) => [child, ...descendantsOf(child)]);
}

/** The boxes inside `node`, each with the boxes inside it, where it starts and where it ends. */
function declare(node: Node, indent: string): string[] {
  const lines: string[] = [];
  for (const target of node.initial?.target ?? []) lines.push(`${indent}[*] --> ${idOf(target)}`);
  Object.values(node.states).forEach((child, index) => {
    if (node.type === 'parallel' && index > 0) lines.push(`${indent}--`);
    lines.push(...declareState(child, indent));
    if (child.type === 'final') lines.push(`${indent}${idOf(child)} --> [*]`);
  });
  return lines;
}

function declareState(node: Node, indent: string): string[] {
  const id = idOf(node);
  const name = node.type === 'history' ? `${node.key} (history)` : node.key;
  const lines = [`${indent}state "${name}" as ${id}`];
  if (Object.keys(node.states).length > 0) lines.push(`${indent}state ${id} {`, ...declare(node, `${indent}  `), `${indent}}`);
  const notes = [
    ...node.tags.filter((tag) => tag.startsWith(NUDGE_TAG_PREFIX)).map((tag) => `nudge: ${tag.slice(NUDGE_TAG_PREFIX.length)}`),
    ...effectsOf(node.entry).map((effect) => `on entry / ${effect}`),
  ];
  if (notes.length > 0) lines.push(`${indent}note right of ${id}`, ...notes.map((n) => `${indent}  ${n}`), `${indent}end note`);
  return lines;
}

/** Every arrow leaving `node`: eventless first, then timers, then events, as declared. */
function transitionsOf(node: Node): string[] {
  const from = node.parent ? idOf(node) : ANY_STAGE;
  const lines: string[] = [];
  const arrow = (t: Transition, trigger: string) => {
    const label = [trigger, guardLabel(t.guard), effectsOf(t.actions).length > 0 ? `/ ${effectsOf(t.actions).join(', ')}` : '']
      .filter(Boolean)
      .join(' ');
    const targets = t.target && t.target.length > 0 ? t.target.map(idOf) : [from];
    for (const to of targets) lines.push(`${from} --> ${to} : ${clean(label)}`);
  };
  for (const t of node.always ?? []) arrow(t, 'always');
  for (const t of node.after) arrow(t, `after(${typeof t.delay === 'number' ? `${t.delay}ms` : t.delay})`);
  for (const [eventType, list] of node.transitions) {
    if (eventType.startsWith(AFTER_PREFIX)) continue; // drawn from `after` above
    for (const t of list) arrow(t, eventType);
  }
  return lines;
}

function idOf(node: Node): string {
  if (node.path.length === 0) return ANY_STAGE;
  const id = node.path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  return RESERVED.has(id) ? `${id}_` : id;
}

/** A guard in words: its name, its parameters, and `and`/`or`/`not` spelled out. */
function guardLabel(guard: unknown): string {
  return guard === undefined ? '' : `[${guardName(guard)}]`;
}

function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const higherOrder = guard as { name: string; guards?: unknown[]; stateValue?: unknown };
    if (higherOrder.guards && (higherOrder.name === 'and' || higherOrder.name === 'or')) {
      return higherOrder.guards.map(guardName).join(` ${higherOrder.name} `);
    }
    if (higherOrder.guards && higherOrder.name === 'not') return `not ${guardName(higherOrder.guards[0])}`;
    if (higherOrder.name === 'stateIn') return `in ${JSON.stringify(higherOrder.stateValue)}`;
    return higherOrder.name || 'inline guard';
  }
  if (guard && typeof guard === 'object' && 'type' in guard) {
    const { type, params } = guard as { type: string; params?: unknown };
    return `${type}${paramsLabel(params)}`;
  }
  return 'guard';
}

/** Plain parameters, compactly: values as they are, a true flag by its name, a false one left out. */
function paramsLabel(params: unknown): string {
  if (!params || typeof params !== 'object') return '';
  const parts = Object.entries(params as Record<string, unknown>).flatMap(([key, value]) => {
    if (value === true) return [key];
    if (typeof value === 'string' || typeof value === 'number') return [String(value)];
    return [];
  });
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

/** The effects among `actions` (nudges, reminders, messages to other journeys), by name. */
function effectsOf(actions: readonly unknown[]): string[] {
  return actions.flatMap((action) => {
    const type = typeof action === 'string' ? action : (action as { type?: unknown } | undefined)?.type;
    return typeof type === 'string' && (effectTypes as readonly string[]).includes(type) ? [type] : [];
  });
}

/** Characters Mermaid reads as syntax inside a label. */
function clean(label: string): string {
  return label.replace(/[;#{}"<>]/g, '').replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Writing and checking

/** The diagrams whose committed text differs from what the machines give now (or is missing). */
export function staleDiagrams(root = ROOT): string[] {
  const expected = diagrams();
  const stale = expected
    .filter(({ path, content }) => {
      const file = join(root, path);
      return !existsSync(file) || readFileSync(file, 'utf8') !== content;
    })
    .map(({ path }) => path);
  const dir = join(root, DIAGRAM_DIR);
  const generated = new Set(expected.map(({ path }) => path));
  const orphans = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.md'))
        .map((name) => `${DIAGRAM_DIR}/${name}`)
        .filter((path) => !generated.has(path))
    : [];
  return [...stale, ...orphans.map((path) => `${path} (no journey draws it any more)`)];
}

/** The command: write the diagrams, or with `--check` only say which are stale. Returns the exit code. */
export function main(args: readonly string[], root = ROOT): number {
  if (args.includes('--check')) {
    const stale = staleDiagrams(root);
    if (stale.length === 0) {
      console.log(`The ${journeys.length} machine diagrams in ${DIAGRAM_DIR}/ are up to date.`);
      return 0;
    }
    console.error(`Stale machine diagrams:\n${stale.map((path) => `  - ${path}`).join('\n')}`);
    console.error('Regenerate them with: npx tsx scripts/diagrams.ts');
    return 1;
  }
  mkdirSync(join(root, DIAGRAM_DIR), { recursive: true });
  for (const { path, content } of diagrams()) {
    const file = join(root, path);
    const changed = !existsSync(file) || readFileSync(file, 'utf8') !== content;
    if (changed) writeFileSync(file, content);
    console.log(`${changed ? 'wrote' : 'unchanged'} ${path}`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
