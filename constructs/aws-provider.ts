import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfstateConfig } from "../config/config";

// kms is listed even with AES256: reading a table with encryption on calls kms:DescribeKey.
export const EMULATED_SERVICES = ["s3", "dynamodb", "ec2", "sts", "iam", "kms", "logs"] as const;

/** The AWS provider for one stack; with config.endpoint set, every API call goes to that endpoint. */
export function addAwsProvider(scope: Construct, config: TfstateConfig, stackName: string): AwsProvider {
  return new AwsProvider(scope, "aws", {
    region: config.region,
    defaultTags: [{ tags: { ...config.tags, Stack: stackName } }],
    ...(config.endpoint && {
      endpoints: [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, config.endpoint]))],
      s3UsePathStyle: true,
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: "true",
    }),
  });
}
