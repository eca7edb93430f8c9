import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'connectors/**/*.test.ts', 'runtime/**/*.test.ts', 'test/**/*.test.ts'],
    // Browser tests need Chromium and run with `npm run test:browser` (vitest.browser.config.ts).
    exclude: ['**/node_modules/**', 'test/browser/**'],
    globalSetup: ['test/setup/global-setup.ts'],
    // Sandboxes listen on (or are routed as) loopback http, which the egress policy refuses by default.
    env: { FERRY_EGRESS_ALLOW_LOOPBACK_HTTP: '1' },
    // Generous: the suite must pass with another process keeping every core busy. Tests wait on
    // conditions (test/support/wait-for.ts), so a bound only matters when something is broken.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: ['default'],
  },
})
