// Least privilege, on the one emulator where moto enforces IAM, whose bootstrap has environments dev and prod,
// each with its own state-access policy and its own GitHub CI roles (lockfile locking, so that moto checks
// every state and lock request against the policies' object ARNs). IAM enforcement holds for every caller of
// the emulator, so it is on for this whole file, and the administrator's reads go through a user of its own.
//
// The state-access policy: without any one of its statements a user gets AccessDenied on dev's fresh state
// key; with dev's managed policy (and EC2 for the VPC itself) it deploys vpc-dev and is denied prod's state
// and lock. Then what the GitHub Actions workflow runs, with the roles that npm run ci:matrix names: dev's plan
// role plans dev and cannot write its state, each environment's apply role applies it, flow logs and their
// IAM role included, and cannot touch the other's state; drift is caught by name, and queued applies both
// land. GitHub cannot run here; its OIDC token is stood in for by moto, which accepts any token and does not
// evaluate trust policies (the unit tests check those), nor most resources and conditions.
import * as fs from "fs";
import * as path from "path";
import { CreateTagsCommand } from "@aws-sdk/client-ec2";
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, GetRoleCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsClients } from "../../lib/aws/clients";
import { succeeded } from "../../lib/process/cdktf";
import { CiMatrix, MatrixEntry } from "../../lib/commands/ci-matrix";
import { describeVpc, stateVersions } from "../../lib/aws/inspect";
import { runProcess } from "../../lib/process/run-process";
import { expectExit } from "./support/recovery";
import { EMULATOR_SETTINGS, Scenario, bootstrapDeployed, emulatorScenario, enforceIam, step } from "./support/world";

// A stand-in for the token GitHub mints for a job: moto does not check it.
const GITHUB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvaW5mcmEifQ.c2lnbmF0dXJl";
// The account moto puts everything in, where bootstrap made the roles: the workflow's AWS_ACCOUNT_ID.
const MOTO_ACCOUNT = "123456789012";
// The workload's own permissions, apart from state: the sample VPC without flow logs needs EC2 and nothing else.
const EC2_ONLY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:*"], Resource: "*" }] };
const EVERYTHING = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["*"], Resource: "*" }] };

type Credentials = { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_SESSION_TOKEN?: string };
type State = { resources: Array<{ type: string; instances: Array<{ attributes: { id: string; name?: string } }> }> };

test("state-access policies and CI roles, per environment, with IAM enforced", async () => {
  await bootstrapDeployed("iam");
  const owner = emulatorScenario("iam");
  const config = owner.config();
  const endpoint = config.endpoint!;
  const bootstrap = JSON.parse(fs.readFileSync(path.join(owner.dir, "bootstrap.outputs.json"), "utf8")).bootstrap;
  const [devKey, prodKey]: string[] = [bootstrap.state_keys["vpc-dev"], bootstrap.state_keys["vpc-prod"]];
  const devPolicy = bootstrap.state_access_policies.dev;
  const devDocument = JSON.parse(devPolicy.json);

  const iam = new IAMClient({ region: config.region, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  async function user(name: string, inline: Record<string, object>, managed: string[] = []): Promise<Credentials> {
    await iam.send(new CreateUserCommand({ UserName: name }));
    for (const PolicyArn of managed) await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn }));
    for (const [PolicyName, document] of Object.entries(inline)) {
      await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName, PolicyDocument: JSON.stringify(document) }));
    }
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey! };
  }
  const sdkAs = (credentials: Credentials) =>
    awsClients(config, { accessKeyId: credentials.AWS_ACCESS_KEY_ID, secretAccessKey: credentials.AWS_SECRET_ACCESS_KEY, sessionToken: credentials.AWS_SESSION_TOKEN });
  // Each deployer and each CI job starts from a checkout of its own, as a fresh runner does.
  const checkout = (name: string, credentials: Credentials, settings: NodeJS.ProcessEnv = {}) =>
    new Scenario(`iam-${name}`, endpoint, { ...EMULATOR_SETTINGS.iam, VPC_NAME: config.vpcName, ...credentials, ...settings });

  const sids: string[] = devDocument.Statement.map((s: { Sid: string }) => s.Sid);
  expect(sids).toEqual(["ListStateKey", "ReadWriteState", "S3Lockfile"]);
  // ListStateKey is left out here: on AWS, without s3:ListBucket a read of a missing state object is answered
  // 403 instead of 404, which breaks a first init; moto answers 404 either way.
  const provable = sids.filter((sid) => sid !== "ListStateKey");
  const users = await step("users: an administrator; dev's deployer with dev's managed policy; one without each provable statement of it", async () => {
    const admin = await user("administrator", { everything: EVERYTHING });
    const devDeployer = await user("dev-deployer", { workload: EC2_ONLY }, [devPolicy.arn]);
    const withoutOne: Array<[string, Credentials]> = [];
    for (const sid of provable) {
      const statements = devDocument.Statement.filter((s: { Sid: string }) => s.Sid !== sid);
      withoutOne.push([sid, await user(`without-${sid}`, { "state-access": { ...devDocument, Statement: statements }, workload: EC2_ONLY })]);
    }
    return { admin: sdkAs(admin), adminCredentials: admin, devDeployer, withoutOne };
  });
  const admin = users.admin;
  const stateBody = async (key: string): Promise<State> =>
    JSON.parse(await (await admin.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: key }))).Body!.transformToString());
  const resourceTypes = async (key: string) => (await stateBody(key)).resources.map((r) => r.type);
  const adminIam = new IAMClient({
    region: config.region,
    endpoint,
    credentials: { accessKeyId: users.adminCredentials.AWS_ACCESS_KEY_ID, secretAccessKey: users.adminCredentials.AWS_SECRET_ACCESS_KEY },
  });
  /** The flow-log role an apply role created, read back from IAM: under its environment's path, with its environment's boundary. */
  const expectBoundedFlowLogRole = async (key: string, environment: string) => {
    const { name } = (await stateBody(key)).resources.find((r) => r.type === "aws_iam_role")!.instances[0].attributes;
    const { Role } = await adminIam.send(new GetRoleCommand({ RoleName: name }));
    expect(Role!.Path).toBe(`/tfstate/${config.stateBucket}/${environment}/`);
    expect(Role!.PermissionsBoundary?.PermissionsBoundaryArn).toBe(`arn:aws:iam::${MOTO_ACCOUNT}:policy/tfstate-${config.stateBucket}-${environment}-workload-boundary`);
  };

  const ci = await step("the targets job: npm run ci:matrix names the roles bootstrap made, one pair per environment", async () => {
    const printed = succeeded(await owner.npmRun("ci:matrix", ["--account", MOTO_ACCOUNT]), "npm run ci:matrix");
    const matrix: CiMatrix = JSON.parse(printed.output);
    const byName = Object.fromEntries(matrix.include.map((entry) => [entry.name, entry])) as Record<string, MatrixEntry>;
    expect(Object.keys(byName)).toEqual(["dev", "prod"]);
    expect(bootstrap.github_ci_roles).toEqual(
      Object.fromEntries(Object.entries(byName).map(([name, entry]) => [name, { plan: entry.planRoleArn, apply: entry.applyRoleArn }])),
    );
    return byName;
  });

  const sts = new STSClient({ region: config.region, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  /** The credentials aws-actions/configure-aws-credentials would export for that role. */
  async function assume(roleArn: string): Promise<Credentials> {
    const { Credentials } = await sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: "github-actions", WebIdentityToken: GITHUB_TOKEN }));
    return { AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey!, AWS_SESSION_TOKEN: Credentials!.SessionToken! };
  }
  const [devPlan, devApply, prodApply] = await Promise.all([ci.dev.planRoleArn, ci.dev.applyRoleArn, ci.prod.applyRoleArn].map(assume));
  // CI deploys the VPC with its flow logs, whose IAM role each environment's apply role creates.
  const job = (name: string, credentials: Credentials, settings: NodeJS.ProcessEnv = {}) => checkout(`ci-${name}`, credentials, { VPC_FLOW_LOGS: "true", ...settings });
  const ciRun = (scenario: Scenario, command: string, env: string) => scenario.npmRun(command, ["--env", env, "--output", scenario.outdir]);
  const dev = checkout("dev-deployer", users.devDeployer, { VPC_FLOW_LOGS: "false" });

  await enforceIam(endpoint, true);
  try {
    const devChain = async () => {
      await step("on dev's fresh state key, a user without any one provable statement of dev's policy gets AccessDenied and writes nothing", async () => {
        const denied = await Promise.all(users.withoutOne.map(([sid, credentials]) => checkout(`without-${sid}`, credentials, { VPC_FLOW_LOGS: "false" }).tryApply("vpc-dev")));
        denied.forEach((result, i) => {
          const sid = users.withoutOne[i][0];
          expect({ sid, failed: result.code !== 0 }).toEqual({ sid, failed: true });
          expect(result.output).toMatch(/AccessDenied|StatusCode: 403/);
        });
        expect(await stateVersions(admin, config.stateBucket, devKey)).toEqual([]);
      });

      await step("the user with dev's managed policy, and EC2, deploys vpc-dev: it reads, locks and writes dev's state", async () => {
        succeeded(await dev.tryApply("vpc-dev"), "terraform apply of vpc-dev with only dev's state-access policy");
        expect((await stateVersions(admin, config.stateBucket, devKey)).length).toBeGreaterThanOrEqual(1);
      });

      await step("pull request: npm run ci:plan -- --env dev with dev's plan role reads dev's VPC and shows the flow logs pending, and dev alone", async () => {
        const plan = succeeded(await ciRun(job("plan", devPlan), "ci:plan", "dev"), "npm run ci:plan -- --env dev");
        expect(plan.output).toMatch(/vpc-dev: Plan: 4 to add, 0 to change, 0 to destroy\./);
        expect(plan.output).toMatch(/aws_flow_log\.\S+ will be created/);
        expect(plan.output).toMatch(/aws_iam_role\.\S+ will be created/);
        expect(plan.output).not.toContain("vpc-prod");
      });

      await step("dev's plan role cannot write dev's state object; dev's apply role can neither read nor write prod's", async () => {
        await expect(sdkAs(devPlan).s3.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: devKey, Body: "{}" }))).rejects.toMatchObject({ name: "AccessDenied" });
        const asDevApply = sdkAs(devApply).s3;
        await expect(asDevApply.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: prodKey }))).rejects.toMatchObject({ name: "AccessDenied" });
        await expect(asDevApply.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: prodKey, Body: "{}" }))).rejects.toMatchObject({ name: "AccessDenied" });
      });

      const vpcId = await step("merge: npm run ci:apply -- --env dev with dev's apply role adds the flow logs and their IAM role, under dev's path with dev's boundary; ci:drift then passes", async () => {
        succeeded(await ciRun(job("apply", devApply), "ci:apply", "dev"), "npm run ci:apply -- --env dev");
        expect(await resourceTypes(devKey)).toEqual(expect.arrayContaining(["aws_vpc", "aws_flow_log", "aws_iam_role", "aws_iam_role_policy", "aws_cloudwatch_log_group"]));
        await expectBoundedFlowLogRole(devKey, "dev");
        const drift = succeeded(await ciRun(job("drift", devApply), "ci:drift", "dev"), "npm run ci:drift -- --env dev");
        expect(drift.output).toContain("vpc-dev: in sync");
        return (await stateBody(devKey)).resources.find((r) => r.type === "aws_vpc")!.instances[0].attributes.id;
      });

      await step("a Name tag changed behind terraform's back makes ci:drift fail and name the VPC", async () => {
        await admin.ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "Name", Value: "changed-by-hand" }] }));
        const drift = await ciRun(job("drift", devApply), "ci:drift", "dev");
        expect(drift.code).not.toBe(0);
        expect(drift.output).toMatch(/error: drift: vpc-dev aws_vpc\.main \(will be updated in-place\)/);
      });

      await step("two merges applied at once: the second waits for dev's lock, both land, two new versions of dev's state", async () => {
        const before = (await stateVersions(admin, config.stateBucket, devKey)).length;
        const finished: string[] = [];
        const applyAs = async (name: string) => {
          // terraform also saves state every 20 s of a long apply; with a longer interval, each apply adds one version.
          const queued = job(`queued-${name}`, devApply, { VPC_NAME: name, TF_STATE_PERSIST_INTERVAL: "3600" });
          succeeded(await ciRun(queued, "ci:apply", "dev"), `npm run ci:apply -- --env dev (${name})`);
          finished.push(name);
        };
        await Promise.all([applyAs("merge-one"), applyAs("merge-two")]);
        expect((await stateVersions(admin, config.stateBucket, devKey)).length).toBe(before + 2);
        // An environment's VPC is named VPC_NAME-<env>.
        expect((await describeVpc(admin, vpcId)).name).toBe(`${finished[1]}-dev`);
      });
    };

    const prodChain = () =>
      step("npm run ci:apply -- --env prod with prod's apply role deploys prod, its flow logs and their IAM role, under prod's path with prod's boundary", async () => {
        succeeded(await ciRun(job("apply-prod", prodApply), "ci:apply", "prod"), "npm run ci:apply -- --env prod");
        expect(await resourceTypes(prodKey)).toEqual(expect.arrayContaining(["aws_vpc", "aws_flow_log", "aws_iam_role", "aws_iam_role_policy", "aws_cloudwatch_log_group"]));
        await expectBoundedFlowLogRole(prodKey, "prod");
      });

    await Promise.all([devChain(), prodChain()]);

    await step("dev's deployer can neither read prod's state nor take its lock, and neither can terraform", async () => {
      const asDev = sdkAs(users.devDeployer);
      await expect(asDev.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: prodKey }))).rejects.toThrow(/Access Denied|AccessDenied/);
      await expect(asDev.s3.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: `${prodKey}.tflock`, Body: "{}" }))).rejects.toThrow(/Access Denied|AccessDenied/);
      // terraform init in vpc-prod's synthesized directory is refused prod's state object.
      const init = await runProcess("terraform", ["init", "-input=false", "-no-color"], { cwd: dev.stackDir("vpc-prod"), env: dev.env });
      expect(init.code).not.toBe(0);
      expect(init.output).toMatch(new RegExp(`Unable to access object "${prodKey}".*StatusCode: 403`));
    });
  } finally {
    await enforceIam(endpoint, false);
  }

  await step("npm run doctor finds the backend of both environments healthy", async () => {
    expectExit(await owner.npmRun("doctor"), 0);
  });
});
