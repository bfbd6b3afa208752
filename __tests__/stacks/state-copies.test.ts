// TFSTATE_REPLICA_REGION and TFSTATE_ACCESS_LOGS in the bootstrap stack: the replica bucket hardened as the state
// bucket is, the replication of every object and delete marker, and the log bucket that only S3's logging
// service may write to. Off, the stack is as it always was (its snapshot in bootstrap-stack.test.ts).
import { bootstrapStack, expectValidTerraform, parse, synth } from "../support/synth";

const REPLICA_REGION = "eu-west-1";
const BUCKET = "acme-infra-state";
const REPLICA = `${BUCKET}-replica-${REPLICA_REGION}`;
const LOGS = `${BUCKET}-access-logs`;

/**
 * A resource's construct path in the stack, from its terraform name (`replication_bucket_versioning_A149009B`),
 * as cdktf writes it: a last part that repeats the one before (state-bucket/bucket, state-key/key) is left out.
 */
const pathOf = (name: string) => name.replace(/_[0-9A-F]{8}$/, "").replace(/_/g, "/");

/** The stack's resources of one type, by their construct path in the stack. */
function byPath(json: any, type: string): Record<string, any> {
  return Object.fromEntries(Object.entries<any>(json.resource[type] ?? {}).map(([name, body]) => [pathOf(name), body]));
}

const addressOf = (json: any, type: string, path: string) => `${type}.${Object.keys(json.resource[type]).find((name) => pathOf(name) === path)}`;
const ref = (json: any, type: string, path: string, attribute: string) => `\${${addressOf(json, type, path)}.${attribute}}`;

describe("options off: no replica, no log bucket, one provider", () => {
  test("the stack has only the state bucket and one aws provider", () => {
    const json = parse(synth(bootstrapStack({ TFSTATE_BUCKET: BUCKET })));
    expect(Object.keys(byPath(json, "aws_s3_bucket"))).toEqual(["state-bucket"]);
    expect(json.resource.aws_s3_bucket_replication_configuration).toBeUndefined();
    expect(json.resource.aws_s3_bucket_logging).toBeUndefined();
    expect(json.provider.aws).toHaveLength(1);
  });
});

describe("TFSTATE_REPLICA_REGION, with SSE-S3", () => {
  let json: any;
  beforeAll(() => {
    json = parse(synth(bootstrapStack({ TFSTATE_BUCKET: BUCKET, TFSTATE_REPLICA_REGION: REPLICA_REGION })));
  });

  test("a second aws provider, aliased replica, in the replica's region with the stack's default tags", () => {
    const [main, replica] = json.provider.aws;
    expect(replica).toEqual({ ...main, alias: "replica", region: REPLICA_REGION });
  });

  test("the replica bucket is in the replica's region and hardened as the state bucket is: versioned, AES256, private, owner-enforced, lifecycle, TLS-only, prevent_destroy", () => {
    const at = (type: string, path: string) => byPath(json, type)[`replication/bucket/${path}`];
    expect(byPath(json, "aws_s3_bucket")["replication/bucket"]).toMatchObject({ bucket: REPLICA, provider: "aws.replica", lifecycle: { prevent_destroy: true } });
    expect(at("aws_s3_bucket_versioning", "versioning")).toMatchObject({ provider: "aws.replica", versioning_configuration: { status: "Enabled" } });
    expect(at("aws_s3_bucket_server_side_encryption_configuration", "encryption").rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
    expect(at("aws_s3_bucket_public_access_block", "public-access-block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(at("aws_s3_bucket_ownership_controls", "ownership").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(at("aws_s3_bucket_lifecycle_configuration", "lifecycle").rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    expect(at("aws_s3_bucket_policy", "tls-only-policy")).toMatchObject({ provider: "aws.replica" });
    expect(JSON.parse(at("aws_s3_bucket_policy", "tls-only-policy").policy).Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    for (const setting of Object.keys(byPath(json, "aws_s3_bucket_versioning")).filter((p) => p.startsWith("replication/"))) expect(setting).toMatch(/^replication\/bucket\//);
  });

  test("one rule replicates every object and every delete marker, once both buckets are versioned", () => {
    const [configuration] = Object.values<any>(json.resource.aws_s3_bucket_replication_configuration);
    expect(configuration.bucket).toBe(ref(json, "aws_s3_bucket", "state-bucket", "id"));
    expect(configuration.provider).toBeUndefined();
    expect(configuration.role).toBe(ref(json, "aws_iam_role", "replication/role", "arn"));
    expect(configuration.rule).toEqual([
      {
        id: "replicate-every-object",
        status: "Enabled",
        filter: {},
        delete_marker_replication: { status: "Enabled" },
        destination: { bucket: ref(json, "aws_s3_bucket", "replication/bucket", "arn"), storage_class: "STANDARD" },
      },
    ]);
    expect(configuration.depends_on).toEqual(
      expect.arrayContaining([addressOf(json, "aws_s3_bucket_versioning", "state-bucket/versioning"), addressOf(json, "aws_s3_bucket_versioning", "replication/bucket/versioning")]),
    );
  });

  test("the replication role trusts S3 alone, replicating from this bucket in this account, and carries no boundary unless one is set", () => {
    const role = byPath(json, "aws_iam_role")["replication/role"];
    expect(role.name).toBe(`tfstate-${BUCKET}-replication`);
    expect(role.permissions_boundary).toBeUndefined();
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": expect.stringMatching(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/) },
          ArnLike: { "aws:SourceArn": ref(json, "aws_s3_bucket", "state-bucket", "arn") },
        },
      },
    ]);
  });

  test("without KMS, the role's policy has no KMS statement", () => {
    const policy = JSON.parse(byPath(json, "aws_iam_role_policy")["replication/policy"].policy);
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(["ReadReplicationConfiguration", "ReadSourceVersions", "WriteReplica"]);
  });

  test("TFSTATE_PERMISSIONS_BOUNDARY goes on the replication role too", () => {
    const boundary = "arn:aws:iam::111111111111:policy/org-boundary";
    const bounded = parse(synth(bootstrapStack({ TFSTATE_BUCKET: BUCKET, TFSTATE_REPLICA_REGION: REPLICA_REGION, TFSTATE_PERMISSIONS_BOUNDARY: boundary })));
    expect(byPath(bounded, "aws_iam_role")["replication/role"].permissions_boundary).toBe(boundary);
  });

  test("outputs the replica's region, name and ARN and the role's ARN, for disaster recovery", () => {
    expect(Object.keys(json.output)).toEqual(expect.arrayContaining(["replica_region", "replica_bucket_name", "replica_bucket_arn", "replication_role_arn"]));
    expect(json.output.replica_region.value).toBe(REPLICA_REGION);
    expect(json.output.replica_kms_key_arn).toBeUndefined();
  });

  test("on an emulator, the replica's provider goes to the same endpoint", () => {
    const local = parse(synth(bootstrapStack({ TFSTATE_REPLICA_REGION: REPLICA_REGION, AWS_ENDPOINT_URL: "http://127.0.0.1:5000" })));
    const [main, replica] = local.provider.aws;
    expect(replica.endpoints).toEqual(main.endpoints);
    expect(replica.region).toBe(REPLICA_REGION);
  });
});

describe("TFSTATE_REPLICA_REGION with KMS", () => {
  test("TFSTATE_KMS=create: a key of the replica's own in its region, under the same alias, encrypts the replica and its replicas", () => {
    const json = parse(synth(bootstrapStack({ TFSTATE_BUCKET: BUCKET, TFSTATE_REPLICA_REGION: REPLICA_REGION, TFSTATE_KMS: "create" })));
    const keys = byPath(json, "aws_kms_key");
    expect(keys["replication/state-key"]).toMatchObject({ provider: "aws.replica", enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const aliases = byPath(json, "aws_kms_alias");
    expect(aliases["replication/state-key/alias"]).toMatchObject({ provider: "aws.replica", name: aliases["state-key/alias"].name });
    const replicaKey = ref(json, "aws_kms_key", "replication/state-key", "arn");
    const sourceKey = ref(json, "aws_kms_key", "state-key", "arn");
    expect(byPath(json, "aws_s3_bucket_server_side_encryption_configuration")["replication/bucket/encryption"].rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: replicaKey },
      bucket_key_enabled: true,
    });
    const [configuration] = Object.values<any>(json.resource.aws_s3_bucket_replication_configuration);
    expect(configuration.rule[0]).toMatchObject({
      source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
      destination: { encryption_configuration: { replica_kms_key_id: replicaKey } },
    });
    const statements = JSON.parse(byPath(json, "aws_iam_role_policy")["replication/policy"].policy).Statement;
    expect(statements.find((s: any) => s.Sid === "DecryptSource")).toMatchObject({ Action: ["kms:Decrypt"], Resource: sourceKey });
    expect(statements.find((s: any) => s.Sid === "EncryptReplica")).toMatchObject({ Action: ["kms:Encrypt"], Resource: replicaKey });
    expect(json.output.replica_kms_key_arn.value).toBe(replicaKey);
  });

  test("a multi-Region key of yours: its replica in the replica's region, and no key made", () => {
    const key = "arn:aws:kms:ap-northeast-2:111111111111:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    const json = parse(synth(bootstrapStack({ TFSTATE_BUCKET: BUCKET, TFSTATE_REPLICA_REGION: REPLICA_REGION, TFSTATE_KMS: key })));
    const replicaKey = key.replace("ap-northeast-2", REPLICA_REGION);
    expect(json.resource.aws_kms_key).toBeUndefined();
    const [configuration] = Object.values<any>(json.resource.aws_s3_bucket_replication_configuration);
    expect(configuration.rule[0].destination.encryption_configuration).toEqual({ replica_kms_key_id: replicaKey });
    expect(json.output.replica_kms_key_arn.value).toBe(replicaKey);
  });
});

describe("TFSTATE_ACCESS_LOGS", () => {
  let json: any;
  beforeAll(() => {
    // With a KMS key, to show that the log bucket keeps SSE-S3 whatever the state bucket uses.
    json = parse(synth(bootstrapStack({ TFSTATE_BUCKET: BUCKET, TFSTATE_ACCESS_LOGS: "true", TFSTATE_KMS: "create" })));
  });
  const at = (type: string, path: string) => byPath(json, type)[`access-logs/${path}`];

  test("the log bucket: versioned, SSE-S3 as log delivery requires, private, ACLs off, its logs expiring, prevent_destroy", () => {
    expect(byPath(json, "aws_s3_bucket")["access-logs/bucket"]).toMatchObject({ bucket: LOGS, lifecycle: { prevent_destroy: true } });
    expect(at("aws_s3_bucket_versioning", "versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(at("aws_s3_bucket_server_side_encryption_configuration", "encryption").rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
    expect(at("aws_s3_bucket_public_access_block", "public-access-block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(at("aws_s3_bucket_ownership_controls", "ownership").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(at("aws_s3_bucket_lifecycle_configuration", "lifecycle").rule[0]).toMatchObject({ status: "Enabled", expiration: [{ days: 365 }] });
  });

  test("TFSTATE_ALLOW_DESTROY=true lifts prevent_destroy on the log bucket as on the others", () => {
    const destroyable = parse(synth(bootstrapStack({ TFSTATE_BUCKET: BUCKET, TFSTATE_ACCESS_LOGS: "true", TFSTATE_ALLOW_DESTROY: "true" })));
    expect(byPath(destroyable, "aws_s3_bucket")["access-logs/bucket"].lifecycle).toEqual({ prevent_destroy: false });
  });

  test("the state bucket logs into it under <bucket>/", () => {
    expect(at("aws_s3_bucket_logging", "state-bucket-logging")).toMatchObject({
      bucket: ref(json, "aws_s3_bucket", "state-bucket", "id"),
      target_bucket: ref(json, "aws_s3_bucket", "access-logs/bucket", "id"),
      target_prefix: `${BUCKET}/`,
    });
  });

  test("its policy: TLS only, and PutObject under the prefix for S3's logging service alone, for this bucket and account", () => {
    const logBucket = ref(json, "aws_s3_bucket", "access-logs/bucket", "arn");
    const statements = JSON.parse(at("aws_s3_bucket_policy", "policy").policy).Statement;
    expect(statements).toEqual([
      expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny", Resource: [logBucket, `${logBucket}/*`] }),
      {
        Sid: "S3ServerAccessLogsOfTheStateBucket",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${logBucket}/${BUCKET}/*`,
        Condition: {
          ArnLike: { "aws:SourceArn": ref(json, "aws_s3_bucket", "state-bucket", "arn") },
          StringEquals: { "aws:SourceAccount": expect.stringMatching(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/) },
        },
      },
    ]);
  });

  test("outputs the log bucket's name", () => {
    expect(json.output.access_log_bucket_name.value).toBe(ref(json, "aws_s3_bucket", "access-logs/bucket", "bucket"));
  });
});

test("both options, with a created key, are valid terraform", () => {
  expectValidTerraform(bootstrapStack({ TFSTATE_REPLICA_REGION: REPLICA_REGION, TFSTATE_ACCESS_LOGS: "true", TFSTATE_KMS: "create" }));
});
