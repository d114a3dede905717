import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}', 'test/component/**/*.test.{ts,tsx}', 'src/**/*.test.{ts,tsx}'],
          // Tests wait for conditions, not for time: on a busy 2-core machine a render or a child
          // process can take seconds, so the deadlines are generous (a passing test never waits them out).
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.{ts,tsx}', 'test/e2e/**/*.test.{ts,tsx}'],
          exclude: ['test/integration/eks/**'],
          // One real local cluster for the whole suite: up before, down after.
          globalSetup: ['test/support/global-setup.ts'],
          // Generous: a busy 2-core runner is several times slower than a quiet one.
          testTimeout: 240_000,
          hookTimeout: 600_000,
          // The suite shares one cluster and two cores: files run one at a time.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // The EKS API through a real moto server (each file starts its own); no cluster needed.
          name: 'eks',
          include: ['test/integration/eks/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
