// TFSTATE_REPLICA_REGION: a replica of the state bucket in a second region, hardened as the bucket is, and the
// replication that copies every object version and delete marker into it, with a role that may do only that.
import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { Statement } from "./state-access-policy";
import { StateBucket } from "./state-bucket";
import { StateKey } from "./state-key";

const S3_SERVICE = "s3.amazonaws.com";

export interface StateReplicationProps {
  /** The state bucket, in the stack's region. */
  readonly source: StateBucket;
  readonly sourceRegion: string;
  /** The source bucket's key; unset with SSE-S3. */
  readonly sourceKmsKeyArn?: string;
  /** The provider of the replica's region. */
  readonly provider: TerraformProvider;
  readonly region: string;
  readonly bucketName: string;
  readonly roleName: string;
  /**
   * The replica's key: `create` makes one in the replica region under this alias; an ARN is used as it is
   * (a multi-Region key's replica). Unset with SSE-S3.
   */
  readonly kms?: { readonly aliasName: string } | { readonly keyArn: string };
  readonly noncurrentVersionDays: number;
  readonly requireTls: boolean;
  readonly preventDestroy: boolean;
  /** TFSTATE_PERMISSIONS_BOUNDARY, which the replication role then carries. */
  readonly permissionsBoundary?: string;
}

/** The replica bucket (with its key when KMS is used), the replication role, and the rule that replicates every object. */
export class StateReplication extends Construct {
  readonly bucket: StateBucket;
  readonly key?: StateKey;
  readonly kmsKeyArn?: string;
  readonly role: IamRole;
  readonly configuration: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: StateReplicationProps) {
    super(scope, id);
    const { provider, preventDestroy } = props;

    if (props.kms && "aliasName" in props.kms) {
      this.key = new StateKey(this, "state-key", { aliasName: props.kms.aliasName, preventDestroy, provider, description: "Encrypts the replica of Terraform state" });
    }
    this.kmsKeyArn = this.key?.key.arn ?? (props.kms && "keyArn" in props.kms ? props.kms.keyArn : undefined);

    this.bucket = new StateBucket(this, "bucket", {
      bucketName: props.bucketName,
      noncurrentVersionDays: props.noncurrentVersionDays,
      kmsKeyArn: this.kmsKeyArn,
      requireTls: props.requireTls,
      preventDestroy,
      provider,
    });

    const partition = new DataAwsPartition(this, "partition");
    const account = new DataAwsCallerIdentity(this, "account").accountId;
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: `S3 replication of ${props.source.bucket.bucket} into ${props.bucketName}`,
      assumeRolePolicy: JSON.stringify(trustPolicy(account, props.source.bucket.arn)),
      permissionsBoundary: props.permissionsBoundary,
    });
    const statements = replicationStatements({
      sourceBucketArn: props.source.bucket.arn,
      replicaBucketArn: this.bucket.bucket.arn,
      sourceKmsKeyArn: props.sourceKmsKeyArn,
      replicaKmsKeyArn: this.kmsKeyArn,
      viaS3: (region) => `s3.${region}.${partition.dnsSuffix}`,
      sourceRegion: props.sourceRegion,
      replicaRegion: props.region,
    });
    const policy = new IamRolePolicy(this, "policy", {
      role: this.role.id,
      name: "replicate-state",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });

    const encrypted = this.kmsKeyArn !== undefined;
    this.configuration = new S3BucketReplicationConfigurationA(this, "configuration", {
      bucket: props.source.bucket.id,
      role: this.role.arn,
      rule: [
        {
          id: "replicate-every-object",
          status: "Enabled",
          // An empty filter: every object, the stacks' state, their lock files and any team's state alike.
          filter: {},
          deleteMarkerReplication: { status: "Enabled" },
          destination: {
            bucket: this.bucket.bucket.arn,
            storageClass: "STANDARD",
            ...(encrypted && { encryptionConfiguration: { replicaKmsKeyId: this.kmsKeyArn! } }),
          },
          ...(encrypted && { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } }),
        },
      ],
      // S3 refuses a replication configuration unless both buckets are versioned, and S3 checks the role as it is put.
      dependsOn: [props.source.settings.versioning!, this.bucket.settings.versioning!, policy],
    });
  }
}

/** Only S3, replicating from this bucket in this account. */
function trustPolicy(accountId: string, sourceBucketArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: S3_SERVICE },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": sourceBucketArn } },
      },
    ],
  };
}

export interface ReplicationStatementsProps {
  readonly sourceBucketArn: string;
  readonly replicaBucketArn: string;
  readonly sourceKmsKeyArn?: string;
  readonly replicaKmsKeyArn?: string;
  /** kms:ViaService for S3 in a region: s3.<region>.amazonaws.com. */
  readonly viaS3: (region: string) => string;
  readonly sourceRegion: string;
  readonly replicaRegion: string;
}

/**
 * What replication needs and no more, as AWS documents it: read the source's replication configuration and its
 * object versions, write replicas, delete markers and tags into the replica; with KMS, decrypt with the source's
 * key and encrypt with the replica's, each only through S3 in its region.
 */
export function replicationStatements(props: ReplicationStatementsProps): Statement[] {
  // Each key only through S3 in its own region: not the source key's other use, the lock table (through DynamoDB).
  const useKey = (Sid: string, action: string, keyArn: string, region: string): Statement => ({
    Sid,
    Effect: "Allow",
    Action: [action],
    Resource: keyArn,
    Condition: { StringEquals: { "kms:ViaService": props.viaS3(region) } },
  });
  return [
    { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: props.sourceBucketArn },
    {
      Sid: "ReadSourceVersions",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      Resource: `${props.sourceBucketArn}/*`,
    },
    { Sid: "WriteReplica", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `${props.replicaBucketArn}/*` },
    ...(props.sourceKmsKeyArn ? [useKey("DecryptSource", "kms:Decrypt", props.sourceKmsKeyArn, props.sourceRegion)] : []),
    ...(props.replicaKmsKeyArn ? [useKey("EncryptReplica", "kms:Encrypt", props.replicaKmsKeyArn, props.replicaRegion)] : []),
  ];
}
