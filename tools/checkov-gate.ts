// The security gate: synthesizes the stacks (default settings, with a created KMS key, with two environments and
// the CI roles, with a replica and access logs) and fails on any failed checkov check that .checkov.yaml does not
// skip with a reason, and on any finding of the IAM policy linter (tools/parliament.ts) that .parliament.yaml does
// not allow with a reason.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { ensurePythonTool, venvBin } from "../lib/local/python-tools";
import { appSynth, succeeded } from "../lib/process/cdktf";
import { lintStacks, printLintReport } from "./parliament";

const CHECKOV_CONFIG = path.join(PROJECT_ROOT, ".checkov.yaml");

interface FailedCheck {
  readonly id: string;
  readonly resource: string;
  readonly title: string;
}

interface CheckovResult {
  readonly passed: number;
  readonly failed: FailedCheck[];
}

/** The skipped checks with their reasons, in the order .checkov.yaml lists them. */
export function skippedChecks(): Array<{ id: string; reason: string }> {
  const lines = fs.readFileSync(CHECKOV_CONFIG, "utf8").split("\n");
  return lines.flatMap((line) => {
    const match = /^\s*-\s+(CKV\w+)\s+#\s+(.+)$/.exec(line);
    return match ? [{ id: match[1], reason: match[2].trim() }] : [];
  });
}

/**
 * Runs checkov once with the project's settings on every synthesized stack under `root`, and returns each
 * stack directory's result. One run for many stacks: checkov's start costs more than checking a stack.
 */
export function runCheckov(root: string): Map<string, CheckovResult> {
  ensurePythonTool("checkov");
  const result = spawnSync(venvBin("checkov", "checkov"), ["--config-file", CHECKOV_CONFIG, "-d", root, "-o", "json"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  // checkov exits 1 when a check fails; anything else is an error of its own.
  if (result.status !== 0 && result.status !== 1) throw new Error(`checkov failed (${result.status}): ${result.stderr}`);
  const report = JSON.parse(result.stdout);
  const reports = Array.isArray(report) ? report : [report];
  if (reports.length === 0 || reports.some((r) => !r.results)) {
    throw new Error(`checkov found nothing to check in ${root}: ${result.stdout.slice(0, 500)}`);
  }
  const byStack = new Map<string, { passed: number; failed: FailedCheck[] }>();
  const resultOf = (file: string) => {
    const dir = path.dirname(file);
    if (!byStack.has(dir)) byStack.set(dir, { passed: 0, failed: [] });
    return byStack.get(dir)!;
  };
  for (const { results } of reports) {
    for (const check of results.passed_checks as Array<{ file_abs_path: string }>) resultOf(check.file_abs_path).passed++;
    for (const check of results.failed_checks as Array<{ file_abs_path: string; check_id: string; resource: string; check_name: string }>) {
      resultOf(check.file_abs_path).failed.push({ id: check.check_id, resource: check.resource, title: check.check_name });
    }
  }
  return byStack;
}

/** Synthesizes the app with these settings into `outdir` and returns the stack directories. */
async function synthStacks(env: NodeJS.ProcessEnv, outdir: string): Promise<Record<string, string>> {
  // The shape that real AWS gets: no emulator endpoint.
  succeeded(await appSynth({ env: { ...env, AWS_ENDPOINT_URL: undefined }, outdir }), "synth");
  const stacks = path.join(outdir, "stacks");
  return Object.fromEntries(fs.readdirSync(stacks).map((stack) => [stack, path.join(stacks, stack)]));
}

/** A replica in a second region and the access logs, with created keys: the replication role's KMS statements. */
export const STATE_COPIES_VARIANT = { TFSTATE_REPLICA_REGION: "eu-west-1", TFSTATE_ACCESS_LOGS: "true", TFSTATE_KMS: "create" };

/**
 * The settings the gate synthesizes the stacks with, and the stacks each gives. Two environments: one in
 * another account, with the GitHub CI roles: per-environment policies and roles, and providers that assume roles.
 */
export const CHECKOV_VARIANTS: ReadonlyArray<{ readonly name: string; readonly env: NodeJS.ProcessEnv; readonly stacks: readonly string[] }> = [
  { name: "default settings", env: {}, stacks: ["bootstrap", "vpc"] },
  { name: "TFSTATE_KMS=create", env: { TFSTATE_KMS: "create" }, stacks: ["bootstrap", "vpc"] },
  {
    name: "two environments, with the GitHub CI roles",
    env: {
      TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.1.0.0/16" }, prod: { vpcCidr: "10.2.0.0/16", roleArn: "arn:aws:iam::222222222222:role/deploy" } }),
      TFSTATE_GITHUB_REPOSITORY: "octo-org/infra",
    },
    stacks: ["bootstrap", "vpc-dev", "vpc-prod"],
  },
  { name: "replica and access logs, with created keys", env: STATE_COPIES_VARIANT, stacks: ["bootstrap", "vpc"] },
];

/** Synthesizes every variant under `root`, one after another (each is CPU-bound): each one's stack directories by name. */
export async function synthVariants(root: string): Promise<Array<Record<string, string>>> {
  const synthesized: Array<Record<string, string>> = [];
  for (const [i, { env }] of CHECKOV_VARIANTS.entries()) synthesized.push(await synthStacks(env, path.join(root, `variant-${i}`)));
  return synthesized;
}

/** Runs checkov, then parliament, on every stack of every variant; throws when any check or finding fails. */
export async function checkovGate(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-checkov-"));
  try {
    const stacks = (await synthVariants(root)).flatMap((dirs, i) => Object.entries(dirs).map(([stack, dir]) => ({ variant: CHECKOV_VARIANTS[i].name, stack, dir })));
    const results = runCheckov(root);
    let failures = 0;
    for (const { variant, stack, dir } of stacks) {
      const result = results.get(dir);
      if (!result) {
        // A stack that checkov did not look at has not passed.
        console.log(`checkov ${stack} (${variant}): not checked`);
        failures += 1;
        continue;
      }
      console.log(`checkov ${stack} (${variant}): ${result.passed} passed, ${result.failed.length} failed`);
      for (const check of result.failed) console.log(`  FAILED ${check.id} ${check.resource}: ${check.title}`);
      failures += result.failed.length;
    }
    console.log(`skipped, with reasons in .checkov.yaml: ${skippedChecks().map((s) => s.id).join(", ")}`);
    const lintFailures = printLintReport(lintStacks(stacks));
    if (failures > 0 || lintFailures > 0) {
      throw new Error([failures > 0 && `${failures} failed or unchecked checkov check(s)`, lintFailures > 0 && `${lintFailures} IAM policy finding(s) or unused allowances`].filter(Boolean).join(", "));
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
