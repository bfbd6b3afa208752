import { ChildProcessWithoutNullStreams, spawn } from "child_process";

export interface LockHolder {
  /** Answers "no" at the approval prompt, so the holder releases the lock without changing anything. */
  release(): Promise<void>;
}

const PROMPT = "Enter a value:";
// The holder plans first: on a machine busy with other deploys that has taken over two minutes.
const PROMPT_TIMEOUT_MS = 300_000;

/**
 * A teammate's apply that holds the state lock on purpose: terraform plans a replacement of the resource
 * and waits at its approval prompt. Terraform takes the lock before it plans and keeps it until the
 * prompt is answered, so once the prompt shows, the lock is held; no race is involved. `flags` go to
 * terraform apply as well (-refresh=false, say, for a quicker plan).
 */
export async function holdStateLock(env: NodeJS.ProcessEnv, terraformDir: string, resource: string, flags: string[] = []): Promise<LockHolder> {
  const child: ChildProcessWithoutNullStreams = spawn("terraform", ["apply", "-no-color", `-replace=${resource}`, ...flags], {
    cwd: terraformDir,
    env: { ...process.env, ...env },
  });
  let output = "";
  const exited = new Promise<number>((resolve) => child.once("close", (code) => resolve(code ?? 1)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no approval prompt within ${PROMPT_TIMEOUT_MS} ms:\n${output}`)), PROMPT_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(PROMPT)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`terraform apply exited (${code}) before its prompt:\n${output}`));
    });
  });
  return {
    async release() {
      child.stdin.end("no\n");
      await exited;
      if (!output.includes("Apply cancelled")) throw new Error(`the lock holder did not cancel:\n${output}`);
    },
  };
}
