// Seed 000 made the bucket and the lock table by hand; TFSTATE_ADOPT=true makes them the bootstrap stack's
// without re-creating them, and keeps every state version in the bucket. On the shared emulator, with seed
// 000's names, which no bootstrap has used: the bucket and the table must be the hand-made ones.
import * as fs from "fs";
import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  BucketLocationConstraint,
  CreateBucketCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { succeeded } from "../../lib/process/cdktf";
import { describeBucket, describeLockTable, stateVersions } from "../../lib/aws/inspect";
import { Scenario, sharedEndpoint, step } from "./support/world";

// Seed 000's names and its VPC's state key.
const SEED_000 = { TFSTATE_BUCKET: "seong-remote-backend", TFSTATE_LOCK_TABLE: "terraform-lock", TFSTATE_KEY: "terraform/state/terraform.tfstate" };
// Seed 004's table, keyed lock_id.
const SEED_004_TABLE = "terraform_state_lock";

const vpcState = (serial: number) =>
  `${JSON.stringify({ version: 4, terraform_version: "1.11.4", serial, lineage: "9b0e7a52-seed-000", outputs: {}, resources: [], check_results: null }, null, 2)}\n`;

test("TFSTATE_ADOPT=true imports seed 000's hand-made bucket and table, hardens them in place, and keeps every state version", async () => {
  const scenario = new Scenario("adopt", sharedEndpoint(), { ...SEED_000, VPC_FLOW_LOGS: "false" });
  const config = scenario.config();
  const clients = scenario.clients();
  const { s3, dynamodb } = clients;
  const Bucket = config.stateBucket;

  const handMade = await step("by hand, as seed 000 does: the bucket, versioning on, the VPC state written twice, and the LockID table", async () => {
    await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: config.region as BucketLocationConstraint } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    // The default encryption S3 gives every bucket made since 2023; moto gives none unless asked.
    await s3.send(
      new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] } }),
    );
    for (const serial of [1, 2]) await s3.send(new PutObjectCommand({ Bucket, Key: config.stateKey, Body: vpcState(serial) }));
    // Encrypted when made: moto's UpdateTable ignores SSESpecification, so the deploy could not turn it on.
    await dynamodb.send(
      new CreateTableCommand({
        TableName: config.lockTable,
        KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
        SSESpecification: { Enabled: true },
      }),
    );
    return (await stateVersions(clients, Bucket, config.stateKey)).map((v) => v.VersionId);
  });

  await step("seed 004's table, keyed lock_id, is refused with one line, before anything changes", async () => {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: SEED_004_TABLE,
        KeySchema: [{ AttributeName: "lock_id", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "lock_id", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    scenario.set({ TFSTATE_ADOPT: "true", TFSTATE_LOCK_TABLE: SEED_004_TABLE });
    const refused = await scenario.run("deploy", "bootstrap");
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(
      new RegExp(
        `^\\s*error: TFSTATE_ADOPT=true: lock table "${SEED_004_TABLE}" has the key lock_id \\(S\\), but the S3 backend locks with the hash key LockID \\(S\\) alone, ` +
          "and a table's key cannot be changed in place; set TFSTATE_LOCK_TABLE to a new table name and the deploy creates that table$",
        "m",
      ),
    );
    expect(refused.output).not.toContain("Terraform will perform the following actions");
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket }))).rejects.toThrow();
    expect((await dynamodb.send(new DescribeTableCommand({ TableName: SEED_004_TABLE }))).Table?.KeySchema).toEqual([{ AttributeName: "lock_id", KeyType: "HASH" }]);
    expect(fs.existsSync(config.bootstrapStatePath)).toBe(false);
  });

  await step("TFSTATE_ADOPT=true cdktf deploy bootstrap imports the bucket, its versioning and encryption, and the table", async () => {
    scenario.set({ TFSTATE_LOCK_TABLE: SEED_000.TFSTATE_LOCK_TABLE });
    const deployed = succeeded(await scenario.run("deploy", "bootstrap"), "TFSTATE_ADOPT=true cdktf deploy bootstrap");
    expect(deployed.output).toMatch(/Apply complete! Resources: 4 imported, \d+ added, \d+ changed, 0 destroyed\./);
  });

  await step("the same deploy hardened them in place: versioning, encryption, the public access block, ownership, expiry; the table's protections", async () => {
    expect(await describeBucket(clients, Bucket)).toMatchObject({
      versioning: "Enabled",
      encryption: [{ SSEAlgorithm: "AES256" }],
      publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      objectOwnership: ["BucketOwnerEnforced"],
      lifecycleRules: [expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: config.noncurrentVersionDays } })],
    });
    expect(await describeLockTable(clients, config.lockTable)).toMatchObject({
      keySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
      pointInTimeRecovery: "ENABLED",
      deletionProtection: true,
    });
  });

  await step("both versions of the VPC state are still there, unchanged, and npm run versions lists them", async () => {
    const versions = await stateVersions(clients, Bucket, config.stateKey);
    expect(versions.map((v) => v.VersionId)).toEqual(handMade);
    const bodies = await Promise.all(
      versions.map(async ({ VersionId }) => (await s3.send(new GetObjectCommand({ Bucket, Key: config.stateKey, VersionId }))).Body!.transformToString()),
    );
    expect(bodies).toEqual([vpcState(2), vpcState(1)]);
    const listed = succeeded(await scenario.npmRun("versions", ["vpc"]), "npm run versions -- vpc");
    for (const [i, id] of handMade.entries()) expect(listed.output).toMatch(new RegExp(`^${id}\\s.*\\s${2 - i}\\s+9b0e7a52-seed-000\\s+0\\b`, "m"));
  });

  await step("without TFSTATE_ADOPT, a plan finds nothing to change", async () => {
    scenario.set({ TFSTATE_ADOPT: undefined });
    await scenario.expectNoChanges("bootstrap");
  });
});
