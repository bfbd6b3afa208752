// What the GitHub Actions workflow runs for one environment of two, on moto with IAM enforcement on, with
// the roles that npm run ci:matrix names: dev's plan role plans dev and cannot write its state, dev's apply
// role applies dev and cannot touch prod's state, drift is caught by name, and queued applies both land.
// GitHub cannot run here; its OIDC token is stood in for by moto, which accepts any token and does not
// evaluate trust policies (the unit tests check those). prod is never deployed: its state only needs a key.
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsClients } from "../../lib/aws/clients";
import { succeeded } from "../../lib/process/cdktf";
import { CiMatrix, MatrixEntry } from "../../lib/commands/ci-matrix";
import { describeVpc, stateVersions } from "../../lib/aws/inspect";
import { EMULATOR_SETTINGS, Scenario, bootstrapDeployed, emulatorScenario, enforceIam, step } from "./support/world";

// A stand-in for the token GitHub mints for a job: moto does not check it.
const GITHUB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvaW5mcmEifQ.c2lnbmF0dXJl";
// The account moto puts everything in, where bootstrap made the roles: the workflow's AWS_ACCOUNT_ID.
const MOTO_ACCOUNT = "123456789012";

test("per environment: ci:plan --env dev with dev's plan role, ci:apply and ci:drift with dev's apply role, queued applies; prod's state out of reach", async () => {
  await bootstrapDeployed("ci");
  const admin = emulatorScenario("ci");
  const config = admin.config();
  const endpoint = config.endpoint!;
  const outputs = JSON.parse(fs.readFileSync(path.join(admin.dir, "bootstrap.outputs.json"), "utf8")).bootstrap;
  const [devState, prodState] = [outputs.state_keys["vpc-dev"], outputs.state_keys["vpc-prod"]];
  const sts = new STSClient({ region: config.region, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });

  /** The credentials aws-actions/configure-aws-credentials would export for that role. */
  async function assume(roleArn: string) {
    const { Credentials } = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: "github-actions", WebIdentityToken: GITHUB_TOKEN }));
    return { AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey!, AWS_SESSION_TOKEN: Credentials!.SessionToken! };
  }
  const sdkAs = (credentials: Awaited<ReturnType<typeof assume>>) =>
    awsClients(config, { accessKeyId: credentials.AWS_ACCESS_KEY_ID, secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY, sessionToken: credentials.AWS_SESSION_TOKEN });
  // Each job starts from a checkout of its own, as a fresh runner does.
  const job = (name: string, credentials: NodeJS.ProcessEnv, settings: NodeJS.ProcessEnv = {}) =>
    new Scenario(`ci-${name}`, endpoint, { ...EMULATOR_SETTINGS.ci, VPC_NAME: config.vpcName, ...credentials, ...settings });
  const ciRun = (scenario: Scenario, command: string) => scenario.npmRun(command, ["--env", "dev", "--output", scenario.outdir]);
  const vpcIdInState = async () => {
    await enforceIam(endpoint, false);
    try {
      const object = await admin.clients().s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: devState }));
      const state = JSON.parse(await object.Body!.transformToString());
      return state.resources.find((r: { type: string }) => r.type === "aws_vpc").instances[0].attributes.id as string;
    } finally {
      await enforceIam(endpoint, true);
    }
  };

  const dev = await step("the targets job: npm run ci:matrix names the roles bootstrap made, one pair per environment", async () => {
    const printed = succeeded(await admin.npmRun("ci:matrix", ["--account", MOTO_ACCOUNT]), "npm run ci:matrix");
    const matrix: CiMatrix = JSON.parse(printed.output);
    const byName = Object.fromEntries(matrix.include.map((entry) => [entry.name, entry])) as Record<string, MatrixEntry>;
    expect(Object.keys(byName)).toEqual(["dev", "prod"]);
    expect(outputs.github_ci_roles).toEqual(
      Object.fromEntries(Object.entries(byName).map(([name, entry]) => [name, { plan: entry.planRoleArn, apply: entry.applyRoleArn }])),
    );
    return byName.dev;
  });

  const [planCredentials, applyCredentials] = await Promise.all([assume(dev.planRoleArn), assume(dev.applyRoleArn)]);
  await enforceIam(endpoint, true);
  try {
    await step("pull request: npm run ci:plan -- --env dev succeeds with dev's plan role and shows dev's pending VPC alone", async () => {
      const plan = succeeded(await ciRun(job("plan", planCredentials), "ci:plan"), "npm run ci:plan -- --env dev");
      expect(plan.output).toMatch(/vpc-dev: Plan: 2 to add, 0 to change, 0 to destroy\./);
      expect(plan.output).toMatch(/aws_vpc\.main will be created/);
      expect(plan.output).not.toContain("vpc-prod");
    });

    await step("dev's plan role cannot write dev's state object", async () => {
      await expect(sdkAs(planCredentials).s3.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: devState, Body: "{}" }))).rejects.toMatchObject({
        name: "AccessDenied",
      });
    });

    await step("dev's apply role can neither read nor write prod's state object", async () => {
      const asDevApply = sdkAs(applyCredentials).s3;
      await expect(asDevApply.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: prodState }))).rejects.toMatchObject({ name: "AccessDenied" });
      await expect(asDevApply.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: prodState, Body: "{}" }))).rejects.toMatchObject({
        name: "AccessDenied",
      });
    });

    const vpcId = await step("merge: npm run ci:apply -- --env dev applies with dev's apply role, and ci:drift then passes", async () => {
      succeeded(await ciRun(job("apply", applyCredentials), "ci:apply"), "npm run ci:apply -- --env dev");
      const drift = succeeded(await ciRun(job("drift", applyCredentials), "ci:drift"), "npm run ci:drift -- --env dev");
      expect(drift.output).toContain("vpc-dev: in sync");
      return vpcIdInState();
    });

    await step("a Name tag changed behind terraform's back makes ci:drift fail and name the VPC", async () => {
      await enforceIam(endpoint, false);
      await admin.clients().ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "Name", Value: "changed-by-hand" }] }));
      await enforceIam(endpoint, true);
      const drift = await ciRun(job("drift", applyCredentials), "ci:drift");
      expect(drift.code).not.toBe(0);
      expect(drift.output).toMatch(/error: drift: vpc-dev aws_vpc\.main \(will be updated in-place\)/);
    });

    await step("two merges applied at once: the second waits for dev's lock, both land, two new versions of dev's state", async () => {
      await enforceIam(endpoint, false);
      const before = (await stateVersions(admin.clients(), config.stateBucket, devState)).length;
      await enforceIam(endpoint, true);
      const finished: string[] = [];
      const applyAs = async (name: string) => {
        succeeded(await ciRun(job(`queued-${name}`, applyCredentials, { VPC_NAME: name }), "ci:apply"), `npm run ci:apply -- --env dev (${name})`);
        finished.push(name);
      };
      await Promise.all([applyAs("merge-one"), applyAs("merge-two")]);
      await enforceIam(endpoint, false);
      expect((await stateVersions(admin.clients(), config.stateBucket, devState)).length).toBe(before + 2);
      // An environment's VPC is named VPC_NAME-<env>.
      expect((await describeVpc(admin.clients(), vpcId)).name).toBe(`${finished[1]}-dev`);
    });
  } finally {
    await enforceIam(endpoint, false);
  }
});
