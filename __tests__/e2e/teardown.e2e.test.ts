// Seed 000 Step 6: empty every version and delete marker, then destroy everything. The bootstrap here
// has a created KMS key (TFSTATE_KMS=create), so this is also where SSE-KMS is proven end to end.
import * as fs from "fs";
import * as path from "path";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { DescribeTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { emptyVersionedBucket } from "../../lib/empty-bucket";
import { countVpcs, describeBucket, stateVersions } from "../../lib/inspect";
import { bootstrapDeployed, emulatorScenario } from "./support/world";

describe("npm run teardown", () => {
  // Its own emulator: afterwards that emulator must hold no bucket and no table at all.
  const scenario = emulatorScenario("teardown");
  const clients = scenario.clients();
  const config = scenario.config();

  beforeAll(() => bootstrapDeployed("teardown"));

  test("empties a bucket page by page: every version and every delete marker", async () => {
    const Bucket = "e2e-teardown-scratch";
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

  test("refuses to run without --yes when there is no terminal to confirm on", async () => {
    const refused = await scenario.npmRun("teardown", ["--output", scenario.outdir]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("teardown refused: pass --yes");
    const { Buckets } = await clients.s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toEqual([config.stateBucket]);
  });

  test("TFSTATE_KMS=create: the bucket, the table and the vpc state are encrypted with the created key", async () => {
    const keyArn = JSON.parse(fs.readFileSync(path.join(scenario.dir, "bootstrap.outputs.json"), "utf8")).bootstrap.kms_key_arn;
    expect(keyArn).toMatch(/^arn:aws:kms:/);
    expect((await describeBucket(clients, config.stateBucket)).encryption).toEqual([{ SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn }]);
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: config.lockTable }));
    expect(Table?.SSEDescription).toMatchObject({ Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: keyArn });

    await scenario.deploy("vpc");
    const state = await clients.s3.send(new HeadObjectCommand({ Bucket: config.stateBucket, Key: config.stateKey }));
    expect(state.ServerSideEncryption).toBe("aws:kms");
    expect([keyArn, config.kms.mode === "create" && config.kms.aliasName]).toContain(state.SSEKMSKeyId);
  });

  test("with --yes: destroys the VPC, brings the bootstrap state home, empties the bucket and destroys bootstrap", async () => {
    // A state history worth cleaning: the bootstrap state in the bucket, the vpc state, and an
    // object with two versions under a delete marker.
    scenario.set({ TFSTATE_BOOTSTRAP_BACKEND: "s3" });
    await scenario.deploy("bootstrap", ["--migrate-state"]);
    for (const Body of ["v1", "v2"]) await clients.s3.send(new PutObjectCommand({ Bucket: config.stateBucket, Key: "scratch.txt", Body }));
    await clients.s3.send(new DeleteObjectCommand({ Bucket: config.stateBucket, Key: "scratch.txt" }));
    for (const key of [config.bootstrapStateKey, config.stateKey]) {
      expect((await stateVersions(clients, config.stateBucket, key)).length).toBeGreaterThanOrEqual(1);
    }
    expect(await countVpcs(clients)).toBe(1);

    const result = await scenario.npmRun("teardown", ["--yes", "--output", scenario.outdir]);
    expect({ code: result.code, tail: result.code === 0 ? "" : result.output.slice(-3000) }).toEqual({ code: 0, tail: "" });

    const [{ Buckets }, { TableNames }] = await Promise.all([
      clients.s3.send(new ListBucketsCommand({})),
      clients.dynamodb.send(new ListTablesCommand({})),
    ]);
    expect(Buckets ?? []).toEqual([]);
    expect(TableNames ?? []).toEqual([]);
    expect(await countVpcs(clients)).toBe(0);
    const kms = new KMSClient({ region: config.region, endpoint: config.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const keyArn = JSON.parse(fs.readFileSync(path.join(scenario.dir, "bootstrap.outputs.json"), "utf8")).bootstrap.kms_key_arn;
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.KeyState).toBe("PendingDeletion");
    // The bootstrap state came home before the bucket went, and now records nothing.
    const bootstrapState = JSON.parse(fs.readFileSync(config.bootstrapStatePath, "utf8"));
    expect(bootstrapState.resources).toEqual([]);
  });
});
