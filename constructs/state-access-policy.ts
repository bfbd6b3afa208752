import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";

export interface StateAccessPolicyProps {
  readonly policyName: string;
  readonly bucketArn: string;
  /** One key, or every key of an environment's stacks. */
  readonly stateKeys: readonly string[];
  /** Set in the dynamodb and both lock modes. */
  readonly lockTableArn?: string;
  /** The bucket's name: limits the table to these keys' lock and digest items (dynamodb:LeadingKeys). */
  readonly onlyLockItemsOf?: string;
  /** What the policy is for, in its description; the state key when unset. */
  readonly purpose?: string;
  /** Set in the s3 and both lock modes. */
  readonly usesLockfile: boolean;
  /** Set when state is encrypted with a customer-managed key. */
  readonly kmsKeyArn?: string;
}

type Statement = { Sid: string; Effect: "Allow"; Action: string[]; Resource: string | string[]; Condition?: object };

// One key stays a plain string, as the policy has always been written.
const oneOrMany = (values: string[]) => (values.length === 1 ? values[0] : values);

function dynamodbStatements(tableArn: string, props: StateAccessPolicyProps): Statement[] {
  const lockAndDigest = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"];
  if (!props.onlyLockItemsOf) {
    return [{ Sid: "DynamodbLock", Effect: "Allow", Action: ["dynamodb:DescribeTable", ...lockAndDigest], Resource: tableArn }];
  }
  // The S3 backend's items: "<bucket>/<key>" while locked, "<bucket>/<key>-md5" for the digest.
  const items = props.stateKeys.flatMap((key) => [`${props.onlyLockItemsOf}/${key}`, `${props.onlyLockItemsOf}/${key}-md5`]);
  return [
    { Sid: "DescribeLockTable", Effect: "Allow", Action: ["dynamodb:DescribeTable"], Resource: tableArn },
    {
      Sid: "DynamodbLock",
      Effect: "Allow",
      Action: lockAndDigest,
      Resource: tableArn,
      Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": items } },
    },
  ];
}

/** Exactly what `terraform init/plan/apply` needs for these state keys, in the current lock mode, and nothing more. */
function stateAccessStatements(props: StateAccessPolicyProps): Statement[] {
  const stateObjects = props.stateKeys.map((key) => `${props.bucketArn}/${key}`);
  const statements: Statement[] = [
    {
      Sid: "ListStateKey",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: props.bucketArn,
      Condition: { StringLike: { "s3:prefix": props.stateKeys.map((key) => `${key}*`) } },
    },
    { Sid: "ReadWriteState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: oneOrMany(stateObjects) },
  ];
  if (props.usesLockfile) {
    statements.push({
      Sid: "S3Lockfile",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: oneOrMany(stateObjects.map((object) => `${object}.tflock`)),
    });
  }
  if (props.lockTableArn) statements.push(...dynamodbStatements(props.lockTableArn, props));
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
      description: `Read and write Terraform state ${props.purpose ?? props.stateKeys[0]} and take its lock`,
      policy: this.document,
    });
  }
}
