import { Construct } from "constructs";
import { App, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import {
  cloudwatchLogGroup,
  defaultSecurityGroup,
  dynamodbTable,
  flowLog,
  iamPolicy,
  iamRole,
  iamRolePolicy,
  provider,
  s3Bucket,
  s3BucketLifecycleConfiguration,
  s3BucketOwnershipControls,
  s3BucketPolicy,
  s3BucketPublicAccessBlock,
  s3BucketServerSideEncryptionConfiguration,
  s3BucketVersioning,
  vpc,
} from "@cdktf/provider-aws";

const region = "ap-northeast-2";
const bucketName = "tfstate-backend-terraform-state";
const lockTableName = "terraform-lock";
const stateKey = "terraform/state/terraform.tfstate";
const tags = { Project: "tfstate-backend", ManagedBy: "cdktf" };

class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    new provider.AwsProvider(this, "aws", { region, defaultTags: [{ tags: { ...tags, Stack: id } }] });
    new LocalBackend(this, { path: "terraform.bootstrap.tfstate" });

    const bucket = new s3Bucket.S3Bucket(this, "bucket", {
      bucket: bucketName,
      lifecycle: { preventDestroy: true },
    });

    new s3BucketVersioning.S3BucketVersioningA(this, "versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });

    new s3BucketServerSideEncryptionConfiguration.S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });

    const publicAccessBlock = new s3BucketPublicAccessBlock.S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    new s3BucketOwnershipControls.S3BucketOwnershipControls(this, "ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });

    new s3BucketLifecycleConfiguration.S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });

    new s3BucketPolicy.S3BucketPolicy(this, "tls-only-policy", {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, `${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
      dependsOn: [publicAccessBlock],
    });

    const table = new dynamodbTable.DynamodbTable(this, "lock-table", {
      name: lockTableName,
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });

    const accessPolicy = new iamPolicy.IamPolicy(this, "state-access", {
      name: `tfstate-access-${bucketName}`,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucket.arn },
          { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${bucket.arn}/${stateKey}` },
          {
            Effect: "Allow",
            Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
            Resource: table.arn,
          },
        ],
      }),
    });

    new TerraformOutput(this, "bucket_name", { value: bucket.bucket });
    new TerraformOutput(this, "bucket_arn", { value: bucket.arn });
    new TerraformOutput(this, "lock_table_name", { value: table.name });
    new TerraformOutput(this, "lock_table_arn", { value: table.arn });
    new TerraformOutput(this, "state_access_policy_arn", { value: accessPolicy.arn });
  }
}

class VpcStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    new provider.AwsProvider(this, "aws", { region, defaultTags: [{ tags: { ...tags, Stack: id } }] });
    new S3Backend(this, {
      bucket: bucketName,
      key: stateKey,
      region,
      encrypt: true,
      dynamodbTable: lockTableName,
    });

    const mainVpc = new vpc.Vpc(this, "main", {
      cidrBlock: "192.168.0.0/16",
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: "tfstate-backend-vpc" },
    });

    new defaultSecurityGroup.DefaultSecurityGroup(this, "default-security-group", { vpcId: mainVpc.id });

    const logGroup = new cloudwatchLogGroup.CloudwatchLogGroup(this, "flow-log-group", {
      name: "/vpc-flow-logs/tfstate-backend-vpc",
      retentionInDays: 365,
    });
    const role = new iamRole.IamRole(this, "flow-log-role", {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    new iamRolePolicy.IamRolePolicy(this, "flow-log-role-policy", {
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [logGroup.arn, `${logGroup.arn}:*`],
          },
        ],
      }),
    });
    new flowLog.FlowLog(this, "flow-log", {
      vpcId: mainVpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
    });

    new TerraformOutput(this, "vpc_id", { value: mainVpc.id });
    new TerraformOutput(this, "vpc_cidr", { value: mainVpc.cidrBlock });
  }
}

const app = new App();
new BootstrapStack(app, "bootstrap");
new VpcStack(app, "vpc");
app.synth();
