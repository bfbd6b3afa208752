// npm run ci:matrix: what the workflow's plan, apply and drift jobs run once per CI target, with the
// roles that bootstrap made for that target.
import * as fs from "fs";
import * as path from "path";
import { ConfigError, PROJECT_ROOT } from "../../../config/config";
import { UsageError } from "../../../lib/cli/command";
import { ciMatrix, printCiMatrix } from "../../../lib/commands/ci-matrix";
import { runProcess } from "../../../lib/process/run-process";
import { bootstrapStack, configWith, parse, synth } from "../../support/synth";
import { testTmpDir } from "../../support/temp";

const ACCOUNT = "111122223333";
const GITHUB = { TFSTATE_GITHUB_REPOSITORY: "octo-org/infra", TFSTATE_BUCKET: "acme-infra-state" };
const ENVIRONMENTS = {
  ...GITHUB,
  TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.1.0.0/16" }, prod: { vpcCidr: "10.2.0.0/16", githubEnvironment: "production" } }),
};

describe("the CI matrix", () => {
  test("without environments: one target, default, with the plan and apply roles in the account", () => {
    expect(ciMatrix(configWith(GITHUB), ACCOUNT)).toEqual({
      include: [
        {
          name: "default",
          planRoleArn: "arn:aws:iam::111122223333:role/tfstate-acme-infra-state-plan",
          applyRoleArn: "arn:aws:iam::111122223333:role/tfstate-acme-infra-state-apply",
          githubEnvironment: "",
        },
      ],
    });
    expect(ciMatrix(configWith({ ...GITHUB, TFSTATE_GITHUB_ENVIRONMENT: "production" }), ACCOUNT).include[0].githubEnvironment).toBe("production");
  });

  test("with environments: one target each, with its own roles and the GitHub environment its apply role trusts", () => {
    expect(ciMatrix(configWith(ENVIRONMENTS), ACCOUNT)).toEqual({
      include: [
        {
          name: "dev",
          planRoleArn: "arn:aws:iam::111122223333:role/tfstate-acme-infra-state-dev-plan",
          applyRoleArn: "arn:aws:iam::111122223333:role/tfstate-acme-infra-state-dev-apply",
          githubEnvironment: "dev",
        },
        {
          name: "prod",
          planRoleArn: "arn:aws:iam::111122223333:role/tfstate-acme-infra-state-prod-plan",
          applyRoleArn: "arn:aws:iam::111122223333:role/tfstate-acme-infra-state-prod-apply",
          githubEnvironment: "production",
        },
      ],
    });
  });

  // Written out, not derived: the matrix and the stack both take their names from config/ci-targets.ts,
  // so comparing one with the other would pass whatever that file made of them.
  const cut = `tfstate-acme-${"x".repeat(37)}`;
  test.each([
    ["without environments", GITHUB, ["tfstate-acme-infra-state-plan", "tfstate-acme-infra-state-apply"]],
    [
      "with environments and a long bucket name, cut to fit IAM's 64 characters",
      { ...ENVIRONMENTS, TFSTATE_BUCKET: `acme-${"x".repeat(52)}-state` },
      [`${cut}-dev-plan`, `${cut}-dev-apply`, `${cut}-prod-plan`, `${cut}-prod-apply`],
    ],
  ])("%s: it names exactly the roles bootstrap creates", (_case, env, names) => {
    const named = ciMatrix(configWith(env), ACCOUNT).include.flatMap((entry) => [entry.planRoleArn, entry.applyRoleArn]);
    expect(named).toEqual(names.map((name) => `arn:aws:iam::111122223333:role/${name}`));
    const created = Object.values<any>(parse(synth(bootstrapStack(env))).resource.aws_iam_role).map((role) => role.name);
    expect(created.sort()).toEqual([...names].sort());
  });

  test("in GovCloud and China the ARNs carry their partition", () => {
    expect(ciMatrix(configWith({ ...GITHUB, AWS_REGION: "us-gov-west-1" }), ACCOUNT).include[0].planRoleArn).toMatch(/^arn:aws-us-gov:iam::111122223333:role\//);
    expect(ciMatrix(configWith({ ...GITHUB, AWS_REGION: "cn-north-1" }), ACCOUNT).include[0].planRoleArn).toMatch(/^arn:aws-cn:iam::111122223333:role\//);
  });

  test("--account must be given, and be 12 digits", () => {
    expect(() => printCiMatrix(undefined, GITHUB, () => {})).toThrow(new UsageError("--account is required: the 12-digit AWS account the CI roles are in"));
    for (const account of ["11112222333", "1111222233334", "arn:aws:iam::111122223333:root", " 111122223333"]) {
      expect(() => printCiMatrix(account, GITHUB, () => {})).toThrow(new UsageError(`--account ${JSON.stringify(account)}: must be the 12 digits of an AWS account ID`));
    }
  });

  test("without TFSTATE_GITHUB_REPOSITORY there are no CI roles to list", () => {
    expect(() => ciMatrix(configWith(), ACCOUNT)).toThrow(ConfigError);
  });

  test("npm run ci:matrix prints the matrix and, in GitHub Actions, appends it to the step's outputs", async () => {
    const outputs = path.join(testTmpDir(), "github-output");
    fs.writeFileSync(outputs, "earlier=kept\n");
    const { code, output } = await runProcess("npm", ["run", "--silent", "ci:matrix", "--", "--account", ACCOUNT], {
      cwd: PROJECT_ROOT,
      env: { ...ENVIRONMENTS, GITHUB_OUTPUT: outputs },
    });
    expect(code).toBe(0);
    const printed = JSON.parse(output);
    expect(printed.include.map((entry: { name: string }) => entry.name)).toEqual(["dev", "prod"]);
    expect(fs.readFileSync(outputs, "utf8")).toBe(`earlier=kept\nmatrix=${JSON.stringify(printed)}\n`);
  }, 60_000);
});
