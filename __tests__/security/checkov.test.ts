// The security gate: checkov passes on what the app synthesizes, and catches a regression when it fails.
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { PROJECT_ROOT } from "../../config/config";
import { CHECKOV_VARIANTS, runCheckov, skippedChecks, synthVariants } from "../../tools/checkov-gate";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { VpcStack } from "../../stacks/vpc-stack";
import { configWith, testApp, vpcStack } from "../support/synth";
import { testTmpDir } from "../support/temp";

const root = fs.mkdtempSync(path.join(testTmpDir(), "checkov-"));

/** One stack synthesized after a change that breaks it, copied under root as `<name>/<stack>`. */
function brokenStack(name: string, stack: BootstrapStack | VpcStack, breakIt: (stack: any) => void): string {
  breakIt(stack);
  const outdir = Testing.fullSynth(stack);
  const dir = path.join(root, name, stack.node.id);
  fs.cpSync(path.join(outdir, "stacks", stack.node.id), dir, { recursive: true });
  fs.rmSync(outdir, { recursive: true, force: true });
  return dir;
}

// Every stack below is synthesized first and checked by one checkov run: its start costs more than a stack.
let variants: Array<Record<string, string>>;
const broken = {
  versioning: brokenStack("no-versioning", new BootstrapStack(testApp(), "bootstrap", configWith()), (s: BootstrapStack) => s.stateBucket.node.tryRemoveChild("versioning")),
  publicAccessBlock: brokenStack("no-public-access-block", new BootstrapStack(testApp(), "bootstrap", configWith()), (s: BootstrapStack) =>
    s.stateBucket.node.tryRemoveChild("public-access-block"),
  ),
  vpc: brokenStack("vpc-left-open", vpcStack({ VPC_FLOW_LOGS: "false" }), (s: VpcStack) => s.node.tryRemoveChild("default-security-group")),
};
let results: Map<string, { passed: number; failed: Array<{ id: string }> }>;
beforeAll(async () => {
  variants = await synthVariants(root);
  results = runCheckov(root);
});
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
