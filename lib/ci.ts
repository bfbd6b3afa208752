// What the GitHub Actions workflow runs, as commands that work with whatever AWS credentials the
// environment holds: plan every workload stack, apply them, or fail on drift.
import * as fs from "fs";
import { TfstateConfig, loadConfig } from "../config/config";
import { workloadStates } from "../stacks/workloads";
import { CdktfResult, cdktf, reportsNoChanges, succeeded } from "./cdktf-cli";

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

export interface CiOptions {
  /** cdktf's synth output directory. */
  readonly outdir?: string;
  readonly log?: (line: string) => void;
}

/** Every workload stack, each environment's included: all that CI plans and applies, bootstrap never. */
const workloadStacks = (config: TfstateConfig = loadConfig()) => workloadStates(config).map(([stack]) => stack);

async function planAll(options: CiOptions): Promise<StackPlan[]> {
  const plans: StackPlan[] = [];
  for (const stack of workloadStacks()) {
    const result: CdktfResult = succeeded(await cdktf("diff", stack, [], { env: LOCK_TIMEOUT_ENV, outdir: options.outdir }), `cdktf diff ${stack}`);
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
  for (const stack of workloadStacks()) {
    log(`${stack}: cdktf deploy (lock timeout ${CI_LOCK_TIMEOUT})`);
    const result = succeeded(await cdktf("deploy", stack, [], { env: LOCK_TIMEOUT_ENV, outdir: options.outdir }), `cdktf deploy ${stack}`);
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
