import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { GithubConfig } from "../config/config";
import { StateAccess, Statement } from "./state-access-policy";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
// The audience that aws-actions/configure-aws-credentials asks GitHub to put in its token.
const STS_AUDIENCE = "sts.amazonaws.com";

export interface GithubCiRolesProps {
  readonly github: GithubConfig;
  /** Prefix of the two roles' names; each must stay within IAM's 64 characters. */
  readonly roleNamePrefix: string;
  /** What each role may do: the state and the workload, for a plan or for an apply. */
  readonly statements: (access: StateAccess) => Statement[];
}

/**
 * The roles GitHub Actions assumes through OIDC, with no static keys: a plan role that only the
 * repository's pull requests may assume, and an apply role for its default branch or GitHub environment.
 */
export class GithubCiRoles extends Construct {
  readonly oidcProviderArn: string;
  readonly planRole: IamRole;
  readonly applyRole: IamRole;

  constructor(scope: Construct, id: string, props: GithubCiRolesProps) {
    super(scope, id);
    this.oidcProviderArn =
      props.github.oidcProviderArn ??
      new IamOpenidConnectProvider(this, "github-oidc", { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: [STS_AUDIENCE] }).arn;

    const role = (access: StateAccess, subject: string) => {
      const created = new IamRole(this, `${access}-role`, {
        name: `${props.roleNamePrefix}-${access}`,
        description: `GitHub Actions ${access} for ${props.github.repository} (${subject})`,
        assumeRolePolicy: JSON.stringify(trustPolicy(this.oidcProviderArn, subject)),
        maxSessionDuration: 3600,
      });
      new IamRolePolicy(this, `${access}-policy`, {
        role: created.id,
        name: `terraform-${access}`,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: props.statements(access) }),
      });
      return created;
    };
    this.planRole = role("plan", props.github.planSubject);
    this.applyRole = role("apply", props.github.applySubject);
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
