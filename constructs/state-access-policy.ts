import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";

export interface StateAccessPolicyProps {
  readonly policyName: string;
  readonly bucketArn: string;
  readonly stateKey: string;
  /** Set in the dynamodb and both lock modes. */
  readonly lockTableArn?: string;
  /** Set in the s3 and both lock modes. */
  readonly usesLockfile: boolean;
  /** Set when state is encrypted with a customer-managed key. */
  readonly kmsKeyArn?: string;
}

type Statement = { Sid: string; Effect: "Allow"; Action: string[]; Resource: string | string[]; Condition?: object };

/** Exactly what `terraform init/plan/apply` needs for one state key, in the current lock mode, and nothing more. */
function stateAccessStatements(props: StateAccessPolicyProps): Statement[] {
  const stateObject = `${props.bucketArn}/${props.stateKey}`;
  const statements: Statement[] = [
    {
      Sid: "ListStateKey",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: props.bucketArn,
      Condition: { StringLike: { "s3:prefix": [`${props.stateKey}*`] } },
    },
    { Sid: "ReadWriteState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: stateObject },
  ];
  if (props.usesLockfile) {
    statements.push({
      Sid: "S3Lockfile",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${stateObject}.tflock`,
    });
  }
  if (props.lockTableArn) {
    statements.push({
      Sid: "DynamodbLock",
      Effect: "Allow",
      Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
      Resource: props.lockTableArn,
    });
  }
  if (props.kmsKeyArn) {
    statements.push({
      Sid: "StateKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: props.kmsKeyArn,
    });
  }
  return statements;
}

/** The least-privilege policy for the people and CI roles that use the state, as a managed policy to attach. */
export class StateAccessPolicy extends Construct {
  readonly policy: IamPolicy;
  readonly document: string;

  constructor(scope: Construct, id: string, props: StateAccessPolicyProps) {
    super(scope, id);
    this.document = JSON.stringify({ Version: "2012-10-17", Statement: stateAccessStatements(props) });
    this.policy = new IamPolicy(this, "policy", {
      name: props.policyName,
      description: `Read and write Terraform state ${props.stateKey} and take its lock`,
      policy: this.document,
    });
  }
}
