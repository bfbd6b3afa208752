// What the GitHub Actions workflow runs, on moto with IAM enforcement on: the plan role plans and cannot
// write the state, the apply role applies, drift is caught by name, and queued applies both land.
// GitHub cannot run here; its OIDC token is stood in for by moto, which accepts any token and does not
// evaluate trust policies (the unit tests check those).
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsClients } from "../../lib/aws-clients";
import { succeeded } from "../../lib/cdktf-cli";
import { describeVpc, stateVersions } from "../../lib/inspect";
import { EMULATOR_SETTINGS, Scenario, bootstrapDeployed, emulatorScenario, enforceIam, step } from "./support/world";

// A stand-in for the token GitHub mints for a job: moto does not check it.
const GITHUB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvaW5mcmEifQ.c2lnbmF0dXJl";

test("ci:plan with the plan role, ci:apply with the apply role, ci:drift, and two queued applies", async () => {
  await bootstrapDeployed("ci");
  const admin = emulatorScenario("ci");
  const config = admin.config();
  const endpoint = config.endpoint!;
  const outputs = JSON.parse(fs.readFileSync(path.join(admin.dir, "bootstrap.outputs.json"), "utf8")).bootstrap;
  const sts = new STSClient({ region: config.region, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });

  /** The credentials aws-actions/configure-aws-credentials would export for that role. */
  async function assume(roleArn: string) {
    const { Credentials } = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: "github-actions", WebIdentityToken: GITHUB_TOKEN }));
    return { AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey!, AWS_SESSION_TOKEN: Credentials!.SessionToken! };
  }
  // Each job starts from a checkout of its own, as a fresh runner does.
  const job = (name: string, credentials: NodeJS.ProcessEnv, settings: NodeJS.ProcessEnv = {}) =>
    new Scenario(`ci-${name}`, endpoint, { ...EMULATOR_SETTINGS.ci, TFSTATE_KEY: config.stateKey, VPC_NAME: config.vpcName, ...credentials, ...settings });
  const ciRun = (scenario: Scenario, command: string) => scenario.npmRun(command, ["--output", scenario.outdir]);
  const vpcIdInState = async () => {
    await enforceIam(endpoint, false);
    try {
      const object = await admin.clients().s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: config.stateKey }));
      const state = JSON.parse(await object.Body!.transformToString());
      return state.resources.find((r: { type: string }) => r.type === "aws_vpc").instances[0].attributes.id as string;
    } finally {
      await enforceIam(endpoint, true);
    }
  };

  const [planCredentials, applyCredentials] = await Promise.all([assume(outputs.github_plan_role_arn), assume(outputs.github_apply_role_arn)]);
  await enforceIam(endpoint, true);
  try {
    await step("pull request: npm run ci:plan succeeds with the plan role and shows the pending VPC", async () => {
      const plan = succeeded(await ciRun(job("plan", planCredentials), "ci:plan"), "npm run ci:plan");
      expect(plan.output).toMatch(/vpc: Plan: 2 to add, 0 to change, 0 to destroy\./);
      expect(plan.output).toMatch(/aws_vpc\.main will be created/);
    });

    await step("the plan role's credentials cannot write the state object", async () => {
      const asPlanRole = awsClients(config, { accessKeyId: planCredentials.AWS_ACCESS_KEY_ID, secretAccessKey: planCredentials.AWS_SECRET_ACCESS_KEY, sessionToken: planCredentials.AWS_SESSION_TOKEN });
      await expect(asPlanRole.s3.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: config.stateKey, Body: "{}" }))).rejects.toMatchObject({
        name: "AccessDenied",
      });
    });

    const vpcId = await step("merge: npm run ci:apply applies with the apply role, and ci:drift then passes", async () => {
      succeeded(await ciRun(job("apply", applyCredentials), "ci:apply"), "npm run ci:apply");
      const drift = succeeded(await ciRun(job("drift", applyCredentials), "ci:drift"), "npm run ci:drift");
      expect(drift.output).toContain("vpc: in sync");
      return vpcIdInState();
    });

    await step("a Name tag changed behind terraform's back makes ci:drift fail and name the VPC", async () => {
      await enforceIam(endpoint, false);
      await admin.clients().ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "Name", Value: "changed-by-hand" }] }));
      await enforceIam(endpoint, true);
      const drift = await ciRun(job("drift", applyCredentials), "ci:drift");
      expect(drift.code).not.toBe(0);
      expect(drift.output).toMatch(/failed: drift: vpc aws_vpc\.main \(will be updated in-place\)/);
    });

    await step("two merges applied at once: the second waits for the lock, both land, two new state versions", async () => {
      await enforceIam(endpoint, false);
      const before = (await stateVersions(admin.clients(), config.stateBucket, config.stateKey)).length;
      await enforceIam(endpoint, true);
      const finished: string[] = [];
      const applyAs = async (name: string) => {
        succeeded(await ciRun(job(`queued-${name}`, applyCredentials, { VPC_NAME: name }), "ci:apply"), `npm run ci:apply (${name})`);
        finished.push(name);
      };
      await Promise.all([applyAs("merge-one"), applyAs("merge-two")]);
      await enforceIam(endpoint, false);
      expect((await stateVersions(admin.clients(), config.stateBucket, config.stateKey)).length).toBe(before + 2);
      expect((await describeVpc(admin.clients(), vpcId)).name).toBe(finished[1]);
    });
  } finally {
    await enforceIam(endpoint, false);
  }
});
