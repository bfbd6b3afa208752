import { ReplicationConfiguration } from "@aws-sdk/client-s3";
import {
  accessLoggingFinding,
  bucketFindings,
  diagnose,
  digestsOf,
  lockModeFindings,
  logBucketFindings,
  objectReplicationFinding,
  replicaBucketFindings,
  replicationFindings,
  stateFindings,
  stateKeys,
  tableFindings,
} from "../../../lib/health/checks";
import { exitCode, formatFinding, passedLines } from "../../../lib/health/findings";
import { HOUR, NOW, healthyBucket, healthyLogBucket, healthyReplication, healthyTable, heldLock, readings } from "../../support/backend-readings";
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

// doctor with TFSTATE_REPLICA_REGION and TFSTATE_ACCESS_LOGS: the replication rule, the replica bucket, each
// state object's replication status, the state bucket's logging and the log bucket, each drift on its own.
describe("with TFSTATE_REPLICA_REGION and TFSTATE_ACCESS_LOGS", () => {
  const BUCKET = "acme-state";
  const REPLICA = "acme-state-replica-eu-west-1";
  const LOGS = "acme-state-access-logs";
  const KEY = "network/terraform.tfstate";
  const MD5 = "0cc175b9c0f1b6a831c399e269772661";
  const settings = { TFSTATE_BUCKET: BUCKET, TFSTATE_LOCK_TABLE: "acme-lock", TFSTATE_KEY: KEY, TFSTATE_LOCK: "s3", AWS_REGION: "us-east-1" };
  const config = configWith({ ...settings, TFSTATE_REPLICA_REGION: "eu-west-1", TFSTATE_ACCESS_LOGS: "true" });
  const options = { now: NOW, staleAfterMs: HOUR };
  const SUBJECT = `replication s3://${BUCKET} → s3://${REPLICA}`;
  const completed = { key: KEY, versionId: "v3", status: "COMPLETED", lastModified: new Date(NOW.getTime() - 2 * HOUR) };

  const backend = () => ({
    ...readings(BUCKET, { [KEY]: MD5 }, {}),
    replication: { configuration: healthyReplication(BUCKET, REPLICA), bucket: healthyBucket(), objects: [completed] },
    accessLogs: { logging: { TargetBucket: LOGS, TargetPrefix: `${BUCKET}/` }, bucket: healthyLogBucket(BUCKET, LOGS) },
  });

  /** The replication configuration with its one rule changed. */
  const withRule = (change: (rule: any) => void, keyArn?: string): ReplicationConfiguration => {
    const configuration = healthyReplication(BUCKET, REPLICA, keyArn);
    change(configuration.Rules![0]);
    return configuration;
  };
  const problems = (findings: ReturnType<typeof replicationFindings>) => findings.filter((f) => f.status !== "ok");

  describe("doctor with a replica and access logs, as the bootstrap stack makes them", () => {
    const findings = diagnose(config, backend(), options);

    test("the replication, the replica bucket, the state bucket's logging, the log bucket and each state object's copy all pass", () => {
      expect(findings.map((f) => `${f.status} ${f.check}`)).toEqual([
        ...["exists", "versioning", "encryption", "public-access-block", "ownership", "tls-only", "lifecycle", "access-logging"].map((c) => `ok bucket.${c}`),
        ...["role", "rule", "delete-markers", "destination"].map((c) => `ok replication.${c}`),
        ...["exists", "versioning", "encryption", "public-access-block", "ownership", "tls-only", "lifecycle"].map((c) => `ok replica.${c}`),
        ...["exists", "versioning", "encryption", "public-access-block", "ownership", "tls-only", "log-delivery", "expiration"].map((c) => `ok log-bucket.${c}`),
        "ok table.key",
        "ok table.point-in-time-recovery",
        "ok table.deletion-protection",
        "ok state.digest",
        "ok state.lock",
        "ok state.replication",
      ]);
      expect(exitCode(findings)).toBe(0);
    });

    test("the report: a line per bucket and one for the replication, each naming its checks", () => {
      expect(passedLines(findings)).toEqual([
        `✓ bucket s3://${BUCKET}: 8 checks passed (exists, versioning, encryption, public-access-block, ownership, tls-only, lifecycle, access-logging)`,
        `✓ ${SUBJECT}: 4 checks passed (role, rule, delete-markers, destination)`,
        `✓ replica bucket s3://${REPLICA} in eu-west-1: 7 checks passed (exists, versioning, encryption, public-access-block, ownership, tls-only, lifecycle)`,
        `✓ log bucket s3://${LOGS}: 8 checks passed (exists, versioning, encryption, public-access-block, ownership, tls-only, log-delivery, expiration)`,
        "✓ table acme-lock: 3 checks passed (key, point-in-time-recovery, deletion-protection)",
        "✓ 1 state object: 3 checks passed (state.digest ×1, state.lock ×1, state.replication ×1)",
      ]);
    });

    test("without the options, none of these checks is made, whatever was read", () => {
      const plain = diagnose(configWith(settings), backend(), options).map((f) => f.check);
      expect(plain.filter((check) => /^(replication|replica|log-bucket)\.|access-logging|state\.replication/.test(check))).toEqual([]);
    });
  });

  describe("the replication configuration: each drift fails, and a bootstrap deploy puts it back", () => {
    test("none at all: one failure", () => {
      expect(replicationFindings(config, undefined).map(formatFinding)).toEqual([
        `✗ ${SUBJECT}: the state bucket has no replication configuration: nothing is copied into the replica  fix: npx cdktf deploy bootstrap`,
      ]);
    });

    test.each([
      ["the rule disabled", (r: any) => (r.Status = "Disabled"), "replication.rule", "its 1 rule(s) are all Disabled: nothing is replicated"],
      ["only a prefix", (r: any) => (r.Filter = { Prefix: "network/" }), "replication.rule", 'rule replicate-every-object replicates only objects with prefix "network/", configured every object (an empty filter)'],
      ["only a tag", (r: any) => (r.Filter = { Tag: { Key: "copy", Value: "yes" } }), "replication.rule", "rule replicate-every-object replicates only objects with tag copy=yes, configured every object (an empty filter)"],
      ["delete markers not replicated", (r: any) => (r.DeleteMarkerReplication = { Status: "Disabled" }), "replication.delete-markers", "DeleteMarkerReplication is Disabled, configured Enabled: a state deleted here stays current in the replica"],
      ["into another bucket", (r: any) => (r.Destination.Bucket = "arn:aws:s3:::elsewhere"), "replication.destination", `into arn:aws:s3:::elsewhere, configured arn:aws:s3:::${REPLICA}`],
    ])("%s", (_, change, check, message) => {
      expect(problems(replicationFindings(config, withRule(change)))).toEqual([{ status: "fail", check, subject: SUBJECT, message, fix: "npx cdktf deploy bootstrap" }]);
    });

    test("another role", () => {
      const configuration = { ...healthyReplication(BUCKET, REPLICA), Role: "arn:aws:iam::123456789012:role/admin" };
      expect(problems(replicationFindings(config, configuration)).map((f) => f.message)).toEqual([
        "replicates as role arn:aws:iam::123456789012:role/admin, configured the role tfstate-acme-state-replication",
      ]);
    });

    test("a second rule: one failure that names both, and nothing else judged", () => {
      const configuration = healthyReplication(BUCKET, REPLICA);
      configuration.Rules!.push({ ...configuration.Rules![0], ID: "second", Priority: 1 });
      expect(problems(replicationFindings(config, configuration)).map((f) => `${f.check}: ${f.message}`)).toEqual([
        "replication.rule: 2 Enabled rules (replicate-every-object, second), configured one for every object",
      ]);
    });

    test("as moto 5.2.5 answers it (an empty prefix and DeleteMarkerReplication Disabled, whatever was put): only the delete markers fail", () => {
      const moto = withRule((r) => {
        delete r.Filter;
        r.Filter = { Prefix: "" };
        r.DeleteMarkerReplication = { Status: "Disabled" };
      });
      expect(problems(replicationFindings(config, moto)).map((f) => f.check)).toEqual(["replication.delete-markers"]);
    });

    describe("with TFSTATE_KMS=create: SSE-KMS objects replicated, with the replica region's own key", () => {
      const kms = configWith({ ...settings, TFSTATE_REPLICA_REGION: "eu-west-1", TFSTATE_KMS: "create" });
      const replicaKey = "arn:aws:kms:eu-west-1:123456789012:key/5a0e4e9a-0d0e-4b5e-9a3c-1f0c2b7d9e11";

      test("as configured: passes", () => {
        const findings = replicationFindings(kms, healthyReplication(BUCKET, REPLICA, replicaKey), replicaKey);
        expect(findings.find((f) => f.check === "replication.kms")).toEqual({
          status: "ok",
          check: "replication.kms",
          subject: SUBJECT,
          message: `SSE-KMS objects are replicated, encrypted with ${replicaKey}`,
        });
        expect(problems(findings)).toEqual([]);
      });

      test("SSE-KMS objects not selected, or another key: fails, saying what", () => {
        const unselected = withRule((r) => delete r.SourceSelectionCriteria, replicaKey);
        expect(problems(replicationFindings(kms, unselected, replicaKey)).map((f) => f.message)).toEqual([
          "SseKmsEncryptedObjects is not set, configured Enabled: S3 replicates no object encrypted with a KMS key, so no state",
        ]);
        const otherKey = withRule((r) => (r.Destination.EncryptionConfiguration.ReplicaKmsKeyID = "arn:aws:kms:eu-west-1:123456789012:key/other"), replicaKey);
        expect(problems(replicationFindings(kms, otherKey, replicaKey)).map((f) => f.message)).toEqual([
          `replicas are encrypted with arn:aws:kms:eu-west-1:123456789012:key/other, configured ${replicaKey}`,
        ]);
      });
    });
  });

  describe("the replica bucket, read in its region: the state bucket's checks", () => {
    test("missing: one failure", () => {
      expect(replicaBucketFindings(config, undefined).map(formatFinding)).toEqual([
        `✗ replica bucket s3://${REPLICA} in eu-west-1: does not exist: there is no copy of the state  fix: npx cdktf deploy bootstrap`,
      ]);
    });

    test("each drift fails under the replica's name", () => {
      const bucket = { ...healthyBucket(), versioning: "Suspended" as const, objectOwnership: ["ObjectWriter" as const] };
      expect(replicaBucketFindings(config, bucket).filter((f) => f.status !== "ok").map((f) => `${f.check}: ${f.message}`)).toEqual([
        "replica.versioning: versioning is Suspended, not Enabled: replaced state versions are lost",
        "replica.ownership: object ownership is ObjectWriter, not BucketOwnerEnforced",
      ]);
    });

    test("with a multi-Region key: the key's replica in the replica region is expected", () => {
      const mrk = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
      const kms = configWith({ ...settings, TFSTATE_REPLICA_REGION: "eu-west-1", TFSTATE_KMS: mrk });
      const inReplicaRegion = mrk.replace("us-east-1", "eu-west-1");
      const encrypted = (KMSMasterKeyID: string) => ({ ...healthyBucket(), encryption: [{ SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID }], bucketKeyEnabled: [true] });
      expect(replicaBucketFindings(kms, encrypted(inReplicaRegion)).find((f) => f.check === "replica.encryption")?.status).toBe("ok");
      expect(replicaBucketFindings(kms, encrypted(mrk)).find((f) => f.check === "replica.encryption")?.message).toBe(
        `encryption is aws:kms with ${mrk} and a bucket key, configured aws:kms with ${inReplicaRegion} and a bucket key`,
      );
    });
  });

  describe("each state object's latest version: its replication status", () => {
    const finding = (status: string | undefined, ageMs = 5 * 60_000) =>
      objectReplicationFinding(config, { key: KEY, versionId: "3HL4kqtJlcpXroDTDmJ", status, lastModified: new Date(NOW.getTime() - ageMs) }, options);
    const recopy = `aws s3api copy-object --bucket ${BUCKET} --key ${KEY} --copy-source ${BUCKET}/${KEY} --metadata-directive REPLACE --content-type application/json`;

    test("COMPLETED, and PENDING within --stale-after: fine", () => {
      expect(finding("COMPLETED")).toMatchObject({ status: "ok", message: "latest version 3HL4kqtJlcpXroDTDmJ is replicated (COMPLETED)" });
      expect(finding("PENDING")).toMatchObject({ status: "ok", message: "latest version 3HL4kqtJlcpXroDTDmJ is being replicated (PENDING, written 5 min ago)" });
    });

    test("PENDING for longer than --stale-after: to look at, saying where", () => {
      expect(formatFinding(finding("PENDING", 3 * HOUR))).toBe(
        `! s3://${BUCKET}/${KEY}: latest version 3HL4kqtJlcpXroDTDmJ is still PENDING, written 3 h ago, longer than 1 h: S3 replicates most objects within 15 minutes; ` +
          "look at the replication role's permissions, the replica bucket and, with KMS, the keys (S3 marks it FAILED when it gives up)",
      );
    });

    test("FAILED: a failure naming the key and the version, with how to replicate it", () => {
      expect(finding("FAILED")).toEqual({
        status: "fail",
        check: "state.replication",
        subject: `s3://${BUCKET}/${KEY}`,
        message:
          `latest version 3HL4kqtJlcpXroDTDmJ FAILED to replicate: s3://${REPLICA} has no copy of it, and S3 does not try again; ` +
          "a new version replicates: the next terraform apply that changes this state writes one, and so does the fix (a copy of the object onto itself); " +
          "S3 Batch Replication (a job filtered on ReplicationStatus FAILED) replicates this version itself",
        fix: recopy,
      });
      expect(exitCode([finding("FAILED")])).toBe(1);
    });

    test("no status (written before the rule): to look at, with what to do", () => {
      expect(finding(undefined)).toMatchObject({
        status: "warn",
        message:
          `latest version 3HL4kqtJlcpXroDTDmJ has no replication status: it was written before replication was set up, so s3://${REPLICA} has no copy of it; ` +
          `a new version replicates: the next terraform apply that changes this state writes one, or ${recopy}; S3 Batch Replication replicates the versions written before`,
      });
    });

    test("a key that needs it is URL-encoded as the copy source, and quoted for the shell", () => {
      const odd = objectReplicationFinding(config, { key: "env:/dev/my state.tfstate", versionId: "v1", status: "FAILED" }, options);
      expect(odd.fix).toBe(
        `aws s3api copy-object --bucket ${BUCKET} --key 'env:/dev/my state.tfstate' --copy-source ${BUCKET}/env%3A/dev/my%20state.tfstate --metadata-directive REPLACE --content-type application/json`,
      );
    });

    test("through diagnose: one finding per state object read, none for an object not read", () => {
      const b = backend();
      const findings = diagnose(config, { ...b, replication: { ...b.replication, objects: [{ ...completed, status: "FAILED" }] } }, options);
      expect(findings.filter((f) => f.status !== "ok").map((f) => `${f.check} ${f.subject}`)).toEqual([`state.replication s3://${BUCKET}/${KEY}`]);
      expect(diagnose(config, { ...b, replication: { ...b.replication, objects: [] } }, options).filter((f) => f.check === "state.replication")).toEqual([]);
    });
  });

  describe("the access logs", () => {
    const logSubject = `log bucket s3://${LOGS}`;

    test("the state bucket's logging: off, or elsewhere, fails", () => {
      expect(formatFinding(accessLoggingFinding(config, undefined))).toBe(
        `✗ bucket s3://${BUCKET}: server access logging is off, configured into s3://${LOGS} under ${BUCKET}/: no record of who read or wrote state  fix: npx cdktf deploy bootstrap`,
      );
      expect(accessLoggingFinding(config, { TargetBucket: LOGS, TargetPrefix: "" }).message).toBe(
        `server access logs go to s3://${LOGS} under no prefix, configured s3://${LOGS} under ${BUCKET}/`,
      );
    });

    test("the log bucket missing: one failure", () => {
      expect(logBucketFindings(config, undefined).map(formatFinding)).toEqual([`✗ ${logSubject}: does not exist: S3 delivers no access log  fix: npx cdktf deploy bootstrap`]);
    });

    const broken = (change: (bucket: any) => void) => {
      const bucket = healthyLogBucket(BUCKET, LOGS);
      change(bucket);
      return logBucketFindings(config, bucket).filter((f) => f.status !== "ok");
    };

    test.each([
      ["versioning suspended", (b: any) => (b.versioning = "Suspended"), "log-bucket.versioning", "versioning is Suspended, not Enabled: a log deleted or overwritten is lost"],
      [
        "SSE-KMS, which log delivery cannot write with",
        (b: any) => (b.encryption = [{ SSEAlgorithm: "aws:kms", KMSMasterKeyID: "arn:aws:kms:us-east-1:123456789012:key/k" }]),
        "log-bucket.encryption",
        "encryption is aws:kms with arn:aws:kms:us-east-1:123456789012:key/k: S3 delivers no server access log to a bucket whose default encryption is SSE-KMS; configured AES256",
      ],
      ["a public access block flag off", (b: any) => (b.publicAccessBlock.BlockPublicPolicy = false), "log-bucket.public-access-block", "public access block flags off: BlockPublicPolicy"],
      ["ACLs enabled", (b: any) => (b.objectOwnership = ["BucketOwnerPreferred"]), "log-bucket.ownership", "object ownership is BucketOwnerPreferred, not BucketOwnerEnforced"],
      [
        "the log delivery statement without aws:SourceAccount",
        (b: any) => delete b.policyStatements[1].Condition.StringEquals,
        "log-bucket.log-delivery",
        `no bucket policy statement lets logging.s3.amazonaws.com write (s3:PutObject) under ${BUCKET}/ with aws:SourceArn arn:aws:s3:::${BUCKET} and aws:SourceAccount: S3 delivers no access log`,
      ],
      ["the log delivery statement for another bucket", (b: any) => (b.policyStatements[1].Condition.ArnLike["aws:SourceArn"] = "arn:aws:s3:::other"), "log-bucket.log-delivery", expect.stringContaining("no bucket policy statement")],
      ["the log delivery statement for another prefix", (b: any) => (b.policyStatements[1].Resource = `arn:aws:s3:::${LOGS}/other/*`), "log-bucket.log-delivery", expect.stringContaining("no bucket policy statement")],
      ["no expiration", (b: any) => delete b.lifecycleRules[0].Expiration, "log-bucket.expiration", "no enabled lifecycle rule expires the logs: they are kept for ever"],
      ["expiration after 30 days", (b: any) => (b.lifecycleRules[0].Expiration.Days = 30), "log-bucket.expiration", "logs expire after 30 days, configured 365"],
    ])("%s", (_, change, check, message) => {
      expect(broken(change)).toEqual([{ status: "fail", check, subject: logSubject, message, fix: "npx cdktf deploy bootstrap" }]);
    });
  });
});
