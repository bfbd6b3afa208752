// A CI job cancelled the hard way: the runner SIGKILLs terraform while it holds the state lock, so terraform
// never gets to release it. terraform runs here directly, as cdktf deploy runs it, because cdktf starts
// terraform on a terminal of its own, out of reach of a signal to cdktf's process group.
import { spawn } from "child_process";
import { pollUntil } from "../../../lib/process/poll";

interface KilledRun {
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** Starts `terraform <args>` in dir and SIGKILLs it, with its providers, as soon as `locked()` says its lock exists. */
export async function killOnceLocked(args: string[], dir: string, env: NodeJS.ProcessEnv, locked: () => Promise<boolean>): Promise<KilledRun> {
  // Its own process group, so that one signal reaches terraform and the provider plugins it started.
  const child = spawn("terraform", args, { cwd: dir, env: { ...process.env, ...env }, detached: true });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("close", (_code, signal) => resolve(signal)));
  let ended = false;
  void exited.then(() => (ended = true));
  try {
    await pollUntil(
      async () => {
        if (ended) throw new Error(`terraform ended before its lock was seen:\n${output.slice(-2000)}`);
        return locked();
      },
      { what: "terraform's state lock", timeoutMs: 120_000, firstWaitMs: 50, maxWaitMs: 100 },
    );
  } finally {
    if (!ended) process.kill(-child.pid!, "SIGKILL");
  }
  return { signal: await exited, output };
}
