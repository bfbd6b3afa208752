// TFSTATE_ADOPT=true: what seed 000 made by hand becomes import blocks, what it did not make is created,
// and a table keyed otherwise than LockID (S) is refused.
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { lockTableKeyProblem } from "../../config/lock-table";
import type { ExistingBackend } from "../../lib/aws/existing-backend";
import { configWith, parse, synth, testApp } from "../support/synth";

const SEED_000 = { TFSTATE_BUCKET: "seong-remote-backend", TFSTATE_LOCK_TABLE: "terraform-lock" };
const adopting = (existing: ExistingBackend) => new BootstrapStack(testApp(), "bootstrap", configWith({ ...SEED_000, TFSTATE_ADOPT: "true" }), undefined, existing);
const everything: ExistingBackend = {
  bucket: true,
  bucketSettings: ["versioning", "encryption", "publicAccessBlock", "ownership", "lifecycle", "policy"],
  table: true,
};

/** Each import block as [resource type, ID], sorted. */
function importsOf(stack: BootstrapStack): Array<[string, string]> {
  const blocks: Array<{ to: string; id: string }> = parse(synth(stack)).import ?? [];
  return blocks.map(({ to, id }): [string, string] => [to.split(".")[0], id]).sort();
}

describe("TFSTATE_ADOPT=true", () => {
  test("imports the bucket, the settings it already has and the table, each by its name", () => {
    expect(importsOf(adopting({ bucket: true, bucketSettings: ["versioning", "encryption"], table: true }))).toEqual([
      ["aws_dynamodb_table", "terraform-lock"],
      ["aws_s3_bucket", "seong-remote-backend"],
      ["aws_s3_bucket_server_side_encryption_configuration", "seong-remote-backend"],
      ["aws_s3_bucket_versioning", "seong-remote-backend"],
    ]);
  });

  test("a bucket with every setting made by hand has each imported into the resource that manages it", () => {
    const json = parse(synth(adopting(everything)));
    const targets = json.import.map(({ to }: { to: string }) => to.split("."));
    expect(targets.map(([type]: string[]) => type).sort()).toEqual([
      "aws_dynamodb_table",
      "aws_s3_bucket",
      "aws_s3_bucket_lifecycle_configuration",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_versioning",
    ]);
    for (const [type, name] of targets) expect(json.resource[type][name]).toBeDefined();
  });

  test("what was not made by hand is created as usual: no import block for it", () => {
    expect(importsOf(adopting({ bucket: true, bucketSettings: [], table: false }))).toEqual([["aws_s3_bucket", "seong-remote-backend"]]);
    expect(parse(synth(adopting({ bucket: false, bucketSettings: [], table: false }))).import).toBeUndefined();
  });

  test("on a plain-http emulator, where the stack has no bucket policy, a hand-made policy is left alone", () => {
    const onEmulator = configWith({ ...SEED_000, TFSTATE_ADOPT: "true", AWS_ENDPOINT_URL: "http://127.0.0.1:5000" });
    const stack = new BootstrapStack(testApp(), "bootstrap", onEmulator, undefined, everything);
    expect(importsOf(stack).map(([type]) => type)).not.toContain("aws_s3_bucket_policy");
  });

  test("without TFSTATE_ADOPT there are no import blocks", () => {
    expect(parse(synth(new BootstrapStack(testApp(), "bootstrap", configWith(SEED_000)))).import).toBeUndefined();
  });
});

describe("a lock table the S3 backend can use", () => {
  const table = (keys: Array<[string, "HASH" | "RANGE", "S" | "N"]>) => ({
    KeySchema: keys.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType })),
    AttributeDefinitions: keys.map(([AttributeName, , AttributeType]) => ({ AttributeName, AttributeType })),
  });
  const refusal = "but the S3 backend locks with the hash key LockID (S) alone, and a table's key cannot be changed in place";

  test("has the hash key LockID of type S, as seed 000 makes it", () => {
    expect(lockTableKeyProblem(table([["LockID", "HASH", "S"]]))).toBeUndefined();
  });

  test("seed 004's lock_id is refused, saying why", () => {
    expect(lockTableKeyProblem(table([["lock_id", "HASH", "S"]]))).toBe(`has the key lock_id (S), ${refusal}`);
  });

  test("LockID of another type, or with a range key, is refused too", () => {
    expect(lockTableKeyProblem(table([["LockID", "HASH", "N"]]))).toBe(`has the key LockID (N), ${refusal}`);
    expect(lockTableKeyProblem(table([["LockID", "HASH", "S"], ["Version", "RANGE", "N"]]))).toBe(`has the key LockID (S) + Version (N, range), ${refusal}`);
  });
});
