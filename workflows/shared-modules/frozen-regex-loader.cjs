/**
 * Webpack loader for zod's own modules in the workflow bundle, so that zod can be shared by every
 * journey of a worker thread (see ./zod.ts). The SDK deep-freezes what it shares, zod's format
 * regexes included (the ISO date one our schemas use), and zod resets a pattern's `lastIndex`
 * before each test, which throws on a frozen RegExp. `lastIndex` only matters to a global or
 * sticky pattern (RegExp `test` neither reads nor writes it otherwise), so the reset is made
 * conditional on those flags: the same result for every pattern, and no write to a frozen one.
 *
 * Bundling fails if zod's code no longer has the reset in the shape rewritten here, so an upgrade of
 * zod cannot silently bring the throwing write back.
 */
'use strict';

/** `a.b.c.lastIndex = 0;` in zod's source. */
const statement = /([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.lastIndex = 0;/g;
/** `${name}.lastIndex = 0;` inside the source text zod's compiler writes (zod/v4/core/compile.js). */
const generated = /\$\{([A-Za-z_$][\w$]*)\}\.lastIndex = 0;/g;

/** The zod modules with a reset, and how many each has (zod 4.6): checked on every bundle. */
const expected = { 'v4/core/checks.js': 2, 'v4/core/schemas.js': 3, 'v4/core/compile.js': 2 };

module.exports = function frozenRegexLoader(source) {
  const file = this.resourcePath.split(/[\\/]node_modules[\\/]zod[\\/]/).pop().replace(/\\/g, '/');
  let count = 0;
  const rewritten = source
    .replace(generated, (_, name) => {
      count++;
      return `if (\${${name}}.global || \${${name}}.sticky) \${${name}}.lastIndex = 0;`;
    })
    .replace(statement, (_, target) => {
      count++;
      return `if (${target}.global || ${target}.sticky) ${target}.lastIndex = 0;`;
    });
  const want = expected[file] ?? 0;
  if (count !== want) {
    throw new Error(
      `zod's ${file} has ${count} lastIndex resets where ${want} were expected: check workflows/shared-modules/frozen-regex-loader.cjs against this zod`,
    );
  }
  return rewritten;
};
