#!/usr/bin/env node
// The `mentorflow` command (npx mentorflow ...): runs cli/main.ts through tsx, so the CLI uses
// the same TypeScript sources and zod schemas as the workers, without a build step.
'use strict';
require('tsx/cjs');
const { main } = require('../cli/main.ts');

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
