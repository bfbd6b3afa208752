// Seed 004's two terminals, made four and exact: every process is started and waiting before one file,
// the barrier, releases them all within a few milliseconds of each other.
import * as fs from "fs";
import * as path from "path";
import { pollUntil } from "../../../lib/process/poll";
import { ProcessResult, runProcess } from "../../../lib/process/run-process";

// Each waiter says it is ready, then polls for the barrier, then becomes the command itself.
const WAITER = 'touch "$1"; shift; while [ ! -e "$1" ]; do sleep 0.005; done; shift; exec "$@"';

/** Runs `count` copies of the command in `cwd`, all released at once; resolves with each one's result. */
export async function releasedTogether(count: number, command: string[], cwd: string, env: NodeJS.ProcessEnv, workDir: string): Promise<ProcessResult[]> {
  const barrier = path.join(workDir, "barrier");
  fs.rmSync(barrier, { force: true });
  const ready = Array.from({ length: count }, (_, i) => path.join(workDir, `ready-${i}`));
  ready.forEach((file) => fs.rmSync(file, { force: true }));
  const runs = ready.map((file) => runProcess("sh", ["-c", WAITER, "waiter", file, barrier, ...command], { cwd, env }));
  await pollUntil(() => ready.every((file) => fs.existsSync(file)), { what: `${count} processes waiting at the barrier`, timeoutMs: 60_000, firstWaitMs: 10, maxWaitMs: 50 });
  fs.writeFileSync(barrier, "");
  return Promise.all(runs);
}
