import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import type { StateAccess } from "../config/ci-role-names";

// The constructs and stacks that build policies take the access level from here, with the statements.
export type { StateAccess };

export interface StateAccessStatementsProps {
  readonly bucketArn: string;
  /** The lock table's items start with it: "<bucket>/<key>" while locked, "<bucket>/<key>-md5" for the digest. */
  readonly bucketName: string;
  /** One key, or every key of an environment's stacks. */
  readonly stateKeys: readonly string[];
  /** Set in the dynamodb and both lock modes. */
  readonly lockTableArn?: string;
  /** Limits the table to these keys' lock and digest items (dynamodb:LeadingKeys). */
  readonly onlyTheseLockItems?: boolean;
  /** Set in the s3 and both lock modes. */
  readonly usesLockfile: boolean;
  /** Set when state is encrypted with a customer-managed key. */
  readonly kmsKeyArn?: string;
}

export interface StateAccessPolicyProps extends StateAccessStatementsProps {
  readonly policyName: string;
  /** What the policy is for, in its description; the state key when unset. */
  readonly purpose?: string;
}

export type Statement = { Sid: string; Effect: "Allow" | "Deny"; Action: string[]; Resource: string | string[]; Condition?: object };

// One key stays a plain string, as the policy has always been written.
const oneOrMany = (values: string[]) => (values.length === 1 ? values[0] : values);

const leadingKeys = (items: string[]) => ({ "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": items } });

function dynamodbStatements(tableArn: string, props: StateAccessStatementsProps, access: StateAccess): Statement[] {
  const lockItems = props.stateKeys.map((key) => `${props.bucketName}/${key}`);
  if (access === "plan") {
    // A plan reads the digest with the state, and writes the lock item alone.
    const readable = props.stateKeys.flatMap((key) => [`${props.bucketName}/${key}`, `${props.bucketName}/${key}-md5`]);
    return [
      { Sid: "DescribeLockTable", Effect: "Allow", Action: ["dynamodb:DescribeTable"], Resource: tableArn },
      { Sid: "ReadLockAndDigest", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: tableArn, Condition: leadingKeys(readable) },
      { Sid: "DynamodbLock", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"], Resource: tableArn, Condition: leadingKeys(lockItems) },
    ];
  }
  const lockAndDigest = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"];
  if (!props.onlyTheseLockItems) {
    return [{ Sid: "DynamodbLock", Effect: "Allow", Action: ["dynamodb:DescribeTable", ...lockAndDigest], Resource: tableArn }];
  }
  const items = props.stateKeys.flatMap((key) => [`${props.bucketName}/${key}`, `${props.bucketName}/${key}-md5`]);
  return [
    { Sid: "DescribeLockTable", Effect: "Allow", Action: ["dynamodb:DescribeTable"], Resource: tableArn },
    { Sid: "DynamodbLock", Effect: "Allow", Action: lockAndDigest, Resource: tableArn, Condition: leadingKeys(items) },
  ];
}

/**
 * Exactly what terraform needs for these state keys, in the current lock mode, and nothing more: for apply,
 * init/plan/apply; for plan, init and plan, whose lock is the only thing it writes.
 */
export function stateAccessStatements(props: StateAccessStatementsProps, access: StateAccess = "apply"): Statement[] {
  const stateObjects = props.stateKeys.map((key) => `${props.bucketArn}/${key}`);
  const statements: Statement[] = [
    {
      Sid: "ListStateKey",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: props.bucketArn,
      Condition: { StringLike: { "s3:prefix": props.stateKeys.map((key) => `${key}*`) } },
    },
    access === "apply"
      ? { Sid: "ReadWriteState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: oneOrMany(stateObjects) }
      : { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject"], Resource: oneOrMany(stateObjects) },
  ];
  if (props.usesLockfile) {
    statements.push({
      Sid: "S3Lockfile",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: oneOrMany(stateObjects.map((object) => `${object}.tflock`)),
    });
  }
  if (props.lockTableArn) statements.push(...dynamodbStatements(props.lockTableArn, props, access));
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
      description: `Read and write Terraform state ${props.purpose ?? props.stateKeys[0]} and take its lock`,
      policy: this.document,
    });
  }
}
