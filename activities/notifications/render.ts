/**
 * A tiny, safe template language for the messages a scheme can edit:
 *
 *   {{name}}                 the value of `name` (HTML-escaped in the HTML part)
 *   {{facts.meetingsLogged}} one fact from the notification
 *   {{#name}}...{{/name}}    the part between, only when `name` has a value
 *   {{^name}}...{{/name}}    the part between, only when `name` has no value
 *
 * Nothing else: no code, no helpers, no file includes, so a template can only show the values it
 * is given. A section tag alone on its line takes the line with it, so templates read naturally.
 */

/** A value with its own text and HTML forms (e.g. a list of facts). */
export interface Formatted {
  text: string;
  html: string;
}
export type TemplateValue = string | number | boolean | undefined | Formatted;
export type TemplateVars = Readonly<Record<string, TemplateValue>>;

type Node =
  | { type: 'text'; text: string }
  | { type: 'var'; name: string }
  | { type: 'section'; name: string; inverted: boolean; children: Node[] };

export interface CompiledTemplate {
  nodes: Node[];
  /** Every name the template uses, for checking at load time. */
  names: ReadonlySet<string>;
}

export class TemplateSyntaxError extends Error {
  readonly code = 'TEMPLATE.INVALID';
}

const tag = /\{\{\s*([#^/]?)\s*([A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)?)\s*\}\}/g;
const standaloneSectionTag = /^[ \t]*(\{\{\s*[#^/][^}]*\}\})[ \t]*\r?\n/gm;

export function compile(source: string): CompiledTemplate {
  if (/\{\{\{|\}\}\}/.test(source)) {
    throw new TemplateSyntaxError('"{{{" is not part of a {{name}} tag: values are always escaped in HTML');
  }
  const text = source.replace(standaloneSectionTag, '$1');
  const root: Node[] = [];
  const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }];
  const names = new Set<string>();
  let last = 0;
  for (const match of text.matchAll(tag)) {
    const [whole, sigil, name] = match as unknown as [string, string, string];
    const current = stack[stack.length - 1]!;
    if (match.index > last) current.children.push({ type: 'text', text: text.slice(last, match.index) });
    last = match.index + whole.length;
    names.add(name);
    if (sigil === '') {
      current.children.push({ type: 'var', name });
    } else if (sigil === '/') {
      if (stack.length === 1 || current.name !== name) {
        throw new TemplateSyntaxError(`{{/${name}}} closes a section that is not open`);
      }
      stack.pop();
    } else {
      const section: Node = { type: 'section', name, inverted: sigil === '^', children: [] };
      current.children.push(section);
      stack.push({ name, children: section.children });
    }
  }
  if (stack.length > 1) throw new TemplateSyntaxError(`{{#${stack[stack.length - 1]!.name}}} is never closed`);
  if (last < text.length) root.push({ type: 'text', text: text.slice(last) });
  const stray = /\{\{|\}\}/.exec(text.replace(tag, ''));
  if (stray) throw new TemplateSyntaxError(`"${stray[0]}" is not part of a {{name}} tag`);
  return { nodes: root, names };
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function isFormatted(value: TemplateValue): value is Formatted {
  return typeof value === 'object' && value !== null;
}

function hasValue(value: TemplateValue): boolean {
  if (value === undefined || value === false || value === '') return false;
  return isFormatted(value) ? value.text !== '' : true;
}

function show(value: TemplateValue, mode: 'text' | 'html'): string {
  if (!hasValue(value) && value !== false) return '';
  if (isFormatted(value)) return value[mode];
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  return mode === 'html' ? escapeHtml(text) : text;
}

export function render(template: CompiledTemplate, vars: TemplateVars, mode: 'text' | 'html'): string {
  const walk = (nodes: Node[]): string =>
    nodes
      .map((node) => {
        if (node.type === 'text') return node.text;
        if (node.type === 'var') return show(vars[node.name], mode);
        return hasValue(vars[node.name]) !== node.inverted ? walk(node.children) : '';
      })
      .join('');
  return walk(template.nodes);
}

// Shared by every message the scheme sends (notifications and the digest), so that they all look alike.

/** No runs of empty lines where optional parts were left out. */
export function tidy(text: string): string {
  return `${text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** Plain text as HTML paragraphs, escaped; single line breaks kept. */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

/** A body as a whole HTML message (a template that is already a document is kept as it is). */
export function htmlDocument(subject: string, body: string): string {
  if (/<html[\s>]/i.test(body)) return body;
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head><meta charset="utf-8"><title>' + escapeHtml(subject) + '</title></head>',
    '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a">',
    body.trim(),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
