import { spawn } from "child_process";

export interface ProcessResult {
  readonly code: number;
  /** stdout and stderr, interleaved as they arrived. */
  readonly output: string;
}

interface RunOptions {
  readonly cwd: string;
  /** Variables on top of this process's environment; undefined ones are left out. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives the output as it arrives. */
  readonly onOutput?: (chunk: string) => void;
}

/** Runs a program to its end without a terminal and collects what it prints. */
export function runProcess(file: string, args: string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      options.onOutput?.(text);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? 1, output }));
  });
}
