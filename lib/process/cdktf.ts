import * as path from "path";
import { PROJECT_ROOT, SYNTH_OUTPUT_DIR, appCommand } from "../../config/config";
import { explainBackendChanges } from "../state/backend-change";
import { ProcessResult, runProcess } from "./run-process";

export const CDKTF_BIN = path.join(PROJECT_ROOT, "node_modules", ".bin", "cdktf");

export type CdktfResult = ProcessResult;

interface CdktfOptions {
  /** Variables on top of this process's environment: the settings, the endpoint, the terraform CLI config. */
  readonly env?: NodeJS.ProcessEnv;
  /** Synth output directory; each concurrent run needs its own. */
  readonly outdir?: string;
  /** Receives the output as it arrives. */
  readonly onOutput?: (chunk: string) => void;
}

/**
 * Runs `cdktf <command> <stack...>` non-interactively; several stacks (or a pattern such as 'vpc-*') run side by side. `terraform providers lock` is skipped because it
 * needs the registry even when providers come from a local mirror.
 */
export function cdktf(command: "deploy" | "destroy" | "diff", stack: string | readonly string[], flags: string[], options: CdktfOptions = {}): Promise<CdktfResult> {
  const args = [command, ...[stack].flat(), "--skip-provider-lock", "--no-color", ...flags];
  if (command !== "diff") args.push("--auto-approve");
  if (options.outdir) args.push("--output", options.outdir);
  // Under CI, cdktf prints plain progress lines instead of its interactive terminal UI.
  const env: NodeJS.ProcessEnv = { CI: "1", ...options.env };
  // A migration was asked for, so terraform copies the state without a prompt. Otherwise cdktf types
  // "yes" into that prompt through a pseudo-terminal; one e2e run under load saw such an init lock
  // the source state twice and fail on its own lock.
  if (flags.includes("--migrate-state")) env.TF_CLI_ARGS_init = "-force-copy";
  return runProcess(CDKTF_BIN, args, { cwd: PROJECT_ROOT, env, onOutput: options.onOutput });
}

/** Runs `cdktf synth` into the output directory: the stacks' terraform JSON, and nothing run against AWS. */
export function cdktfSynth(options: CdktfOptions = {}): Promise<CdktfResult> {
  const args = ["synth", "--no-color", ...(options.outdir ? ["--output", options.outdir] : [])];
  return runProcess(CDKTF_BIN, args, { cwd: PROJECT_ROOT, env: { CI: "1", ...options.env }, onOutput: options.onOutput });
}

/**
 * Runs cdktf.json's app into the output directory: the JSON that cdktf synth writes (test:node-versions
 * compares them byte for byte), without the seconds of CPU that cdktf's CLI takes to start. It keeps each
 * stack's .terraform directory, as cdktf does.
 */
export function appSynth(options: CdktfOptions & { outdir: string }): Promise<CdktfResult> {
  return runProcess("sh", ["-c", appCommand()], { cwd: PROJECT_ROOT, env: { ...options.env, CDKTF_OUTDIR: options.outdir }, onOutput: options.onOutput });
}

/** The synthesized directory of each named stack (a pattern such as 'vpc-*' names none). */
export const stackDirs = (stack: string | readonly string[], outdir = SYNTH_OUTPUT_DIR): string[] =>
  [stack].flat().filter((name) => !name.includes("*")).map((name) => path.resolve(PROJECT_ROOT, outdir, "stacks", name));

/** Like cdktf(), but rejects with terraform's errors and the tail of the output when the command fails. */
export async function cdktfOrThrow(...args: Parameters<typeof cdktf>): Promise<CdktfResult> {
  return succeeded(await cdktf(...args), `cdktf ${args[0]} ${[args[1]].flat().join(" ")}`, stackDirs(args[1], args[3]?.outdir));
}

/**
 * Returns a successful result; throws for a failed one, leading with terraform's errors. When one of the
 * stack directories run in was initialised with another backend than it now names, that comes first, with
 * what to run, instead of the tail of terraform's output.
 */
export function succeeded(result: CdktfResult, what: string, dirs: readonly string[] = []): CdktfResult {
  if (result.code === 0) return result;
  const changes = explainBackendChanges(dirs);
  if (changes.length) {
    const first = /\bError: [^\n]*/.exec(result.output)?.[0];
    throw new Error(`${what} failed: ${changes.join("\n")}${first ? `\n(terraform: ${first.trim()})` : ""}`);
  }
  const errors = terraformErrors(result.output);
  const detail = errors ? `${errors}\n--- last output ---\n${result.output.slice(-2000)}` : result.output.slice(-4000);
  throw new Error(`${what} failed (${result.code}):\n${detail}`);
}

export const reportsNoChanges = (output: string) => output.includes("No changes. Your infrastructure matches the configuration.");

/** Terraform's "Error:" blocks, which a long run's tail can scroll past. */
export function terraformErrors(output: string): string {
  const lines = output.split("\n");
  const blocks: string[] = [];
  lines.forEach((line, i) => {
    if (/\bError: /.test(line)) blocks.push(lines.slice(i, i + 12).join("\n"));
  });
  return blocks.join("\n...\n").slice(0, 4000);
}
