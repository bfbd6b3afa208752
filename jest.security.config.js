/** Security suite: the checkov gate on the synthesized stacks, and proof that it catches regressions. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__/security"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/support/setup.ts"],
  testTimeout: 300_000,
};
