import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfstateConfig } from "../config/config";
import { ENVIRONMENT_TAG, STACK_TAG } from "../config/tag-wall";
import { WorkloadTarget } from "../config/workloads";

// kms is listed even with AES256: reading a table with encryption on calls kms:DescribeKey.
const PROVIDER_SERVICES = ["s3", "dynamodb", "ec2", "sts", "iam", "kms", "logs"] as const;

/** Where a workload stack's provider works: its region, its environment, and the role and account it works in. */
export type ProviderTarget = Pick<WorkloadTarget, "region" | "environment" | "roleArn" | "accountId">;

/**
 * A stack's AWS provider, tagged with the stack's name; with config.endpoint set, every API call goes there.
 * A workload's provider works in its target's region and, given a role, assumes it and may change only its account.
 * With an alias, a second provider of the stack, for another region (the bootstrap stack's replica region).
 */
export class StackAwsProvider extends AwsProvider {
  constructor(scope: Construct, config: TfstateConfig, stackName: string, target?: ProviderTarget, alias?: string) {
    super(scope, alias ? `aws-${alias}` : "aws", {
      ...(alias && { alias }),
      region: target?.region ?? config.region,
      defaultTags: [{ tags: { ...config.tags, [STACK_TAG]: stackName, ...(target?.environment && { [ENVIRONMENT_TAG]: target.environment }) } }],
      ...(target?.roleArn && { assumeRole: [{ roleArn: target.roleArn, sessionName: stackName }] }),
      // A wrong credential then fails before it changes anything.
      ...(target?.accountId && { allowedAccountIds: [target.accountId] }),
      ...(config.endpoint && {
        endpoints: [Object.fromEntries(PROVIDER_SERVICES.map((service) => [service, config.endpoint]))],
        s3UsePathStyle: true,
        skipCredentialsValidation: true,
        // allowed_account_ids needs the account the credentials are in.
        skipRequestingAccountId: !target?.accountId,
        skipMetadataApiCheck: "true",
      }),
    });
  }
}
