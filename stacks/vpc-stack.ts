import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { TfstateConfig } from "../config/config";
import { StackAwsProvider } from "../constructs/aws-provider";
import { VpcFlowLogs } from "../constructs/flow-logs";
import { StateBackend } from "../constructs/state-backend";

/** The sample workload of the seeds: one VPC whose state lives in the bucket that bootstrap made. */
export class VpcStack extends TerraformStack {
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, config: TfstateConfig) {
    super(scope, id);

    new StackAwsProvider(this, config, id);
    new StateBackend(this, config, config.stateKey);

    this.vpc = new Vpc(this, "main", {
      cidrBlock: config.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: config.vpcName },
    });

    // Taking over the default security group with no rules leaves nothing open by default.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId: this.vpc.id });

    if (config.vpcFlowLogs) {
      new VpcFlowLogs(this, "flow-logs", {
        vpcId: this.vpc.id,
        name: config.vpcName,
        retentionDays: config.vpcFlowLogRetentionDays,
      });
    }

    new TerraformOutput(this, "vpc_id", { value: this.vpc.id });
    new TerraformOutput(this, "vpc_cidr", { value: this.vpc.cidrBlock });
  }
}
