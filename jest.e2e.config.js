/** End-to-end suite: real cdktf deploys against a moto server that the global setup starts and stops. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__/e2e"],
  testMatch: ["**/*.e2e.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  globalSetup: "<rootDir>/__tests__/e2e/support/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/e2e/support/global-teardown.ts",
  // Scenarios use their own state keys, so they run side by side.
  maxWorkers: 3,
  testTimeout: 600_000,
  slowTestThreshold: 120,
  verbose: true,
};
