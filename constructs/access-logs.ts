// TFSTATE_ACCESS_LOGS: who read or wrote the state, from S3's server access logs, in a bucket of their own.
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { AES256, StateBucket, privateBucketSettings, tlsOnlyStatement } from "./state-bucket";

// The service principal that delivers server access logs.
const LOGGING_SERVICE = "logging.s3.amazonaws.com";
const ABORT_INCOMPLETE_UPLOADS_DAYS = 7;
// Log objects are never overwritten: a noncurrent version is one that expiry just replaced with a delete marker.
const NONCURRENT_LOG_DAYS = 1;

export interface AccessLogsProps {
  /** The bucket whose requests are logged. */
  readonly source: StateBucket;
  readonly bucketName: string;
  /** Where in the log bucket the source's logs go: `<bucket>/`. */
  readonly prefix: string;
  readonly expiryDays: number;
  readonly accountId: string;
  /** The TLS-only statement; left out only for a plain-http emulator, as on the state bucket. */
  readonly requireTls: boolean;
  readonly preventDestroy: boolean;
}

/**
 * The log bucket (versioned, SSE-S3 as log delivery requires, private, TLS-only, expiring its logs) that only S3's
 * logging service may write to, and only for the source bucket in this account; and the source's logging into it.
 */
export class AccessLogs extends Construct {
  readonly bucket: S3Bucket;
  readonly logging: S3BucketLoggingA;

  constructor(scope: Construct, id: string, props: AccessLogsProps) {
    super(scope, id);

    this.bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName, lifecycle: { preventDestroy: props.preventDestroy } });
    const bucket = this.bucket.id;
    // Server access log delivery writes only to a bucket with SSE-S3 as its default encryption, never SSE-KMS;
    // with ACLs off, it is granted by the bucket policy alone.
    const { publicAccessBlock } = privateBucketSettings(this, bucket, { encryption: AES256 });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{}],
          expiration: [{ days: props.expiryDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_LOG_DAYS }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_DAYS }],
        },
      ],
    });
    const policy = new S3BucketPolicy(this, "policy", {
      bucket,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          ...(props.requireTls ? [tlsOnlyStatement(this.bucket.arn)] : []),
          {
            Sid: "S3ServerAccessLogsOfTheStateBucket",
            Effect: "Allow",
            Principal: { Service: LOGGING_SERVICE },
            Action: "s3:PutObject",
            Resource: `${this.bucket.arn}/${props.prefix}*`,
            Condition: { ArnLike: { "aws:SourceArn": props.source.bucket.arn }, StringEquals: { "aws:SourceAccount": props.accountId } },
          },
        ],
      }),
      // S3 rejects a policy put while the public access block is being written.
      dependsOn: [publicAccessBlock],
    });

    this.logging = new S3BucketLoggingA(this, "state-bucket-logging", {
      bucket: props.source.bucket.id,
      targetBucket: bucket,
      targetPrefix: props.prefix,
      // Delivery starts once the policy lets it in.
      dependsOn: [policy],
    });
  }
}
