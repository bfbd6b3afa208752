import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { configWith, expectValidTerraform, parse, synth, vpcStack } from "../support/synth";

// Step 2 and Step 4 of seed 000, as environment variables.
const SEED_000 = {
  TFSTATE_BUCKET: "seong-remote-backend",
  TFSTATE_KEY: "terraform/state/terraform.tfstate",
  AWS_REGION: "ap-northeast-2",
  TFSTATE_LOCK_TABLE: "terraform-lock",
  VPC_CIDR: "192.168.0.0/16",
  VPC_NAME: "seong-vpc",
};

describe("vpc stack: a sample VPC whose state lives in the bucket", () => {
  const synthesized = synth(vpcStack());
  const config = configWith();

  test("matches the snapshot", () => {
    expect(synthesized).toMatchSnapshot();
  });

  test("is valid terraform", () => {
    expectValidTerraform(vpcStack());
  });

  test("reproduces seed 000's backend block and VPC", () => {
    const seed = parse(synth(vpcStack(SEED_000)));
    expect(seed.terraform.backend).toEqual({
      s3: {
        bucket: "seong-remote-backend",
        key: "terraform/state/terraform.tfstate",
        region: "ap-northeast-2",
        dynamodb_table: "terraform-lock",
        encrypt: true,
      },
    });
    expect(Object.values(seed.resource.aws_vpc)).toEqual([
      expect.objectContaining({ cidr_block: "192.168.0.0/16", tags: { Name: "seong-vpc" } }),
    ]);
  });

  test.each([
    ["dynamodb", { dynamodb_table: "terraform-lock" }, ["use_lockfile"]],
    ["s3", { use_lockfile: true }, ["dynamodb_table"]],
    ["both", { dynamodb_table: "terraform-lock", use_lockfile: true }, []],
  ])("TFSTATE_LOCK=%s sets the matching backend lock settings", (mode, present, absent) => {
    const backend = parse(synth(vpcStack({ TFSTATE_LOCK: mode }))).terraform.backend.s3;
    expect(backend).toMatchObject({ ...present, encrypt: true, bucket: config.stateBucket, key: config.stateKey });
    for (const key of absent) expect(backend).not.toHaveProperty(key);
  });

  test("the VPC has its CIDR, its Name tag and DNS support and hostnames on", () => {
    expect(synthesized).toHaveResourceWithProperties(Vpc, {
      cidr_block: config.vpcCidr,
      enable_dns_support: true,
      enable_dns_hostnames: true,
      tags: { Name: config.vpcName },
    });
  });

  test("tags everything through the provider's default tags", () => {
    expect(synthesized).toHaveProviderWithProperties(AwsProvider, {
      default_tags: [{ tags: { Project: "tfstate-backend", ManagedBy: "cdktf", Stack: "vpc" } }],
    });
  });

  test("outputs the VPC id and CIDR", () => {
    expect(parse(synthesized).output).toEqual({
      vpc_id: { value: "${aws_vpc.main.id}" },
      vpc_cidr: { value: "${aws_vpc.main.cidr_block}" },
    });
  });

  test("the default security group is taken over with no rules, so nothing is open by default", () => {
    const [group] = Object.values<any>(parse(synthesized).resource.aws_default_security_group);
    expect(group).toEqual({ vpc_id: "${aws_vpc.main.id}" });
  });

  test("flow logs are on: every packet to a log group kept for a year, through a role that may write only there", () => {
    const json = parse(synthesized);
    const [logGroupKey] = Object.keys(json.resource.aws_cloudwatch_log_group);
    const logGroupArn = `\${aws_cloudwatch_log_group.${logGroupKey}.arn}`;
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: `/vpc-flow-logs/${config.vpcName}`,
      retention_in_days: 365,
    });
    expect(synthesized).toHaveResourceWithProperties(FlowLog, {
      vpc_id: "${aws_vpc.main.id}",
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: logGroupArn,
    });
    const [role] = Object.values<any>(json.resource.aws_iam_role);
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const [rolePolicy] = Object.values<any>(json.resource.aws_iam_role_policy);
    expect(JSON.parse(rolePolicy.policy).Statement).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
    ]);
  });

  test("VPC_FLOW_LOGS=false turns them off; the retention is a setting", () => {
    const off = synth(vpcStack({ VPC_FLOW_LOGS: "false" }));
    for (const resource of [FlowLog, CloudwatchLogGroup, IamRole, IamRolePolicy]) expect(off).not.toHaveResource(resource);
    expect(synth(vpcStack({ VPC_FLOW_LOG_RETENTION_DAYS: "90" }))).toHaveResourceWithProperties(CloudwatchLogGroup, {
      retention_in_days: 90,
    });
  });

  test("a Name tag with characters log groups do not allow still gives a valid log group name", () => {
    expect(synth(vpcStack({ VPC_NAME: "team vpc (prod)" }))).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/vpc-flow-logs/team-vpc--prod-",
    });
  });

  test("TFSTATE_KMS=create: the backend encrypts state with the created key, by the alias named after the bucket", () => {
    const backend = parse(synth(vpcStack({ TFSTATE_KMS: "create", TFSTATE_BUCKET: "acme.prod-state" }))).terraform.backend.s3;
    expect(backend.kms_key_id).toBe("alias/tfstate-backend/acme-prod-state");
  });

  test("TFSTATE_KMS=<key ARN>: the backend encrypts state with that key", () => {
    const keyArn = "arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab-44cd-a6ef-1234567890ab";
    expect(parse(synth(vpcStack({ TFSTATE_KMS: keyArn }))).terraform.backend.s3.kms_key_id).toBe(keyArn);
  });

  test("TFSTATE_KMS unset: the backend has no kms_key_id", () => {
    expect(parse(synthesized).terraform.backend.s3.kms_key_id).toBeUndefined();
  });
});
