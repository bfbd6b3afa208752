// The checks of npm run doctor, on what was read from the backend: no AWS call is made here.
import { TfstateConfig, usesDynamodbLock, usesS3Lockfile } from "../../config/config";
import { LOCK_HASH_KEY, lockTableKeyProblem } from "../../config/lock-table";
import { formatAge } from "../cli/duration";
import { DEPLOY_BOOTSTRAP, fixDigestCommand, lockFilePath, shellWord, unlockCommand } from "./fix-commands";
import { Finding, lockFacts } from "./findings";
import { fail, ok, okOrDrift, stateBucketFindings } from "./bucket-checks";
import {
  AccessLogReadings,
  ReplicationReadings,
  accessLoggingFinding,
  logBucketFindings,
  objectReplicationFinding,
  replicaBucketFindings,
  replicationFindings,
} from "./copy-checks";
import { TableItems } from "../locks/held-locks";
import { BucketSettings, LockTableSettings } from "../aws/inspect";
import { HeldLock, LockMechanism } from "../locks/lock-info";
import { digestItemKey } from "../locks/state-digest";

export interface BackendReadings {
  readonly bucket: BucketSettings;
  /** With TFSTATE_KMS=create: the ARN of the key its alias names; undefined when there is no such alias. */
  readonly createdKeyArn?: string;
  /** Undefined when the table does not exist. */
  readonly table?: LockTableSettings;
  /** Every current object in the bucket. */
  readonly objectKeys: readonly string[];
  /** The table's items by LockID; empty without a table. */
  readonly tableItems: TableItems;
  readonly locks: readonly HeldLock[];
  /** The MD5 of each state object that has a digest item. */
  readonly objectMd5s: Readonly<Record<string, string>>;
  /** With TFSTATE_REPLICA_REGION. */
  readonly replication?: ReplicationReadings;
  /** With TFSTATE_ACCESS_LOGS. */
  readonly accessLogs?: AccessLogReadings;
}

interface CheckOptions {
  readonly now: Date;
  readonly staleAfterMs: number;
}

/** The digest items of this bucket's state objects, by state key. */
export function digestsOf(bucket: string, items: TableItems): Record<string, string> {
  return Object.fromEntries(
    Object.entries(items)
      .map(([lockId, { Digest }]) => [digestItemKey(bucket, lockId), Digest])
      .filter((entry): entry is [string, string] => entry[0] !== undefined && entry[1] !== undefined),
  );
}

/**
 * The state objects to check: every key ending in .tfstate (terraform's own default, the bootstrap key,
 * workspace keys "env:/<name>/..." and plain HCL directories alike), the configured keys whatever their
 * name, and any key that a digest item or a lock names. Objects are not opened to guess at their content.
 */
export function stateKeys(config: TfstateConfig, objectKeys: readonly string[], digests: Record<string, string>, locks: readonly HeldLock[]): string[] {
  const configured = new Set([config.stateKey, config.bootstrapStateKey]);
  const keys = new Set([
    ...objectKeys.filter((key) => key.endsWith(".tfstate") || configured.has(key)),
    ...Object.keys(digests),
    ...locks.filter((lock) => lock.bucket === config.stateBucket).map((lock) => lock.key),
  ]);
  return [...keys].sort();
}

/** The key the state bucket is configured with: yours, the created one (or its alias, when it names none), or none. */
function stateBucketKey(config: TfstateConfig, createdKeyArn: string | undefined): string | undefined {
  if (config.kms.mode === "aes256") return undefined;
  return config.kms.mode === "existing" ? config.kms.keyArn : createdKeyArn ?? `the key of ${config.kms.aliasName}`;
}

export const bucketFindings = (config: TfstateConfig, bucket: BucketSettings, createdKeyArn?: string): Finding[] =>
  stateBucketFindings(config, { kind: "bucket", subject: `bucket s3://${config.stateBucket}` }, bucket, stateBucketKey(config, createdKeyArn));

export function tableFindings(config: TfstateConfig, table: LockTableSettings | undefined): Finding[] {
  const subject = `table ${config.lockTable}`;
  if (!table && !usesDynamodbLock(config)) return [ok("table.exists", subject, "none, and the s3 lock mode needs none")];
  if (!table) return [fail("table.exists", subject, "does not exist", DEPLOY_BOOTSTRAP)];
  const keyProblem = lockTableKeyProblem({ KeySchema: table.keySchema, AttributeDefinitions: table.attributes });
  const protection: Finding = table.deletionProtection
    ? ok("table.deletion-protection", subject, "deletion protection is on")
    : config.allowDestroy
      ? { status: "warn", check: "table.deletion-protection", subject, message: "deletion protection is off, as TFSTATE_ALLOW_DESTROY=true asks" }
      : fail("table.deletion-protection", subject, "deletion protection is off", DEPLOY_BOOTSTRAP);
  return [
    keyProblem
      ? fail("table.key", subject, keyProblem, `aws dynamodb delete-table --table-name ${shellWord(config.lockTable)} && ${DEPLOY_BOOTSTRAP}`)
      : ok("table.key", subject, `hash key ${LOCK_HASH_KEY} of type S`),
    okOrDrift(table.pointInTimeRecovery === "ENABLED", "table.point-in-time-recovery", subject, "point-in-time recovery is on", `point-in-time recovery is ${table.pointInTimeRecovery ?? "off"}`),
    protection,
  ];
}

/** Terraform 1.11 prints "Deprecated Parameter" for dynamodb_table at every init: the way off it, in the modes that use it. */
export function lockModeFindings(config: TfstateConfig): Finding[] {
  if (config.lockMode === "s3") return [];
  return [
    {
      status: "warn",
      check: "lock.dynamodb-deprecated",
      subject: "lock",
      message: `DynamoDB locking is deprecated since Terraform 1.11 (dynamodb_table); move to the lock file: ${lockFilePath(config.lockMode)}`,
    },
  ];
}

const modeUses = (config: TfstateConfig, mechanism: LockMechanism) => (mechanism === "dynamodb" ? usesDynamodbLock(config) : usesS3Lockfile(config));

function lockFinding(config: TfstateConfig, subject: string, lock: HeldLock, digestStale: boolean, options: CheckOptions): Finding {
  const facts = lockFacts(lock, options.now, options.staleAfterMs);
  const age = facts.ageSeconds === null ? "of unknown age" : `${formatAge(facts.ageSeconds * 1000)} old`;
  const held = `${lock.mechanism} lock ${facts.id} by ${facts.who}, ${facts.operation}, created ${facts.created} (${age})`;
  const unused = modeUses(config, lock.mechanism)
    ? ""
    : `; TFSTATE_LOCK=${config.lockMode} does not use ${lock.mechanism} locks, so runs configured like this one do not wait for it`;
  if (facts.stale) {
    return {
      status: "fail",
      check: "state.lock",
      subject,
      message: `stale ${held}: older than ${formatAge(options.staleAfterMs)}${unused}`,
      fix: unlockCommand(facts.id, digestStale),
      lock: facts,
    };
  }
  return { status: "warn", check: "state.lock", subject, message: `held: ${held}: a run is going on, or its holder died${unused}`, lock: facts };
}

interface DigestFacts {
  readonly key: string;
  readonly subject: string;
  readonly objectExists: boolean;
  /** The digest item's MD5, if there is one. */
  readonly digest?: string;
  /** The object's MD5, read only when there is a digest to compare it with. */
  readonly md5?: string;
}

function digestFinding({ key, subject, objectExists, digest, md5 }: DigestFacts, keyLocks: readonly HeldLock[], options: CheckOptions): Finding | undefined {
  if (digest === undefined) return objectExists ? ok("state.digest", subject, "no digest item, so nothing to compare") : undefined;
  if (objectExists && digest === md5) return ok("state.digest", subject, `digest item matches the object (MD5 ${md5})`);
  const what = objectExists
    ? `digest item ${digest} does not match the object's MD5 ${md5}`
    : `digest item ${digest} names a state object that does not exist`;
  const message = `${what}: terraform with DynamoDB locking refuses this state ("checksum ... does not match the checksum stored in DynamoDB")`;
  const liveLock = keyLocks.find((lock) => !lockFacts(lock, options.now, options.staleAfterMs).stale);
  if (liveLock) return { status: "warn", check: "state.digest", subject, message: `${message}; a run holds the lock and may be writing it: look again when it ends` };
  const [staleLock] = keyLocks;
  return fail("state.digest", subject, message, staleLock ? unlockCommand(staleLock.info.ID, true) : fixDigestCommand(key));
}

/** For each state object: its digest against its MD5, and each lock on it, or that it is not locked. */
export function stateFindings(config: TfstateConfig, readings: BackendReadings, options: CheckOptions): Finding[] {
  const digests = digestsOf(config.stateBucket, readings.tableItems);
  const objects = new Set(readings.objectKeys);
  const findings: Finding[] = [];
  for (const key of stateKeys(config, readings.objectKeys, digests, readings.locks)) {
    const subject = `s3://${config.stateBucket}/${key}`;
    const keyLocks = readings.locks.filter((lock) => lock.bucket === config.stateBucket && lock.key === key);
    const digest = digestFinding({ key, subject, objectExists: objects.has(key), digest: digests[key], md5: readings.objectMd5s[key] }, keyLocks, options);
    if (digest) findings.push(digest);
    const digestStale = digest !== undefined && digest.status !== "ok";
    findings.push(...keyLocks.map((lock) => lockFinding(config, subject, lock, digestStale, options)));
    if (keyLocks.length === 0) findings.push(ok("state.lock", subject, "not locked"));
    const replicated = config.replica && readings.replication?.objects.find((object) => object.key === key);
    if (replicated) findings.push(objectReplicationFinding(config, replicated, options));
  }
  // The table may hold the locks of other buckets' state too.
  for (const lock of readings.locks.filter((lock) => lock.bucket !== config.stateBucket)) {
    findings.push(lockFinding(config, `s3://${lock.bucket}/${lock.key}`, lock, false, options));
  }
  return findings;
}

/** With TFSTATE_REPLICA_REGION: the replication rule and the replica bucket. With TFSTATE_ACCESS_LOGS: the logging and the log bucket. */
function copyFindings(config: TfstateConfig, readings: BackendReadings): Finding[] {
  const replication = readings.replication ?? { objects: [] };
  const accessLogs = readings.accessLogs ?? {};
  return [
    ...(config.replica ? [...replicationFindings(config, replication.configuration, replication.createdKeyArn), ...replicaBucketFindings(config, replication.bucket, replication.createdKeyArn)] : []),
    ...(config.accessLogs ? logBucketFindings(config, accessLogs.bucket) : []),
  ];
}

export function diagnose(config: TfstateConfig, readings: BackendReadings, options: CheckOptions): Finding[] {
  return [
    ...bucketFindings(config, readings.bucket, readings.createdKeyArn),
    ...(config.accessLogs ? [accessLoggingFinding(config, readings.accessLogs?.logging)] : []),
    ...copyFindings(config, readings),
    ...tableFindings(config, readings.table),
    ...lockModeFindings(config),
    ...stateFindings(config, readings, options),
  ];
}
