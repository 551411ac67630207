import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal workers crash under worker threads: keep vitest's default process pool.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Quiets the Temporal SDK's runtime logs in each test process (MENTORFLOW_TEST_LOG=INFO for more).
    setupFiles: ['test/helpers/vitest-setup.ts'],
    // Workflow tests start a real server and bundle the workflows once per file.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
