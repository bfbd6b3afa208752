/** Unit suite: synthesized JSON, config rules and terraform validate. No AWS API is called. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/__tests__/e2e/", "/__tests__/security/", "/__tests__/harness/"],
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  // jest's default leaves a core idle on a two-core machine; the suite is CPU-bound, so use both.
  maxWorkers: "100%",
};
