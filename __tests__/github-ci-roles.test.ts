// Plan on pull request, apply on merge: the roles GitHub Actions assumes through OIDC, made by bootstrap.
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { bootstrapStack, configWith, parse, synth } from "./support/synth";

const REPOSITORY = { TFSTATE_GITHUB_REPOSITORY: "octo-org/infra" };

function ciRoles(env: Record<string, string>) {
  const json = parse(synth(bootstrapStack(env)));
  const roles = Object.values<any>(json.resource.aws_iam_role ?? {});
  const policies = Object.values<any>(json.resource.aws_iam_role_policy ?? {});
  const byName = (suffix: string) => {
    const role = roles.find((r) => r.name.endsWith(`-${suffix}`));
    const [roleKey] = Object.entries<any>(json.resource.aws_iam_role).find(([, r]) => r === role)!;
    const policy = policies.find((p) => p.role === `\${aws_iam_role.${roleKey}.id}`);
    return { role, trust: JSON.parse(role.assume_role_policy), statements: JSON.parse(policy.policy).Statement as any[] };
  };
  return { json, plan: byName("plan"), apply: byName("apply") };
}

const allowed = (statements: any[], action: string) => statements.filter((s) => s.Action.includes(action));

describe("TFSTATE_GITHUB_REPOSITORY: the CI roles", () => {
  const config = configWith();

  test("unset: no OIDC provider and no role", () => {
    const synthesized = synth(bootstrapStack());
    expect(synthesized).not.toHaveResource(IamOpenidConnectProvider);
    expect(synthesized).not.toHaveResource(IamRole);
  });

  test("set: bootstrap creates GitHub's OIDC provider for STS, and outputs both role ARNs", () => {
    const synthesized = synth(bootstrapStack(REPOSITORY));
    expect(synthesized).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    const { output } = parse(synthesized);
    expect(output.github_plan_role_arn.value).toMatch(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/);
    expect(output.github_apply_role_arn.value).toMatch(/^\$\{aws_iam_role\.[\w-]+\.arn\}$/);
    expect(output.github_plan_role_arn.value).not.toBe(output.github_apply_role_arn.value);
  });

  test("the plan role trusts only the repository's pull requests, with GitHub's token for STS", () => {
    const { json, plan } = ciRoles(REPOSITORY);
    const [providerKey] = Object.keys(json.resource.aws_iam_openid_connect_provider);
    expect(plan.trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: `\${aws_iam_openid_connect_provider.${providerKey}.arn}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:octo-org/infra:pull_request",
          },
        },
      },
    ]);
  });

  test("the apply role trusts only pushes to the default branch, or to the named branch", () => {
    expect(ciRoles(REPOSITORY).apply.trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(
      "repo:octo-org/infra:ref:refs/heads/main",
    );
    const release = ciRoles({ ...REPOSITORY, TFSTATE_GITHUB_BRANCH: "release/v2" }).apply;
    expect(release.trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(
      "repo:octo-org/infra:ref:refs/heads/release/v2",
    );
  });

  test("with TFSTATE_GITHUB_ENVIRONMENT the apply role trusts only jobs in that GitHub environment", () => {
    const { apply } = ciRoles({ ...REPOSITORY, TFSTATE_GITHUB_ENVIRONMENT: "production" });
    expect(apply.trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(
      "repo:octo-org/infra:environment:production",
    );
  });

  test("neither trust policy can be assumed without an exact sub condition", () => {
    for (const env of [REPOSITORY, { ...REPOSITORY, TFSTATE_GITHUB_ENVIRONMENT: "production" }]) {
      const { plan, apply } = ciRoles(env);
      for (const statement of [...plan.trust.Statement, ...apply.trust.Statement]) {
        expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
        const sub = statement.Condition.StringEquals["token.actions.githubusercontent.com:sub"];
        expect(sub).toMatch(/^repo:octo-org\/infra:[^*?]+$/);
        expect(statement.Condition.StringEquals["token.actions.githubusercontent.com:aud"]).toBe("sts.amazonaws.com");
      }
    }
  });

  test("an existing OIDC provider is trusted instead of a new one", () => {
    const providerArn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    const { json, plan, apply } = ciRoles({ ...REPOSITORY, TFSTATE_GITHUB_OIDC_PROVIDER_ARN: providerArn });
    expect(json.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(plan.trust.Statement[0].Principal).toEqual({ Federated: providerArn });
    expect(apply.trust.Statement[0].Principal).toEqual({ Federated: providerArn });
  });

  test("dynamodb mode: the plan role reads the state and its digest and writes only the lock item; apply writes the state", () => {
    const { json, plan, apply } = ciRoles(REPOSITORY);
    const [bucketKey] = Object.keys(json.resource.aws_s3_bucket);
    const stateObject = `\${aws_s3_bucket.${bucketKey}.arn}/${config.stateKey}`;
    expect(allowed(plan.statements, "s3:PutObject")).toEqual([]);
    expect(allowed(plan.statements, "s3:GetObject").map((s) => s.Resource)).toEqual([stateObject]);
    expect(allowed(plan.statements, "dynamodb:PutItem")).toEqual([
      expect.objectContaining({
        Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"],
        Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`${config.stateBucket}/${config.stateKey}`] } },
      }),
    ]);
    expect(allowed(apply.statements, "s3:PutObject").map((s) => s.Resource)).toEqual([stateObject]);
  });

  test("s3 mode: the plan role may write the lock file but not the state", () => {
    const { json, plan } = ciRoles({ ...REPOSITORY, TFSTATE_LOCK: "s3" });
    const [bucketKey] = Object.keys(json.resource.aws_s3_bucket);
    expect(allowed(plan.statements, "s3:PutObject").map((s) => s.Resource)).toEqual([`\${aws_s3_bucket.${bucketKey}.arn}/${config.stateKey}.tflock`]);
  });

  test("the plan role may read the workload and change none of it; the apply role may manage it", () => {
    const { plan, apply } = ciRoles(REPOSITORY);
    const actions = (statements: any[]) => statements.flatMap((s) => s.Action as string[]);
    expect(actions(plan.statements)).toEqual(expect.arrayContaining(["ec2:Describe*", "logs:DescribeLogGroups", "iam:GetRole"]));
    const writes = actions(plan.statements).filter((a) => !/^(ec2:Describe|logs:(Describe|List)|iam:(Get|List)|s3:(GetObject|ListBucket)|dynamodb:(DescribeTable|GetItem|PutItem|DeleteItem)|kms:)/.test(a));
    expect(writes).toEqual([]);
    expect(actions(apply.statements)).toEqual(expect.arrayContaining(["ec2:CreateVpc", "ec2:DeleteVpc", "logs:CreateLogGroup", "iam:CreateRole", "iam:PassRole"]));
    const passRole = apply.statements.find((s) => s.Action.includes("iam:PassRole"));
    expect(passRole.Condition).toEqual({ StringEquals: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } });
  });
});
