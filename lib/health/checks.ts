// The checks of npm run doctor, on what was read from the backend: no AWS call is made here. The checks of a
// hardened bucket's settings are one implementation for every bucket doctor reads: the state bucket, its replica
// (the same settings, in another region) and the access-log bucket (some of them). Those of what keeps copies of
// the state are made only when their option is set: TFSTATE_REPLICA_REGION (the replication rule, the replica
// bucket, each state object's replication status) and TFSTATE_ACCESS_LOGS (the state bucket's logging, the log bucket).
import type { LoggingEnabled, ReplicationConfiguration, ReplicationRule } from "@aws-sdk/client-s3";
import { TfstateConfig, isPlainHttpEndpoint, usesDynamodbLock, usesS3Lockfile } from "../../config/config";
import { ACCESS_LOG_EXPIRY_DAYS, partitionOf, replicationRoleName } from "../../config/state-copies";
import { LOCK_HASH_KEY, lockTableKeyProblem } from "../../config/lock-table";
import { formatAge } from "../cli/duration";
import { DEPLOY_BOOTSTRAP, fixDigestCommand, lockFilePath, recopyCommand, shellWord, unlockCommand } from "./fix-commands";
import { Finding, lockFacts } from "./findings";
import { TableItems } from "../locks/held-locks";
import { BucketSettings, LockTableSettings, ObjectReplication } from "../aws/inspect";
import { HeldLock, LockMechanism } from "../locks/lock-info";
import { digestItemKey } from "../locks/state-digest";

const fail = (check: string, subject: string, message: string, fix: string): Finding => ({ status: "fail", check, subject, message, fix });
const ok = (check: string, subject: string, message: string): Finding => ({ status: "ok", check, subject, message });
const okOrDrift = (good: boolean, check: string, subject: string, okMessage: string, failMessage: string): Finding =>
  good ? ok(check, subject, okMessage) : fail(check, subject, failMessage, DEPLOY_BOOTSTRAP);

/** Which bucket: `kind` names its checks (`<kind>.versioning`), `subject` its lines. */
interface CheckedBucket {
  readonly kind: string;
  readonly subject: string;
}

/** The encryption a bucket is configured with: AES256, or SSE-KMS with this key (an ARN, or words that say which) and a bucket key. */
const expectedEncryption = (key: string | undefined): string => (key === undefined ? "AES256" : `aws:kms with ${key} and a bucket key`);

/** The encryption a bucket has, in the words of expectedEncryption. */
function actualEncryption(bucket: BucketSettings): string {
  const [rule] = bucket.encryption ?? [];
  if (!rule?.SSEAlgorithm) return "not set";
  if (rule.SSEAlgorithm === "AES256") return "AES256";
  return `${rule.SSEAlgorithm} with ${rule.KMSMasterKeyID ?? "the AWS-managed key"}${bucket.bucketKeyEnabled?.[0] ? " and a bucket key" : ""}`;
}

const PUBLIC_ACCESS_FLAGS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

const deniesPlainHttp = (statement: Record<string, unknown>) =>
  statement.Effect === "Deny" &&
  String((statement.Condition as { Bool?: Record<string, unknown> } | undefined)?.Bool?.["aws:SecureTransport"]) === "false";

/** Versioning Enabled; `lost` says what goes without it. */
const versioningFinding = ({ kind, subject }: CheckedBucket, bucket: BucketSettings, lost: string): Finding =>
  okOrDrift(bucket.versioning === "Enabled", `${kind}.versioning`, subject, "versioning is Enabled", `versioning is ${bucket.versioning ?? "off (never enabled)"}, not Enabled: ${lost}`);

function encryptionFinding({ kind, subject }: CheckedBucket, bucket: BucketSettings, expected: string): Finding {
  const actual = actualEncryption(bucket);
  return okOrDrift(actual === expected, `${kind}.encryption`, subject, `encryption is ${actual}, as configured`, `encryption is ${actual}, configured ${expected}`);
}

function publicAccessFinding({ kind, subject }: CheckedBucket, bucket: BucketSettings): Finding {
  const flagsOff = PUBLIC_ACCESS_FLAGS.filter((flag) => bucket.publicAccessBlock?.[flag] !== true);
  return okOrDrift(flagsOff.length === 0, `${kind}.public-access-block`, subject, "all 4 public access block flags are on", `public access block flags off: ${flagsOff.join(", ")}`);
}

function ownershipFinding({ kind, subject }: CheckedBucket, bucket: BucketSettings): Finding {
  const ownership = bucket.objectOwnership?.join(", ") || "not set";
  return okOrDrift(ownership === "BucketOwnerEnforced", `${kind}.ownership`, subject, "object ownership is BucketOwnerEnforced (ACLs disabled)", `object ownership is ${ownership}, not BucketOwnerEnforced`);
}

function tlsOnlyFinding(config: TfstateConfig, { kind, subject }: CheckedBucket, bucket: BucketSettings): Finding {
  const check = `${kind}.tls-only`;
  if (isPlainHttpEndpoint(config)) {
    return { status: "warn", check, subject, message: `TLS-only statement not checked: ${config.endpoint} is plain http, where the stack leaves it out on purpose` };
  }
  return okOrDrift(bucket.policyStatements.some(deniesPlainHttp), check, subject, "the bucket policy denies every request without TLS", "no bucket policy statement denies requests without TLS (aws:SecureTransport false)");
}

function noncurrentExpiryFinding({ kind, subject }: CheckedBucket, bucket: BucketSettings, days: number): Finding {
  const expiries = (bucket.lifecycleRules ?? [])
    .filter((rule) => rule.Status === "Enabled")
    .map((rule) => rule.NoncurrentVersionExpiration?.NoncurrentDays)
    .filter((value): value is number => value !== undefined);
  return okOrDrift(
    expiries.includes(days),
    `${kind}.lifecycle`,
    subject,
    `noncurrent state versions expire after ${days} days`,
    expiries.length ? `noncurrent versions expire after ${expiries.join(", ")} days, configured ${days}` : "no enabled lifecycle rule expires noncurrent versions",
  );
}

/**
 * A bucket that holds state, as the state bucket construct makes it: the state bucket, and its replica.
 * `encryptionKey`: the key it is encrypted with (an ARN, or words that name it), undefined for AES256.
 */
function stateBucketFindings(config: TfstateConfig, which: CheckedBucket, bucket: BucketSettings, encryptionKey: string | undefined): Finding[] {
  return [
    ok(`${which.kind}.exists`, which.subject, "exists"),
    versioningFinding(which, bucket, "replaced state versions are lost"),
    encryptionFinding(which, bucket, expectedEncryption(encryptionKey)),
    publicAccessFinding(which, bucket),
    ownershipFinding(which, bucket),
    tlsOnlyFinding(config, which, bucket),
    noncurrentExpiryFinding(which, bucket, config.noncurrentVersionDays),
  ];
}

/** What doctor read of the replica: the state bucket's replication, the replica bucket, the state objects' status. */
export interface ReplicationReadings {
  /** Undefined when the state bucket has none. */
  readonly configuration?: ReplicationConfiguration;
  /** Undefined when the replica bucket does not exist. */
  readonly bucket?: BucketSettings;
  /** With TFSTATE_KMS=create: the ARN of the key its alias names in the replica's region. */
  readonly createdKeyArn?: string;
  /** Each existing state object's latest version. */
  readonly objects: readonly ObjectReplication[];
}

/** What doctor read of the access logs: where the state bucket logs to, and the log bucket. */
export interface AccessLogReadings {
  /** Undefined when the state bucket does not log. */
  readonly logging?: LoggingEnabled;
  /** Undefined when the log bucket does not exist. */
  readonly bucket?: BucketSettings;
}

const LOGGING_SERVICE = "logging.s3.amazonaws.com";

const bucketArn = (config: TfstateConfig, bucket: string) => `arn:${partitionOf(config.region)}:s3:::${bucket}`;

/** The key the replica is configured with: the multi-Region key's replica, the created one in its region, or none. */
function replicaKey(config: TfstateConfig, createdKeyArn: string | undefined): string | undefined {
  const replica = config.replica!;
  if (config.kms.mode === "create") return createdKeyArn ?? `the key of ${config.kms.aliasName} in ${replica.region}`;
  return replica.kmsKeyArn;
}

/** What a rule replicates, when it is not every object: its prefix, tag or both. */
function ruleScope(rule: ReplicationRule): string | undefined {
  const filter = rule.Filter;
  const prefix = filter?.Prefix ?? filter?.And?.Prefix ?? rule.Prefix;
  const tags = [...(filter?.Tag ? [filter.Tag] : []), ...(filter?.And?.Tags ?? [])];
  const parts = [...(prefix ? [`prefix ${JSON.stringify(prefix)}`] : []), ...tags.map((tag) => `tag ${tag.Key}=${tag.Value}`)];
  return parts.length ? parts.join(" and ") : undefined;
}

function ruleFindings(config: TfstateConfig, subject: string, rules: readonly ReplicationRule[], keyArn: string | undefined): Finding[] {
  const enabled = rules.filter((rule) => rule.Status === "Enabled");
  const [rule] = enabled;
  const scope = rule && ruleScope(rule);
  const ruleProblem =
    enabled.length === 0
      ? rules.length
        ? `its ${rules.length} rule(s) are all Disabled: nothing is replicated`
        : "it has no rule: nothing is replicated"
      : enabled.length > 1
        ? `${enabled.length} Enabled rules (${enabled.map((r) => r.ID ?? "unnamed").join(", ")}), configured one for every object`
        : scope
          ? `rule ${rule.ID ?? "unnamed"} replicates only objects with ${scope}, configured every object (an empty filter)`
          : undefined;
  const ruleFinding = okOrDrift(ruleProblem === undefined, "replication.rule", subject, `one Enabled rule, ${rule?.ID ?? "unnamed"}, for every object`, ruleProblem!);
  if (enabled.length !== 1) return [ruleFinding];

  const replica = config.replica!.bucket;
  const destination = rule.Destination?.Bucket ?? "none";
  const findings = [
    ruleFinding,
    okOrDrift(
      rule.DeleteMarkerReplication?.Status === "Enabled",
      "replication.delete-markers",
      subject,
      "delete markers are replicated",
      `DeleteMarkerReplication is ${rule.DeleteMarkerReplication?.Status ?? "not set"}, configured Enabled: a state deleted here stays current in the replica`,
    ),
    okOrDrift(destination === bucketArn(config, replica), "replication.destination", subject, `into ${destination}`, `into ${destination}, configured ${bucketArn(config, replica)}`),
  ];
  if (keyArn === undefined) return findings;
  const kmsObjects = rule.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status ?? "not set";
  const replicaKeyId = rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID ?? "none";
  const kmsProblems = [
    ...(kmsObjects === "Enabled" ? [] : [`SseKmsEncryptedObjects is ${kmsObjects}, configured Enabled: S3 replicates no object encrypted with a KMS key, so no state`]),
    ...(replicaKeyId === keyArn ? [] : [`replicas are encrypted with ${replicaKeyId}, configured ${keyArn}`]),
  ];
  findings.push(okOrDrift(kmsProblems.length === 0, "replication.kms", subject, `SSE-KMS objects are replicated, encrypted with ${keyArn}`, kmsProblems.join("; ")));
  return findings;
}

/** The state bucket's replication configuration: the role, one rule for every object, delete markers, the replica, its key. */
export function replicationFindings(config: TfstateConfig, configuration: ReplicationConfiguration | undefined, createdKeyArn?: string): Finding[] {
  const replica = config.replica!;
  const subject = `replication s3://${config.stateBucket} → s3://${replica.bucket}`;
  if (!configuration) {
    return [fail("replication.configured", subject, `the state bucket has no replication configuration: nothing is copied into the replica`, DEPLOY_BOOTSTRAP)];
  }
  const roleName = replicationRoleName(config.stateBucket);
  const role = configuration.Role ?? "none";
  const roleMatches = new RegExp(`^arn:${partitionOf(config.region)}:iam::\\d{12}:role/${roleName.replace(/[.+]/g, "\\$&")}$`).test(role);
  return [
    okOrDrift(roleMatches, "replication.role", subject, `replicates as role ${role}`, `replicates as role ${role}, configured the role ${roleName}`),
    ...ruleFindings(config, subject, configuration.Rules ?? [], config.kms.mode === "aes256" ? undefined : replicaKey(config, createdKeyArn)),
  ];
}

/** The replica bucket, read in its region: the same checks as the state bucket's. */
export function replicaBucketFindings(config: TfstateConfig, bucket: BucketSettings | undefined, createdKeyArn?: string): Finding[] {
  const replica = config.replica!;
  const which: CheckedBucket = { kind: "replica", subject: `replica bucket s3://${replica.bucket} in ${replica.region}` };
  if (!bucket) return [fail("replica.exists", which.subject, "does not exist: there is no copy of the state", DEPLOY_BOOTSTRAP)];
  return stateBucketFindings(config, which, bucket, config.kms.mode === "aes256" ? undefined : replicaKey(config, createdKeyArn));
}

/**
 * The replication status of a state object's latest version: COMPLETED, or PENDING for less than
 * `staleAfterMs`, is fine; PENDING for longer, no status, or FAILED means the replica lacks it.
 */
export function objectReplicationFinding(config: TfstateConfig, object: ObjectReplication, options: { readonly now: Date; readonly staleAfterMs: number }): Finding {
  const replica = config.replica!.bucket;
  const subject = `s3://${config.stateBucket}/${object.key}`;
  const check = "state.replication";
  const version = `latest version ${object.versionId ?? "(no version ID)"}`;
  const recopy = recopyCommand(config.stateBucket, object.key);
  const writeAgain = `a new version replicates: the next terraform apply that changes this state writes one, or ${recopy}`;
  switch (object.status) {
    case "COMPLETED":
      return ok(check, subject, `${version} is replicated (COMPLETED)`);
    case "PENDING": {
      const ageMs = object.lastModified ? options.now.getTime() - object.lastModified.getTime() : NaN;
      const age = Number.isNaN(ageMs) ? "of unknown age" : `written ${formatAge(ageMs)} ago`;
      if (ageMs <= options.staleAfterMs) return ok(check, subject, `${version} is being replicated (PENDING, ${age})`);
      return {
        status: "warn",
        check,
        subject,
        message:
          `${version} is still PENDING, ${age}, longer than ${formatAge(options.staleAfterMs)}: S3 replicates most objects within 15 minutes; ` +
          "look at the replication role's permissions, the replica bucket and, with KMS, the keys (S3 marks it FAILED when it gives up)",
      };
    }
    case "FAILED":
      return fail(
        check,
        subject,
        `${version} FAILED to replicate: s3://${replica} has no copy of it, and S3 does not try again; a new version replicates: ` +
          "the next terraform apply that changes this state writes one, and so does the fix (a copy of the object onto itself); " +
          "S3 Batch Replication (a job filtered on ReplicationStatus FAILED) replicates this version itself",
        recopy,
      );
    case undefined:
      return {
        status: "warn",
        check,
        subject,
        message:
          `${version} has no replication status: it was written before replication was set up, so s3://${replica} has no copy of it; ` +
          `${writeAgain}; S3 Batch Replication replicates the versions written before`,
      };
    default:
      return { status: "warn", check, subject, message: `${version}'s replication status is ${object.status}, not COMPLETED` };
  }
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** Every value of a condition key, whatever the operator (ArnLike, ArnEquals, StringEquals...). */
const conditionValues = (statement: Record<string, unknown>, key: string): string[] =>
  Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap((operator) => asArray(operator?.[key]).map(String));

/** A statement that lets S3's log delivery write the state bucket's logs: only for that bucket, and only in an account. */
function allowsLogDelivery(statement: Record<string, unknown>, stateBucketArn: string, logObjects: string): boolean {
  const services = asArray((statement.Principal as { Service?: unknown } | undefined)?.Service);
  const actions = asArray(statement.Action);
  const resources = asArray(statement.Resource).map(String);
  return (
    statement.Effect === "Allow" &&
    services.includes(LOGGING_SERVICE) &&
    (actions.includes("s3:PutObject") || actions.includes("s3:*")) &&
    resources.some((resource) => logObjects.startsWith(resource.replace(/\*$/, ""))) &&
    conditionValues(statement, "aws:SourceArn").includes(stateBucketArn) &&
    conditionValues(statement, "aws:SourceAccount").length > 0
  );
}

/** The state bucket's server access logging, which doctor reports with the state bucket's own checks. */
export function accessLoggingFinding(config: TfstateConfig, logging: LoggingEnabled | undefined): Finding {
  const { bucket, prefix } = config.accessLogs!;
  const configured = `s3://${bucket} under ${prefix}`;
  const actual = logging ? `s3://${logging.TargetBucket} under ${logging.TargetPrefix || "no prefix"}` : undefined;
  return okOrDrift(
    actual === configured,
    "bucket.access-logging",
    `bucket s3://${config.stateBucket}`,
    `server access logs go to ${configured}`,
    actual ? `server access logs go to ${actual}, configured ${configured}` : `server access logging is off, configured into ${configured}: no record of who read or wrote state`,
  );
}

/** The log bucket: versioned, SSE-S3 (log delivery cannot write with SSE-KMS), private, written by log delivery alone, expiring its logs. */
export function logBucketFindings(config: TfstateConfig, bucket: BucketSettings | undefined): Finding[] {
  const { bucket: name, prefix } = config.accessLogs!;
  const which: CheckedBucket = { kind: "log-bucket", subject: `log bucket s3://${name}` };
  const { kind, subject } = which;
  if (!bucket) return [fail(`${kind}.exists`, subject, "does not exist: S3 delivers no access log", DEPLOY_BOOTSTRAP)];
  const encryption = actualEncryption(bucket);
  const logArn = bucketArn(config, name);
  const expiries = (bucket.lifecycleRules ?? [])
    .filter((rule) => rule.Status === "Enabled")
    .map((rule) => rule.Expiration?.Days)
    .filter((days): days is number => days !== undefined);
  return [
    ok(`${kind}.exists`, subject, "exists"),
    versioningFinding(which, bucket, "a log deleted or overwritten is lost"),
    okOrDrift(
      encryption === "AES256",
      `${kind}.encryption`,
      subject,
      "encryption is AES256, as log delivery requires",
      encryption.startsWith("aws:kms")
        ? `encryption is ${encryption}: S3 delivers no server access log to a bucket whose default encryption is SSE-KMS; configured AES256`
        : `encryption is ${encryption}, configured AES256`,
    ),
    publicAccessFinding(which, bucket),
    ownershipFinding(which, bucket),
    tlsOnlyFinding(config, which, bucket),
    okOrDrift(
      bucket.policyStatements.some((statement) => allowsLogDelivery(statement, bucketArn(config, config.stateBucket), `${logArn}/${prefix}`)),
      `${kind}.log-delivery`,
      subject,
      `the bucket policy lets ${LOGGING_SERVICE} write under ${prefix}, for s3://${config.stateBucket} in one account`,
      `no bucket policy statement lets ${LOGGING_SERVICE} write (s3:PutObject) under ${prefix} with aws:SourceArn ${bucketArn(config, config.stateBucket)} and aws:SourceAccount: S3 delivers no access log`,
    ),
    okOrDrift(
      expiries.includes(ACCESS_LOG_EXPIRY_DAYS),
      `${kind}.expiration`,
      subject,
      `logs expire after ${ACCESS_LOG_EXPIRY_DAYS} days`,
      expiries.length ? `logs expire after ${expiries.join(", ")} days, configured ${ACCESS_LOG_EXPIRY_DAYS}` : "no enabled lifecycle rule expires the logs: they are kept for ever",
    ),
  ];
}

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
