import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { S3Client } from "@aws-sdk/client-s3";
import { TfstateConfig } from "../config/config";

/** SDK clients for the config's region and endpoint, so scripts read the same place terraform writes. */
export function awsClients(config: TfstateConfig) {
  const common = { region: config.region, ...(config.endpoint && { endpoint: config.endpoint }) };
  return {
    s3: new S3Client({ ...common, forcePathStyle: Boolean(config.endpoint) }),
    dynamodb: new DynamoDBClient(common),
    ec2: new EC2Client(common),
  };
}

export type AwsClients = ReturnType<typeof awsClients>;
