// The checks of a hardened bucket's settings, one implementation for every bucket doctor reads: the state
// bucket, its replica (the same settings, in another region) and the access-log bucket (some of them).
import { TfstateConfig, isPlainHttpEndpoint } from "../../config/config";
import { BucketSettings } from "../aws/inspect";
import { DEPLOY_BOOTSTRAP } from "./fix-commands";
import { Finding } from "./findings";

export const fail = (check: string, subject: string, message: string, fix: string): Finding => ({ status: "fail", check, subject, message, fix });
export const ok = (check: string, subject: string, message: string): Finding => ({ status: "ok", check, subject, message });
export const okOrDrift = (good: boolean, check: string, subject: string, okMessage: string, failMessage: string): Finding =>
  good ? ok(check, subject, okMessage) : fail(check, subject, failMessage, DEPLOY_BOOTSTRAP);

/** Which bucket: `kind` names its checks (`<kind>.versioning`), `subject` its lines. */
export interface CheckedBucket {
  readonly kind: string;
  readonly subject: string;
}

/** The encryption a bucket is configured with: AES256, or SSE-KMS with this key (an ARN, or words that say which) and a bucket key. */
export const expectedEncryption = (key: string | undefined): string => (key === undefined ? "AES256" : `aws:kms with ${key} and a bucket key`);

/** The encryption a bucket has, in the words of expectedEncryption. */
export function actualEncryption(bucket: BucketSettings): string {
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
export const versioningFinding = ({ kind, subject }: CheckedBucket, bucket: BucketSettings, lost: string): Finding =>
  okOrDrift(bucket.versioning === "Enabled", `${kind}.versioning`, subject, "versioning is Enabled", `versioning is ${bucket.versioning ?? "off (never enabled)"}, not Enabled: ${lost}`);

export function encryptionFinding({ kind, subject }: CheckedBucket, bucket: BucketSettings, expected: string): Finding {
  const actual = actualEncryption(bucket);
  return okOrDrift(actual === expected, `${kind}.encryption`, subject, `encryption is ${actual}, as configured`, `encryption is ${actual}, configured ${expected}`);
}

export function publicAccessFinding({ kind, subject }: CheckedBucket, bucket: BucketSettings): Finding {
  const flagsOff = PUBLIC_ACCESS_FLAGS.filter((flag) => bucket.publicAccessBlock?.[flag] !== true);
  return okOrDrift(flagsOff.length === 0, `${kind}.public-access-block`, subject, "all 4 public access block flags are on", `public access block flags off: ${flagsOff.join(", ")}`);
}

export function ownershipFinding({ kind, subject }: CheckedBucket, bucket: BucketSettings): Finding {
  const ownership = bucket.objectOwnership?.join(", ") || "not set";
  return okOrDrift(ownership === "BucketOwnerEnforced", `${kind}.ownership`, subject, "object ownership is BucketOwnerEnforced (ACLs disabled)", `object ownership is ${ownership}, not BucketOwnerEnforced`);
}

export function tlsOnlyFinding(config: TfstateConfig, { kind, subject }: CheckedBucket, bucket: BucketSettings): Finding {
  const check = `${kind}.tls-only`;
  if (isPlainHttpEndpoint(config)) {
    return { status: "warn", check, subject, message: `TLS-only statement not checked: ${config.endpoint} is plain http, where the stack leaves it out on purpose` };
  }
  return okOrDrift(bucket.policyStatements.some(deniesPlainHttp), check, subject, "the bucket policy denies every request without TLS", "no bucket policy statement denies requests without TLS (aws:SecureTransport false)");
}

export function noncurrentExpiryFinding({ kind, subject }: CheckedBucket, bucket: BucketSettings, days: number): Finding {
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
export function stateBucketFindings(config: TfstateConfig, which: CheckedBucket, bucket: BucketSettings, encryptionKey: string | undefined): Finding[] {
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
