// Reads back what the seeds look at in the console: the bucket's settings, the lock table, the state object, the VPC.
import { DescribeContinuousBackupsCommand, DescribeTableCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  LoggingEnabled,
  ListObjectsV2Command,
  ObjectVersion,
  ReplicationConfiguration,
  S3Client,
} from "@aws-sdk/client-s3";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { BUCKET_SETTINGS, BucketSetting } from "../../config/state-bucket";
import { AwsClients } from "./clients";
import { unlessMissing } from "./not-found";
import { listObjectVersions } from "./bucket-versions";

// How S3 says that a bucket has no such setting: each read but versioning's fails with an error of its own.
const SETTING_READS = {
  versioning: (s3: S3Client, Bucket: string) => s3.send(new GetBucketVersioningCommand({ Bucket })),
  encryption: (s3: S3Client, Bucket: string) =>
    unlessMissing(s3.send(new GetBucketEncryptionCommand({ Bucket })), "ServerSideEncryptionConfigurationNotFoundError"),
  publicAccessBlock: (s3: S3Client, Bucket: string) =>
    unlessMissing(s3.send(new GetPublicAccessBlockCommand({ Bucket })), "NoSuchPublicAccessBlockConfiguration"),
  ownership: (s3: S3Client, Bucket: string) => unlessMissing(s3.send(new GetBucketOwnershipControlsCommand({ Bucket })), "OwnershipControlsNotFoundError"),
  lifecycle: (s3: S3Client, Bucket: string) =>
    unlessMissing(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), "NoSuchLifecycleConfiguration"),
  policy: (s3: S3Client, Bucket: string) => unlessMissing(s3.send(new GetBucketPolicyCommand({ Bucket })), "NoSuchBucketPolicy"),
} satisfies Record<BucketSetting, (s3: S3Client, bucket: string) => Promise<unknown>>;

type SettingReads = { [S in BucketSetting]: Awaited<ReturnType<(typeof SETTING_READS)[S]>> };

/** Each of the bucket's settings as S3 answers it; undefined for one that was never made. */
async function readBucketSettings(s3: S3Client, bucket: string): Promise<SettingReads> {
  const answers = await Promise.all(BUCKET_SETTINGS.map((setting) => SETTING_READS[setting](s3, bucket)));
  return Object.fromEntries(BUCKET_SETTINGS.map((setting, i) => [setting, answers[i]])) as SettingReads;
}

/** The settings that were ever made on the bucket. A bucket that was never versioned answers with no Status. */
export async function configuredBucketSettings({ s3 }: AwsClients, bucket: string): Promise<BucketSetting[]> {
  const read = await readBucketSettings(s3, bucket);
  return BUCKET_SETTINGS.filter((setting) => (setting === "versioning" ? Boolean(read.versioning.Status) : read[setting] !== undefined));
}

/** The bucket's settings; each one that was never made is undefined (the policy: no statements). */
export async function describeBucket({ s3 }: Pick<AwsClients, "s3">, bucket: string) {
  const { versioning, encryption, publicAccessBlock, ownership, lifecycle, policy } = await readBucketSettings(s3, bucket);
  const rules = encryption?.ServerSideEncryptionConfiguration?.Rules;
  const statements: Array<Record<string, unknown>> = JSON.parse(policy?.Policy ?? "{}").Statement ?? [];
  return {
    versioning: versioning.Status,
    encryption: rules?.map((r) => r.ApplyServerSideEncryptionByDefault),
    bucketKeyEnabled: rules?.map((r) => r.BucketKeyEnabled ?? false),
    publicAccessBlock: publicAccessBlock?.PublicAccessBlockConfiguration,
    objectOwnership: ownership?.OwnershipControls?.Rules?.map((r) => r.ObjectOwnership),
    lifecycleRules: lifecycle?.Rules,
    policyStatements: statements,
  };
}

export type BucketSettings = Awaited<ReturnType<typeof describeBucket>>;

/** The bucket's settings, or undefined when there is no such bucket: for the buckets that only some options make. */
export const describeBucketIfAny = (clients: Pick<AwsClients, "s3">, bucket: string): Promise<BucketSettings | undefined> =>
  unlessMissing(describeBucket(clients, bucket), "NoSuchBucket");

/** The bucket's replication configuration, or undefined when it has none. */
export const bucketReplication = async ({ s3 }: Pick<AwsClients, "s3">, bucket: string): Promise<ReplicationConfiguration | undefined> =>
  (await unlessMissing(s3.send(new GetBucketReplicationCommand({ Bucket: bucket })), "ReplicationConfigurationNotFoundError"))?.ReplicationConfiguration;

/** Where the bucket's server access logs go, or undefined when it does not log. */
export const bucketLogging = async ({ s3 }: Pick<AwsClients, "s3">, bucket: string): Promise<LoggingEnabled | undefined> =>
  (await s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))).LoggingEnabled;

/** An object's latest version as replication sees it: S3's ReplicationStatus, none for a version written before the rule. */
export interface ObjectReplication {
  readonly key: string;
  readonly versionId?: string;
  readonly status?: string;
  readonly lastModified?: Date;
}

/** The replication status of each key's latest version; a key deleted since it was listed is left out. */
export async function objectReplications({ s3 }: Pick<AwsClients, "s3">, bucket: string, keys: readonly string[]): Promise<ObjectReplication[]> {
  const heads = await Promise.all(
    keys.map(async (key) => [key, await unlessMissing(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })), "NotFound", "NoSuchKey")] as const),
  );
  return heads.flatMap(([key, head]) =>
    head ? [{ key, versionId: head.VersionId, status: head.ReplicationStatus, lastModified: head.LastModified }] : [],
  );
}

/** Whether the bucket exists (HeadBucket answers NotFound when it does not). */
export const bucketExists = async ({ s3 }: AwsClients, bucket: string): Promise<boolean> =>
  (await unlessMissing(s3.send(new HeadBucketCommand({ Bucket: bucket })), "NotFound", "NoSuchBucket")) !== undefined;

/** Every current object's key in the bucket. */
export async function listObjectKeys({ s3 }: AwsClients, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return keys;
}

export async function describeLockTable({ dynamodb }: AwsClients, table: string) {
  const [{ Table }, backups] = await Promise.all([
    dynamodb.send(new DescribeTableCommand({ TableName: table })),
    dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: table })),
  ]);
  return {
    keySchema: Table?.KeySchema,
    attributes: Table?.AttributeDefinitions,
    billingMode: Table?.BillingModeSummary?.BillingMode,
    pointInTimeRecovery: backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
    encryption: Table?.SSEDescription?.Status,
    deletionProtection: Table?.DeletionProtectionEnabled,
  };
}

export type LockTableSettings = Awaited<ReturnType<typeof describeLockTable>>;

/** The lock table's settings, or undefined when there is no such table. */
export const lockTableIfAny = (clients: AwsClients, table: string): Promise<LockTableSettings | undefined> =>
  unlessMissing(describeLockTable(clients, table), "ResourceNotFoundException", "TableNotFoundException");

/** Every version of exactly this key, newest first. */
export async function stateVersions(clients: AwsClients, bucket: string, key: string): Promise<ObjectVersion[]> {
  return (await listObjectVersions(clients, bucket, key)).versions.filter((v) => v.Key === key);
}

/** The lock table's items, as lock ID → the rest, optionally only those whose lock ID starts with a prefix. */
export async function lockTableItems({ dynamodb }: AwsClients, table: string, prefix = ""): Promise<Record<string, Record<string, string>>> {
  const items: Record<string, Record<string, string>> = {};
  let ExclusiveStartKey: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const lockId = item[LOCK_HASH_KEY]?.S ?? "";
      if (!lockId.startsWith(prefix)) continue;
      items[lockId] = Object.fromEntries(Object.entries(item).filter(([k]) => k !== LOCK_HASH_KEY).map(([k, v]) => [k, v.S ?? JSON.stringify(v)]));
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export async function describeVpc({ ec2 }: AwsClients, vpcId: string) {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  const vpc = Vpcs?.[0];
  return { id: vpc?.VpcId, cidr: vpc?.CidrBlock, name: vpc?.Tags?.find((t) => t.Key === "Name")?.Value };
}

/** How many non-default VPCs there are, optionally only those whose Name starts with a prefix. */
export async function countVpcs({ ec2 }: AwsClients, namePrefix?: string): Promise<number> {
  const Filters = namePrefix ? [{ Name: "tag:Name", Values: [`${namePrefix}*`] }] : undefined;
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters }));
  return (Vpcs ?? []).filter((v) => !v.IsDefault).length;
}
