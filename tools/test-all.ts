// What npm run test:all runs: every check, in the order a reader would run them, with the Python tools
// installing in the background from the start. pip spends a minute on one core, which the checks before
// the security suite leave free more often than not; the suites that need the tools wait for it.
import { spawn } from "child_process";
import { PROJECT_ROOT } from "../config/config";
import { runCommand } from "../lib/cli/command";
import { runProcess } from "../lib/process/run-process";

// Before the first of these, the background install must have finished.
const NEEDS_PYTHON_TOOLS = "test:security";
export const TEST_STEPS = ["typecheck", "lint:workflows", "check:lockfile", "test", "test:harness", "test:node-versions", "test:security", "test:e2e"];

const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** `npm run <script>` with its output on this terminal; resolves with its exit code. */
function npmRun(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", script], { cwd: PROJECT_ROOT, stdio: "inherit" });
    child.once("error", reject);
    child.once("close", (code) => resolve(code ?? 1));
  });
}

/** Runs every step; stops at the first failure; prints each step's wall time. Resolves with the exit code. */
export async function testAll(): Promise<number> {
  const started = process.hrtime.bigint();
  const times: Array<[string, number]> = [];
  const install = runProcess("npm", ["run", "--silent", "python-tools"], { cwd: PROJECT_ROOT }).then((result) => {
    times.push(["python-tools (in the background)", secondsSince(started)]);
    return result;
  });
  let failed: string | undefined;
  for (const step of TEST_STEPS) {
    if (step === NEEDS_PYTHON_TOOLS) {
      const { code, output } = await install;
      process.stdout.write(output);
      if (code !== 0) {
        failed = "python-tools";
        break;
      }
    }
    const stepStarted = process.hrtime.bigint();
    const code = await npmRun(step);
    times.push([step, secondsSince(stepStarted)]);
    if (code !== 0) {
      failed = step;
      break;
    }
  }
  // A failure before the security suite leaves pip running; its venv is only stamped once complete.
  await install;
  console.log(["", "test:all, seconds of wall time:", ...times.map(([step, seconds]) => `  ${step.padEnd(34)} ${seconds.toFixed(0).padStart(5)}`)].join("\n"));
  console.log(`  ${"in all".padEnd(34)} ${secondsSince(started).toFixed(0).padStart(5)}`);
  if (failed) console.error(`test:all: ${failed} failed`);
  return failed ? 1 : 0;
}

// Run as npm run test:all; imported (by docs.test.ts, for TEST_STEPS), it runs nothing.
if (require.main === module) {
  runCommand(
    {
      name: "test:all",
      summary: `Runs ${TEST_STEPS.join(", ")}, one after another, while the Python tools install in the background; stops at the first failure.`,
      options: {},
    },
    () => testAll(),
  );
}
