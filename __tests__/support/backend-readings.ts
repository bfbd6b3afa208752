// What the backend looks like when read back: a lock as terraform writes it, and a bucket and table as
// the bootstrap stack makes them, to break one setting at a time in tests.
import { BackendReadings } from "../../lib/health/checks";
import { BucketSettings, LockTableSettings } from "../../lib/aws/inspect";
import { HeldLock, LockMechanism, parseLockInfo } from "../../lib/locks/lock-info";
import { ReplicationConfiguration } from "@aws-sdk/client-s3";
import { replicationRoleName } from "../../config/state-copies";

export const NOW = new Date("2026-11-30T12:00:00Z");
export const HOUR = 3_600_000;

/** A lock taken `ageMs` before NOW on s3://bucket/key, with the Lock Info JSON terraform 1.11 writes. */
export function heldLock(mechanism: LockMechanism, bucket: string, key: string, id: string, ageMs: number, who = "ci@runner-7"): HeldLock {
  const text = JSON.stringify({
    ID: id,
    Operation: "OperationTypeApply",
    Info: "",
    Who: who,
    Version: "1.11.4",
    Created: new Date(NOW.getTime() - ageMs).toISOString().replace("Z", "123456Z"),
    Path: `${bucket}/${key}`,
  });
  const location = mechanism === "dynamodb" ? `${bucket}/${key}` : `${key}.tflock`;
  return { mechanism, bucket, key, location, info: parseLockInfo(text), token: mechanism === "dynamodb" ? text : '"etag"' };
}

export const healthyBucket = (noncurrentDays = 90): BucketSettings => ({
  versioning: "Enabled",
  encryption: [{ SSEAlgorithm: "AES256" }],
  bucketKeyEnabled: [false],
  publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  objectOwnership: ["BucketOwnerEnforced"],
  lifecycleRules: [
    {
      ID: "expire-noncurrent-state-versions",
      Status: "Enabled",
      Filter: {},
      NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    },
  ],
  policyStatements: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});

export const healthyTable = (): LockTableSettings => ({
  keySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
  attributes: [{ AttributeName: "LockID", AttributeType: "S" }],
  billingMode: "PAY_PER_REQUEST",
  pointInTimeRecovery: "ENABLED",
  encryption: "ENABLED",
  deletionProtection: true,
});

/** A healthy backend holding these state objects (key -> MD5), their digest items (key -> MD5) and these locks. */
export function readings(bucket: string, objects: Record<string, string>, digests: Record<string, string>, locks: HeldLock[] = []): BackendReadings {
  const tableItems = Object.fromEntries([
    ...Object.entries(digests).map(([key, md5]) => [`${bucket}/${key}-md5`, { Digest: md5 }]),
    ...locks.filter((lock) => lock.mechanism === "dynamodb").map((lock) => [lock.location, { Info: lock.token }]),
  ]);
  const lockfiles = locks.filter((lock) => lock.mechanism === "s3" && lock.bucket === bucket).map((lock) => lock.location);
  return {
    bucket: healthyBucket(),
    table: healthyTable(),
    objectKeys: [...Object.keys(objects), ...lockfiles],
    tableItems,
    locks,
    objectMd5s: Object.fromEntries(Object.entries(objects).filter(([key]) => key in digests)),
  };
}

/** The state bucket's replication as the bootstrap stack configures it (with `replicaKeyArn`: for SSE-KMS objects). */
export const healthyReplication = (stateBucket: string, replicaBucket: string, replicaKeyArn?: string): ReplicationConfiguration => ({
  Role: `arn:aws:iam::123456789012:role/${replicationRoleName(stateBucket)}`,
  Rules: [
    {
      ID: "replicate-every-object",
      Status: "Enabled",
      Priority: 0,
      Filter: {},
      DeleteMarkerReplication: { Status: "Enabled" },
      Destination: {
        Bucket: `arn:aws:s3:::${replicaBucket}`,
        StorageClass: "STANDARD",
        ...(replicaKeyArn && { EncryptionConfiguration: { ReplicaKmsKeyID: replicaKeyArn } }),
      },
      ...(replicaKeyArn && { SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: "Enabled" } } }),
    },
  ],
});

/** The access-log bucket as the bootstrap stack makes it, for the state bucket's logs under `<stateBucket>/`. */
export const healthyLogBucket = (stateBucket: string, logBucket: string): BucketSettings => ({
  ...healthyBucket(),
  lifecycleRules: [
    {
      ID: "expire-access-logs",
      Status: "Enabled",
      Filter: {},
      Expiration: { Days: 365 },
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    },
  ],
  policyStatements: [
    { ...healthyBucket().policyStatements[0], Resource: [`arn:aws:s3:::${logBucket}`, `arn:aws:s3:::${logBucket}/*`] },
    {
      Sid: "S3ServerAccessLogsOfTheStateBucket",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::${logBucket}/${stateBucket}/*`,
      Condition: { ArnLike: { "aws:SourceArn": `arn:aws:s3:::${stateBucket}` }, StringEquals: { "aws:SourceAccount": "123456789012" } },
    },
  ],
});
