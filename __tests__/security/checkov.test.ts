// The security gate: checkov and the IAM policy linter pass on what the app synthesizes, and catch a
// regression when it fails.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { PROJECT_ROOT } from "../../config/config";
import { CHECKOV_VARIANTS, STATE_COPIES_VARIANT, runCheckov, skippedChecks, synthVariants } from "../../tools/checkov-gate";
import { LintFinding, LintedPolicy, allowedFindings, judge, lintPolicies, lintablePolicies } from "../../tools/parliament";
import { ensurePythonTool, venvBin } from "../../lib/local/python-tools";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { VpcStack } from "../../stacks/vpc-stack";
import { configWith, testApp, vpcStack } from "../support/synth";
import { testTmpDir } from "../support/temp";

// Where every stack is synthesized for the one checkov run; made in beforeAll, as nothing runs at collection.
let root: string;

/** One stack synthesized after a change that breaks it, copied under root as `<name>/<stack>`. */
function brokenStack(name: string, stack: BootstrapStack | VpcStack, breakIt: (stack: any) => void): string {
  breakIt(stack);
  const outdir = Testing.fullSynth(stack);
  const dir = path.join(root, name, stack.node.id);
  fs.cpSync(path.join(outdir, "stacks", stack.node.id), dir, { recursive: true });
  fs.rmSync(outdir, { recursive: true, force: true });
  return dir;
}

const STATE_COPIES = CHECKOV_VARIANTS.findIndex(({ env }) => env === STATE_COPIES_VARIANT);

/**
 * Runs only these checks, skipped or not, on one stack directory: each check's result by resource. From a
 * directory of its own, since checkov reads .checkov.yaml from where it runs, and its skips would refuse --check.
 */
function runChecksOnly(dir: string, checks: string[]): string[] {
  ensurePythonTool("checkov");
  const args = ["-d", dir, "--framework", "terraform_json", "--skip-download", "--compact", "--check", checks.join(","), "-o", "json"];
  const result = spawnSync(venvBin("checkov", "checkov"), args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`checkov failed (${result.status}): ${result.stderr}`);
  const reports = [JSON.parse(result.stdout)].flat();
  const line = (outcome: string) => (check: { check_id: string; resource: string }) => `${outcome} ${check.check_id} ${check.resource}`;
  return reports.flatMap(({ results }) => [...results.passed_checks.map(line("PASSED")), ...results.failed_checks.map(line("FAILED"))]).sort();
}

let variants: Array<Record<string, string>>;
let broken: Record<"versioning" | "publicAccessBlock" | "vpc", string>;
let results: Map<string, { passed: number; failed: Array<{ id: string }> }>;
/** Every IAM policy parliament judges in each variant, and a state-access policy with two mistakes. */
let variantPolicies: LintedPolicy[][];
let badPolicy: LintedPolicy;
let lintFindings: LintFinding[];

/** The default variant's state-access policy, with a misspelt action and a PassRole on every role. */
function withTwoMistakes(bootstrapDir: string): LintedPolicy {
  const json = JSON.parse(fs.readFileSync(path.join(bootstrapDir, "cdk.tf.json"), "utf8"));
  const [bucket] = Object.keys(json.resource.aws_s3_bucket);
  const policy = Object.values<any>(json.resource.aws_iam_policy).find((p) => p.name.startsWith("tfstate-access-"));
  const document = JSON.parse(policy.policy);
  document.Statement.push(
    { Sid: "TypoAction", Effect: "Allow", Action: ["s3:GetObjekt"], Resource: `\${aws_s3_bucket.${bucket}.arn}/*` },
    { Sid: "PassAnyRole", Effect: "Allow", Action: ["iam:PassRole"], Resource: "*" },
  );
  policy.policy = JSON.stringify(document);
  return lintablePolicies(json, (p) => `bootstrap ${p.path} (broken)`).find((p) => p.path === "state-access/policy")!;
}

// Every stack below is synthesized first and checked by one checkov run: its start costs more than a stack.
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(testTmpDir(), "checkov-"));
  variants = await synthVariants(root);
  broken = {
    versioning: brokenStack("no-versioning", new BootstrapStack(testApp(), "bootstrap", configWith()), (s: BootstrapStack) => s.stateBucket.node.tryRemoveChild("versioning")),
    publicAccessBlock: brokenStack("no-public-access-block", new BootstrapStack(testApp(), "bootstrap", configWith()), (s: BootstrapStack) =>
      s.stateBucket.node.tryRemoveChild("public-access-block"),
    ),
    vpc: brokenStack("vpc-left-open", vpcStack({ VPC_FLOW_LOGS: "false" }), (s: VpcStack) => s.node.tryRemoveChild("default-security-group")),
  };
  results = runCheckov(root);
  variantPolicies = CHECKOV_VARIANTS.map(({ name }, i) =>
    Object.entries(variants[i]).flatMap(([stack, dir]) => lintablePolicies(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"), (p) => `${stack} ${p.path} (${name})`)),
  );
  badPolicy = withTwoMistakes(variants[0].bootstrap);
  // One parliament run: reading AWS's IAM definitions costs more than linting a policy.
  lintFindings = lintPolicies([...variantPolicies.flat(), badPolicy]);
});
const findingsOf = (policies: LintedPolicy[]) => lintFindings.filter((finding) => policies.includes(finding.policy));
const failedChecks = (dir: string) => results.get(dir)!.failed.map((check) => check.id);

describe("checkov gate", () => {
  test.each(CHECKOV_VARIANTS.map(({ name, stacks }, i) => [name, stacks, i] as const))("%s: every stack passes with 0 failed checks", (_variant, names, i) => {
    expect(Object.keys(variants[i]).sort()).toEqual(names);
    for (const dir of Object.values(variants[i])) {
      const result = results.get(dir);
      expect(result?.failed).toEqual([]);
      expect(result?.passed).toBeGreaterThan(10);
    }
  });

  test("catches a state bucket without versioning", () => {
    expect(failedChecks(broken.versioning)).toContain("CKV_AWS_21");
  });

  test("catches a state bucket without its public access block", () => {
    expect(failedChecks(broken.publicAccessBlock)).toContain("CKV2_AWS_6");
  });

  test("catches a VPC without flow logs and with its default security group left alone", () => {
    expect(failedChecks(broken.vpc)).toEqual(expect.arrayContaining(["CKV2_AWS_11", "CKV2_AWS_12"]));
  });

  test("with TFSTATE_ACCESS_LOGS and TFSTATE_REPLICA_REGION on, the state bucket passes the two checks the gate skips for the default: access logs and replication", () => {
    const bucket = (name: string) => `aws_s3_bucket.${name}`;
    expect(runChecksOnly(variants[STATE_COPIES].bootstrap, ["CKV_AWS_18", "CKV_AWS_144"])).toEqual(
      [
        `PASSED CKV_AWS_18 ${bucket("state-bucket_828F7150")}`,
        `PASSED CKV_AWS_144 ${bucket("state-bucket_828F7150")}`,
        // The log bucket is where the logs go, and the replica where the replicas go: checkov counts each as done.
        `PASSED CKV_AWS_18 ${bucket("access-logs_bucket_7E528747")}`,
        `PASSED CKV_AWS_144 ${bucket("replication_bucket_ECC301E8")}`,
        // What the reasons in .checkov.yaml name: the replica has no logs of its own, the logs no replica.
        `FAILED CKV_AWS_18 ${bucket("replication_bucket_ECC301E8")}`,
        `FAILED CKV_AWS_144 ${bucket("access-logs_bucket_7E528747")}`,
      ].sort(),
    );
  });

  test("every skipped check has a reason, and docs/security.md lists the same checks and reasons", () => {
    const section = fs.readFileSync(path.join(PROJECT_ROOT, "docs/security.md"), "utf8");
    const rows = [...section.matchAll(/^\| `(CKV\w+)` \| (.+) \|$/gm)].map(([, id, reason]) => ({ id, reason }));
    const skipped = skippedChecks();
    expect(skipped.length).toBeGreaterThan(0);
    for (const { reason } of skipped) expect(reason.length).toBeGreaterThan(20);
    expect(rows).toEqual(skipped);
  });
});

describe("IAM policy linter (parliament)", () => {
  test.each(CHECKOV_VARIANTS.map(({ name }, i) => [name, i] as const))("%s: every identity and resource policy has no finding but those .parliament.yaml allows", (_variant, i) => {
    const policies = variantPolicies[i];
    expect(policies.length).toBeGreaterThanOrEqual(3);
    expect(policies.map((p) => JSON.stringify(p.document)).join("\n")).not.toContain("${");
    expect(judge(findingsOf(policies)).disallowed.map((f) => `${f.issue} ${f.policy.name} ${f.statement ?? ""}`)).toEqual([]);
  });

  test("every line of .parliament.yaml allows a finding that one of the variants has", () => {
    expect(judge(findingsOf(variantPolicies.flat())).unused.map((entry) => entry.entry)).toEqual([]);
  });

  test("catches a typo'd action and iam:PassRole on any role, in the statements that have them", () => {
    const { disallowed } = judge(findingsOf([badPolicy]));
    const found = disallowed.map((f) => `${f.issue} ${f.statement ?? "(policy)"}`);
    expect(found).toEqual(expect.arrayContaining(["UNKNOWN_ACTION TypoAction", "RESOURCE_STAR PassAnyRole"]));
    // The policy's own statements have nothing to find.
    expect(disallowed.filter((f) => f.statement && !["TypoAction", "PassAnyRole"].includes(f.statement))).toEqual([]);
  });

  test("an allowed finding covers only its issue, the policies its pattern names, and its statement", () => {
    const finding = (issue: string, policyPath: string, statement?: string): LintFinding => ({
      issue,
      statement,
      policy: { name: policyPath, path: policyPath, document: { Statement: [] } },
      severity: "LOW",
      title: "",
      detail: "",
    });
    const allowed = [{ issue: "RESOURCE_STAR", policy: "github-ci/*-plan-policy", statement: "ReadVpc", reason: "a reason", entry: "" }];
    const { disallowed, unused } = judge(
      [
        finding("RESOURCE_STAR", "github-ci/dev-plan-policy", "ReadVpc"),
        finding("RESOURCE_STAR", "github-ci/dev-plan-policy", "ReadState"),
        finding("UNKNOWN_ACTION", "github-ci/dev-plan-policy", "ReadVpc"),
        finding("RESOURCE_STAR", "github-ci/dev-apply-policy", "ReadVpc"),
        finding("RESOURCE_STAR", "github-ci/nested/dev-plan-policy", "ReadVpc"),
        finding("RESOURCE_STAR", "github-ci/dev-plan-policy"),
      ],
      allowed,
    );
    expect(disallowed.map((f) => `${f.issue} ${f.policy.path}:${f.statement}`)).toEqual([
      "RESOURCE_STAR github-ci/dev-plan-policy:ReadState",
      "UNKNOWN_ACTION github-ci/dev-plan-policy:ReadVpc",
      "RESOURCE_STAR github-ci/dev-apply-policy:ReadVpc",
      "RESOURCE_STAR github-ci/nested/dev-plan-policy:ReadVpc",
      "RESOURCE_STAR github-ci/dev-plan-policy:undefined",
    ]);
    expect(unused).toEqual([]);
    expect(judge([], allowed).unused).toEqual(allowed);
  });

  test("every allowed finding has a reason, and docs/security.md lists the same findings and reasons", () => {
    const section = fs.readFileSync(path.join(PROJECT_ROOT, "docs/security.md"), "utf8");
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| `([^`]+)` \| (.+) \|$/gm)].map(([, issue, where, reason]) => ({ entry: `${issue} ${where}`, reason }));
    const allowed = allowedFindings();
    expect(allowed.length).toBeGreaterThan(0);
    for (const { reason } of allowed) expect(reason.length).toBeGreaterThan(20);
    expect(rows).toEqual(allowed.map(({ entry, reason }) => ({ entry, reason })));
  });
});
