// A stack's state lock, taken the way terraform's S3 backend takes it (a conditional put of the lock item
// in DynamoDB and/or of the <key>.tflock object, as the lock mode says), so that terraform and this
// project's commands that write state exclude each other.
import { randomUUID } from "crypto";
import * as os from "os";
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { TfstateConfig, usesDynamodbLock, usesS3Lockfile } from "../../config/config";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { version } from "../../package.json";
import { AwsClients } from "../aws/clients";
import { Refusal } from "../cli/errors";
import { isAwsError } from "../aws/not-found";
import { backendEncryption } from "../state/backend-encryption";
import { readLockfile } from "./held-locks";
import { LockInfo, describeHolder, parseLockInfo } from "./lock-info";
import { lockItemId, lockfileKey } from "./state-digest";

/**
 * What terraform writes as a lock's "Who" when this user on this host takes it. Asked when a lock is taken,
 * not at load: a container whose user has no passwd entry (a common CI image) has no user name, and there
 * the uid stands in.
 */
export function lockOwner(): string {
  let user: string;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? String(process.getuid?.() ?? "unknown");
  }
  return `${user}@${os.hostname()}`;
}

export interface StateLock {
  readonly info: LockInfo;
  /** Releases the lock, in each mechanism only if it is still this one. */
  release(): Promise<void>;
}

const conditionFailed = (error: unknown) => isAwsError(error, "ConditionalCheckFailedException", "PreconditionFailed", "ConditionalRequestConflict");

async function lockWithFile(clients: AwsClients, config: TfstateConfig, key: string, info: LockInfo): Promise<() => Promise<void>> {
  const { s3 } = clients;
  const location = { Bucket: config.stateBucket, Key: lockfileKey(key) };
  try {
    // If-None-Match: the put fails when the lock file exists, exactly as use_lockfile's does.
    await s3.send(new PutObjectCommand({ ...location, Body: JSON.stringify(info), ContentType: "application/json", IfNoneMatch: "*", ...backendEncryption(config, key) }));
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    const holder = await readLockfile(clients, config.stateBucket, location.Key).catch(() => undefined);
    throw new Refusal(`s3://${config.stateBucket}/${location.Key} exists: the state is locked, ${describeHolder(holder?.info)}`);
  }
  return async () => {
    const current = await readLockfile(clients, config.stateBucket, location.Key);
    if (current?.info.ID !== info.ID) {
      throw new Error(`s3://${config.stateBucket}/${location.Key} is no longer this lock (${info.ID}): ${current ? `it is ${current.info.ID}, left in place` : "it is gone"}`);
    }
    await s3.send(new DeleteObjectCommand(location));
  };
}

async function lockWithTable({ dynamodb }: AwsClients, config: TfstateConfig, key: string, info: LockInfo): Promise<() => Promise<void>> {
  const Key = { [LOCK_HASH_KEY]: { S: lockItemId(config.stateBucket, key) } };
  const Info = { S: JSON.stringify(info) };
  try {
    await dynamodb.send(
      new PutItemCommand({ TableName: config.lockTable, Item: { ...Key, Info }, ConditionExpression: `attribute_not_exists(${LOCK_HASH_KEY})` }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
    const holder = (await dynamodb.send(new GetItemCommand({ TableName: config.lockTable, Key }))).Item?.Info?.S;
    throw new Refusal(`${config.lockTable} has lock item ${Key[LOCK_HASH_KEY].S}: the state is locked, ${describeHolder(holder === undefined ? undefined : parseLockInfo(holder))}`);
  }
  return async () => {
    await dynamodb.send(new DeleteItemCommand({ TableName: config.lockTable, Key, ConditionExpression: "Info = :info", ExpressionAttributeValues: { ":info": Info } }));
  };
}

/** Takes the lock on the state at `key` in every mechanism the lock mode uses, or fails saying who holds it. */
export async function lockState(clients: AwsClients, config: TfstateConfig, key: string, operation: string, detail: string): Promise<StateLock> {
  const info: LockInfo = {
    ID: randomUUID(),
    Operation: operation,
    Info: detail,
    Who: lockOwner(),
    Version: `tfstate-backend ${version}`,
    Created: new Date().toISOString(),
    Path: lockItemId(config.stateBucket, key),
  };
  // In the same order as terraform: the lock file first, then the table, undoing the first if the second fails.
  const releases: Array<() => Promise<void>> = [];
  try {
    if (usesS3Lockfile(config)) releases.push(await lockWithFile(clients, config, key, info));
    if (usesDynamodbLock(config)) releases.push(await lockWithTable(clients, config, key, info));
  } catch (error) {
    for (const release of releases.reverse()) await release();
    throw error;
  }
  return {
    info,
    async release() {
      for (const release of releases.reverse()) await release();
    },
  };
}
