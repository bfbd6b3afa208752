// doctor with TFSTATE_REPLICA_REGION and TFSTATE_ACCESS_LOGS: the replication rule, the replica bucket, each
// state object's replication status, the state bucket's logging and the log bucket, each drift on its own.
import { ReplicationConfiguration } from "@aws-sdk/client-s3";
import { diagnose } from "../../../lib/health/checks";
import {
  accessLoggingFinding,
  logBucketFindings,
  objectReplicationFinding,
  replicaBucketFindings,
  replicationFindings,
} from "../../../lib/health/copy-checks";
import { exitCode, formatFinding, passedLines } from "../../../lib/health/findings";
import { HOUR, NOW, healthyBucket, healthyLogBucket, healthyReplication, readings } from "../../support/backend-readings";
import { configWith } from "../../support/synth";

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
        `a new version replicates: any terraform apply of this state writes one, or ${recopy}; ` +
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
        `a new version replicates: any terraform apply of this state writes one, or ${recopy}; S3 Batch Replication replicates the versions written before`,
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
