// The state locks held right now, in both mechanisms, and their release: only if each is still the lock
// that was read, so that a run which took the lock in the meantime keeps it.
import { DeleteItemCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DeleteObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { TfstateConfig } from "../../config/config";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { AwsClients } from "../aws/clients";
import { Refusal } from "../cli/errors";
import { isAwsError, unlessMissing } from "../aws/not-found";
import { listObjectKeys, lockTableItems } from "../aws/inspect";
import { HeldLock, lockPlace, parseLockInfo, splitLockId } from "./lock-info";
import { lockItemId, lockfileKey } from "./state-digest";

const LOCKFILE_SUFFIX = lockfileKey("");

export type TableItems = Record<string, Record<string, string>>;

/** The lock table's items by LockID, or undefined when there is no such table. */
export const tableItemsIfAny = (clients: AwsClients, table: string): Promise<TableItems | undefined> =>
  unlessMissing(lockTableItems(clients, table), "ResourceNotFoundException");

/** The lock items among the table's items: those with an Info attribute (digest items have a Digest). */
export function tableLocks(items: TableItems): HeldLock[] {
  return Object.entries(items)
    .filter(([, attributes]) => attributes.Info !== undefined)
    .map(([lockId, { Info }]): HeldLock => ({ mechanism: "dynamodb", ...splitLockId(lockId), location: lockId, info: parseLockInfo(Info), token: Info }));
}

/** The lock file at `objectKey` with its Lock Info, or undefined when there is none (released since it was listed, say). */
export async function readLockfile(clients: AwsClients, bucket: string, objectKey: string): Promise<HeldLock | undefined> {
  const object = await unlessMissing(clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey })), "NoSuchKey");
  if (!object) return undefined;
  const info = parseLockInfo(await object.Body!.transformToString());
  const key = objectKey.slice(0, -LOCKFILE_SUFFIX.length);
  return { mechanism: "s3", bucket, key, location: objectKey, info, token: object.ETag ?? "" };
}

/** The S3 lock files among the bucket's keys, each with its Lock Info. */
export async function lockfileLocks(clients: AwsClients, bucket: string, objectKeys: string[]): Promise<HeldLock[]> {
  const reads = objectKeys.filter((key) => key.endsWith(LOCKFILE_SUFFIX)).map((key) => readLockfile(clients, bucket, key));
  return (await Promise.all(reads)).filter((lock): lock is HeldLock => lock !== undefined);
}

/** Every lock held now: the table's lock items (for any bucket) and the state bucket's lock files. */
export async function heldLocks(clients: AwsClients, config: TfstateConfig): Promise<HeldLock[]> {
  const [items, keys] = await Promise.all([tableItemsIfAny(clients, config.lockTable), listObjectKeys(clients, config.stateBucket)]);
  return [...tableLocks(items ?? {}), ...(await lockfileLocks(clients, config.stateBucket, keys))];
}

/** The locks held now on one state key, in either mechanism. */
export async function locksOn(clients: AwsClients, config: TfstateConfig, key: string): Promise<HeldLock[]> {
  const lockId = lockItemId(config.stateBucket, key);
  const [info, lockfile] = await Promise.all([lockItemInfo(clients, config.lockTable, lockId), readLockfile(clients, config.stateBucket, lockfileKey(key))]);
  return [...(info === undefined ? [] : tableLocks({ [lockId]: { Info: info } })), ...(lockfile ? [lockfile] : [])];
}

async function lockItemInfo(clients: AwsClients, table: string, lockId: string): Promise<string | undefined> {
  const read = clients.dynamodb.send(new GetItemCommand({ TableName: table, Key: { [LOCK_HASH_KEY]: { S: lockId } }, ConsistentRead: true }));
  return (await unlessMissing(read, "ResourceNotFoundException"))?.Item?.Info?.S;
}

export class LockChangedError extends Refusal {
  override readonly name = "LockChangedError";
}

const changed = (lock: HeldLock) =>
  new LockChangedError(`lock ${lock.info.ID} in the ${lockPlace(lock)} changed since it was read (released, or taken again by another run): nothing was released there`);

/**
 * Releases a lock only if it is still the one that was read: in DynamoDB a delete on the condition that
 * Info is unchanged; for a lock file a fresh read, a comparison, then a delete on the condition that the
 * ETag is the one just read.
 */
export async function releaseLock(clients: AwsClients, config: TfstateConfig, lock: HeldLock): Promise<void> {
  if (lock.mechanism === "dynamodb") {
    try {
      await clients.dynamodb.send(
        new DeleteItemCommand({
          TableName: config.lockTable,
          Key: { [LOCK_HASH_KEY]: { S: lock.location } },
          ConditionExpression: "Info = :info",
          ExpressionAttributeValues: { ":info": { S: lock.token } },
        }),
      );
    } catch (error) {
      if (isAwsError(error, "ConditionalCheckFailedException")) throw changed(lock);
      throw error;
    }
    return;
  }
  const now = await readLockfile(clients, lock.bucket, lock.location);
  if (!now || now.info.ID !== lock.info.ID || now.token !== lock.token) throw changed(lock);
  try {
    await clients.s3.send(new DeleteObjectCommand({ Bucket: lock.bucket, Key: lock.location, IfMatch: now.token }));
  } catch (error) {
    if (isAwsError(error, "PreconditionFailed", "NoSuchKey")) throw changed(lock);
    throw error;
  }
}
