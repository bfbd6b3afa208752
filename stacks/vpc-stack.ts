import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { TfstateConfig } from "../config/config";
import { WorkloadTarget } from "../config/workloads";
import { VpcFlowLogs } from "../constructs/flow-logs";
import { StateAccess, Statement } from "../constructs/state-access-policy";
import { AccountScope, WorkloadStack } from "./workload-stack";

/**
 * What the CI roles need for this workload besides its state: plan reads what the stack manages; apply
 * also creates, changes and deletes it. EC2's VPC actions take no resource scope; the rest are scoped to
 * the flow logs' log groups and roles.
 */
export function vpcWorkloadStatements({ partition, accountId }: AccountScope, access: StateAccess): Statement[] {
  const roles = `arn:${partition}:iam::${accountId}:role/*`;
  const logGroups = `arn:${partition}:logs:*:${accountId}:log-group:/vpc-flow-logs/*`;
  const read: Statement[] = [
    { Sid: "ReadVpc", Effect: "Allow", Action: ["ec2:Describe*"], Resource: "*" },
    { Sid: "ReadFlowLogGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsLogGroup"], Resource: "*" },
    {
      Sid: "ReadFlowLogRoles",
      Effect: "Allow",
      Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
      Resource: roles,
    },
  ];
  if (access === "plan") return read;
  return [
    ...read,
    {
      Sid: "ManageVpc",
      Effect: "Allow",
      Action: [
        "ec2:CreateVpc",
        "ec2:DeleteVpc",
        "ec2:ModifyVpcAttribute",
        "ec2:CreateTags",
        "ec2:DeleteTags",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:CreateFlowLogs",
        "ec2:DeleteFlowLogs",
      ],
      Resource: "*",
    },
    {
      Sid: "ManageFlowLogGroups",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:TagLogGroup", "logs:UntagLogGroup"],
      Resource: [logGroups, `${logGroups}:*`],
    },
    {
      Sid: "ManageFlowLogRoles",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:ListInstanceProfilesForRole"],
      Resource: roles,
    },
    {
      Sid: "PassFlowLogRoles",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } },
    },
  ];
}

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
