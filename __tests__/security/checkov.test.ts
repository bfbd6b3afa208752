// The security gate: checkov passes on what the app synthesizes, and catches a regression when it fails.
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { PROJECT_ROOT } from "../../config/config";
import { ENVIRONMENTS_VARIANT, runCheckov, skippedChecks, synthStacks } from "../../lib/checkov";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { VpcStack } from "../../stacks/vpc-stack";
import { configWith, testApp, vpcStack } from "../support/synth";
import { testTmpDir } from "../support/temp";

/** Synthesizes one stack, after an optional change, and returns checkov's failed check IDs. */
function failedChecks(stack: BootstrapStack | VpcStack, breakIt: (stack: any) => void = () => undefined): string[] {
  breakIt(stack);
  const outdir = Testing.fullSynth(stack);
  try {
    return runCheckov(path.join(outdir, "stacks", stack.node.id)).failed.map((check) => check.id);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe("checkov gate", () => {
  test.each([
    ["default settings", {}, ["bootstrap", "vpc"]],
    ["TFSTATE_KMS=create", { TFSTATE_KMS: "create" }, ["bootstrap", "vpc"]],
    ["two environments", ENVIRONMENTS_VARIANT, ["bootstrap", "vpc-dev", "vpc-prod"]],
  ])("%s: every stack passes with 0 failed checks", (_variant, env, names) => {
    const outdir = fs.mkdtempSync(path.join(testTmpDir, "gate-"));
    const stacks = synthStacks(env, outdir);
    expect(Object.keys(stacks).sort()).toEqual(names);
    for (const dir of Object.values(stacks)) {
      const result = runCheckov(dir);
      expect(result.failed).toEqual([]);
      expect(result.passed).toBeGreaterThan(10);
    }
  });

  test("catches a state bucket without versioning", () => {
    const stack = new BootstrapStack(testApp(), "bootstrap", configWith());
    expect(failedChecks(stack, (s: BootstrapStack) => s.stateBucket.node.tryRemoveChild("versioning"))).toContain("CKV_AWS_21");
  });

  test("catches a state bucket without its public access block", () => {
    const stack = new BootstrapStack(testApp(), "bootstrap", configWith());
    expect(failedChecks(stack, (s: BootstrapStack) => s.stateBucket.node.tryRemoveChild("public-access-block"))).toContain("CKV2_AWS_6");
  });

  test("catches a VPC without flow logs and with its default security group left alone", () => {
    const stack = vpcStack({ VPC_FLOW_LOGS: "false" });
    const failed = failedChecks(stack, (s: VpcStack) => s.node.tryRemoveChild("default-security-group"));
    expect(failed).toEqual(expect.arrayContaining(["CKV2_AWS_11", "CKV2_AWS_12"]));
  });

  test("every skipped check has a reason, and README's Security section lists the same checks and reasons", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Security"));
    const rows = [...section.matchAll(/^\| `(CKV\w+)` \| (.+) \|$/gm)].map(([, id, reason]) => ({ id, reason }));
    const skipped = skippedChecks();
    expect(skipped.length).toBeGreaterThan(0);
    for (const { reason } of skipped) expect(reason.length).toBeGreaterThan(20);
    expect(rows).toEqual(skipped);
  });
});
