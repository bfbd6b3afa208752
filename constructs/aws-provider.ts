import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfstateConfig } from "../config/config";

// kms is listed even with AES256: reading a table with encryption on calls kms:DescribeKey.
const PROVIDER_SERVICES = ["s3", "dynamodb", "ec2", "sts", "iam", "kms", "logs"] as const;

/** A stack's AWS provider, tagged with the stack's name; with config.endpoint set, every API call goes there. */
export class StackAwsProvider extends AwsProvider {
  constructor(scope: Construct, config: TfstateConfig, stackName: string) {
    super(scope, "aws", {
      region: config.region,
      defaultTags: [{ tags: { ...config.tags, Stack: stackName } }],
      ...(config.endpoint && {
        endpoints: [Object.fromEntries(PROVIDER_SERVICES.map((service) => [service, config.endpoint]))],
        s3UsePathStyle: true,
        skipCredentialsValidation: true,
        skipRequestingAccountId: true,
        skipMetadataApiCheck: "true",
      }),
    });
  }
}
