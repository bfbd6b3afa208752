import { TfstateConfig, usesDynamodbLock, usesS3Lockfile } from "./config";

export type BackendValue = string | boolean | Record<string, string>;

/** The services the S3 backend itself calls; an emulator endpoint must answer all of them. */
const BACKEND_SERVICES = ["s3", "dynamodb", "sts", "iam"] as const;

/** The key the backend encrypts state with: the created key by its alias (its ARN is not known before bootstrap), or yours. */
function backendKmsKeyId(config: TfstateConfig): string | undefined {
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
    ...(config.backendRoleArn && { assume_role: { role_arn: config.backendRoleArn } }),
    ...(endpoint && {
      endpoints: Object.fromEntries(BACKEND_SERVICES.map((service) => [service, endpoint])),
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
    }),
  };
}
