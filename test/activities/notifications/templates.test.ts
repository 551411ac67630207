/** The message templates: the tiny language, the defaults, a scheme's overrides and the checks at load. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, render, TemplateSyntaxError } from '../../../activities/notifications/render';
import { baseTemplateNames, loadTemplates, TemplateError } from '../../../activities/notifications/templates';
import { tempDir } from './fixtures';

describe('the template language', () => {
  it('substitutes values, escaping them in HTML but not in text', () => {
    const t = compile('Hi {{name}}: {{ summary }}');
    expect(render(t, { name: 'Alex', summary: 'a < b & "c"' }, 'text')).toBe('Hi Alex: a < b & "c"');
    expect(render(t, { name: 'Alex', summary: 'a < b & "c"' }, 'html')).toBe('Hi Alex: a &lt; b &amp; &quot;c&quot;');
  });

  it('never evaluates a value as a template', () => {
    const t = compile('{{a}}');
    expect(render(t, { a: '{{b}}', b: 'secret' }, 'text')).toBe('{{b}}');
  });

  it('shows a section only when its value is set, and an inverted one only when it is not; standalone tags take their line', () => {
    const t = compile('A\n{{#due}}\nDue: {{due}}\n{{/due}}\n{{^due}}\nNo date\n{{/due}}\nB\n');
    expect(render(t, { due: 'Monday' }, 'text')).toBe('A\nDue: Monday\nB\n');
    expect(render(t, {}, 'text')).toBe('A\nNo date\nB\n');
    expect(render(t, { due: '' }, 'text')).toBe('A\nNo date\nB\n');
  });

  it('uses the HTML form of a formatted value in HTML', () => {
    const t = compile('{{facts}}');
    const facts = { text: '- a: 1', html: '<ul><li>a: 1</li></ul>' };
    expect(render(t, { facts }, 'text')).toBe('- a: 1');
    expect(render(t, { facts }, 'html')).toBe('<ul><li>a: 1</li></ul>');
  });

  it('lists the names a template uses', () => {
    expect([...compile('{{a}} {{#b}}{{facts.c}}{{/b}}').names].sort()).toEqual(['a', 'b', 'facts.c']);
  });

  it('refuses broken templates', () => {
    expect(() => compile('{{#a}} open')).toThrow(TemplateSyntaxError);
    expect(() => compile('{{/a}}')).toThrow(/not open/);
    expect(() => compile('{{#a}}{{/b}}')).toThrow(/not open/);
    expect(() => compile('{{ a b }}')).toThrow(/not part of a/);
    expect(() => compile('{{{a}}}')).toThrow(/not part of a/);
  });
});

describe('the default templates', () => {
  it('load, with plain text and HTML for every kind', async () => {
    const templates = await loadTemplates();
    for (const name of baseTemplateNames) expect(templates.names).toContain(name);
    for (const name of templates.names) {
      const message = templates.render(name, { schemeName: 'S', summary: 'x', coordinatorName: 'C', recipientName: 'R' });
      expect(message.subject).toMatch(/^\[S\] /);
      expect(message.text.length).toBeGreaterThan(50);
      expect(message.html).toMatch(/^<!doctype html>/);
      // British English: "co-ordinator".
      expect(`${message.subject}\n${message.text}\n${message.html}`).not.toMatch(/coordinator/i);
    }
  });

  it('pick the template for a matter when it exists, else the one for the kind', async () => {
    const templates = await loadTemplates();
    expect(templates.pick('nudge', 'firstContactOverdue')).toBe('nudge.firstContactOverdue');
    expect(templates.pick('nudge', 'meetingGap')).toBe('nudge');
    expect(templates.pick('reminder', 'firstContactOverdue')).toBe('reminder');
  });
});

describe("a scheme's own templates", () => {
  it('replace the defaults file by file; a .txt without .html gets HTML made from its text', async () => {
    const dir = await tempDir('templates');
    await writeFile(path.join(dir, 'reminder.txt'), 'Subject: {{schemeName}}: {{summary}}\n\nDear {{recipientName}},\n\n{{whatToDo}} <today>\n');
    await writeFile(path.join(dir, 'reminder.checkRenewalDue.txt'), 'Subject: Renew your check\n\nPlease renew it by {{facts.checkExpiresOn}}.\n');
    const templates = await loadTemplates({ templatesDir: dir });

    const reminder = templates.render('reminder', { schemeName: 'Riverside', summary: 'Hello', recipientName: 'Sam', whatToDo: 'Do it' });
    expect(reminder.subject).toBe('Riverside: Hello');
    expect(reminder.text).toBe('Dear Sam,\n\nDo it <today>\n');
    expect(reminder.html).toContain('<p>Dear Sam,</p>\n<p>Do it &lt;today&gt;</p>');

    expect(templates.pick('reminder', 'checkRenewalDue')).toBe('reminder.checkRenewalDue');
    expect(templates.render('reminder.checkRenewalDue', { 'facts.checkExpiresOn': '5 July' }).text).toBe(
      'Please renew it by 5 July.\n',
    );
    // Not overridden: still the default.
    expect(templates.render('nudge', { schemeName: 'S', summary: 'x' }).subject).toContain('Action needed');
  });

  it('are refused at load when they could show a volunteer what they must not see, or put personal data in a subject', async () => {
    const dir = await tempDir('templates');
    await writeFile(path.join(dir, 'reminder.txt'), 'Subject: Reminder\n\nAbout journey {{journeyId}}: {{command}}\n');
    await writeFile(path.join(dir, 'nudge.txt'), 'Subject: About {{facts.youngPersonFirstName}}\n\nBody\n');
    await writeFile(path.join(dir, 'supervision-invitation.txt'), 'Subject: Supervision\n\n{{summary}}\n');
    await writeFile(path.join(dir, 'escalation.txt'), 'no subject line here');
    await writeFile(path.join(dir, 'nudges.txt'), 'Subject: typo\n\nBody\n');
    const error = await loadTemplates({ templatesDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    const problems = (error as TemplateError).problems.join('\n');
    expect(problems).toContain("reminder.txt: the text uses {{journeyId}}, which volunteers' messages cannot show");
    expect(problems).toContain("reminder.txt: the text uses {{command}}, which volunteers' messages cannot show");
    expect(problems).toContain('nudge.txt: the subject uses {{facts.youngPersonFirstName}}, which may be personal data');
    expect(problems).toContain('supervision-invitation.txt: the text uses {{summary}}');
    expect(problems).toContain('escalation.txt: the first line must be "Subject: ..."');
    expect(problems).toContain('nudges.txt: not a template name');
  });
});
