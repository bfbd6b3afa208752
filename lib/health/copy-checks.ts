// doctor's checks of what keeps copies of the state bucket's contents, each only when its option is set:
// TFSTATE_REPLICA_REGION (the replication rule, the replica bucket, each state object's replication status)
// and TFSTATE_ACCESS_LOGS (the state bucket's logging and the log bucket). No AWS call is made here.
import type { LoggingEnabled, ReplicationConfiguration, ReplicationRule } from "@aws-sdk/client-s3";
import { TfstateConfig } from "../../config/config";
import { ACCESS_LOG_EXPIRY_DAYS, partitionOf, replicationRoleName } from "../../config/state-copies";
import { formatAge } from "../cli/duration";
import { BucketSettings, ObjectReplication } from "../aws/inspect";
import {
  CheckedBucket,
  actualEncryption,
  fail,
  ok,
  okOrDrift,
  ownershipFinding,
  publicAccessFinding,
  stateBucketFindings,
  tlsOnlyFinding,
  versioningFinding,
} from "./bucket-checks";
import { DEPLOY_BOOTSTRAP, recopyCommand } from "./fix-commands";
import { Finding } from "./findings";

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
  const writeAgain = `a new version replicates: any terraform apply of this state writes one, or ${recopy}`;
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
        `${version} FAILED to replicate: s3://${replica} has no copy of it, and S3 does not try again; ${writeAgain}; ` +
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
