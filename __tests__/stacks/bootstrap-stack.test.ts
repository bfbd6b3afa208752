import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PROJECT_ROOT } from "../../config/config";
import { bootstrapStack, configWith, expectValidTerraform, parse, synth } from "../support/synth";

const keyArn = "arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab-44cd-a6ef-1234567890ab";

describe("bootstrap stack: the state bucket and the lock table", () => {
  const synthesized = synth(bootstrapStack());
  const json = parse(synthesized);
  const config = configWith();

  test("matches the snapshot", () => {
    expect(synthesized).toMatchSnapshot();
  });

  test("is valid terraform", () => {
    expectValidTerraform(bootstrapStack());
  });

  test("keeps its own state in a local file at the project root, outside cdktf.out", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "<project>/terraform.bootstrap.tfstate" } });
    expect(config.bootstrapStatePath).toBe(`${PROJECT_ROOT}/terraform.bootstrap.tfstate`);
  });

  describe("Step 1 and Step 5 of seed 000: the bucket, versioned", () => {
    test("has the configured name and may not be destroyed", () => {
      expect(synthesized).toHaveResourceWithProperties(S3Bucket, {
        bucket: config.stateBucket,
        lifecycle: { prevent_destroy: true },
      });
    });

    test("versioning is Enabled", () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, {
        versioning_configuration: { status: "Enabled" },
      });
    });

    test("encrypts by default with AES256", () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
      });
    });

    test("blocks every kind of public access", () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });

    test("disables ACLs with BucketOwnerEnforced", () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, {
        rule: { object_ownership: "BucketOwnerEnforced" },
      });
    });

    test("denies any request without TLS, on the bucket and on its objects", () => {
      const [bucketPolicy] = Object.values<any>(json.resource.aws_s3_bucket_policy);
      const [bucketKey] = Object.keys(json.resource.aws_s3_bucket);
      const bucketArn = `\${aws_s3_bucket.${bucketKey}.arn}`;
      const policy = JSON.parse(bucketPolicy.policy);
      expect(policy.Statement).toEqual([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]);
    });

    test("expires noncurrent versions after 90 days and aborts stale multipart uploads after 7", () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
        rule: [
          expect.objectContaining({
            status: "Enabled",
            noncurrent_version_expiration: [{ noncurrent_days: 90 }],
            abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
          }),
        ],
      });
    });

    test("the noncurrent-version window is a setting", () => {
      expect(synth(bootstrapStack({ TFSTATE_NONCURRENT_DAYS: "30" }))).toHaveResourceWithProperties(
        S3BucketLifecycleConfiguration,
        { rule: [expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 30 }] })] },
      );
    });
  });

  describe("Step 3 of seed 000: the lock table", () => {
    test("has hash key LockID of type S, pay per request", () => {
      expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
        name: config.lockTable,
        hash_key: "LockID",
        attribute: [{ name: "LockID", type: "S" }],
        billing_mode: "PAY_PER_REQUEST",
      });
    });

    test("has point-in-time recovery, encryption and deletion protection on, and may not be destroyed", () => {
      expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        deletion_protection_enabled: true,
        lifecycle: { prevent_destroy: true },
      });
    });
  });

  test("TFSTATE_ALLOW_DESTROY=true lifts prevent_destroy and deletion protection, for teardown", () => {
    const teardown = parse(synth(bootstrapStack({ TFSTATE_ALLOW_DESTROY: "true" })));
    const [bucket] = Object.values<any>(teardown.resource.aws_s3_bucket);
    const [table] = Object.values<any>(teardown.resource.aws_dynamodb_table);
    expect(bucket.lifecycle).toEqual({ prevent_destroy: false });
    expect(bucket.force_destroy).toBeUndefined();
    expect(table.lifecycle).toEqual({ prevent_destroy: false });
    expect(table.deletion_protection_enabled).toBe(false);
  });

  test("tags everything through the provider's default tags", () => {
    expect(synthesized).toHaveProviderWithProperties(AwsProvider, {
      region: config.region,
      default_tags: [{ tags: { Project: "tfstate-backend", ManagedBy: "cdktf", Stack: "bootstrap" } }],
    });
  });

  test("outputs what the vpc stack and the README commands use", () => {
    expect(Object.keys(json.output).sort()).toEqual(
      [
        "bucket_arn",
        "bucket_name",
        "lock_mode",
        "lock_table_arn",
        "lock_table_name",
        "region",
        "state_key",
        "state_access_policy_arn",
        "state_access_policy_json",
      ].sort(),
    );
    expect(json.output.state_key.value).toBe(config.stateKey);
    expect(json.output.region.value).toBe(config.region);
  });

  test("with TFSTATE_BOOTSTRAP_BACKEND=s3 its own state moves into the bucket under its own key", () => {
    const moved = parse(synth(bootstrapStack({ TFSTATE_BOOTSTRAP_BACKEND: "s3" })));
    expect(moved.terraform.backend).toEqual({
      s3: {
        bucket: config.stateBucket,
        key: "bootstrap/terraform.tfstate",
        region: config.region,
        encrypt: true,
        dynamodb_table: config.lockTable,
      },
    });
  });

  describe("TFSTATE_KMS", () => {
    test("unset: AES256, the table on the AWS-managed key, and no KMS key", () => {
      expect(synthesized).not.toHaveResource(KmsKey);
      expect(synthesized).toHaveResourceWithProperties(DynamodbTable, { server_side_encryption: { enabled: true } });
      expect(json.output.kms_key_arn).toBeUndefined();
    });

    test("create: a rotated key with an alias encrypts the bucket (with a bucket key) and the table", () => {
      const created = synth(bootstrapStack({ TFSTATE_KMS: "create" }));
      const [keyId] = Object.keys(parse(created).resource.aws_kms_key);
      const createdArn = `\${aws_kms_key.${keyId}.arn}`;
      expect(created).toHaveResourceWithProperties(KmsKey, {
        enable_key_rotation: true,
        deletion_window_in_days: 30,
        lifecycle: { prevent_destroy: true },
      });
      expect(created).toHaveResourceWithProperties(KmsAlias, { name: `alias/tfstate-backend/${config.stateBucket}` });
      expect(created).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: createdArn }, bucket_key_enabled: true }],
      });
      expect(created).toHaveResourceWithProperties(DynamodbTable, { server_side_encryption: { enabled: true, kms_key_arn: createdArn } });
      expect(parse(created).output.kms_key_arn.value).toBe(createdArn);
    });

    test("a key ARN: that key encrypts the bucket and the table, and none is created", () => {
      const existing = synth(bootstrapStack({ TFSTATE_KMS: keyArn }));
      expect(existing).not.toHaveResource(KmsKey);
      expect(existing).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn }, bucket_key_enabled: true }],
      });
      expect(existing).toHaveResourceWithProperties(DynamodbTable, { server_side_encryption: { enabled: true, kms_key_arn: keyArn } });
    });

    test("create is valid terraform", () => {
      expectValidTerraform(bootstrapStack({ TFSTATE_KMS: "create" }));
    });
  });

  describe("the least-privilege policy for the people and CI roles that use the state", () => {
    const statementsWith = (env: Record<string, string>) => {
      const stack = parse(synth(bootstrapStack(env)));
      const [policy] = Object.values<any>(stack.resource.aws_iam_policy);
      const [bucketKey] = Object.keys(stack.resource.aws_s3_bucket);
      const [tableKey] = Object.keys(stack.resource.aws_dynamodb_table ?? {});
      const document = JSON.parse(policy.policy);
      expect(stack.output.state_access_policy_json.value).toBe(policy.policy);
      return { statements: document.Statement, bucketArn: `\${aws_s3_bucket.${bucketKey}.arn}`, tableArn: `\${aws_dynamodb_table.${tableKey}.arn}` };
    };

    test("dynamodb mode: list the state key, read and write it, take the DynamoDB lock; nothing more", () => {
      const { statements, bucketArn, tableArn } = statementsWith({});
      expect(statements).toEqual([
        { Sid: "ListStateKey", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn, Condition: { StringLike: { "s3:prefix": [`${config.stateKey}*`] } } },
        { Sid: "ReadWriteState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${bucketArn}/${config.stateKey}` },
        { Sid: "DynamodbLock", Effect: "Allow", Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], Resource: tableArn },
      ]);
      expect(synth(bootstrapStack())).toHaveResourceWithProperties(IamPolicy, { name: `tfstate-access-${config.stateBucket}` });
    });

    test("s3 mode: the lock file instead of the table", () => {
      const { statements, bucketArn } = statementsWith({ TFSTATE_LOCK: "s3" });
      expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(["ListStateKey", "ReadWriteState", "S3Lockfile"]);
      expect(statements[2]).toEqual({
        Sid: "S3Lockfile",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `${bucketArn}/${config.stateKey}.tflock`,
      });
    });

    test("both modes plus a key: the lock file, the table and the key's data-key actions", () => {
      const { statements } = statementsWith({ TFSTATE_LOCK: "both", TFSTATE_KMS: keyArn });
      expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(["ListStateKey", "ReadWriteState", "S3Lockfile", "DynamodbLock", "StateKey"]);
      expect(statements[4]).toEqual({
        Sid: "StateKey",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        Resource: keyArn,
      });
    });

    test("no statement allows every action or every resource", () => {
      const { statements } = statementsWith({ TFSTATE_LOCK: "both", TFSTATE_KMS: keyArn });
      for (const statement of statements) {
        expect(statement.Action.every((a: string) => !a.includes("*"))).toBe(true);
        expect([statement.Resource].flat()).not.toContain("*");
      }
    });
  });
});
