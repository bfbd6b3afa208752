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
}

/** Every accepted and rejected packet of the VPC, in a CloudWatch log group with a retention. */
export class VpcFlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      // Log group names allow only letters, digits and . _ - / #; a Name tag allows more.
      name: `/vpc-flow-logs/${props.name.replace(/[^A-Za-z0-9._-]/g, "-")}`,
      retentionInDays: props.retentionDays,
    });

    // One token per attribute: cdktf records a stack trace for each token made, a cost that grows with the stacks.
    const logGroupArn = this.logGroup.arn;

    // Unnamed, so terraform gives it a unique name: IAM role names allow fewer characters than a Name tag.
    const role = new IamRole(this, "role", {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
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
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
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
