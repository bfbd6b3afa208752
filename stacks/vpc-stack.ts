import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { TfstateConfig } from "../config/config";
import { addAwsProvider } from "../constructs/aws-provider";
import { addS3Backend } from "../constructs/s3-backend";

/** The sample workload of the seeds: one VPC whose state lives in the bucket that bootstrap made. */
export class VpcStack extends TerraformStack {
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, config: TfstateConfig) {
    super(scope, id);

    addAwsProvider(this, config, id);
    addS3Backend(this, config, config.stateKey);

    this.vpc = new Vpc(this, "main", {
      cidrBlock: config.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: config.vpcName },
    });

    new TerraformOutput(this, "vpc_id", { value: this.vpc.id });
    new TerraformOutput(this, "vpc_cidr", { value: this.vpc.cidrBlock });
  }
}
