import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../../config/config";
import { ciStacks, parsePlan, planSummaryMarkdown } from "../../../lib/commands/ci";
import { UsageError } from "../../../lib/cli/command";
import { runProcess } from "../../../lib/process/run-process";
import { configWith } from "../../support/synth";
import { testTmpDir } from "../../support/temp";

// What `cdktf diff vpc --no-color` prints for a plan: terraform's lines behind the stack's name or its indent,
// with the construct's path in brackets after each address.
const pendingRename = [
  "vpc  Terraform used the selected providers to generate the following execution",
  "     plan. Resource actions are indicated with the following symbols:",
  "       ~ update in-place",
  "     Terraform will perform the following actions:",
  "       # aws_vpc.main (main) will be updated in-place",
  '       ~ resource "aws_vpc" "main" {',
  '           ~ tags = { "Name" = "changed-by-hand" -> "tfstate-backend-vpc" }',
  "         }",
  "       # aws_flow_log.flow-logs_flow-log_A1B2 (flow-logs/flow-log) must be replaced",
  "     -/+ resource \"aws_flow_log\" \"flow-logs_flow-log_A1B2\" {",
  "       # data.aws_iam_policy_document.x (x) will be read during apply",
  "       # (depends on a resource or a module with changes pending)",
  "     Plan: 1 to add, 1 to change, 1 to destroy.(node:24101) Warning: NodeVersionSupportWarning: The AWS SDK",
].join("\n");

describe("reading a plan", () => {
  test("names each resource it would touch, with terraform's own words, once", () => {
    expect(parsePlan("vpc", pendingRename)).toEqual({
      stack: "vpc",
      summary: "Plan: 1 to add, 1 to change, 1 to destroy.",
      changes: [
        { address: "aws_vpc.main", action: "will be updated in-place" },
        { address: "aws_flow_log.flow-logs_flow-log_A1B2", action: "must be replaced" },
        { address: "data.aws_iam_policy_document.x", action: "will be read during apply" },
      ],
    });
  });

  test("a plan with nothing to do has no changes", () => {
    const output = "vpc  No changes. Your infrastructure matches the configuration.\n";
    expect(parsePlan("vpc", output)).toEqual({ stack: "vpc", summary: "No changes.", changes: [] });
  });

  test("the job summary is a table with one row a stack", () => {
    const markdown = planSummaryMarkdown("terraform plan", [parsePlan("vpc", pendingRename), { stack: "vpc-dev", summary: "No changes.", changes: [] }]);
    expect(markdown.split("\n")).toEqual([
      "### terraform plan",
      "",
      "| stack | plan | resources |",
      "| --- | --- | --- |",
      "| `vpc` | Plan: 1 to add, 1 to change, 1 to destroy. | `aws_vpc.main` will be updated in-place<br>`aws_flow_log.flow-logs_flow-log_A1B2` must be replaced<br>`data.aws_iam_policy_document.x` will be read during apply |",
      "| `vpc-dev` | No changes. | - |",
      "",
    ]);
  });
});

describe("--env: the stacks of one CI target", () => {
  const twoEnvironments = { TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.1.0.0/16" }, prod: { vpcCidr: "10.2.0.0/16" } }) };

  test("with environments, an environment's stacks; without --env, every one", () => {
    const config = configWith(twoEnvironments);
    expect(ciStacks(config)).toEqual(["vpc-dev", "vpc-prod"]);
    expect(ciStacks(config, "dev")).toEqual(["vpc-dev"]);
    expect(ciStacks(config, "prod")).toEqual(["vpc-prod"]);
  });

  test("without environments, the one target is named default, as terraform's default workspace", () => {
    expect(ciStacks(configWith())).toEqual(["vpc"]);
    expect(ciStacks(configWith(), "default")).toEqual(["vpc"]);
  });

  test("an unknown name is a usage error that names the known ones", () => {
    expect(() => ciStacks(configWith(twoEnvironments), "qa")).toThrow(new UsageError("--env qa: no such target; the environments are dev, prod"));
    expect(() => ciStacks(configWith(twoEnvironments), "default")).toThrow(new UsageError("--env default: no such target; the environments are dev, prod"));
    expect(() => ciStacks(configWith(), "dev")).toThrow(new UsageError("--env dev: no such target; without environments the one target is default"));
  });

  test("npm run ci:apply -- --env qa stops with that line and the usage, exit 2, before terraform runs", async () => {
    const outdir = fs.mkdtempSync(path.join(testTmpDir(), "ci-env."));
    const { code, output } = await runProcess("npm", ["run", "--silent", "ci:apply", "--", "--env", "qa", "--output", outdir], { cwd: PROJECT_ROOT, env: twoEnvironments });
    expect({ code, lines: output.trimEnd().split("\n") }).toEqual({
      code: 2,
      lines: ["error: --env qa: no such target; the environments are dev, prod", "usage: npm run ci:apply -- [--output PATH] [--env NAME]"],
    });
    expect(fs.readdirSync(outdir)).toEqual([]);
  }, 60_000);
});
