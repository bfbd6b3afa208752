// The roles that workloads create: under the project's IAM path, with the boundary that bootstrap makes for
// their environment (or TFSTATE_PERMISSIONS_BOUNDARY), so that a CI apply role can make no role stronger than that.
import { bootstrapStack, parse, synth, vpcStack } from "../support/synth";

const BUCKET = { TFSTATE_BUCKET: "acme-infra-state" };
const ORG_BOUNDARY = "arn:aws:iam::111122223333:policy/org/ScpBoundary";
const ENVIRONMENTS = {
  ...BUCKET,
  TFSTATE_ENVIRONMENTS: JSON.stringify({
    dev: { vpcCidr: "10.1.0.0/16" },
    prod: { vpcCidr: "10.2.0.0/16" },
    audit: { vpcCidr: "10.3.0.0/16", roleArn: "arn:aws:iam::222222222222:role/deploy" },
  }),
};

const resources = (json: any, type: string): any[] => Object.values(json.resource[type] ?? {});
const flowLogRole = (env: Record<string, string>, environment?: string) => resources(parse(synth(vpcStack(env, environment))), "aws_iam_role")[0];
const boundaries = (env: Record<string, string>) =>
  resources(parse(synth(bootstrapStack(env))), "aws_iam_policy").filter((policy) => policy.name.endsWith("-workload-boundary"));

describe("the flow-log role", () => {
  test("lives under /tfstate/<bucket>/default/ and carries the boundary bootstrap makes in this account", () => {
    const role = flowLogRole(BUCKET);
    expect(role.path).toBe("/tfstate/acme-infra-state/default/");
    expect(role.permissions_boundary).toMatch(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:iam::\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:policy\/tfstate-acme-infra-state-workload-boundary$/);
  });

  test("with environments, each under its own environment's path, with its own environment's boundary", () => {
    const dev = flowLogRole(ENVIRONMENTS, "dev");
    expect(dev.path).toBe("/tfstate/acme-infra-state/dev/");
    expect(dev.permissions_boundary).toMatch(/:policy\/tfstate-acme-infra-state-dev-workload-boundary$/);
    expect(flowLogRole(ENVIRONMENTS, "prod").permissions_boundary).toMatch(/:policy\/tfstate-acme-infra-state-prod-workload-boundary$/);
  });

  test("in another account (roleArn), on the same path, without a boundary of the project's: there is none there", () => {
    const audit = flowLogRole(ENVIRONMENTS, "audit");
    expect(audit.path).toBe("/tfstate/acme-infra-state/audit/");
    expect(audit.permissions_boundary).toBeUndefined();
  });

  test("TFSTATE_PERMISSIONS_BOUNDARY: carries that one, and in another account the policy of the same path and name there", () => {
    const env = { ...ENVIRONMENTS, TFSTATE_PERMISSIONS_BOUNDARY: ORG_BOUNDARY };
    expect(flowLogRole(env, "dev").permissions_boundary).toBe(ORG_BOUNDARY);
    expect(flowLogRole(env, "audit").permissions_boundary).toBe("arn:aws:iam::222222222222:policy/org/ScpBoundary");
  });
});

describe("the workload boundary that bootstrap creates", () => {
  test("one per environment in this account, none for an environment in another", () => {
    expect(boundaries(ENVIRONMENTS).map((policy) => policy.name)).toEqual([
      "tfstate-acme-infra-state-dev-workload-boundary",
      "tfstate-acme-infra-state-prod-workload-boundary",
    ]);
  });

  test("allows writing the environment's own flow-log groups, by name, and nothing else", () => {
    const [dev] = boundaries(ENVIRONMENTS);
    const logGroup = "arn:${data.aws_partition.partition.partition}:logs:*:${data.aws_caller_identity.account.account_id}:log-group:/vpc-flow-logs/tfstate-backend-vpc-dev";
    expect(JSON.parse(dev.policy).Statement).toEqual([
      {
        Sid: "WriteOwnFlowLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroup, `${logGroup}:*`],
      },
    ]);
  });

  test("none with TFSTATE_PERMISSIONS_BOUNDARY, whose policy takes its place", () => {
    expect(boundaries({ ...ENVIRONMENTS, TFSTATE_PERMISSIONS_BOUNDARY: ORG_BOUNDARY })).toEqual([]);
  });
});

describe("TFSTATE_PERMISSIONS_BOUNDARY on the CI roles", () => {
  const ciRoles = (env: Record<string, string>) =>
    resources(parse(synth(bootstrapStack({ ...env, TFSTATE_GITHUB_REPOSITORY: "octo-org/infra" }))), "aws_iam_role");

  test("every CI role carries it", () => {
    const roles = ciRoles({ ...ENVIRONMENTS, TFSTATE_PERMISSIONS_BOUNDARY: ORG_BOUNDARY });
    expect(roles).toHaveLength(6);
    for (const role of roles) expect(role.permissions_boundary).toBe(ORG_BOUNDARY);
  });

  test("unset, none does", () => {
    for (const role of ciRoles(ENVIRONMENTS)) expect(role.permissions_boundary).toBeUndefined();
  });
});
