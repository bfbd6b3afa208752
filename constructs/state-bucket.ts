import { Construct } from "constructs";
import { TerraformProvider, TerraformResource } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import {
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketServerSideEncryptionConfigurationRuleA,
} from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { BucketSetting } from "../config/state-bucket";

const ABORT_INCOMPLETE_UPLOADS_DAYS = 7;

export interface StateBucketProps {
  readonly bucketName: string;
  readonly noncurrentVersionDays: number;
  /** SSE-KMS with this key and a bucket key; AES256 when unset. */
  readonly kmsKeyArn?: string;
  /** Deny every request that does not use TLS. Off only for a plain-http emulator, which could not reach its own state otherwise. */
  readonly requireTls: boolean;
  readonly preventDestroy: boolean;
  /** The provider of another region (the replica's); the stack's own when unset. */
  readonly provider?: TerraformProvider;
}

/** A versioned, encrypted, private S3 bucket for Terraform state. */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Each setting's resource; no policy without requireTls. */
  readonly settings: Partial<Record<BucketSetting, TerraformResource>>;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);

    const provider = props.provider;
    this.bucket = new S3Bucket(this, "bucket", {
      provider,
      bucket: props.bucketName,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    const bucket = this.bucket.id;

    // Every apply writes a new state version; old ones are the way back from a bad apply.
    const { versioning, encryption, publicAccessBlock, ownership } = privateBucketSettings(this, bucket, {
      provider,
      encryption: props.kmsKeyArn
        ? {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
            // One data key per bucket instead of per object: far fewer KMS calls, same protection.
            bucketKeyEnabled: true,
          }
        : AES256,
    });

    const lifecycle = new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider,
      bucket,
      rule: [
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_DAYS }],
        },
      ],
    });

    this.settings = { versioning, encryption, publicAccessBlock, ownership, lifecycle };
    if (props.requireTls) {
      this.settings.policy = new S3BucketPolicy(this, "tls-only-policy", {
        provider,
        bucket,
        policy: JSON.stringify(tlsOnlyPolicy(this.bucket.arn)),
        // S3 rejects a policy put while the public access block is being written.
        dependsOn: [publicAccessBlock],
      });
    }
  }
}

/** SSE-S3: S3's own keys, the default without TFSTATE_KMS, and the only encryption S3 log delivery writes into. */
export const AES256: S3BucketServerSideEncryptionConfigurationRuleA = { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };

/**
 * What every bucket of the project has, as resources of `scope` named versioning, encryption,
 * public-access-block and ownership: versioning on, this default encryption, every kind of public access
 * blocked, and ACLs off.
 */
export function privateBucketSettings(
  scope: Construct,
  bucket: string,
  { encryption, provider }: { encryption: S3BucketServerSideEncryptionConfigurationRuleA; provider?: TerraformProvider },
) {
  return {
    versioning: new S3BucketVersioningA(scope, "versioning", { provider, bucket, versioningConfiguration: { status: "Enabled" } }),
    encryption: new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", { provider, bucket, rule: [encryption] }),
    publicAccessBlock: new S3BucketPublicAccessBlock(scope, "public-access-block", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    // BucketOwnerEnforced disables ACLs altogether: the current form of acl = "private".
    ownership: new S3BucketOwnershipControls(scope, "ownership", { provider, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }),
  };
}

function tlsOnlyPolicy(bucketArn: string) {
  return { Version: "2012-10-17", Statement: [tlsOnlyStatement(bucketArn)] };
}

/** Denies every request to the bucket and its objects that does not use TLS. */
export function tlsOnlyStatement(bucketArn: string) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
