/**
 * The digest's template, `digest.txt` (subject and plain text) and `digest.html`, written like the
 * other message templates (activities/templates/README.md) and held to the same rules: the scheme's
 * own file replaces the default, the HTML comes from the folder the text came from (or is made from
 * the text), and the names it uses are checked when the worker starts.
 *
 * Loaded here rather than by `loadTemplates` because its values are lists, not a single notice.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compile, htmlDocument, render, textToHtml, tidy, TemplateSyntaxError, type CompiledTemplate, type TemplateVars } from '../notifications/render';
import { defaultTemplatesDir, TemplateError, type RenderedMessage } from '../notifications/templates';

export const DIGEST_TEMPLATE = 'digest';

/** The values a digest template may use. */
export const digestNames: ReadonlySet<string> = new Set([
  'schemeName',
  'recipientName',
  'date',
  'overdueCount',
  'dueCount',
  'horizonDays',
  'overdue',
  'due',
  'unreadable',
  'command',
]);

/** The lists name journeys; the greeting names the co-ordinator: neither belongs in a subject. */
const subjectNames: ReadonlySet<string> = new Set(['schemeName', 'date', 'overdueCount', 'dueCount', 'horizonDays']);

export interface DigestTemplate {
  /** The file the text came from, for a start-up log. */
  readonly file: string;
  render(vars: TemplateVars): RenderedMessage;
}

export async function loadDigestTemplate(options: { templatesDir?: string } = {}): Promise<DigestTemplate> {
  const own = options.templatesDir && existsSync(path.join(options.templatesDir, `${DIGEST_TEMPLATE}.txt`));
  const dir = own ? options.templatesDir! : defaultTemplatesDir;
  const file = path.join(dir, `${DIGEST_TEMPLATE}.txt`);
  const htmlFile = path.join(dir, `${DIGEST_TEMPLATE}.html`);

  let subject: CompiledTemplate;
  let text: CompiledTemplate;
  let html: CompiledTemplate | undefined;
  try {
    const source = (await readFile(file, 'utf8')).replace(/\r\n/g, '\n');
    const match = /^Subject:[ \t]*(.*)\n\n/.exec(source);
    if (!match) throw new TemplateSyntaxError('the first line must be "Subject: ..." followed by an empty line');
    if (!match[1]!.trim()) throw new TemplateSyntaxError('the subject is empty');
    subject = compile(match[1]!.trim());
    text = compile(source.slice(match[0].length));
    if (existsSync(htmlFile)) {
      try {
        html = compile(await readFile(htmlFile, 'utf8'));
      } catch (err) {
        if (err instanceof TemplateSyntaxError) throw new TemplateSyntaxError(`${path.basename(htmlFile)}: ${err.message}`);
        throw err;
      }
    }
  } catch (err) {
    if (err instanceof TemplateSyntaxError) throw new TemplateError([`${file}: ${err.message}`]);
    throw err;
  }

  const problems: string[] = [];
  const check = (part: string, compiled: CompiledTemplate | undefined, allowed: ReadonlySet<string>) => {
    for (const used of compiled?.names ?? []) {
      if (allowed.has(used)) continue;
      problems.push(
        digestNames.has(used)
          ? `${file}: the subject uses {{${used}}}, which names people or journeys and never goes in a subject`
          : `${file}: ${part} uses {{${used}}}, which a digest cannot show (allowed: ${[...digestNames].join(', ')})`,
      );
    }
  };
  check('the subject', subject, subjectNames);
  check('the text', text, digestNames);
  check('the HTML', html, digestNames);
  if (problems.length > 0) throw new TemplateError(problems);

  return {
    file,
    render(vars) {
      const subjectText = render(subject, vars, 'text').replace(/\s+/g, ' ').trim();
      const body = tidy(render(text, vars, 'text'));
      const htmlBody = html ? render(html, vars, 'html') : textToHtml(body);
      return { template: DIGEST_TEMPLATE, subject: subjectText, text: body, html: htmlDocument(subjectText, htmlBody) };
    },
  };
}
