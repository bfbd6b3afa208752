import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { S3Client } from "@aws-sdk/client-s3";
import { TfstateConfig } from "../config/config";

interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * SDK clients for the config's region and endpoint, so scripts read the same place terraform writes.
 * Credentials come from the usual chain unless given.
 */
export function awsClients(config: TfstateConfig, credentials?: StaticCredentials) {
  const common = { region: config.region, ...(config.endpoint && { endpoint: config.endpoint }), ...(credentials && { credentials }) };
  return {
    s3: new S3Client({ ...common, forcePathStyle: Boolean(config.endpoint) }),
    dynamodb: new DynamoDBClient(common),
    ec2: new EC2Client(common),
  };
}

export type AwsClients = ReturnType<typeof awsClients>;
