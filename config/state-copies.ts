// The names of what keeps copies of the state bucket's contents: the replica bucket in TFSTATE_REPLICA_REGION,
// the role S3 replicates with, and the bucket the state bucket's server access logs go to. Each is made from
// the state bucket's name, so that bootstrap, doctor and teardown agree on them without a setting of their own.
import { s3BucketName } from "./rules";

const S3_BUCKET_NAME_MAX = 63;
const IAM_ROLE_NAME_MAX = 64;

/** `<bucket><suffix>`, the bucket's name cut (and any dot or hyphen it then ends in dropped) to fit S3's 63 characters. */
function bucketWithSuffix(stateBucket: string, suffix: string): string {
  const name = `${stateBucket.slice(0, S3_BUCKET_NAME_MAX - suffix.length).replace(/[.-]+$/, "")}${suffix}`;
  const broken = s3BucketName(name);
  // Cannot happen for a valid state bucket name; said plainly if it ever does.
  if (broken) throw new Error(`the bucket name ${JSON.stringify(name)} made from ${JSON.stringify(stateBucket)} ${broken}`);
  return name;
}

/** The replica of the state bucket: `<bucket>-replica-<region>`, the bucket's part cut to fit. */
export const replicaBucketName = (stateBucket: string, region: string) => bucketWithSuffix(stateBucket, `-replica-${region}`);

/** The bucket that receives the state bucket's server access logs: `<bucket>-access-logs`, the bucket's part cut to fit. */
export const accessLogBucketName = (stateBucket: string) => bucketWithSuffix(stateBucket, "-access-logs");

/** Where in the log bucket the state bucket's logs go: one prefix per source bucket, as S3 recommends. */
export const accessLogPrefix = (stateBucket: string) => `${stateBucket}/`;

/** Days the access logs are kept before S3 expires them: a year of who read the state, and no log kept for ever. */
export const ACCESS_LOG_EXPIRY_DAYS = 365;

/** The role that S3 assumes to replicate: `tfstate-<bucket>-replication`, the bucket's part cut to fit IAM's 64 characters. */
export const replicationRoleName = (stateBucket: string) => {
  const suffix = "-replication";
  return `${`tfstate-${stateBucket}`.slice(0, IAM_ROLE_NAME_MAX - suffix.length)}${suffix}`;
};

/** The partition a region is in: replication cannot cross one. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  const iso = /^[a-z]{2}-iso([a-z]?)-/.exec(region);
  if (iso) return iso[1] ? `aws-iso-${iso[1]}` : "aws-iso";
  return "aws";
}

/** A multi-Region key's ARN for its replica in `region` (same key ID), or undefined for a single-Region key. */
export function multiRegionKeyIn(keyArn: string, region: string): string | undefined {
  const parts = keyArn.split(":");
  if (!parts[5]?.startsWith("key/mrk-")) return undefined;
  parts[3] = region;
  return parts.join(":");
}
