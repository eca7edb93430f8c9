import { defineConfig } from 'vitest/config'

/**
 * Browser tests (`npm run test:browser`): Chromium driven by playwright-core against a real Ferry
 * service, the sandboxes and embedded PostgreSQL. Kept out of `npm test`; .ci/run runs them after it.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    env: { FERRY_EGRESS_ALLOW_LOOPBACK_HTTP: '1' },
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One Chromium at a time: the CI machine has two cores.
    fileParallelism: false,
    reporters: ['default'],
  },
})
