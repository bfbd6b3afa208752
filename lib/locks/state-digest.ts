// The S3 backend's integrity record for DynamoDB locking: item "<bucket>/<key>-md5" holds the MD5 of the
// state object. Lockfile-only (s3 mode) runs never update it, so switching back to a DynamoDB mode fails with
// "checksum ... does not match the checksum stored in DynamoDB" until it is brought up to date.
import { createHash } from "crypto";
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { TfstateConfig } from "../../config/config";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { AwsClients } from "../aws/clients";
import { Refusal } from "../cli/errors";
import { unlessMissing } from "../aws/not-found";

export const lockItemId = (bucket: string, key: string) => `${bucket}/${key}`;
const DIGEST_SUFFIX = "-md5";
export const digestItemId = (bucket: string, key: string) => `${bucket}/${key}${DIGEST_SUFFIX}`;

/** The state key that a digest item of this bucket is for; undefined for any other LockID. */
export function digestItemKey(bucket: string, lockId: string): string | undefined {
  const prefix = `${bucket}/`;
  return lockId.startsWith(prefix) && lockId.endsWith(DIGEST_SUFFIX) ? lockId.slice(prefix.length, -DIGEST_SUFFIX.length) : undefined;
}
export const lockfileKey = (key: string) => `${key}.tflock`;

const md5 = (body: Uint8Array | string) => createHash("md5").update(body).digest("hex");

// An object or a table that is not there, as S3's GetObject and HeadObject and DynamoDB say it.
const MISSING = ["NoSuchKey", "NotFound", "ResourceNotFoundException"];
const exists = async (read: Promise<unknown>): Promise<boolean> => Boolean(await unlessMissing(read, ...MISSING));

/** Whether `<key>.tflock`, the S3 lock file of use_lockfile, exists right now. */
export const lockfileExists = ({ s3 }: AwsClients, config: TfstateConfig, key: string): Promise<boolean> =>
  exists(s3.send(new HeadObjectCommand({ Bucket: config.stateBucket, Key: lockfileKey(key) })));

/** Whether a lock on this key is held right now, in the table or as a lock file. */
export async function isLocked(clients: AwsClients, config: TfstateConfig, key: string): Promise<boolean> {
  const [tableLock, fileLock] = await Promise.all([
    exists(
      clients.dynamodb
        .send(new GetItemCommand({ TableName: config.lockTable, Key: { [LOCK_HASH_KEY]: { S: lockItemId(config.stateBucket, key) } } }))
        .then(({ Item }) => Item),
    ),
    lockfileExists(clients, config, key),
  ]);
  return tableLock || fileLock;
}

/** The digest item's MD5, or undefined when there is no digest item (or no table). */
async function storedDigest(clients: AwsClients, config: TfstateConfig, key: string): Promise<string | undefined> {
  const Key = { [LOCK_HASH_KEY]: { S: digestItemId(config.stateBucket, key) } };
  return (await unlessMissing(clients.dynamodb.send(new GetItemCommand({ TableName: config.lockTable, Key, ConsistentRead: true })), ...MISSING))?.Item?.Digest?.S;
}

/** The MD5 of the state object as terraform computes it (of its bytes, whatever the ETag says), or undefined when there is none. */
export async function objectMd5(clients: AwsClients, bucket: string, key: string): Promise<string | undefined> {
  const object = await unlessMissing(clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })), ...MISSING);
  return object && md5(await object.Body!.transformToByteArray());
}

/** Whether terraform with DynamoDB locking would refuse this state: a digest item that the object no longer matches. */
export async function digestIsStale(clients: AwsClients, config: TfstateConfig, key: string): Promise<boolean> {
  const [stored, actual] = await Promise.all([storedDigest(clients, config, key), objectMd5(clients, config.stateBucket, key)]);
  return stored !== undefined && stored !== actual;
}

type DigestChange = "updated" | "unchanged" | "removed";

/** Sets the digest item to the MD5 of the state object as it is now, or removes it when there is no state. */
export async function syncStateDigest(clients: AwsClients, config: TfstateConfig, key: string): Promise<DigestChange> {
  if (await isLocked(clients, config, key)) {
    throw new Refusal(`s3://${config.stateBucket}/${key} is locked; let the running terraform finish first`);
  }
  const Key = { [LOCK_HASH_KEY]: { S: digestItemId(config.stateBucket, key) } };
  const [current, digest] = await Promise.all([storedDigest(clients, config, key), objectMd5(clients, config.stateBucket, key)]);
  if (digest === current) return "unchanged";
  if (digest === undefined) {
    await clients.dynamodb.send(new DeleteItemCommand({ TableName: config.lockTable, Key }));
    return "removed";
  }
  await clients.dynamodb.send(new PutItemCommand({ TableName: config.lockTable, Item: { ...Key, Digest: { S: digest } } }));
  return "updated";
}

/** Sets the digest item to the MD5 of a state body just written, as terraform does after each write while it holds the lock. */
export async function recordStateDigest({ dynamodb }: AwsClients, config: TfstateConfig, key: string, body: Uint8Array | string): Promise<void> {
  const Item = { [LOCK_HASH_KEY]: { S: digestItemId(config.stateBucket, key) }, Digest: { S: md5(body) } };
  await dynamodb.send(new PutItemCommand({ TableName: config.lockTable, Item }));
}
