// Seed 000 Step 1, 3 and 5 (and seed 004's backend build): what `cdktf deploy bootstrap` made, read back with the SDK.
// Moving the bootstrap state into the bucket and back is teardown.e2e's: its teardown brings it home.
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/config";
import { describeBucket, describeLockTable } from "../../lib/aws/inspect";
import { bootstrapDeployed, emulatorScenario } from "./support/world";

describe("after cdktf deploy bootstrap", () => {
  const shared = emulatorScenario("shared");
  const config = shared.config();
  const clients = shared.clients();

  beforeAll(() => bootstrapDeployed("shared"));

  test("the bucket is versioned, encrypted, private, ACL-free, with a lifecycle rule", async () => {
    const bucket = await describeBucket(clients, config.stateBucket);
    expect(bucket.versioning).toBe("Enabled");
    expect(bucket.encryption).toEqual([expect.objectContaining({ SSEAlgorithm: "AES256" })]);
    expect(bucket.publicAccessBlock).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.objectOwnership).toEqual(["BucketOwnerEnforced"]);
    expect(bucket.lifecycleRules).toEqual([
      expect.objectContaining({
        Status: "Enabled",
        NoncurrentVersionExpiration: expect.objectContaining({ NoncurrentDays: config.noncurrentVersionDays }),
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      }),
    ]);
  });

  test("the TLS-only policy is left out on a plain-http emulator", async () => {
    const bucket = await describeBucket(clients, config.stateBucket);
    expect(bucket.policyStatements).toEqual([]);
  });

  test("the lock table has LockID of type S, pay per request, point-in-time recovery and protection on", async () => {
    expect(await describeLockTable(clients, config.lockTable)).toEqual({
      keySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
      attributes: [{ AttributeName: "LockID", AttributeType: "S" }],
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: "ENABLED",
      encryption: "ENABLED",
      deletionProtection: true,
    });
  });

  test("the bootstrap state is a local file at the documented path, not in cdktf.out", () => {
    const stateFile = config.bootstrapStatePath;
    expect(path.relative(shared.dir, stateFile)).toBe("terraform.bootstrap.tfstate");
    expect(path.relative(PROJECT_ROOT, stateFile).startsWith("cdktf.out")).toBe(false);
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    expect(state.resources.map((r: { type: string }) => r.type)).toEqual(
      expect.arrayContaining(["aws_s3_bucket", "aws_dynamodb_table", "aws_s3_bucket_versioning"]),
    );
    expect(fs.existsSync(path.join(shared.stackDir("bootstrap"), "terraform.tfstate"))).toBe(false);
  });

  // A plan, as cdktf diff runs it: vpc.e2e's second look is the one through cdktf's CLI.
  test("a second look finds nothing to change", async () => {
    await shared.expectNoChanges("bootstrap");
  });
});
