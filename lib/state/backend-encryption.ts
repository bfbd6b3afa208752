import { ServerSideEncryption } from "@aws-sdk/client-s3";
import { s3BackendSettings } from "../../config/backend-settings";
import { TfstateConfig } from "../../config/config";

/** The encryption headers terraform's S3 backend puts state and lock files with (encrypt = true, kms_key_id when set). */
export function backendEncryption(config: TfstateConfig, key: string): { ServerSideEncryption: ServerSideEncryption; SSEKMSKeyId?: string } {
  const kmsKeyId = s3BackendSettings(config, key).kms_key_id;
  return typeof kmsKeyId === "string" ? { ServerSideEncryption: "aws:kms", SSEKMSKeyId: kmsKeyId } : { ServerSideEncryption: "AES256" };
}
