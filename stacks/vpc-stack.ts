import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { TfstateConfig } from "../config/config";
import { WorkloadTarget } from "../config/workloads";
import { VpcFlowLogs } from "../constructs/flow-logs";
import { WorkloadStack } from "./workload-stack";

/** The sample workload of the seeds: one VPC whose state lives in the bucket that bootstrap made. */
export class VpcStack extends WorkloadStack {
  readonly vpc: Vpc;

  constructor(scope: Construct, target: WorkloadTarget, config: TfstateConfig) {
    super(scope, target, config);

    this.vpc = new Vpc(this, "main", {
      cidrBlock: target.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: target.vpcName },
    });

    const vpcId = this.vpc.id;
    // Taking over the default security group with no rules leaves nothing open by default.
    new DefaultSecurityGroup(this, "default-security-group", { vpcId });

    if (config.vpcFlowLogs) {
      new VpcFlowLogs(this, "flow-logs", {
        vpcId,
        name: target.vpcName,
        retentionDays: config.vpcFlowLogRetentionDays,
      });
    }

    new TerraformOutput(this, "vpc_id", { value: vpcId });
    new TerraformOutput(this, "vpc_cidr", { value: this.vpc.cidrBlock });
  }
}
