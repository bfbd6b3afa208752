import { S3Backend, TerraformStack } from "cdktf";
import { TfstateConfig, usesDynamodbLock, usesS3Lockfile } from "../config/config";

/** Points a stack's state at `key` in the state bucket, locked the way config.lockMode says. */
export function addS3Backend(stack: TerraformStack, config: TfstateConfig, key: string): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: config.stateBucket,
    key,
    region: config.region,
    encrypt: true,
    ...(usesDynamodbLock(config) && { dynamodbTable: config.lockTable }),
    ...(config.endpoint && {
      endpoints: { s3: config.endpoint, dynamodb: config.endpoint, sts: config.endpoint, iam: config.endpoint },
      usePathStyle: true,
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: true,
    }),
  });
  // cdktf 0.21's S3Backend has no useLockfile property.
  if (usesS3Lockfile(config)) backend.addOverride("use_lockfile", true);
  return backend;
}
