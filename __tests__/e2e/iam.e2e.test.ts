// The least-privilege state policy is enough to deploy the vpc stack, and no statement in it is spare.
import * as fs from "fs";
import * as path from "path";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { succeeded } from "../../lib/process/cdktf";
import { stateVersions } from "../../lib/aws/inspect";
import { EMULATOR_SETTINGS, Scenario, bootstrapDeployed, emulatorScenario, enforceIam } from "./support/world";

// The workload's own permissions, apart from state: the sample VPC needs EC2 and nothing else here.
const WORKLOAD_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["ec2:*"], Resource: "*" }],
});

test("without the state or the lock-file statement of the policy a user gets AccessDenied; with the whole policy it deploys vpc", async () => {
  await bootstrapDeployed("iam");
  const scenario = emulatorScenario("iam");
  const config = scenario.config();
  const admin = scenario.clients();
  const endpoint = config.endpoint!;
  const policy = JSON.parse(
    JSON.parse(fs.readFileSync(path.join(scenario.dir, "bootstrap.outputs.json"), "utf8")).bootstrap.state_access_policy_json,
  );
  const sids: string[] = policy.Statement.map((s: { Sid: string }) => s.Sid);
  expect(sids).toEqual(["ListStateKey", "ReadWriteState", "S3Lockfile"]);

  const iam = new IAMClient({ region: config.region, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  async function userWith(name: string, statements: object[]) {
    await iam.send(new CreateUserCommand({ UserName: name }));
    const document = JSON.stringify({ ...policy, Statement: statements });
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: "state-access", PolicyDocument: document }));
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: "workload", PolicyDocument: WORKLOAD_POLICY }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey! };
  }
  const stateUser = await userWith("state-user", policy.Statement);
  // ListStateKey is left out here: on AWS, without s3:ListBucket a read of a missing state object is
  // answered 403 instead of 404, which breaks a first init; moto answers 404 either way.
  const provable = sids.filter((sid) => sid !== "ListStateKey");
  const withoutOne = await Promise.all(
    provable.map(async (sid) => [sid, await userWith(`without-${sid}`, policy.Statement.filter((s: { Sid: string }) => s.Sid !== sid))] as const),
  );

  // Each user deploys from a checkout of its own, as a fresh CI runner would: init starts from nothing.
  const asUser = (user: string, credentials: NodeJS.ProcessEnv) =>
    new Scenario(`iam-${user}`, endpoint, { ...EMULATOR_SETTINGS.iam, TFSTATE_KEY: config.stateKey, ...credentials });

  await enforceIam(endpoint, true);
  try {
    // First use of a fresh state key, the case every statement is needed for: without any one, AccessDenied.
    for (const [sid, credentials] of withoutOne) {
      const denied = await asUser(`without-${sid}`, credentials).tryApply("vpc");
      expect({ sid, failed: denied.code !== 0 }).toEqual({ sid, failed: true });
      expect(denied.output).toMatch(/AccessDenied|StatusCode: 403/);
    }
    await enforceIam(endpoint, false);
    expect(await stateVersions(admin, config.stateBucket, config.stateKey)).toEqual([]);
    await enforceIam(endpoint, true);

    const deployed = await asUser("state-user", stateUser).tryApply("vpc");
    succeeded(deployed, "terraform apply of vpc with only the state access policy");
  } finally {
    await enforceIam(endpoint, false);
  }
  expect((await stateVersions(admin, config.stateBucket, config.stateKey)).length).toBeGreaterThanOrEqual(1);
});
