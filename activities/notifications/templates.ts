/**
 * The message templates: the defaults in `activities/templates/`, and a scheme's own in its
 * `templatesDir`, which replace the defaults file by file (same file names).
 *
 * `<name>.txt` is the subject and the plain-text body, written like an email:
 *
 *   Subject: [{{schemeName}}] Action needed: {{summary}}
 *
 *   Hello {{recipientName}}, ...
 *
 * `<name>.html` is the HTML body. When a folder has a `.txt` without its `.html`, the HTML is made
 * from the text, so the two parts never say different things.
 *
 * Names: `nudge`, `escalation`, `reminder`, `supervision-invitation`, `supervision-cancellation`,
 * and `<kind>.<about>` (e.g. `nudge.firstContactOverdue`), used instead of `<kind>` for that
 * matter when it exists.
 *
 * Every template is checked when loaded: its syntax, and that it only uses values its audience
 * may see (a volunteer's template cannot show journey ids or facts about a young person; no
 * subject can show facts or the recipient's name). A mistake stops the worker at start-up with the
 * file and the reason, rather than a message going out wrong.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, htmlDocument, render, textToHtml, tidy, TemplateSyntaxError, type CompiledTemplate, type TemplateVars } from './render';

export const defaultTemplatesDir = fileURLToPath(new URL('../templates/', import.meta.url));

export const baseTemplateNames = [
  'nudge',
  'escalation',
  'reminder',
  'supervision-invitation',
  'supervision-cancellation',
] as const;
export type BaseTemplateName = (typeof baseTemplateNames)[number];

export type Audience = 'staff' | 'volunteer';

export function audienceOf(name: string): Audience {
  return name.startsWith('nudge') || name.startsWith('escalation') ? 'staff' : 'volunteer';
}

const common = ['schemeName', 'recipientName'];
const notice = ['about', 'summary', 'whatToDo', 'dueAt', 'dueAtIso', 'dueRelative', 'facts'];
const supervision = ['coordinatorName', 'startsAt', 'startsAtShort', 'endsAt', 'durationMinutes', 'timeZone', 'rescheduled'];

/** The values each audience's templates may use; `facts.<key>` is allowed where `facts` is. */
export const allowedNames: Record<Audience | 'supervision', ReadonlySet<string>> = {
  staff: new Set([...common, ...notice, 'journeyKind', 'journeyId', 'workflowId', 'command', 'journeyLink', 'actionLink']),
  volunteer: new Set([...common, ...notice]),
  supervision: new Set([...common, ...supervision]),
};

/** Never in a subject line: facts may name a young person; a recipient's name is not needed there. */
const notInSubject = (name: string) => name === 'facts' || name.startsWith('facts.') || name === 'recipientName';

interface Template {
  name: string;
  file: string;
  subject: CompiledTemplate;
  text: CompiledTemplate;
  /** Absent: made from the text. */
  html?: CompiledTemplate;
}

export interface RenderedMessage {
  template: string;
  subject: string;
  text: string;
  html: string;
}

export interface Templates {
  /** The template for a notification: `<kind>.<about>` when there is one, else `<kind>`. */
  pick(kind: string, about?: string): string;
  render(name: string, vars: TemplateVars): RenderedMessage;
  /** Every template name loaded, for a worker's start-up log. */
  readonly names: readonly string[];
}

export class TemplateError extends Error {
  readonly code = 'TEMPLATE.INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`The message templates are not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TemplateError';
  }
}

const templateFile =
  /^(?:(nudge|escalation|reminder)(?:\.[A-Za-z0-9_-]{1,64})?|supervision-invitation|supervision-cancellation)\.(txt|html)$/;

async function filesIn(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile() && /\.(txt|html)$/.test(entry.name)) files.set(entry.name, path.join(dir, entry.name));
  }
  return files;
}

export async function loadTemplates(options: { templatesDir?: string } = {}): Promise<Templates> {
  const problems: string[] = [];
  const defaults = await filesIn(defaultTemplatesDir);
  const scheme = options.templatesDir ? await filesIn(options.templatesDir) : new Map<string, string>();
  for (const name of scheme.keys()) {
    if (!templateFile.test(name)) {
      problems.push(
        `${path.join(options.templatesDir!, name)}: not a template name (expected e.g. nudge.txt, nudge.firstContactOverdue.html, supervision-invitation.txt)`,
      );
    }
  }

  const names = new Set<string>();
  for (const file of [...defaults.keys(), ...scheme.keys()]) {
    if (templateFile.test(file) && file.endsWith('.txt')) names.add(file.slice(0, -'.txt'.length));
  }
  for (const file of scheme.keys()) {
    const name = file.replace(/\.html$/, '');
    if (file.endsWith('.html') && templateFile.test(file) && !names.has(name)) {
      problems.push(`${scheme.get(file)}: has no ${name}.txt beside it (the .txt holds the subject)`);
    }
  }
  for (const base of baseTemplateNames) {
    if (!names.has(base)) problems.push(`${base}.txt is missing`);
  }

  const templates = new Map<string, Template>();
  for (const name of names) {
    // The .html comes from the folder the .txt came from, so a scheme's text is never paired with
    // the default HTML.
    const source = scheme.has(`${name}.txt`) ? scheme : defaults;
    try {
      const template = await loadOne(name, source.get(`${name}.txt`)!, source.get(`${name}.html`));
      problems.push(...checkNames(template));
      templates.set(name, template);
    } catch (err) {
      if (!(err instanceof TemplateSyntaxError)) throw err;
      problems.push(`${source.get(`${name}.txt`)}: ${err.message}`);
    }
  }
  if (problems.length > 0) throw new TemplateError(problems);

  return {
    names: [...templates.keys()].sort(),
    pick(kind, about) {
      return about && templates.has(`${kind}.${about}`) ? `${kind}.${about}` : kind;
    },
    render(name, vars) {
      const template = templates.get(name);
      if (!template) throw new Error(`no template named "${name}"`);
      const text = tidy(render(template.text, vars, 'text'));
      const subject = render(template.subject, vars, 'text').replace(/\s+/g, ' ').trim();
      const body = template.html ? render(template.html, vars, 'html') : textToHtml(text);
      return { template: name, subject, text, html: htmlDocument(subject, body) };
    },
  };
}

async function loadOne(name: string, txtFile: string, htmlFile: string | undefined): Promise<Template> {
  const source = (await readFile(txtFile, 'utf8')).replace(/\r\n/g, '\n');
  const match = /^Subject:[ \t]*(.*)\n\n/.exec(source);
  if (!match) {
    throw new TemplateSyntaxError('the first line must be "Subject: ..." followed by an empty line');
  }
  const subjectLine = match[1]!.trim();
  if (!subjectLine) throw new TemplateSyntaxError('the subject is empty');
  let html: CompiledTemplate | undefined;
  if (htmlFile) {
    try {
      html = compile(await readFile(htmlFile, 'utf8'));
    } catch (err) {
      if (err instanceof TemplateSyntaxError) throw new TemplateSyntaxError(`${path.basename(htmlFile)}: ${err.message}`);
      throw err;
    }
  }
  return {
    name,
    file: txtFile,
    subject: compile(subjectLine),
    text: compile(source.slice(match[0].length)),
    ...(html ? { html } : {}),
  };
}

function checkNames(template: Template): string[] {
  const allowed = template.name.startsWith('supervision-')
    ? allowedNames.supervision
    : allowedNames[audienceOf(template.name)];
  const who = audienceOf(template.name) === 'staff' ? 'staff messages' : "volunteers' messages";
  const problems: string[] = [];
  const check = (part: string, compiled: CompiledTemplate | undefined, subject: boolean) => {
    for (const used of compiled?.names ?? []) {
      const base = used.startsWith('facts.') ? 'facts' : used;
      if (!allowed.has(base)) {
        problems.push(`${template.file}: ${part} uses {{${used}}}, which ${who} cannot show (allowed: ${[...allowed].join(', ')})`);
      } else if (subject && notInSubject(used)) {
        problems.push(`${template.file}: the subject uses {{${used}}}, which may be personal data and never goes in a subject`);
      }
    }
  };
  check('the subject', template.subject, true);
  check('the text', template.text, false);
  check('the HTML', template.html, false);
  return problems;
}

