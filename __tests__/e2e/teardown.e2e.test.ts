// Seed 000 Step 6: empty every version and delete marker, then destroy everything, every environment's
// workload stacks before bootstrap, but not a plain Terraform team's state in the same bucket unless told
// to. The bootstrap here has a created KMS key (TFSTATE_KMS=create), so this is also where SSE-KMS is proven
// end to end; and the team's directory is where backend.hcl is proven: it inits with it, applies, and is
// locked like the stacks.
import * as fs from "fs";
import * as path from "path";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { DescribeTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { succeeded } from "../../lib/process/cdktf";
import { emptyVersionedBucket } from "../../lib/aws/empty-bucket";
import { listObjectVersions } from "../../lib/aws/bucket-versions";
import { countVpcs, describeBucket, lockTableItems, stateVersions } from "../../lib/aws/inspect";
import { digestItemId } from "../../lib/locks/state-digest";
import { holdStateLock } from "./support/lock-holder";
import { plainHclDirectory } from "./support/plain-hcl";
import { EMULATOR_SETTINGS, Scenario, bootstrapDeployed, emulatorScenario, endpointOf, step } from "./support/world";

test("emptyVersionedBucket deletes page by page every version and every delete marker", async () => {
  // On the shared emulator: the teardown below expects its own emulator to end up empty.
  const clients = emulatorScenario("shared").clients();
  const Bucket = "e2e-empty-bucket-scratch";
  await clients.s3.send(new CreateBucketCommand({ Bucket }));
  await clients.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
  for (const Key of ["a", "b", "c"]) {
    for (const Body of ["v1", "v2"]) await clients.s3.send(new PutObjectCommand({ Bucket, Key, Body }));
    await clients.s3.send(new DeleteObjectCommand({ Bucket, Key }));
  }
  // 3 keys x (2 versions + 1 delete marker), in pages of 4.
  expect(await emptyVersionedBucket(clients, Bucket, 4)).toBe(9);
  await clients.s3.send(new DeleteBucketCommand({ Bucket }));
});

// Its own emulator: afterwards that emulator must hold no bucket and no table at all.
test("npm run teardown: refuses without --yes and while another team's state is there; with --include-foreign-state leaves nothing", async () => {
  const scenario = emulatorScenario("teardown");
  const clients = scenario.clients();
  const config = scenario.config();
  await bootstrapDeployed("teardown");
  const bootstrap = JSON.parse(fs.readFileSync(path.join(scenario.dir, "bootstrap.outputs.json"), "utf8")).bootstrap;
  const keyArn: string = bootstrap.kms_key_arn;
  // Two environments; dev's VPC is deployed, prod's stack never was.
  const devKey: string = bootstrap.state_keys["vpc-dev"];
  const stateBuckets = async () => ((await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);

  await step("the bucket, the table and the vpc state are encrypted with the created key", async () => {
    expect(keyArn).toMatch(/^arn:aws:kms:/);
    expect((await describeBucket(clients, config.stateBucket)).encryption).toEqual([{ SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn }]);
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: config.lockTable }));
    expect(Table?.SSEDescription).toMatchObject({ Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: keyArn });

    await scenario.apply("vpc-dev");
    const state = await clients.s3.send(new HeadObjectCommand({ Bucket: config.stateBucket, Key: devKey }));
    expect(state.ServerSideEncryption).toBe("aws:kms");
    expect([keyArn, config.kms.mode === "create" && config.kms.aliasName]).toContain(state.SSEKMSKeyId);
  });

  await step("without --yes and with no terminal to confirm on, it refuses and deletes nothing", async () => {
    const refused = await scenario.npmRun("teardown", ["--output", scenario.outdir]);
    expect(refused.code).toBe(3);
    expect(refused.output).toContain("refused: stdin is not a terminal, so there is no prompt: pass --yes to tear it all down; nothing was destroyed");
    expect(await stateBuckets()).toContain(config.stateBucket);
    expect(await countVpcs(clients)).toBe(1);
  });

  await step("TFSTATE_BOOTSTRAP_BACKEND=s3 cdktf deploy bootstrap --migrate-state moves every resource of its state into the bucket", async () => {
    const resourcesIn = (state: { resources: Array<{ type: string; name: string }> }) => state.resources.map((r) => `${r.type}.${r.name}`).sort();
    const local = resourcesIn(JSON.parse(fs.readFileSync(config.bootstrapStatePath, "utf8")));
    scenario.set({ TFSTATE_BOOTSTRAP_BACKEND: "s3" });
    await scenario.deploy("bootstrap", ["--migrate-state"]);
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: config.bootstrapStateKey }));
    expect(resourcesIn(JSON.parse(await object.Body!.transformToString()))).toEqual(local);
    await scenario.expectNoChanges("bootstrap");
  });

  await step("a state history worth cleaning: versions under a delete marker", async () => {
    for (const Body of ["v1", "v2"]) await clients.s3.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: "scratch.txt", Body }));
    await clients.s3.send(new DeleteObjectCommand({ Bucket: config.stateBucket, Key: "scratch.txt" }));
    for (const key of [config.bootstrapStateKey, devKey]) {
      expect((await stateVersions(clients, config.stateBucket, key)).length).toBeGreaterThanOrEqual(1);
    }
  });

  const teamKey = "teams/network/terraform.tfstate";
  await step("a plain Terraform team keeps its state in the same bucket, through backend.hcl, locked like the stacks (TFSTATE_LOCK=both)", async () => {
    const team = new Scenario("teardown-team", endpointOf("teardown"), { ...EMULATOR_SETTINGS.teardown, TFSTATE_LOCK: "both" });
    const plain = await plainHclDirectory(team, teamKey);
    expect(plain.backendHcl).toMatch(/^use_lockfile\s+= true$/m);
    expect(plain.backendHcl).toMatch(new RegExp(`^dynamodb_table\\s+= "${config.lockTable}"$`, "m"));
    succeeded(await plain.terraform(["init", "-backend-config=backend.hcl"]), "terraform init -backend-config=backend.hcl");
    succeeded(await plain.terraform(["apply", "-auto-approve"]), "terraform apply");
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: teamKey }));
    expect(JSON.parse(await object.Body!.transformToString()).resources.map((r: { type: string }) => r.type)).toEqual(["terraform_data"]);
    expect(Object.keys(await lockTableItems(clients, config.lockTable, `${config.stateBucket}/${teamKey}`))).toEqual([digestItemId(config.stateBucket, teamKey)]);

    const holder = await holdStateLock(team.env, plain.dir, "terraform_data.example");
    try {
      const second = await plain.terraform(["apply", "-auto-approve"]);
      expect(second.code).not.toBe(0);
      expect(second.output).toContain("Error acquiring the state lock");
    } finally {
      await holder.release();
    }
  });

  await step("--yes alone lists the state that is not this project's, refuses, and deletes nothing", async () => {
    const before = await listObjectVersions(clients, config.stateBucket);
    const refused = await scenario.npmRun("teardown", ["--yes", "--output", scenario.outdir]);
    expect(refused.code).toBe(3);
    expect(refused.output).toMatch(new RegExp(`^  object ${teamKey}: \\d+ versions?$`, "m"));
    expect(refused.output).toContain("  object scratch.txt: 2 versions, 1 delete marker\n");
    expect(refused.output).toContain(`  lock table item ${digestItemId(config.stateBucket, teamKey)}\n`);
    expect(refused.output).not.toMatch(new RegExp(`object ${devKey}|object ${config.bootstrapStateKey}`));
    expect(refused.output).toContain("refused: the state above is not this project's stacks'");
    expect(await listObjectVersions(clients, config.stateBucket)).toEqual(before);
    expect(await countVpcs(clients)).toBe(1);
    await scenario.expectNoChanges("vpc-dev");
  });

  await step("--yes --include-foreign-state destroys vpc-dev and vpc-prod, then says how many versions it deletes, then leaves no bucket, no table and no VPC", async () => {
    const torn = await scenario.npmRun("teardown", ["--yes", "--include-foreign-state", "--output", scenario.outdir]);
    succeeded(torn, "npm run teardown -- --yes --include-foreign-state");
    const [workloads, bootstrapDeploy] = ["cdktf destroy vpc-dev vpc-prod", "cdktf deploy bootstrap"].map((line) => torn.output.indexOf(line));
    expect(workloads).toBeGreaterThanOrEqual(0);
    expect(bootstrapDeploy).toBeGreaterThan(workloads);
    const [, versions, markers] = /^about to delete (\d+) object version\(s\) and (\d+) delete marker\(s\)/m.exec(torn.output) ?? [];
    const deleted = `deleted ${Number(versions) + Number(markers)} object version(s) and delete marker(s)`;
    expect(torn.output).toContain(deleted);
    expect(torn.output.indexOf("about to delete")).toBeLessThan(torn.output.indexOf(deleted));
    const { TableNames } = await clients.dynamodb.send(new ListTablesCommand({}));
    expect(await stateBuckets()).toEqual([]);
    expect(TableNames ?? []).toEqual([]);
    expect(await countVpcs(clients)).toBe(0);
    const kms = new KMSClient({ region: config.region, endpoint: config.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.KeyState).toBe("PendingDeletion");
  });

  await step("the bootstrap state came home before the bucket went, and now records nothing", async () => {
    expect(JSON.parse(fs.readFileSync(config.bootstrapStatePath, "utf8")).resources).toEqual([]);
  });
});
