/** End-to-end suite: real cdktf deploys against a moto server that the global setup starts and stops. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__/e2e"],
  testMatch: ["**/*.e2e.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  globalSetup: "<rootDir>/__tests__/e2e/support/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/e2e/support/global-teardown.ts",
  // Scenarios use their own state keys, so files run side by side: much of their time is spent waiting
  // on terraform and the emulator. More at once than this only slows each on two cores.
  maxWorkers: 8,
  testTimeout: 1_800_000,
  slowTestThreshold: 120,
  verbose: true,
};
