import { S3Backend, TerraformStack } from "cdktf";
import { TfstateConfig, usesDynamodbLock, usesS3Lockfile } from "../config/config";

export type BackendValue = string | boolean | Record<string, string>;

/** The key the backend encrypts state with: the created key by its alias (its ARN is not known before bootstrap), or yours. */
export function backendKmsKeyId(config: TfstateConfig): string | undefined {
  if (config.kms.mode === "create") return config.kms.aliasName;
  if (config.kms.mode === "existing") return config.kms.keyArn;
  return undefined;
}

/**
 * The `backend "s3"` settings for state at `key`, as terraform spells them: the one definition that both
 * the stacks and backend.hcl (for plain Terraform directories) are made from.
 */
export function s3BackendSettings(config: TfstateConfig, key: string): Record<string, BackendValue> {
  const kmsKeyId = backendKmsKeyId(config);
  const endpoint = config.endpoint;
  return {
    bucket: config.stateBucket,
    key,
    region: config.region,
    encrypt: true,
    ...(kmsKeyId && { kms_key_id: kmsKeyId }),
    ...(usesDynamodbLock(config) && { dynamodb_table: config.lockTable }),
    ...(usesS3Lockfile(config) && { use_lockfile: true }),
    ...(endpoint && {
      endpoints: { s3: endpoint, dynamodb: endpoint, sts: endpoint, iam: endpoint },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
    }),
  };
}

/** Points a stack's state at `key` in the state bucket, locked the way config.lockMode says. */
export function addS3Backend(stack: TerraformStack, config: TfstateConfig, key: string): S3Backend {
  const { bucket, region, ...rest } = s3BackendSettings(config, key);
  const backend = new S3Backend(stack, { bucket: String(bucket), key, region: String(region) });
  // Overrides, not props: cdktf 0.21's S3Backend has no useLockfile, and one spelling serves backend.hcl too.
  for (const [name, value] of Object.entries(rest)) if (name !== "key") backend.addOverride(name, value);
  return backend;
}
