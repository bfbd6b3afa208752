import { bucketFindings, diagnose, digestsOf, lockModeFindings, stateFindings, stateKeys, tableFindings } from "../../../lib/health/checks";
import { exitCode, formatFinding } from "../../../lib/health/findings";
import { HOUR, NOW, healthyBucket, healthyTable, heldLock, readings } from "../../support/backend-readings";
import { configWith } from "../../support/synth";

const BUCKET = "acme-state";
const config = configWith({ TFSTATE_BUCKET: BUCKET, TFSTATE_LOCK_TABLE: "acme-lock", TFSTATE_KEY: "network/terraform.tfstate" });
const options = { now: NOW, staleAfterMs: HOUR };
const KEY = "network/terraform.tfstate";
const MD5 = "0cc175b9c0f1b6a831c399e269772661";
const OTHER_MD5 = "92eb5ffee6ae2fec3ad71c777531578f";

describe("doctor on a backend as the bootstrap stack makes it", () => {
  test("every check passes, one line each, and the exit code is 0", () => {
    const findings = diagnose(config, readings(BUCKET, { [KEY]: MD5 }, { [KEY]: MD5 }), options);
    expect(findings.map((f) => [f.check, f.status])).toEqual([
      ["bucket.exists", "ok"],
      ["bucket.versioning", "ok"],
      ["bucket.encryption", "ok"],
      ["bucket.public-access-block", "ok"],
      ["bucket.ownership", "ok"],
      ["bucket.tls-only", "ok"],
      ["bucket.lifecycle", "ok"],
      ["table.key", "ok"],
      ["table.point-in-time-recovery", "ok"],
      ["table.deletion-protection", "ok"],
      ["lock.dynamodb-deprecated", "warn"],
      ["state.digest", "ok"],
      ["state.lock", "ok"],
    ]);
    expect(exitCode(findings)).toBe(0);
  });
});

describe("the lock mode: Terraform 1.11 deprecated dynamodb_table", () => {
  const lines = (mode: string) => lockModeFindings(configWith({ TFSTATE_LOCK: mode })).map(formatFinding);

  test("dynamodb and both: one ! line naming the deprecation and the next commands, which leaves doctor healthy", () => {
    expect(lines("dynamodb")).toEqual([
      "! lock: DynamoDB locking is deprecated since Terraform 1.11 (dynamodb_table); move to the lock file: npm run switch-lock -- both, then -- s3, then npm run retire-table",
    ]);
    expect(lines("both")).toEqual([
      "! lock: DynamoDB locking is deprecated since Terraform 1.11 (dynamodb_table); move to the lock file: npm run switch-lock -- s3, then npm run retire-table",
    ]);
    expect(exitCode(lockModeFindings(configWith({ TFSTATE_LOCK: "dynamodb" })))).toBe(0);
  });

  test("s3: nothing to say", () => {
    expect(lines("s3")).toEqual([]);
  });

  test("s3 with the table retired: no table is healthy; in the other modes a missing table still fails", () => {
    const s3 = configWith({ TFSTATE_LOCK: "s3", TFSTATE_LOCK_TABLE: "acme-lock" });
    expect(tableFindings(s3, undefined)).toEqual([{ status: "ok", check: "table.exists", subject: "table acme-lock", message: "none, and the s3 lock mode needs none" }]);
    expect(tableFindings(configWith({ TFSTATE_LOCK: "both" }), undefined).map((f) => f.status)).toEqual(["fail"]);
  });

  test("s3 with the table kept: its settings are still checked", () => {
    const s3 = configWith({ TFSTATE_LOCK: "s3" });
    expect(tableFindings(s3, { ...healthyTable(), deletionProtection: false }).filter((f) => f.status === "fail").map((f) => f.check)).toEqual(["table.deletion-protection"]);
  });
});

describe("the bucket: each setting that drifted fails, and a bootstrap deploy puts it back", () => {
  const broken = (change: (bucket: ReturnType<typeof healthyBucket>) => void) => {
    const bucket = healthyBucket();
    change(bucket);
    return bucketFindings(config, bucket).filter((f) => f.status !== "ok");
  };

  test.each([
    ["versioning Suspended", (b: any) => (b.versioning = "Suspended"), "bucket.versioning", "versioning is Suspended, not Enabled: replaced state versions are lost"],
    ["versioning never enabled", (b: any) => (b.versioning = undefined), "bucket.versioning", "versioning is off (never enabled), not Enabled: replaced state versions are lost"],
    ["SSE-KMS where AES256 is configured", (b: any) => (b.encryption = [{ SSEAlgorithm: "aws:kms" }]), "bucket.encryption", "encryption is aws:kms with the AWS-managed key, configured AES256"],
    ["no encryption configuration", (b: any) => (b.encryption = undefined), "bucket.encryption", "encryption is not set, configured AES256"],
    ["a public access block flag off", (b: any) => (b.publicAccessBlock.IgnorePublicAcls = false), "bucket.public-access-block", "public access block flags off: IgnorePublicAcls"],
    ["no public access block", (b: any) => (b.publicAccessBlock = undefined), "bucket.public-access-block", "public access block flags off: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets"],
    ["ACLs enabled again", (b: any) => (b.objectOwnership = ["BucketOwnerPreferred"]), "bucket.ownership", "object ownership is BucketOwnerPreferred, not BucketOwnerEnforced"],
    ["the TLS-only statement gone", (b: any) => (b.policyStatements = []), "bucket.tls-only", "no bucket policy statement denies requests without TLS (aws:SecureTransport false)"],
    ["noncurrent versions kept 30 days instead of 90", (b: any) => (b.lifecycleRules[0].NoncurrentVersionExpiration.NoncurrentDays = 30), "bucket.lifecycle", "noncurrent versions expire after 30 days, configured 90"],
    ["the lifecycle rule disabled", (b: any) => (b.lifecycleRules[0].Status = "Disabled"), "bucket.lifecycle", "no enabled lifecycle rule expires noncurrent versions"],
  ])("%s", (_, change, check, message) => {
    expect(broken(change)).toEqual([{ status: "fail", check, subject: "bucket s3://acme-state", message, fix: "npx cdktf deploy bootstrap" }]);
  });

  test("TFSTATE_KMS with your key: SSE-KMS with that key and a bucket key passes; another key fails", () => {
    const arn = "arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab-44cd-a6ef-1234567890ab";
    const kmsConfig = configWith({ TFSTATE_BUCKET: BUCKET, TFSTATE_KMS: arn });
    const bucket = { ...healthyBucket(), encryption: [{ SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: arn }], bucketKeyEnabled: [true] };
    expect(bucketFindings(kmsConfig, bucket).find((f) => f.check === "bucket.encryption")?.status).toBe("ok");
    const other = { ...bucket, encryption: [{ SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: arn.replace("1234abcd", "99999999") }] };
    expect(bucketFindings(kmsConfig, other).find((f) => f.check === "bucket.encryption")).toMatchObject({ status: "fail", message: expect.stringContaining(`configured aws:kms with ${arn}`) });
  });

  test("TFSTATE_KMS=create: the key its alias names is the one expected; without the alias, the check fails", () => {
    const created = configWith({ TFSTATE_BUCKET: BUCKET, TFSTATE_KMS: "create" });
    const arn = "arn:aws:kms:ap-northeast-2:123456789012:key/5a0e4e9a-0d0e-4b5e-9a3c-1f0c2b7d9e11";
    const bucket = { ...healthyBucket(), encryption: [{ SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: arn }], bucketKeyEnabled: [true] };
    expect(bucketFindings(created, bucket, arn).find((f) => f.check === "bucket.encryption")?.status).toBe("ok");
    expect(bucketFindings(created, bucket, undefined).find((f) => f.check === "bucket.encryption")).toMatchObject({
      status: "fail",
      message: `encryption is aws:kms with ${arn} and a bucket key, configured aws:kms with the key of alias/tfstate-backend/acme-state and a bucket key`,
    });
  });

  test("on a plain-http endpoint the TLS-only statement is only mentioned (!), since the stack leaves it out there", () => {
    const local = configWith({ TFSTATE_BUCKET: BUCKET, AWS_ENDPOINT_URL: "http://127.0.0.1:4566" });
    const tls = bucketFindings(local, { ...healthyBucket(), policyStatements: [] }).find((f) => f.check === "bucket.tls-only");
    expect(tls).toMatchObject({ status: "warn", message: expect.stringContaining("http://127.0.0.1:4566 is plain http") });
    const https = configWith({ TFSTATE_BUCKET: BUCKET, AWS_ENDPOINT_URL: "https://s3.internal.example" });
    expect(bucketFindings(https, { ...healthyBucket(), policyStatements: [] }).find((f) => f.check === "bucket.tls-only")?.status).toBe("fail");
  });
});

describe("the lock table", () => {
  const failures = (table: Parameters<typeof tableFindings>[1], settings = {}) =>
    tableFindings(configWith({ TFSTATE_LOCK_TABLE: "acme-lock", ...settings }), table).filter((f) => f.status !== "ok");

  test("missing: one failure, fixed by a bootstrap deploy", () => {
    expect(failures(undefined)).toEqual([{ status: "fail", check: "table.exists", subject: "table acme-lock", message: "does not exist", fix: "npx cdktf deploy bootstrap" }]);
  });

  test("seed 004's lock_id key cannot work, and cannot be changed in place: the fix replaces the table", () => {
    const table = { ...healthyTable(), keySchema: [{ AttributeName: "lock_id", KeyType: "HASH" as const }], attributes: [{ AttributeName: "lock_id", AttributeType: "S" as const }] };
    expect(failures(table)).toEqual([
      {
        status: "fail",
        check: "table.key",
        subject: "table acme-lock",
        message: "has the key lock_id (S), but the S3 backend locks with the hash key LockID (S) alone, and a table's key cannot be changed in place",
        fix: "aws dynamodb delete-table --table-name acme-lock && npx cdktf deploy bootstrap",
      },
    ]);
  });

  test("point-in-time recovery and deletion protection off fail; protection off is only noted under TFSTATE_ALLOW_DESTROY=true", () => {
    const table = { ...healthyTable(), pointInTimeRecovery: "DISABLED" as const, deletionProtection: false };
    expect(failures(table).map((f) => [f.check, f.message, f.fix])).toEqual([
      ["table.point-in-time-recovery", "point-in-time recovery is DISABLED", "npx cdktf deploy bootstrap"],
      ["table.deletion-protection", "deletion protection is off", "npx cdktf deploy bootstrap"],
    ]);
    expect(failures(table, { TFSTATE_ALLOW_DESTROY: "true" }).map((f) => [f.check, f.status])).toEqual([
      ["table.point-in-time-recovery", "fail"],
      ["table.deletion-protection", "warn"],
    ]);
  });
});

describe("every state object in the bucket", () => {
  test("is found by its .tfstate ending, by the configured keys, and by its digest item or lock; other objects are not state", () => {
    const objects = ["network/terraform.tfstate", "env:/dev/app.tfstate", "bootstrap/terraform.tfstate", "notes/README.md", "plans/plan.json", "network/terraform.tfstate.tflock"];
    const custom = configWith({ TFSTATE_BUCKET: BUCKET, TFSTATE_KEY: "teams/data/state" });
    const locks = [heldLock("dynamodb", BUCKET, "teams/ops/current", "1b2c", 1000)];
    expect(stateKeys(custom, [...objects, "teams/data/state"], { "legacy/state.json": MD5 }, locks)).toEqual([
      "bootstrap/terraform.tfstate",
      "env:/dev/app.tfstate",
      "legacy/state.json",
      "network/terraform.tfstate",
      "teams/data/state",
      "teams/ops/current",
    ]);
  });

  test("digest items are this bucket's <key>-md5 items; lock items and other buckets' digests are not", () => {
    const items = {
      [`${BUCKET}/${KEY}-md5`]: { Digest: MD5 },
      [`${BUCKET}/${KEY}`]: { Info: "{}" },
      [`other-bucket/${KEY}-md5`]: { Digest: OTHER_MD5 },
    };
    expect(digestsOf(BUCKET, items)).toEqual({ [KEY]: MD5 });
  });

  const stateLines = (r: ReturnType<typeof readings>, at = options) => stateFindings(config, r, at).map((f) => ({ status: f.status, message: f.message, fix: f.fix }));

  test("the stale-digest trap: a digest item the object no longer matches fails, fixed by npm run fix-digest", () => {
    expect(stateLines(readings(BUCKET, { [KEY]: OTHER_MD5 }, { [KEY]: MD5 }))).toEqual([
      {
        status: "fail",
        message: `digest item ${MD5} does not match the object's MD5 ${OTHER_MD5}: terraform with DynamoDB locking refuses this state ("checksum ... does not match the checksum stored in DynamoDB")`,
        fix: "npm run fix-digest -- network/terraform.tfstate",
      },
      { status: "ok", message: "not locked", fix: undefined },
    ]);
  });

  test("a digest item left behind by a deleted state object fails too (terraform refuses it as well)", () => {
    const [digest] = stateLines(readings(BUCKET, {}, { [KEY]: MD5 }));
    expect(digest).toMatchObject({ status: "fail", message: expect.stringContaining(`digest item ${MD5} names a state object that does not exist`), fix: "npm run fix-digest -- network/terraform.tfstate" });
  });

  test("a lock held now is shown with its ID, Who, Operation, Created and age, and is no failure", () => {
    const lock = heldLock("dynamodb", BUCKET, KEY, "6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3", 5 * 60_000, "alice@laptop");
    const findings = stateFindings(config, readings(BUCKET, { [KEY]: MD5 }, { [KEY]: MD5 }, [lock]), options);
    expect(findings[1]).toMatchObject({
      status: "warn",
      check: "state.lock",
      subject: "s3://acme-state/network/terraform.tfstate",
      message:
        "held: dynamodb lock 6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3 by alice@laptop, OperationTypeApply, created 2026-11-30T11:55:00.000123456Z (5 min old): a run is going on, or its holder died",
      lock: { mechanism: "dynamodb", id: "6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3", who: "alice@laptop", operation: "OperationTypeApply", ageSeconds: 300, stale: false },
    });
    expect(findings[1].fix).toBeUndefined();
    expect(exitCode(findings)).toBe(0);
  });

  test("a lock older than --stale-after fails, fixed by npm run unlock with its ID", () => {
    const lock = heldLock("dynamodb", BUCKET, KEY, "6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3", 2 * HOUR);
    const [, stale] = stateLines(readings(BUCKET, { [KEY]: MD5 }, {}, [lock]));
    expect(stale).toEqual({
      status: "fail",
      message: "stale dynamodb lock 6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3 by ci@runner-7, OperationTypeApply, created 2026-11-30T10:00:00.000123456Z (2 h old): older than 1 h",
      fix: "npm run unlock -- 6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3",
    });
    // The same lock, with the limit above its age, is only held.
    expect(stateLines(readings(BUCKET, { [KEY]: MD5 }, {}, [lock]), { now: NOW, staleAfterMs: 3 * HOUR })[1].status).toBe("warn");
  });

  test("a stale lock on a state whose digest is stale: both are fixed by one unlock with --fix-digest", () => {
    const lock = heldLock("dynamodb", BUCKET, KEY, "6040a5e2", 2 * HOUR);
    expect(stateLines(readings(BUCKET, { [KEY]: OTHER_MD5 }, { [KEY]: MD5 }, [lock])).map((f) => [f.status, f.fix])).toEqual([
      ["fail", "npm run unlock -- 6040a5e2 --fix-digest"],
      ["fail", "npm run unlock -- 6040a5e2 --fix-digest"],
    ]);
  });

  test("while a live run holds the lock a digest that differs is only noted: the run may be writing the state", () => {
    const lock = heldLock("dynamodb", BUCKET, KEY, "6040a5e2", 2_000);
    const [digest] = stateLines(readings(BUCKET, { [KEY]: OTHER_MD5 }, { [KEY]: MD5 }, [lock]));
    expect(digest).toMatchObject({ status: "warn", message: expect.stringContaining("a run holds the lock and may be writing it") });
  });

  test("a lock in a mechanism the lock mode does not use is named as such", () => {
    const lock = heldLock("s3", BUCKET, KEY, "6040a5e2", 10_000);
    const [, held] = stateLines(readings(BUCKET, { [KEY]: MD5 }, {}, [lock]));
    expect(held).toMatchObject({
      status: "warn",
      message: expect.stringMatching(/; TFSTATE_LOCK=dynamodb does not use s3 locks, so runs configured like this one do not wait for it$/),
    });
    const s3Mode = configWith({ TFSTATE_BUCKET: BUCKET, TFSTATE_KEY: KEY, TFSTATE_LOCK: "s3" });
    expect(stateFindings(s3Mode, readings(BUCKET, { [KEY]: MD5 }, {}, [lock]), options)[1].message).not.toContain("does not use");
  });

  test("the table's locks on other buckets' state are reported under their own s3:// path", () => {
    const lock = heldLock("dynamodb", "other-bucket", "app/terraform.tfstate", "77aa", 3 * HOUR);
    const findings = stateFindings(config, readings(BUCKET, {}, {}, [lock]), options);
    expect(findings).toEqual([expect.objectContaining({ status: "fail", subject: "s3://other-bucket/app/terraform.tfstate", fix: "npm run unlock -- 77aa" })]);
  });
});
