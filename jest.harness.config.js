/** Harness suite: the test suites' own helpers, tested apart from the product. Fast; no AWS API, no emulator. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__/harness"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest"] },
};
