// Plan on pull request, apply on merge: the roles GitHub Actions assumes through OIDC, made by bootstrap.
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { bootstrapStack, configWith, parse, synth } from "../support/synth";

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
    expect(passRole.Condition).toEqual({ StringEquals: { "iam:PassedToService": ["vpc-flow-logs.amazonaws.com"] } });
  });
});

describe("TFSTATE_GITHUB_REPOSITORY with environments: a plan role and an apply role per environment", () => {
  const BUCKET = { TFSTATE_BUCKET: "acme-infra-state" };
  const DEV_AND_PROD = { dev: { vpcCidr: "10.1.0.0/16" }, prod: { vpcCidr: "10.2.0.0/16", githubEnvironment: "production" } };
  const withEnvironments = (environments: object, env: Record<string, string> = {}) => ({
    ...REPOSITORY,
    ...BUCKET,
    TFSTATE_ENVIRONMENTS: JSON.stringify(environments),
    ...env,
  });

  /** Every CI role by name, with its trust policy and its statements; the outputs; the bucket's ARN as the policies name it. */
  function rolesByName(env: Record<string, string>) {
    const json = parse(synth(bootstrapStack(env)));
    const policies = Object.values<any>(json.resource.aws_iam_role_policy);
    const roles: Record<string, { key: string; trust: any; statements: any[] }> = Object.fromEntries(
      Object.entries<any>(json.resource.aws_iam_role).map(([key, role]) => {
        const policy = policies.find((p) => p.role === `\${aws_iam_role.${key}.id}`);
        return [role.name, { key, trust: JSON.parse(role.assume_role_policy), statements: JSON.parse(policy.policy).Statement as any[] }];
      }),
    );
    const bucketArn = `\${aws_s3_bucket.${Object.keys(json.resource.aws_s3_bucket)[0]}.arn}`;
    return { json, roles, bucketArn };
  }
  const subjectOf = (role: { trust: any }) => role.trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"];

  test("four roles, <prefix>-<env>-plan and <prefix>-<env>-apply, in place of the one pair; outputs them by environment", () => {
    const { json, roles } = rolesByName(withEnvironments(DEV_AND_PROD));
    expect(Object.keys(roles).sort()).toEqual([
      "tfstate-acme-infra-state-dev-apply",
      "tfstate-acme-infra-state-dev-plan",
      "tfstate-acme-infra-state-prod-apply",
      "tfstate-acme-infra-state-prod-plan",
    ]);
    const arnOf = (name: string) => `\${aws_iam_role.${roles[name].key}.arn}`;
    expect(json.output.github_ci_roles.value).toEqual({
      dev: { plan: arnOf("tfstate-acme-infra-state-dev-plan"), apply: arnOf("tfstate-acme-infra-state-dev-apply") },
      prod: { plan: arnOf("tfstate-acme-infra-state-prod-plan"), apply: arnOf("tfstate-acme-infra-state-prod-apply") },
    });
    expect(json.output.github_plan_role_arn).toBeUndefined();
    expect(json.output.github_apply_role_arn).toBeUndefined();
    expect(json.output.github_oidc_provider_arn.value).toMatch(/^\$\{aws_iam_openid_connect_provider\.[\w-]+\.arn\}$/);
  });

  test("every name fits IAM's 64 characters: a long bucket's name is cut, the environment's kept whole", () => {
    const longBucket = { TFSTATE_BUCKET: `acme-${"x".repeat(52)}-state` };
    const longest = "e".repeat(25);
    const { roles } = rolesByName(withEnvironments({ dev: {}, [longest]: { vpcCidr: "10.2.0.0/16" } }, longBucket));
    expect(Object.keys(roles).sort()).toEqual([
      `tfstate-acme-${"x".repeat(19)}-${longest}-apply`,
      `tfstate-acme-${"x".repeat(19)}-${longest}-plan`,
      // As long as the pair without environments allows: 50 characters before "-dev".
      `tfstate-acme-${"x".repeat(37)}-dev-apply`,
      `tfstate-acme-${"x".repeat(37)}-dev-plan`,
    ]);
    for (const name of Object.keys(roles)) expect(name.length).toBeLessThanOrEqual(64);
  });

  test("the plan roles trust the pull requests; each apply role only the GitHub environment of its name, or the one it names", () => {
    const { roles } = rolesByName(withEnvironments(DEV_AND_PROD));
    expect(subjectOf(roles["tfstate-acme-infra-state-dev-plan"])).toBe("repo:octo-org/infra:pull_request");
    expect(subjectOf(roles["tfstate-acme-infra-state-prod-plan"])).toBe("repo:octo-org/infra:pull_request");
    expect(subjectOf(roles["tfstate-acme-infra-state-dev-apply"])).toBe("repo:octo-org/infra:environment:dev");
    expect(subjectOf(roles["tfstate-acme-infra-state-prod-apply"])).toBe("repo:octo-org/infra:environment:production");
  });

  test("no two apply roles trust the same subject, so a job of one environment cannot assume another's", () => {
    const { roles } = rolesByName(withEnvironments({ dev: { vpcCidr: "10.1.0.0/16" }, staging: { vpcCidr: "10.3.0.0/16" }, prod: { vpcCidr: "10.2.0.0/16" } }));
    const subjects = Object.entries(roles).filter(([name]) => name.endsWith("-apply")).map(([, role]) => subjectOf(role));
    expect(subjects.sort()).toEqual(["repo:octo-org/infra:environment:dev", "repo:octo-org/infra:environment:prod", "repo:octo-org/infra:environment:staging"]);
  });

  test("TFSTATE_GITHUB_ENVIRONMENT with environments is refused in one line: each apply role trusts its own", () => {
    expect(() => rolesByName(withEnvironments(DEV_AND_PROD, { TFSTATE_GITHUB_ENVIRONMENT: "gated" }))).toThrow(
      /^TFSTATE_GITHUB_ENVIRONMENT applies only without environments: with them, each apply role trusts the GitHub environment of its own name/,
    );
  });

  test("no role can be assumed without GitHub's audience and an exact subject", () => {
    const { roles } = rolesByName(withEnvironments(DEV_AND_PROD));
    for (const role of Object.values(roles)) {
      expect(role.trust.Statement).toHaveLength(1);
      const [statement] = role.trust.Statement;
      expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
      expect(Object.keys(statement.Condition.StringEquals).sort()).toEqual(["token.actions.githubusercontent.com:aud", "token.actions.githubusercontent.com:sub"]);
      expect(statement.Condition.StringEquals["token.actions.githubusercontent.com:aud"]).toBe("sts.amazonaws.com");
      expect(subjectOf(role)).toMatch(/^repo:octo-org\/infra:(pull_request|environment:(dev|production))$/);
    }
  });

  test("dynamodb mode: dev's roles reach dev's state object and dev's lock items, and nothing of prod's", () => {
    const { roles, bucketArn } = rolesByName(withEnvironments(DEV_AND_PROD));
    const [plan, apply] = [roles["tfstate-acme-infra-state-dev-plan"], roles["tfstate-acme-infra-state-dev-apply"]];
    const devState = `${bucketArn}/env/dev/vpc/terraform.tfstate`;
    for (const role of [plan, apply]) {
      // Only the explicit deny names prod's roles: dev's may not touch them.
      expect(JSON.stringify(role.statements.filter((s) => s.Effect === "Allow"))).not.toContain("prod");
      expect(allowed(role.statements, "s3:GetObject").map((s) => s.Resource)).toEqual([devState]);
    }
    expect(allowed(plan.statements, "s3:PutObject")).toEqual([]);
    expect(allowed(apply.statements, "s3:PutObject").map((s) => s.Resource)).toEqual([devState]);
    expect(allowed(plan.statements, "dynamodb:PutItem").map((s) => s.Condition)).toEqual([
      { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["acme-infra-state/env/dev/vpc/terraform.tfstate"] } },
    ]);
    expect(allowed(apply.statements, "dynamodb:PutItem").map((s) => s.Condition)).toEqual([
      {
        "ForAllValues:StringEquals": {
          "dynamodb:LeadingKeys": ["acme-infra-state/env/dev/vpc/terraform.tfstate", "acme-infra-state/env/dev/vpc/terraform.tfstate-md5"],
        },
      },
    ]);
    expect(JSON.stringify(roles["tfstate-acme-infra-state-prod-apply"].statements)).not.toContain("env/dev/");
  });

  test("s3 mode: dev's roles may write dev's lock file alone", () => {
    const { roles, bucketArn } = rolesByName(withEnvironments(DEV_AND_PROD, { TFSTATE_LOCK: "s3" }));
    expect(allowed(roles["tfstate-acme-infra-state-dev-plan"].statements, "s3:PutObject").map((s) => s.Resource)).toEqual([
      `${bucketArn}/env/dev/vpc/terraform.tfstate.tflock`,
    ]);
  });

  test("an environment in another account: its roles may assume exactly its roleArn, and get no workload permissions here", () => {
    const deploy = "arn:aws:iam::222222222222:role/deploy";
    const { roles } = rolesByName(withEnvironments({ ...DEV_AND_PROD, prod: { ...DEV_AND_PROD.prod, roleArn: deploy } }));
    for (const access of ["plan", "apply"]) {
      const prod = roles[`tfstate-acme-infra-state-prod-${access}`].statements;
      expect(allowed(prod, "sts:AssumeRole")).toEqual([{ Sid: "AssumeWorkloadRole", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: deploy }]);
      expect(prod.flatMap((s) => s.Action).filter((a: string) => /^(ec2|logs|iam):/.test(a))).toEqual([]);
      const dev = roles[`tfstate-acme-infra-state-dev-${access}`].statements;
      expect(allowed(dev, "sts:AssumeRole")).toEqual([]);
      expect(allowed(dev, "ec2:Describe*")).toHaveLength(1);
    }
  });

  test("TFSTATE_BACKEND_ROLE_ARN: every CI role may assume it, as the backends do", () => {
    const backendRole = "arn:aws:iam::111111111111:role/tfstate";
    const statement = { Sid: "AssumeBackendRole", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: backendRole };
    const { roles } = rolesByName(withEnvironments(DEV_AND_PROD, { TFSTATE_BACKEND_ROLE_ARN: backendRole }));
    const single = ciRoles({ ...REPOSITORY, TFSTATE_BACKEND_ROLE_ARN: backendRole });
    for (const { statements } of [...Object.values(roles), single.plan, single.apply]) expect(allowed(statements, "sts:AssumeRole")).toEqual([statement]);
  });

  test("without environments: the one pair keeps its names and construct IDs, so a deployed pair is not replaced", () => {
    const { json, roles } = rolesByName({ ...REPOSITORY, ...BUCKET });
    // The addresses the pair has had since it was first made.
    expect(Object.fromEntries(Object.entries(roles).map(([name, { key }]) => [key, name]))).toEqual({
      "github-ci_plan-role_B2A5EAB7": "tfstate-acme-infra-state-plan",
      "github-ci_apply-role_7E962AEF": "tfstate-acme-infra-state-apply",
    });
    expect(Object.keys(json.resource.aws_iam_role_policy).sort()).toEqual(["github-ci_apply-policy_07B1EDD4", "github-ci_plan-policy_2CDBEDF9"]);
    expect(json.output.github_ci_roles).toBeUndefined();
  });
});
