// Three environments against one backend: deployed together by one `cdktf deploy 'vpc-*'`, each with its
// own state object, locks (held at the same time as another's) and digest item; prod in another account through its role, its state still in the
// backend account's bucket; dev and staging in the account of the credentials.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { listObjectVersions } from "../../lib/aws/bucket-versions";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { succeeded } from "../../lib/process/cdktf";
import { lockTableItems, stateVersions } from "../../lib/aws/inspect";
import { runProcess } from "../../lib/process/run-process";
import { digestItemId, lockItemId, lockfileKey } from "../../lib/locks/state-digest";
import { Scenario, sharedEndpoint, step } from "./support/world";

const DEFAULT_ACCOUNT = "123456789012";
const PROD_ROLE = "arn:aws:iam::222222222222:role/deploy";
// prod repeats dev's CIDR: another account, so no overlap.
const ENVIRONMENTS = {
  dev: { vpcCidr: "10.61.0.0/16" },
  staging: { vpcCidr: "10.62.0.0/16" },
  prod: { vpcCidr: "10.61.0.0/16", roleArn: PROD_ROLE },
};
const STACKS = Object.keys(ENVIRONMENTS).map((env) => `vpc-${env}`);

test("cdktf deploy 'vpc-*': three environments at once, each with its own state, lock and account", async () => {
  const scenario = new Scenario("environments", sharedEndpoint(), {
    TFSTATE_ENVIRONMENTS: JSON.stringify(ENVIRONMENTS),
    TFSTATE_ENVIRONMENT_KEY: "e2e/environments/{env}/{workload}.tfstate",
    // The backend reaches the bucket through a role of the backend account, as from another account it would.
    TFSTATE_BACKEND_ROLE_ARN: `arn:aws:iam::${DEFAULT_ACCOUNT}:role/tfstate-backend`,
    VPC_FLOW_LOGS: "false",
    // Both mechanisms: the DynamoDB lock and digest items, and lock files whose versions the bucket keeps,
    // a record of when each lock was held.
    TFSTATE_LOCK: "both",
  });
  const config = scenario.config();
  const clients = scenario.clients();
  const keyOf = (env: string) => `e2e/environments/${env}/vpc.tfstate`;
  const bucket = config.stateBucket;

  /**
   * When each lock on the key was held, from the bucket's record of its lock file: terraform writes the
   * file, with the time it took the lock, and deletes it, which leaves a delete marker. Locks on one key
   * never overlap, so the n-th version and the n-th marker, oldest first, are one lock. S3 times are whole
   * seconds, so each lock counts as held only until the start of the second it was released in.
   */
  async function lockSpans(key: string): Promise<Array<{ from: number; until: number }>> {
    const trail = await listObjectVersions(clients, bucket, lockfileKey(key));
    const taken = await Promise.all(
      trail.versions.map(async ({ VersionId }) => {
        const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: lockfileKey(key), VersionId }));
        return new Date(JSON.parse(await object.Body!.transformToString()).Created).getTime();
      }),
    );
    const released = trail.deleteMarkers.map((marker) => marker.LastModified!.getTime()).sort((a, b) => a - b);
    expect(released).toHaveLength(taken.length);
    return taken.sort((a, b) => a - b).map((from, i) => ({ from, until: released[i] }));
  }

  const outputs = await step("one deploy of 'vpc-*' runs the three side by side, each under its own lock", async () => {
    const outputsFile = path.join(scenario.dir, "outputs.json");
    const deploy = await scenario.run("deploy", "vpc-*", ["--parallelism", "3", "--outputs-file", outputsFile]);
    succeeded(deploy, "cdktf deploy 'vpc-*'");
    expect(deploy.output).not.toContain("Error acquiring the state lock");
    const deployed: Record<string, Record<string, string>> = JSON.parse(fs.readFileSync(outputsFile, "utf8"));
    expect(Object.keys(deployed).sort()).toEqual([...STACKS].sort());
    // Locks of two environments held at the same moment: each was taken before the other was released.
    const spans = await Promise.all(Object.keys(ENVIRONMENTS).map((env) => lockSpans(keyOf(env))));
    const overlapping = spans.flatMap((mine, i) =>
      spans.slice(i + 1).filter((theirs) => mine.some((a) => theirs.some((b) => a.from < b.until && b.from < a.until))),
    );
    expect(overlapping.length).toBeGreaterThanOrEqual(1);
    return deployed;
  });

  await step("each environment has its own state object and its own digest item, and no lock is left", async () => {
    const items = await lockTableItems(clients, config.lockTable, `${bucket}/e2e/environments/`);
    for (const env of Object.keys(ENVIRONMENTS)) {
      expect((await stateVersions(clients, bucket, keyOf(env))).length).toBeGreaterThanOrEqual(1);
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(env) }));
      const digest = createHash("md5").update(await object.Body!.transformToByteArray()).digest("hex");
      expect(items[digestItemId(bucket, keyOf(env))]).toEqual({ Digest: digest });
      expect(items[lockItemId(bucket, keyOf(env))]).toBeUndefined();
      expect((await listObjectVersions(clients, bucket, lockfileKey(keyOf(env)))).versions.length).toBeGreaterThanOrEqual(1);
    }
  });

  await step("vpc-prod's VPC is in account 222222222222, and its state in the backend account's bucket", async () => {
    const sts = new STSClient({ region: config.region, endpoint: config.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: PROD_ROLE, RoleSessionName: "e2e-check" }));
    const prodAccount = new EC2Client({
      region: config.region,
      endpoint: config.endpoint,
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken },
    });
    const { Vpcs } = await prodAccount.send(new DescribeVpcsCommand({ VpcIds: [outputs["vpc-prod"].vpc_id] }));
    expect(Vpcs?.map((v) => [v.OwnerId, v.CidrBlock])).toEqual([["222222222222", "10.61.0.0/16"]]);
    // The state object was read above with the backend account's credentials, from its bucket.
    const state = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf("prod") }));
    expect(await state.Body!.transformToString()).toContain(outputs["vpc-prod"].vpc_id);
  });

  await step("vpc-dev and vpc-staging stay in the default account, where prod's VPC is not", async () => {
    const ids = [outputs["vpc-dev"].vpc_id, outputs["vpc-staging"].vpc_id];
    const { Vpcs } = await clients.ec2.send(new DescribeVpcsCommand({ VpcIds: ids }));
    expect(Vpcs?.map((v) => v.OwnerId)).toEqual([DEFAULT_ACCOUNT, DEFAULT_ACCOUNT]);
    await expect(clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [outputs["vpc-prod"].vpc_id] }))).rejects.toThrow(/InvalidVpcID.NotFound|does not exist/);
  });

  await step("a plan of each, all at once, finds nothing to change", async () => {
    // What cdktf diff runs in each synthesized stack, side by side; -detailed-exitcode is 0 for no changes.
    const plans = await Promise.all(
      STACKS.map((stack) =>
        runProcess("terraform", ["plan", "-detailed-exitcode", "-input=false", "-no-color"], { cwd: scenario.stackDir(stack), env: scenario.env }),
      ),
    );
    plans.forEach((plan, i) => succeeded(plan, `terraform plan in ${STACKS[i]}`));
    expect(plans.map((plan) => plan.output.includes("No changes."))).toEqual([true, true, true]);
  });
});
