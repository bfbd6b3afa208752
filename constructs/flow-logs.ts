import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";

export interface VpcFlowLogsProps {
  readonly vpcId: string;
  /** Names the log group, so that two VPCs in one account do not collide. */
  readonly name: string;
  readonly retentionDays: number;
  /** The IAM path of the role that writes the logs, and the permissions boundary it carries. */
  readonly role: { readonly path: string; readonly permissionsBoundary?: string };
}

// Log group names allow only letters, digits and . _ - / #; a Name tag allows more.
export const flowLogGroupName = (vpcName: string) => `/vpc-flow-logs/${vpcName.replace(/[^A-Za-z0-9._-]/g, "-")}`;

/** What the flow-log role does: write its log group's streams. Its policy and its boundary allow this alone. */
export const FLOW_LOG_WRITE_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"];

export const FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com";

/** Every accepted and rejected packet of the VPC, in a CloudWatch log group with a retention. */
export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: flowLogGroupName(props.name),
      retentionInDays: props.retentionDays,
    });

    // One token per attribute: cdktf records a stack trace for each token made, a cost that grows with the stacks.
    const logGroupArn = this.logGroup.arn;

    // Unnamed, so terraform gives it a unique name: IAM role names allow fewer characters than a Name tag.
    const role = new IamRole(this, "role", {
      path: props.role.path,
      permissionsBoundary: props.role.permissionsBoundary,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: FLOW_LOGS_SERVICE }, Action: "sts:AssumeRole" }],
      }),
    });

    // Only this log group and its streams: no "*" resource.
    new IamRolePolicy(this, "write-log-group", {
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: FLOW_LOG_WRITE_ACTIONS,
            Resource: [logGroupArn, `${logGroupArn}:*`],
          },
        ],
      }),
    });

    new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroupArn,
      iamRoleArn: role.arn,
    });
  }
}
