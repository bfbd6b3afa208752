import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { TfstateConfig } from "../../config/config";

interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const clientOptions = (config: TfstateConfig, credentials?: StaticCredentials) => ({
  region: config.region,
  ...(config.endpoint && { endpoint: config.endpoint }),
  ...(credentials && { credentials }),
});

/**
 * SDK clients for the config's region and endpoint, so scripts read the same place terraform writes.
 * Credentials come from the usual chain unless given.
 */
export function awsClients(config: TfstateConfig, credentials?: StaticCredentials) {
  const common = clientOptions(config, credentials);
  return {
    s3: new S3Client({ ...common, forcePathStyle: Boolean(config.endpoint) }),
    dynamodb: new DynamoDBClient(common),
    ec2: new EC2Client(common),
  };
}

export type AwsClients = ReturnType<typeof awsClients>;

/** A KMS client for the config's region and endpoint, for the few commands that look at keys. */
export const kmsClient = (config: TfstateConfig, credentials?: StaticCredentials) => new KMSClient(clientOptions(config, credentials));
