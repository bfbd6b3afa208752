// With TFSTATE_ADOPT=true the app looks at the real bucket and table before it synthesizes, as AWS CDK's
// lookups do: which import blocks to write depends on what exists, and a lock table with the wrong key
// must stop the deploy with one line before terraform runs, not halfway through an apply.
import { DescribeTableCommand, DynamoDBClient, TableDescription } from "@aws-sdk/client-dynamodb";
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { ConfigError, SETTINGS, TfstateConfig } from "../config/config";
import { LOCK_HASH_KEY } from "../constructs/lock-table";
import { BucketSetting } from "../constructs/state-bucket";
import { awsClients } from "../lib/aws-clients";
import { ExistingBackend } from "./adopt-existing";

/** Whether a read succeeds; the named error means "not there", any other is a real failure. */
async function found(read: () => Promise<unknown>, ...absent: string[]): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (error instanceof Error && absent.includes(error.name)) return false;
    throw error;
  }
}

// How S3 says that a bucket has no such setting. A bucket that was never versioned answers with no Status.
const SETTING_PROBES: Record<BucketSetting, (s3: S3Client, Bucket: string) => Promise<boolean>> = {
  versioning: async (s3, Bucket) => Boolean((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status),
  encryption: (s3, Bucket) => found(() => s3.send(new GetBucketEncryptionCommand({ Bucket })), "ServerSideEncryptionConfigurationNotFoundError"),
  publicAccessBlock: (s3, Bucket) => found(() => s3.send(new GetPublicAccessBlockCommand({ Bucket })), "NoSuchPublicAccessBlockConfiguration"),
  ownership: (s3, Bucket) => found(() => s3.send(new GetBucketOwnershipControlsCommand({ Bucket })), "OwnershipControlsNotFoundError"),
  lifecycle: (s3, Bucket) => found(() => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), "NoSuchLifecycleConfiguration"),
  policy: (s3, Bucket) => found(() => s3.send(new GetBucketPolicyCommand({ Bucket })), "NoSuchBucketPolicy"),
};

async function bucketSettings(s3: S3Client, bucket: string): Promise<BucketSetting[]> {
  const settings = Object.keys(SETTING_PROBES) as BucketSetting[];
  const configured = await Promise.all(settings.map((setting) => SETTING_PROBES[setting](s3, bucket)));
  return settings.filter((_, i) => configured[i]);
}

async function describeTable(dynamodb: DynamoDBClient, table: string): Promise<TableDescription | undefined> {
  let description: TableDescription | undefined;
  const exists = await found(async () => (description = (await dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table), "ResourceNotFoundException");
  return exists ? description : undefined;
}

/** Why a table cannot be the S3 backend's lock table, or undefined when it can. */
export function lockTableKeyProblem(table: Pick<TableDescription, "KeySchema" | "AttributeDefinitions">): string | undefined {
  const typeOf = (name?: string) => table.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType ?? "?";
  const keys = table.KeySchema ?? [];
  const [only] = keys;
  if (keys.length === 1 && only.KeyType === "HASH" && only.AttributeName === LOCK_HASH_KEY && typeOf(only.AttributeName) === "S") return undefined;
  const key = keys.map((k) => `${k.AttributeName} (${typeOf(k.AttributeName)}${k.KeyType === "RANGE" ? ", range" : ""})`).join(" + ");
  return (
    `has the key ${key}, but the S3 backend locks with the hash key ${LOCK_HASH_KEY} (S) alone, and a table's key cannot be changed in place; ` +
    `set ${SETTINGS.lockTable.env} to a new table name and the deploy creates that table`
  );
}

/** What exists under the configured names; refuses, with one line, a lock table that the S3 backend cannot use. */
export async function findExistingBackend(config: TfstateConfig): Promise<ExistingBackend> {
  // The SDK's notice that its future releases need node 22 is no news for these pinned ones, and it
  // would bury the one line that a refusal prints.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { s3, dynamodb } = awsClients(config);
  const setting = `${SETTINGS.adopt.env}=true`;
  let existing: ExistingBackend;
  let table: TableDescription | undefined;
  try {
    const bucket = await found(() => s3.send(new HeadBucketCommand({ Bucket: config.stateBucket })), "NotFound");
    table = await describeTable(dynamodb, config.lockTable);
    existing = { bucket, bucketSettings: bucket ? await bucketSettings(s3, config.stateBucket) : [], table: table !== undefined };
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ConfigError(`${setting}: could not look at bucket ${config.stateBucket} and table ${config.lockTable}: ${reason.split("\n")[0]}`);
  }
  const problem = table && lockTableKeyProblem(table);
  if (problem) throw new ConfigError(`${setting}: lock table ${JSON.stringify(config.lockTable)} ${problem}`);
  return existing;
}
