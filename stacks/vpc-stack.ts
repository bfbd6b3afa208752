import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { TfstateConfig } from "../config/config";
import { WorkloadTarget } from "../config/workloads";
import { FLOW_LOGS_SERVICE, FLOW_LOG_WRITE_ACTIONS, VpcFlowLogs, flowLogGroupName } from "../constructs/flow-logs";
import { StateAccess, Statement } from "../constructs/state-access-policy";
import { claimedIntoWall, createdInside, inside, retaggedInside, untaggedInside } from "../constructs/tag-wall-conditions";
import { AccountScope, WorkloadRoleSettings } from "../constructs/workload-roles";
import { CiScope, WorkloadRolesOfKind, WorkloadStack } from "./workload-stack";

/**
 * What the CI roles need for this workload besides its state: plan reads what the stack manages; apply also
 * creates, changes and deletes it, each only inside its target's tag wall. ec2:Describe* and logs:DescribeLogGroups
 * take no resource; everything else is scoped to VPCs, flow logs, security groups and the flow logs' log groups.
 */
export function vpcWorkloadStatements({ partition, accountId, wall }: CiScope, access: StateAccess): Statement[] {
  const [vpcs, flowLogs, securityGroups] = ["vpc", "vpc-flow-log", "security-group"].map((type) => `arn:${partition}:ec2:*:${accountId}:${type}/*`);
  const logGroups = `arn:${partition}:logs:*:${accountId}:log-group:/vpc-flow-logs/*`;
  const ownResources = [vpcs, flowLogs, securityGroups];
  const read: Statement[] = [
    { Sid: "ReadVpc", Effect: "Allow", Action: ["ec2:Describe*"], Resource: "*" },
    { Sid: "ListLogGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
    { Sid: "ReadFlowLogGroups", Effect: "Allow", Action: ["logs:ListTagsForResource", "logs:ListTagsLogGroup"], Resource: logGroups },
  ];
  if (access === "plan") return read;
  const created = createdInside(wall);
  return [
    ...read,
    { Sid: "CreateVpc", Effect: "Allow", Action: ["ec2:CreateVpc"], Resource: vpcs, Condition: created },
    // A flow log is created on the VPC it watches, which must be the target's own: not prod's traffic into dev's logs.
    { Sid: "CreateFlowLog", Effect: "Allow", Action: ["ec2:CreateFlowLogs"], Resource: flowLogs, Condition: created },
    { Sid: "LogOwnVpc", Effect: "Allow", Action: ["ec2:CreateFlowLogs"], Resource: vpcs, Condition: inside(wall) },
    {
      Sid: "TagOnCreate",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: [vpcs, flowLogs],
      Condition: { StringEquals: { ...created.StringEquals, "ec2:CreateAction": ["CreateVpc", "CreateFlowLogs"] } },
    },
    {
      Sid: "ManageOwnVpc",
      Effect: "Allow",
      // No Authorize*: the default security group is emptied of rules, never given one.
      Action: ["ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:DeleteFlowLogs", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
      Resource: ownResources,
      Condition: inside(wall),
    },
    { Sid: "RetagOwnVpc", Effect: "Allow", Action: ["ec2:CreateTags"], Resource: ownResources, Condition: retaggedInside(wall) },
    { Sid: "UntagOwnVpc", Effect: "Allow", Action: ["ec2:DeleteTags"], Resource: ownResources, Condition: untaggedInside(wall) },
    // AWS creates a VPC's default security group untagged; the stack takes it over by tagging it.
    { Sid: "ClaimDefaultSecurityGroup", Effect: "Allow", Action: ["ec2:CreateTags"], Resource: securityGroups, Condition: claimedIntoWall(wall) },
    { Sid: "CreateFlowLogGroup", Effect: "Allow", Action: ["logs:CreateLogGroup"], Resource: logGroups, Condition: created },
    // A log group created with tags is tagged as it is made, before it carries any.
    { Sid: "TagNewFlowLogGroup", Effect: "Allow", Action: ["logs:TagResource", "logs:TagLogGroup"], Resource: logGroups, Condition: claimedIntoWall(wall) },
    {
      Sid: "ManageOwnFlowLogGroups",
      Effect: "Allow",
      Action: ["logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"],
      Resource: logGroups,
      Condition: inside(wall),
    },
    { Sid: "RetagOwnFlowLogGroups", Effect: "Allow", Action: ["logs:TagResource", "logs:TagLogGroup"], Resource: logGroups, Condition: retaggedInside(wall) },
    { Sid: "UntagOwnFlowLogGroups", Effect: "Allow", Action: ["logs:UntagResource", "logs:UntagLogGroup"], Resource: logGroups, Condition: untaggedInside(wall) },
  ];
}

/** The flow-log roles of these VPCs write their own log groups, and nothing else: their permissions boundary. */
export const VPC_WORKLOAD_ROLES: WorkloadRolesOfKind = {
  services: [FLOW_LOGS_SERVICE],
  boundary: ({ partition, accountId }: AccountScope, stacks: readonly WorkloadTarget[]) => [
    {
      Sid: "WriteOwnFlowLogs",
      Effect: "Allow",
      Action: FLOW_LOG_WRITE_ACTIONS,
      Resource: stacks.flatMap((stack) => {
        const logGroup = `arn:${partition}:logs:*:${accountId}:log-group:${flowLogGroupName(stack.vpcName)}`;
        return [logGroup, `${logGroup}:*`];
      }),
    },
  ],
};

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
      const roles = new WorkloadRoleSettings(this, "workload-roles", config, target);
      new VpcFlowLogs(this, "flow-logs", {
        vpcId,
        name: target.vpcName,
        retentionDays: config.vpcFlowLogRetentionDays,
        role: { path: roles.path, permissionsBoundary: roles.permissionsBoundary },
      });
    }

    new TerraformOutput(this, "vpc_id", { value: vpcId });
    new TerraformOutput(this, "vpc_cidr", { value: this.vpc.cidrBlock });
  }
}
