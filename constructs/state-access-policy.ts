import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";

/** apply: read and write the state; plan: read it and take the lock, but never write the state or its digest. */
export type StateAccess = "apply" | "plan";

export interface StateAccessStatementsProps {
  readonly bucketArn: string;
  /** The lock item's ID starts with it: <bucket>/<key>. */
  readonly bucketName: string;
  readonly stateKey: string;
  /** Set in the dynamodb and both lock modes. */
  readonly lockTableArn?: string;
  /** Set in the s3 and both lock modes. */
  readonly usesLockfile: boolean;
  /** Set when state is encrypted with a customer-managed key. */
  readonly kmsKeyArn?: string;
}

export interface StateAccessPolicyProps extends StateAccessStatementsProps {
  readonly policyName: string;
}

export type Statement = { Sid: string; Effect: "Allow"; Action: string[]; Resource: string | string[]; Condition?: object };

/**
 * Exactly what terraform needs for one state key, in the current lock mode, and nothing more: for apply,
 * init/plan/apply; for plan, init and plan, whose lock is the only thing it writes.
 */
export function stateAccessStatements(props: StateAccessStatementsProps, access: StateAccess = "apply"): Statement[] {
  const stateObject = `${props.bucketArn}/${props.stateKey}`;
  const statements: Statement[] = [
    {
      Sid: "ListStateKey",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: props.bucketArn,
      Condition: { StringLike: { "s3:prefix": [`${props.stateKey}*`] } },
    },
    access === "apply"
      ? { Sid: "ReadWriteState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: stateObject }
      : { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject"], Resource: stateObject },
  ];
  if (props.usesLockfile) {
    statements.push({
      Sid: "S3Lockfile",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${stateObject}.tflock`,
    });
  }
  if (props.lockTableArn && access === "apply") {
    statements.push({
      Sid: "DynamodbLock",
      Effect: "Allow",
      Action: ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
      Resource: props.lockTableArn,
    });
  }
  if (props.lockTableArn && access === "plan") {
    // The digest item (<bucket>/<key>-md5) is read with the state; only the lock item may be written.
    statements.push(
      { Sid: "DynamodbReadLockAndDigest", Effect: "Allow", Action: ["dynamodb:DescribeTable", "dynamodb:GetItem"], Resource: props.lockTableArn },
      {
        Sid: "DynamodbLock",
        Effect: "Allow",
        Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"],
        Resource: props.lockTableArn,
        Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`${props.bucketName}/${props.stateKey}`] } },
      },
    );
  }
  if (props.kmsKeyArn) {
    statements.push({
      Sid: "StateKey",
      Effect: "Allow",
      // GenerateDataKey for plan too: the lock file is an object, written under the same key.
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
