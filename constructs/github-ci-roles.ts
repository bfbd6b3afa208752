import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { CiRoles, CiTarget } from "../config/ci-targets";
import { GithubConfig } from "../config/config";
import { StateAccess, Statement } from "./state-access-policy";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
// The audience that aws-actions/configure-aws-credentials asks GitHub to put in its token.
const STS_AUDIENCE = "sts.amazonaws.com";

/** One target's two roles: who may assume them, and what each may do. */
export interface CiRolePair {
  readonly target: CiTarget;
  readonly roles: CiRoles;
  /** The state and the workload of the target, for a plan or for an apply. */
  readonly statements: (access: StateAccess) => Statement[];
}

export interface GithubCiRolesProps {
  readonly github: GithubConfig;
  /** TFSTATE_PERMISSIONS_BOUNDARY, which every role then carries. */
  readonly permissionsBoundary?: string;
  readonly pairs: readonly CiRolePair[];
}

/**
 * The roles GitHub Actions assumes through OIDC, with no static keys, for each CI target: a plan role that
 * only the repository's pull requests may assume, and an apply role for its default branch or GitHub environment.
 */
export class GithubCiRoles extends Construct {
  readonly oidcProviderArn: string;
  /** By target name: each environment's, or without environments the one "default". */
  readonly roles: Record<string, Record<StateAccess, IamRole>> = {};

  constructor(scope: Construct, id: string, props: GithubCiRolesProps) {
    super(scope, id);
    this.oidcProviderArn =
      props.github.oidcProviderArn ??
      new IamOpenidConnectProvider(this, "github-oidc", { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: [STS_AUDIENCE] }).arn;

    const role = ({ target, roles, statements }: CiRolePair, access: StateAccess) => {
      // Without environments, the IDs the one pair always had, so that no role is replaced.
      const id = target.environment ? `${target.name}-${access}` : access;
      const subject = roles.subjects[access];
      const created = new IamRole(this, `${id}-role`, {
        name: roles.names[access],
        description: `GitHub Actions ${access}${target.environment ? ` of ${target.name}` : ""} for ${props.github.repository} (${subject})`,
        assumeRolePolicy: JSON.stringify(trustPolicy(this.oidcProviderArn, subject)),
        maxSessionDuration: 3600,
        permissionsBoundary: props.permissionsBoundary,
      });
      new IamRolePolicy(this, `${id}-policy`, {
        role: created.id,
        name: `terraform-${access}`,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: statements(access) }),
      });
      return created;
    };
    for (const pair of props.pairs) this.roles[pair.target.name] = { plan: role(pair, "plan"), apply: role(pair, "apply") };
  }
}

/** Only a token from GitHub, for STS, whose subject is exactly this one: no wildcard, no other repository. */
function trustPolicy(oidcProviderArn: string, subject: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: subject },
        },
      },
    ],
  };
}
