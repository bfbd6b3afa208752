// The security gate: synthesizes the stacks (default settings, with a created KMS key, with two environments and
// the CI roles) and fails on any failed checkov check that .checkov.yaml does not skip with a reason.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, appCommand } from "../config/config";
import { ensurePythonTool, venvBin } from "./python-tools";

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

/** Runs checkov with the project's settings on one synthesized stack directory. */
export function runCheckov(stackDir: string): CheckovResult {
  ensurePythonTool("checkov");
  const result = spawnSync(venvBin("checkov", "checkov"), ["--config-file", CHECKOV_CONFIG, "-d", stackDir, "-o", "json"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  // checkov exits 1 when a check fails; anything else is an error of its own.
  if (result.status !== 0 && result.status !== 1) throw new Error(`checkov failed (${result.status}): ${result.stderr}`);
  const report = JSON.parse(result.stdout);
  const reports = Array.isArray(report) ? report : [report];
  if (reports.length === 0 || reports.some((r) => !r.results)) {
    throw new Error(`checkov found nothing to check in ${stackDir}: ${result.stdout.slice(0, 500)}`);
  }
  return {
    passed: reports.reduce((n, r) => n + r.results.passed_checks.length, 0),
    failed: reports.flatMap((r) =>
      r.results.failed_checks.map((c: { check_id: string; resource: string; check_name: string }) => ({
        id: c.check_id,
        resource: c.resource,
        title: c.check_name,
      })),
    ),
  };
}

/** Synthesizes the app with these settings into `outdir` and returns the stack directories. */
export function synthStacks(env: NodeJS.ProcessEnv, outdir: string): Record<string, string> {
  // The shape that real AWS gets: no emulator endpoint.
  const { AWS_ENDPOINT_URL: _endpoint, ...withoutEndpoint } = process.env;
  execFileSync("sh", ["-c", appCommand()], { cwd: PROJECT_ROOT, env: { ...withoutEndpoint, ...env, CDKTF_OUTDIR: outdir }, stdio: "ignore" });
  const stacks = path.join(outdir, "stacks");
  return Object.fromEntries(fs.readdirSync(stacks).map((stack) => [stack, path.join(stacks, stack)]));
}

/**
 * Two environments, one in another account, with the GitHub CI roles: per-environment policies and roles, and
 * providers that assume roles.
 */
export const ENVIRONMENTS_VARIANT = {
  TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.1.0.0/16" }, prod: { vpcCidr: "10.2.0.0/16", roleArn: "arn:aws:iam::222222222222:role/deploy" } }),
  TFSTATE_GITHUB_REPOSITORY: "octo-org/infra",
};

const VARIANTS: Record<string, NodeJS.ProcessEnv> = {
  default: {},
  "TFSTATE_KMS=create": { TFSTATE_KMS: "create" },
  "two environments": ENVIRONMENTS_VARIANT,
};

/** Runs checkov on every stack of every variant; throws when any check fails. */
export async function checkovGate(): Promise<void> {
  let failures = 0;
  for (const [variant, env] of Object.entries(VARIANTS)) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-checkov-"));
    try {
      for (const [stack, dir] of Object.entries(synthStacks(env, outdir))) {
        const { passed, failed } = runCheckov(dir);
        console.log(`checkov ${stack} (${variant}): ${passed} passed, ${failed.length} failed`);
        for (const check of failed) console.log(`  FAILED ${check.id} ${check.resource}: ${check.title}`);
        failures += failed.length;
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  console.log(`skipped, with reasons in .checkov.yaml: ${skippedChecks().map((s) => s.id).join(", ")}`);
  if (failures > 0) throw new Error(`${failures} failed checkov check(s)`);
}
