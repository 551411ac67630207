// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflows and machines run in Temporal's deterministic sandbox: no Node built-ins there.
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

/** Never imported by code that runs in production. */
const runTimeNever = ['test', 'scripts', 'bench'];
const edges = ['cli', 'server', 'worker'];
const readers = ['client', 'access', 'audit', 'reports'];
const engine = ['interpreter', 'workflows', 'activities', 'privacy', 'config'];
/** For each folder: the folders above it, which it may not import. */
const layerRules = {
  machines: { deterministic: true, temporal: ['@temporalio/*'], above: ['contracts', 'matching', 'presentation', ...engine, ...readers, ...edges] },
  matching: { deterministic: true, temporal: ['@temporalio/*'], above: ['contracts', 'presentation', ...engine, ...readers, ...edges] },
  contracts: { above: ['matching', 'presentation', 'interpreter', 'workflows', 'privacy', 'config', ...readers, ...edges], typesOnly: ['activities'] },
  interpreter: { deterministic: true, temporal: ['@temporalio/*'], above: ['matching', 'presentation', 'workflows', 'activities', 'privacy', 'config', ...readers, ...edges] },
  // The words of nudges for every channel: pure, read by the emails, the audit, the CLI and the web app.
  presentation: { deterministic: true, temporal: ['@temporalio/*'], above: ['matching', ...engine, ...readers, ...edges] },
  workflows: {
    deterministic: true,
    temporal: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity'],
    // Workflows carry effects out; they never word them.
    above: ['matching', 'presentation', 'privacy', 'config', ...readers, ...edges],
    typesOnly: ['activities'],
  },
  activities: { above: ['interpreter', 'workflows', ...readers, ...edges] },
  // The configuration is read by the worker, the CLI, privacy/ and the web app: it must not reach back into them.
  config: { above: ['interpreter', 'workflows', 'activities', 'privacy', ...readers, ...edges] },
  privacy: { above: ['interpreter', 'workflows', 'activities', ...readers, ...edges] },
  client: { above: ['audit', 'reports', ...edges] },
  access: { above: ['audit', 'reports', ...edges] },
  audit: { above: ['client', 'access', 'reports', ...edges] },
  reports: { above: ['client', 'access', ...edges] },
  worker: { above: ['cli'] },
  cli: { above: [] },
  server: { above: ['cli'] },
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.cache/**', '.data/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Plain Node scripts (the CLI's bin shim, setup scripts).
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', URL: 'readonly' },
    },
  },
  {
    // The bin shim is CommonJS on purpose: it registers tsx before loading the TypeScript CLI.
    files: ['bin/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The layers point one way (docs/architecture.md): a folder imports only the folders below it,
  // and no run-time code imports test/, scripts/ or bench/. Type-only imports are allowed where
  // a layer's contract is a type (workflows name the activities' request types).
  ...Object.entries(layerRules).map(([folder, rule]) => ({
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: rule.deterministic ? nodeBuiltins.map((name) => ({ name, message: `${folder}/ must stay deterministic: no Node built-ins.` })) : [],
          patterns: [
            ...(rule.temporal ? [{ group: rule.temporal, message: `${folder}/ may not import ${rule.temporal.join(', ')}.` }] : []),
            {
              regex: `^(\\.\\./)+(${[...rule.above, ...runTimeNever].join('|')})(/|$)`,
              message: `${folder}/ may not import ${[...rule.above, ...runTimeNever].join('/, ')}/: they are above it (docs/architecture.md).`,
            },
            ...(rule.typesOnly?.length
              ? [{ regex: `^(\\.\\./)+(${rule.typesOnly.join('|')})(/|$)`, allowTypeImports: true, message: `${folder}/ may import only types from ${rule.typesOnly.join('/, ')}/.` }]
              : []),
          ],
        },
      ],
    },
  })),
);
