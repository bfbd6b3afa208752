// The IAM roles that workloads create (a VPC's flow-log role): where they live, the boundary they carry, and
// what a CI apply role may do to them. No path leads from an apply role to more privilege: it creates and
// changes only roles under its own target's path and only with the boundary on them, may pass them only to
// its workloads' services, and may never change the boundary, take it off, or touch a CI role.
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { DEFAULT_CI_TARGET } from "../config/ci-targets";
import { TfstateConfig } from "../config/config";
import { policyInAccount, workloadBoundaryName, workloadRolePath } from "../config/workload-roles";
import { WorkloadTarget } from "../config/workloads";
import { StateAccess, Statement } from "./state-access-policy";

/** The AWS account and partition that policies are scoped to. */
export interface AccountScope {
  readonly partition: string;
  readonly accountId: string;
}

const roleArn = ({ partition, accountId }: AccountScope, pathAndName: string) => `arn:${partition}:iam::${accountId}:role${pathAndName}`;

/** Where one workload stack's roles are created, and the boundary they carry (none in another account without TFSTATE_PERMISSIONS_BOUNDARY). */
export class WorkloadRoleSettings extends Construct {
  readonly path: string;
  readonly permissionsBoundary?: string;

  constructor(scope: Construct, id: string, config: TfstateConfig, target: WorkloadTarget) {
    super(scope, id);
    this.path = workloadRolePath(config.stateBucket, target.environment ?? DEFAULT_CI_TARGET);
    if (config.permissionsBoundary) {
      this.permissionsBoundary = target.accountId ? policyInAccount(config.permissionsBoundary, target.accountId) : config.permissionsBoundary;
    } else if (!target.roleArn) {
      // Bootstrap made it in the account of these credentials, which is where this stack's provider works.
      const partition = new DataAwsPartition(this, "partition").partition;
      const accountId = new DataAwsCallerIdentity(this, "account").accountId;
      this.permissionsBoundary = `arn:${partition}:iam::${accountId}:policy/${workloadBoundaryName(config.stateBucket, target.environment)}`;
    }
  }
}

export interface WorkloadBoundaryProps {
  readonly stateBucket: string;
  /** Unset without environments. */
  readonly environment?: string;
  /** What the roles of the environment's workloads need, and no more. */
  readonly statements: Statement[];
}

/** The permissions boundary of an environment's workload roles: whatever a role's own policy says, it can do no more than this. */
export class WorkloadBoundary extends Construct {
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: WorkloadBoundaryProps) {
    super(scope, id);
    const of = props.environment === undefined ? "" : ` of environment ${props.environment}`;
    this.policy = new IamPolicy(this, "policy", {
      name: workloadBoundaryName(props.stateBucket, props.environment),
      description: `Permissions boundary of the roles that workloads${of} create with state in ${props.stateBucket}`,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: props.statements }),
    });
  }
}

/** A CI target's workload roles: under its path, with this boundary, passed only to these services. */
export interface WorkloadRoles {
  readonly path: string;
  readonly boundaryArn: string;
  readonly services: readonly string[];
}

/** Plan reads the target's workload roles; apply also creates, changes and deletes them, each only with the boundary on. */
export function workloadRoleStatements(scope: AccountScope, roles: WorkloadRoles, access: StateAccess): Statement[] {
  const underPath = roleArn(scope, `${roles.path}*`);
  const withBoundary = { ArnEquals: { "iam:PermissionsBoundary": roles.boundaryArn } };
  const read: Statement[] = [
    {
      Sid: "ReadWorkloadRoles",
      Effect: "Allow",
      Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"],
      Resource: underPath,
    },
  ];
  if (access === "plan") return read;
  return [
    ...read,
    // The actions that take iam:PermissionsBoundary: a role without the boundary can be neither made nor given a policy.
    { Sid: "WriteBoundedWorkloadRoles", Effect: "Allow", Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy"], Resource: underPath, Condition: withBoundary },
    {
      Sid: "ManageWorkloadRoles",
      Effect: "Allow",
      Action: ["iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:ListInstanceProfilesForRole"],
      Resource: underPath,
    },
    {
      Sid: "PassWorkloadRoles",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: underPath,
      Condition: { StringEquals: { "iam:PassedToService": [...roles.services] } },
    },
  ];
}

/**
 * Explicit denies, which no other policy on the role can lift: no change to the boundary's document, no role
 * without its boundary, and no IAM action at all on the CI roles, the apply role's own included.
 */
export function escalationDenies(scope: AccountScope, boundaryArn: string, ciRoleNames: readonly string[]): Statement[] {
  return [
    {
      Sid: "DenyBoundaryChange",
      Effect: "Deny",
      Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
      Resource: boundaryArn,
    },
    {
      Sid: "DenyBoundaryRemoval",
      Effect: "Deny",
      Action: ["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"],
      Resource: roleArn(scope, "/*"),
    },
    { Sid: "DenyCiRoles", Effect: "Deny", Action: ["iam:*"], Resource: ciRoleNames.map((name) => roleArn(scope, `/${name}`)) },
  ];
}
