import { runCommand } from "../lib/cli";
import { TEST_STEPS, testAll } from "../lib/test-all";

runCommand(
  {
    name: "test:all",
    summary: `Runs ${TEST_STEPS.join(", ")}, one after another, while the Python tools install in the background; stops at the first failure.`,
    options: {},
  },
  () => testAll(),
);
