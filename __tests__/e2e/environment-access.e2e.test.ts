// On an emulator whose bootstrap has environments dev and prod (lockfile locking, so that moto checks every
// state and lock request against the policy's object ARNs): dev's policy is enough to deploy dev and useless
// for prod; then teardown destroys both workload stacks before the backend.
import * as fs from "fs";
import * as path from "path";
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { awsClients } from "../../lib/aws/clients";
import { succeeded } from "../../lib/process/cdktf";
import { countVpcs, stateVersions } from "../../lib/aws/inspect";
import { runProcess } from "../../lib/process/run-process";
import { expectExit } from "./support/recovery";
import { Scenario, bootstrapDeployed, bucketAndTableExist, emulatorScenario, enforceIam, step } from "./support/world";

test("dev's policy reads and locks dev's state and is denied prod's; teardown destroys every environment, then bootstrap", async () => {
  const admin = emulatorScenario("access");
  const config = admin.config();
  const endpoint = config.endpoint!;
  const adminClients = admin.clients();

  await step("prod is deployed by an admin, so that it has state to protect", async () => {
    // It needs only the bucket and the table, not the end of bootstrap's deploy: the two overlap. From a
    // checkout of its own, since bootstrap's is still in use.
    const bootstrapDone = bootstrapDeployed("access");
    await bucketAndTableExist(admin, bootstrapDone);
    await new Scenario("access-admin", endpoint, admin.env).apply("vpc-prod");
    await bootstrapDone;
  });
  const bootstrap = JSON.parse(fs.readFileSync(path.join(admin.dir, "bootstrap.outputs.json"), "utf8")).bootstrap;
  const keys: Record<string, string> = bootstrap.state_keys;
  expect(await stateVersions(adminClients, config.stateBucket, keys["vpc-prod"])).not.toEqual([]);

  // A user with the managed policy of dev attached, and EC2 for the VPC itself.
  const devUser = await step("a user holds dev's state-access policy and nothing else of the state", async () => {
    const iam = new IAMClient({ region: config.region, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    await iam.send(new CreateUserCommand({ UserName: "dev-deployer" }));
    await iam.send(new AttachUserPolicyCommand({ UserName: "dev-deployer", PolicyArn: bootstrap.state_access_policies.dev.arn }));
    const workload = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:*"], Resource: "*" }] };
    await iam.send(new PutUserPolicyCommand({ UserName: "dev-deployer", PolicyName: "workload", PolicyDocument: JSON.stringify(workload) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "dev-deployer" }));
    return { AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey! };
  });
  // From a checkout of its own, as a CI runner of dev would.
  const dev = new Scenario("access-dev-deployer", endpoint, { ...admin.env, ...devUser });
  const devClients = awsClients(config, { accessKeyId: devUser.AWS_ACCESS_KEY_ID, secretAccessKey: devUser.AWS_SECRET_ACCESS_KEY });

  await enforceIam(endpoint, true);
  try {
    await step("with IAM enforced, the dev user deploys vpc-dev: it reads, locks and writes dev's state", async () => {
      await dev.apply("vpc-dev");
    });

    await step("the same user can neither read prod's state nor take its lock", async () => {
      const prodKey = keys["vpc-prod"];
      await expect(devClients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: prodKey }))).rejects.toThrow(/Access Denied|AccessDenied/);
      await expect(devClients.s3.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: `${prodKey}.tflock`, Body: "{}" }))).rejects.toThrow(
        /Access Denied|AccessDenied/,
      );
      // Nor can terraform: init in vpc-prod's synthesized directory is refused prod's state object.
      const init = await runProcess("terraform", ["init", "-input=false", "-no-color"], { cwd: dev.stackDir("vpc-prod"), env: dev.env });
      expect(init.code).not.toBe(0);
      expect(init.output).toMatch(/Unable to access object "env\/prod\/vpc\/terraform.tfstate".*StatusCode: 403/);
    });
  } finally {
    await enforceIam(endpoint, false);
  }
  expect((await stateVersions(adminClients, config.stateBucket, keys["vpc-dev"])).length).toBeGreaterThanOrEqual(1);

  // On this emulator of its own: in the shared bucket other files hold locks on purpose.
  await step("npm run doctor finds the backend of both environments healthy", async () => {
    expectExit(await admin.npmRun("doctor"), 0);
  });

  await step("npm run teardown -- --yes destroys vpc-dev and vpc-prod, then bootstrap", async () => {
    const teardown = succeeded(await admin.npmRun("teardown", ["--yes", "--output", admin.outdir]), "npm run teardown -- --yes");
    const [workloads, bootstrapDeploy] = ["cdktf destroy vpc-dev vpc-prod", "cdktf deploy bootstrap"].map((line) => teardown.output.indexOf(line));
    expect(workloads).toBeGreaterThanOrEqual(0);
    expect(bootstrapDeploy).toBeGreaterThan(workloads);
    expect(await countVpcs(adminClients)).toBe(0);
    expect(((await adminClients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name)).toEqual([]);
    expect((await adminClients.dynamodb.send(new ListTablesCommand({}))).TableNames ?? []).toEqual([]);
  });
});
