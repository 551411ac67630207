// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflows and machines run in Temporal's deterministic sandbox: no Node built-ins there.
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

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
  {
    files: ['workflows/**/*.ts', 'machines/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows and machines must stay deterministic: no Node built-ins.' })),
          patterns: [{ group: ['@temporalio/worker', '@temporalio/client', '@temporalio/activity'], message: 'Workflow code may import only @temporalio/workflow and @temporalio/common.' }],
        },
      ],
    },
  },
  {
    // The configuration is read by the worker, the CLI, privacy/ and the web app: it must not reach back into them.
    files: ['config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(\\.\\./)+(worker|cli|server)(/|$)', message: 'config/ may not import worker/, cli/ or server/: they import it.' }],
        },
      ],
    },
  },
  {
    files: ['machines/**/*.ts', 'matching/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Machines are pure: no Node built-ins.' })),
          patterns: [{ group: ['@temporalio/*'], message: 'Machines are pure: no Temporal import.' }],
        },
      ],
    },
  },
);
