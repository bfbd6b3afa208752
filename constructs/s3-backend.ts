import { S3Backend, TerraformStack } from "cdktf";
import { TfstateConfig, usesDynamodbLock, usesS3Lockfile } from "../config/config";

/** The key the backend encrypts state with: the created key by its alias (its ARN is not known before bootstrap), or yours. */
export function backendKmsKeyId(config: TfstateConfig): string | undefined {
  if (config.kms.mode === "create") return config.kms.aliasName;
  if (config.kms.mode === "existing") return config.kms.keyArn;
  return undefined;
}

/** Points a stack's state at `key` in the state bucket, locked the way config.lockMode says. */
export function addS3Backend(stack: TerraformStack, config: TfstateConfig, key: string): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: config.stateBucket,
    key,
    region: config.region,
    encrypt: true,
    ...(backendKmsKeyId(config) && { kmsKeyId: backendKmsKeyId(config) }),
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
