// What the GitHub Actions workflow runs, as commands that work with whatever AWS credentials the
// environment holds: plan every workload stack, apply them, or fail on drift.
import * as fs from "fs";
import { DEFAULT_CI_TARGET, ciTargets, stacksOf } from "../../config/ci-targets";
import { TfstateConfig, loadConfig } from "../../config/config";
import { appWorkloadTargets } from "../../config/workloads";
import { CdktfResult, cdktf, reportsNoChanges, stackDirs, succeeded } from "../process/cdktf";
import { UsageError } from "../cli/command";

// A queued apply waits this long for the one ahead of it instead of failing on the lock.
const CI_LOCK_TIMEOUT = "10m";
const LOCK_TIMEOUT_ENV = { TF_CLI_ARGS_plan: `-lock-timeout=${CI_LOCK_TIMEOUT}`, TF_CLI_ARGS_apply: `-lock-timeout=${CI_LOCK_TIMEOUT}` };

export interface PlannedChange {
  readonly address: string;
  /** terraform's words: "will be created", "will be updated in-place", "must be replaced", ... */
  readonly action: string;
}

export interface StackPlan {
  readonly stack: string;
  readonly changes: PlannedChange[];
  /** terraform's one-line verdict: "Plan: 1 to add, 0 to change, 0 to destroy." or "No changes." */
  readonly summary: string;
}

/**
 * The resources a plan would touch, read from terraform's "# <address> will be ..." lines as cdktf passes
 * them on: cdktf puts the construct's path in brackets after the address.
 */
export function parsePlan(stack: string, output: string): StackPlan {
  const changes: PlannedChange[] = [];
  for (const [, address, action] of output.matchAll(/#\s+(\S+)(?:\s+\([^)\n]*\))?\s+((?:will be|must be)\s[^\n(]*?)\s*(?:\(|$)/gm)) {
    if (!changes.some((c) => c.address === address)) changes.push({ address, action });
  }
  const summary = reportsNoChanges(output) ? "No changes." : (/(Plan: \d+ to add, \d+ to change, \d+ to destroy\.)/.exec(output)?.[1] ?? "no plan summary");
  return { stack, changes, summary };
}

/** A markdown table of the plans, for the job summary. */
export function planSummaryMarkdown(title: string, plans: StackPlan[]): string {
  const rows = plans.map((plan) => {
    const changes = plan.changes.map((c) => `\`${c.address}\` ${c.action}`).join("<br>") || "-";
    return `| \`${plan.stack}\` | ${plan.summary} | ${changes} |`;
  });
  return [`### ${title}`, "", "| stack | plan | resources |", "| --- | --- | --- |", ...rows, ""].join("\n");
}

/** Appends to the job summary when GitHub Actions provides one. */
function toJobSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) fs.appendFileSync(file, `${markdown}\n`);
}

/** What ci:plan, ci:apply and ci:drift take, as their --help says it. */
export const CI_COMMAND_OPTIONS = {
  output: "cdktf's synth output directory (default cdktf.out)",
  env: `only this environment's workload stacks (${DEFAULT_CI_TARGET} without environments); every one when unset`,
} as const;

export interface CiOptions {
  /** cdktf's synth output directory. */
  readonly outdir?: string;
  /** --env: only this CI target's stacks, an environment's or, without environments, "default"'s. */
  readonly target?: string;
  readonly log?: (line: string) => void;
}

/**
 * The workload stacks CI plans and applies, bootstrap never: every one, or the named target's. An unknown
 * target is refused, naming the known ones, before terraform runs.
 */
export function ciStacks(config: TfstateConfig, targetName?: string): string[] {
  const workloads = appWorkloadTargets(config);
  if (targetName === undefined) return workloads.map((workload) => workload.stackName);
  const targets = ciTargets(config);
  const target = targets.find(({ name }) => name === targetName);
  if (!target) {
    const known = config.environments.length
      ? `the environments are ${targets.map(({ name }) => name).join(", ")}`
      : `without environments the one target is ${DEFAULT_CI_TARGET}`;
    throw new UsageError(`--env ${targetName}: no such target; ${known}`);
  }
  return stacksOf(target, workloads).map((workload) => workload.stackName);
}

async function planAll(options: CiOptions): Promise<StackPlan[]> {
  const plans: StackPlan[] = [];
  for (const stack of ciStacks(loadConfig(), options.target)) {
    const result: CdktfResult = succeeded(await cdktf("diff", stack, [], { env: LOCK_TIMEOUT_ENV, outdir: options.outdir }), `cdktf diff ${stack}`, stackDirs(stack, options.outdir));
    plans.push(parsePlan(stack, result.output));
  }
  return plans;
}

/** npm run ci:plan: the plan of every workload stack, printed and put in the job summary. */
export async function ciPlan(options: CiOptions = {}): Promise<void> {
  const log = options.log ?? console.log;
  const plans = await planAll(options);
  for (const plan of plans) {
    log(`${plan.stack}: ${plan.summary}`);
    for (const change of plan.changes) log(`  ${change.address} ${change.action}`);
  }
  toJobSummary(planSummaryMarkdown("terraform plan", plans));
}

/** npm run ci:apply: deploys every workload stack; a held lock is waited for, up to CI_LOCK_TIMEOUT. */
export async function ciApply(options: CiOptions = {}): Promise<void> {
  const log = options.log ?? console.log;
  for (const stack of ciStacks(loadConfig(), options.target)) {
    log(`${stack}: cdktf deploy (lock timeout ${CI_LOCK_TIMEOUT})`);
    const result = succeeded(await cdktf("deploy", stack, [], { env: LOCK_TIMEOUT_ENV, outdir: options.outdir }), `cdktf deploy ${stack}`, stackDirs(stack, options.outdir));
    const applied = /Apply complete! Resources: [^\n]*/.exec(result.output)?.[0] ?? "applied";
    log(`${stack}: ${applied}`);
    toJobSummary(`- \`${stack}\`: ${applied}`);
  }
}

/** npm run ci:drift: resolves when the real infrastructure matches every workload stack; otherwise names each drifted resource. */
export async function ciDrift(options: CiOptions = {}): Promise<void> {
  const log = options.log ?? console.log;
  const plans = await planAll(options);
  toJobSummary(planSummaryMarkdown("drift check", plans));
  const drifted = plans.filter((plan) => plan.summary !== "No changes.");
  for (const plan of plans) log(`${plan.stack}: ${drifted.includes(plan) ? "drift" : "in sync"}`);
  if (drifted.length === 0) return;
  const names = drifted.flatMap((plan) => plan.changes.map((c) => `${plan.stack} ${c.address} (${c.action})`));
  throw new Error(`drift: ${names.join("; ") || drifted.map((plan) => `${plan.stack}: ${plan.summary}`).join("; ")}`);
}
