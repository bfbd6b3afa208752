// What a security reviewer tries first, answered by an IAM policy evaluator rather than by reading the JSON:
// dev and prod in one account, each with its CI roles. dev's apply role can build dev and nothing of prod's,
// and no path leads from it to more privilege; dev's plan role writes nothing but its lock.
import { IamEvaluator, TEST_ACCOUNT_ID } from "../support/iam-evaluation";
import { stackPolicies } from "../../tools/iam-policies";
import { bootstrapStack, synth, vpcStack } from "../support/synth";

const SETTINGS = {
  TFSTATE_BUCKET: "acme-infra-state",
  TFSTATE_GITHUB_REPOSITORY: "acme/infra",
  TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.1.0.0/16" }, prod: { vpcCidr: "10.2.0.0/16" } }),
};
const ACCOUNT = TEST_ACCOUNT_ID;
const REGION = "ap-northeast-2";
const DEV_APPLY = "tfstate-acme-infra-state-dev-apply";
const DEV_PLAN = "tfstate-acme-infra-state-dev-plan";
const PROD_APPLY = "tfstate-acme-infra-state-prod-apply";
const role = (pathAndName: string) => `arn:aws:iam::${ACCOUNT}:role/${pathAndName}`;
const boundary = (environment: string) => `arn:aws:iam::${ACCOUNT}:policy/tfstate-acme-infra-state-${environment}-workload-boundary`;
const vpc = `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0a1b2c3d4e5f60718`;
const securityGroup = `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0a1b2c3d4e5f60718`;
const logGroup = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/vpc-flow-logs/${name}`;
const state = (environment: string) => `arn:aws:s3:::acme-infra-state/env/${environment}/vpc/terraform.tfstate`;
const lockTable = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/terraform-lock`;
const DEV = { Environment: "dev" };
const PROD = { Environment: "prod" };

let bootstrap: IamEvaluator;
beforeAll(() => {
  bootstrap = new IamEvaluator(synth(bootstrapStack(SETTINGS)));
});

describe("dev's apply role: dev's resources, inside its tag", () => {
  const apply = (request: Parameters<IamEvaluator["evaluate"]>[1]) => bootstrap.evaluate(DEV_APPLY, request);

  test("may create its VPC tagged Environment=dev, and tag it as it is created", async () => {
    expect(await apply({ action: "ec2:CreateVpc", resource: vpc, requestTags: DEV })).toBe("Allowed");
    expect(await apply({ action: "ec2:CreateTags", resource: vpc, requestTags: DEV, context: { "ec2:CreateAction": "CreateVpc" } })).toBe("Allowed");
  });

  test("may not create a VPC tagged prod, or untagged", async () => {
    expect(await apply({ action: "ec2:CreateVpc", resource: vpc, requestTags: PROD })).toBe("ImplicitlyDenied");
    expect(await apply({ action: "ec2:CreateVpc", resource: vpc })).toBe("ImplicitlyDenied");
  });

  test("may delete dev's VPC and is denied DeleteVpc on a VPC tagged prod", async () => {
    expect(await apply({ action: "ec2:DeleteVpc", resource: vpc, resourceTags: DEV })).toBe("Allowed");
    expect(await apply({ action: "ec2:DeleteVpc", resource: vpc, resourceTags: PROD })).toBe("ImplicitlyDenied");
    expect(await apply({ action: "ec2:DeleteVpc", resource: vpc })).toBe("ImplicitlyDenied");
  });

  test("may not move a resource out of dev or into it by changing its Environment tag", async () => {
    expect(await apply({ action: "ec2:CreateTags", resource: vpc, resourceTags: DEV, requestTags: { Name: "renamed" } })).toBe("Allowed");
    expect(await apply({ action: "ec2:CreateTags", resource: vpc, resourceTags: DEV, requestTags: PROD })).toBe("ImplicitlyDenied");
    expect(await apply({ action: "ec2:CreateTags", resource: vpc, resourceTags: PROD, requestTags: DEV })).toBe("ImplicitlyDenied");
    expect(await apply({ action: "ec2:DeleteTags", resource: vpc, resourceTags: DEV, context: { "aws:TagKeys": ["Environment"] } })).toBe("ImplicitlyDenied");
  });

  test("may take over an untagged default security group, but never open one, and never touch prod's", async () => {
    expect(await apply({ action: "ec2:CreateTags", resource: securityGroup, requestTags: DEV })).toBe("Allowed");
    expect(await apply({ action: "ec2:RevokeSecurityGroupEgress", resource: securityGroup, resourceTags: DEV })).toBe("Allowed");
    expect(await apply({ action: "ec2:AuthorizeSecurityGroupIngress", resource: securityGroup, resourceTags: DEV })).toBe("ImplicitlyDenied");
    expect(await apply({ action: "ec2:RevokeSecurityGroupEgress", resource: securityGroup, resourceTags: PROD })).toBe("ImplicitlyDenied");
  });

  test("may not create a flow log on prod's VPC, which would copy prod's traffic into dev's logs", async () => {
    expect(await apply({ action: "ec2:CreateFlowLogs", resource: vpc, resourceTags: DEV, requestTags: DEV })).toBe("Allowed");
    expect(await apply({ action: "ec2:CreateFlowLogs", resource: vpc, resourceTags: PROD, requestTags: DEV })).toBe("ImplicitlyDenied");
  });

  test("is denied deleting or re-tagging prod's flow-log group", async () => {
    expect(await apply({ action: "logs:DeleteLogGroup", resource: logGroup("tfstate-backend-vpc-dev"), resourceTags: DEV })).toBe("Allowed");
    expect(await apply({ action: "logs:DeleteLogGroup", resource: logGroup("tfstate-backend-vpc-prod"), resourceTags: PROD })).toBe("ImplicitlyDenied");
    expect(await apply({ action: "logs:TagResource", resource: logGroup("tfstate-backend-vpc-prod"), resourceTags: PROD, requestTags: DEV })).toBe("ImplicitlyDenied");
  });
});

describe("dev's apply role: no path to more privilege", () => {
  const apply = (request: Parameters<IamEvaluator["evaluate"]>[1]) => bootstrap.evaluate(DEV_APPLY, request);
  const devRole = role("tfstate/acme-infra-state/dev/terraform-flow-log-role");
  const withBoundary = (environment: string) => ({ "iam:PermissionsBoundary": boundary(environment) });

  test("may create and write a role under dev's path with dev's boundary on it", async () => {
    expect(await apply({ action: "iam:CreateRole", resource: devRole, context: withBoundary("dev") })).toBe("Allowed");
    expect(await apply({ action: "iam:PutRolePolicy", resource: devRole, context: withBoundary("dev") })).toBe("Allowed");
  });

  test("is denied CreateRole without the boundary, or with prod's", async () => {
    expect(await apply({ action: "iam:CreateRole", resource: devRole })).toBe("ImplicitlyDenied");
    expect(await apply({ action: "iam:CreateRole", resource: devRole, context: withBoundary("prod") })).toBe("ImplicitlyDenied");
  });

  test("is denied PutRolePolicy on its own role, whatever the boundary", async () => {
    expect(await apply({ action: "iam:PutRolePolicy", resource: role(DEV_APPLY) })).toBe("ExplicitlyDenied");
    expect(await apply({ action: "iam:PutRolePolicy", resource: role(DEV_APPLY), context: withBoundary("dev") })).toBe("ExplicitlyDenied");
  });

  test("is denied any IAM action on the other CI roles, prod's apply role among them", async () => {
    for (const action of ["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole"]) {
      expect(await apply({ action, resource: role(PROD_APPLY), context: withBoundary("dev") })).toBe("ExplicitlyDenied");
    }
  });

  test("is denied PutRolePolicy on a role outside dev's path: another role of the account, or prod's workload role", async () => {
    expect(await apply({ action: "iam:PutRolePolicy", resource: role("admin"), context: withBoundary("dev") })).toBe("ImplicitlyDenied");
    const prodRole = role("tfstate/acme-infra-state/prod/terraform-flow-log-role");
    expect(await apply({ action: "iam:PutRolePolicy", resource: prodRole, context: withBoundary("prod") })).toBe("ImplicitlyDenied");
  });

  test("is denied DeletePolicy and CreatePolicyVersion on its boundary", async () => {
    expect(await apply({ action: "iam:DeletePolicy", resource: boundary("dev") })).toBe("ExplicitlyDenied");
    expect(await apply({ action: "iam:CreatePolicyVersion", resource: boundary("dev") })).toBe("ExplicitlyDenied");
  });

  test("is denied taking the boundary off a role, or putting another on", async () => {
    expect(await apply({ action: "iam:DeleteRolePermissionsBoundary", resource: devRole, context: withBoundary("dev") })).toBe("ExplicitlyDenied");
    expect(await apply({ action: "iam:PutRolePermissionsBoundary", resource: devRole, context: withBoundary("dev") })).toBe("ExplicitlyDenied");
  });

  test("may not attach a managed policy to any role", async () => {
    const adminPolicy = { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess", ...withBoundary("dev") };
    expect(await apply({ action: "iam:AttachRolePolicy", resource: devRole, context: adminPolicy })).toBe("ImplicitlyDenied");
  });

  test("may pass dev's workload roles to VPC flow logs alone", async () => {
    expect(await apply({ action: "iam:PassRole", resource: devRole, context: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } })).toBe("Allowed");
    expect(await apply({ action: "iam:PassRole", resource: devRole, context: { "iam:PassedToService": "ec2.amazonaws.com" } })).toBe("ImplicitlyDenied");
    expect(await apply({ action: "iam:PassRole", resource: role(DEV_APPLY), context: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } })).not.toBe("Allowed");
  });

  test("reads and writes dev's state and nothing of prod's", async () => {
    expect(await apply({ action: "s3:PutObject", resource: state("dev") })).toBe("Allowed");
    expect(await apply({ action: "s3:GetObject", resource: state("prod") })).toBe("ImplicitlyDenied");
    expect(await apply({ action: "s3:PutObject", resource: state("prod") })).toBe("ImplicitlyDenied");
  });
});

describe("dev's plan role: no write outside its lock item and .tflock", () => {
  const plan = (request: Parameters<IamEvaluator["evaluate"]>[1]) => bootstrap.evaluate(DEV_PLAN, request);
  const devLock = "acme-infra-state/env/dev/vpc/terraform.tfstate";

  test("may take and release dev's lock item", async () => {
    for (const action of ["dynamodb:PutItem", "dynamodb:DeleteItem"]) {
      expect(await plan({ action, resource: lockTable, context: { "dynamodb:LeadingKeys": [devLock] } })).toBe("Allowed");
    }
  });

  test("is denied writing dev's digest item, prod's lock item, or the state", async () => {
    expect(await plan({ action: "dynamodb:PutItem", resource: lockTable, context: { "dynamodb:LeadingKeys": [`${devLock}-md5`] } })).toBe("ImplicitlyDenied");
    expect(await plan({ action: "dynamodb:PutItem", resource: lockTable, context: { "dynamodb:LeadingKeys": ["acme-infra-state/env/prod/vpc/terraform.tfstate"] } })).toBe(
      "ImplicitlyDenied",
    );
    for (const action of ["s3:PutObject", "s3:DeleteObject"]) expect(await plan({ action, resource: state("dev") })).toBe("ImplicitlyDenied");
  });

  test("is denied every write to the workload: VPCs, tags, log groups, roles", async () => {
    const withBoundary = { "iam:PermissionsBoundary": boundary("dev") };
    const workloadRole = role("tfstate/acme-infra-state/dev/x");
    const writes: Array<Parameters<IamEvaluator["evaluate"]>[1]> = [
      { action: "ec2:CreateVpc", resource: vpc, requestTags: DEV },
      { action: "ec2:DeleteVpc", resource: vpc, resourceTags: DEV },
      { action: "ec2:CreateTags", resource: vpc, resourceTags: DEV, requestTags: { Name: "renamed" } },
      { action: "ec2:RevokeSecurityGroupEgress", resource: securityGroup, resourceTags: DEV },
      { action: "logs:CreateLogGroup", resource: logGroup("tfstate-backend-vpc-dev"), requestTags: DEV },
      { action: "logs:DeleteLogGroup", resource: logGroup("tfstate-backend-vpc-dev"), resourceTags: DEV },
      { action: "iam:CreateRole", resource: workloadRole, context: withBoundary },
      { action: "iam:PutRolePolicy", resource: workloadRole, context: withBoundary },
      { action: "iam:PassRole", resource: workloadRole, context: { "iam:PassedToService": "vpc-flow-logs.amazonaws.com" } },
    ];
    for (const request of writes) expect([request.action, await plan(request)]).toEqual([request.action, "ImplicitlyDenied"]);
  });
});

describe("s3 lock mode: the plan role's one write is its .tflock", () => {
  test("may write dev's lock file and not dev's state", async () => {
    const evaluator = new IamEvaluator(synth(bootstrapStack({ ...SETTINGS, TFSTATE_LOCK: "s3" })));
    expect(await evaluator.evaluate(DEV_PLAN, { action: "s3:PutObject", resource: `${state("dev")}.tflock` })).toBe("Allowed");
    expect(await evaluator.evaluate(DEV_PLAN, { action: "s3:PutObject", resource: state("dev") })).toBe("ImplicitlyDenied");
    expect(await evaluator.evaluate(DEV_PLAN, { action: "s3:PutObject", resource: `${state("prod")}.tflock` })).toBe("ImplicitlyDenied");
  });
});

describe("dev's flow-log role: whatever its own policy says, its boundary holds", () => {
  let vpcDev: string;
  let boundaries: Record<string, any>;
  beforeAll(() => {
    vpcDev = synth(vpcStack(SETTINGS, "dev"));
    const documents = stackPolicies(synth(bootstrapStack(SETTINGS)));
    boundaries = Object.fromEntries(
      ["dev", "prod"].map((environment) => [boundary(environment), documents.find((p) => p.address.includes(`workload-boundary-${environment}`))!.document]),
    );
  });

  test("writes dev's flow-log group", async () => {
    const evaluator = new IamEvaluator(vpcDev, { externalPolicies: boundaries });
    expect(await evaluator.evaluate("flow-logs/role", { action: "logs:PutLogEvents", resource: `${logGroup("tfstate-backend-vpc-dev")}:log-stream:eni-1` })).toBe(
      "Allowed",
    );
  });

  test("given Action * by a policy written onto it, still cannot write prod's logs or act in IAM", async () => {
    const json = JSON.parse(vpcDev);
    const [policyKey] = Object.keys(json.resource.aws_iam_role_policy);
    json.resource.aws_iam_role_policy[policyKey].policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
    const widened = new IamEvaluator(json, { externalPolicies: boundaries });
    expect(await widened.evaluate("flow-logs/role", { action: "logs:PutLogEvents", resource: `${logGroup("tfstate-backend-vpc-prod")}:log-stream:eni-1` })).toBe(
      "ImplicitlyDenied",
    );
    expect(await widened.evaluate("flow-logs/role", { action: "iam:CreateRole", resource: role("escalated") })).toBe("ImplicitlyDenied");
    expect(await widened.evaluate("flow-logs/role", { action: "s3:GetObject", resource: state("prod") })).toBe("ImplicitlyDenied");
  });
});

describe("the replication role: replicates the state bucket into its replica, and nothing else", () => {
  const REPLICA_REGION = "eu-west-1";
  const source = "arn:aws:s3:::acme-infra-state";
  const replica = `arn:aws:s3:::acme-infra-state-replica-${REPLICA_REGION}`;
  const REPLICATION = "tfstate-acme-infra-state-replication";
  let replication: IamEvaluator;
  let keys: { source: string; replica: string };
  beforeAll(() => {
    replication = new IamEvaluator(synth(bootstrapStack({ ...SETTINGS, TFSTATE_REPLICA_REGION: REPLICA_REGION, TFSTATE_KMS: "create" })));
    const [sourceKey, replicaKey] = ["state-key_753BFC90", "replication_state-key_5C5C2E92"].map((name) => replication.references.resolve(`\${aws_kms_key.${name}.arn}`, "test"));
    keys = { source: sourceKey, replica: replicaKey };
  });
  const replicate = (request: Parameters<IamEvaluator["evaluate"]>[1]) => replication.evaluate(REPLICATION, request);

  test("reads the source's replication configuration and object versions, and replicates objects, delete markers and tags into the replica", async () => {
    expect(await replicate({ action: "s3:GetReplicationConfiguration", resource: source })).toBe("Allowed");
    expect(await replicate({ action: "s3:GetObjectVersionForReplication", resource: state("dev") })).toBe("Allowed");
    for (const action of ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]) {
      expect(await replicate({ action, resource: `${replica}/env/dev/vpc/terraform.tfstate` })).toBe("Allowed");
    }
  });

  test("is denied writing or deleting the state bucket's state objects, and reading the replica", async () => {
    for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ReplicateObject", "s3:ReplicateDelete"]) {
      expect([action, await replicate({ action, resource: state("prod") })]).toEqual([action, "ImplicitlyDenied"]);
    }
    expect(await replicate({ action: "s3:GetObject", resource: `${replica}/env/dev/vpc/terraform.tfstate` })).toBe("ImplicitlyDenied");
    expect(await replicate({ action: "s3:PutReplicationConfiguration", resource: source })).toBe("ImplicitlyDenied");
  });

  test("is denied anything on another bucket", async () => {
    const other = "arn:aws:s3:::someone-elses-bucket";
    for (const [action, resource] of [
      ["s3:ReplicateObject", `${other}/x`],
      ["s3:GetObjectVersionForReplication", `${other}/x`],
      ["s3:GetReplicationConfiguration", other],
      ["s3:ListBucket", other],
      ["s3:GetObject", `${other}/x`],
    ]) {
      expect([action, resource, await replicate({ action, resource })]).toEqual([action, resource, "ImplicitlyDenied"]);
    }
  });

  test("decrypts with the source's key and encrypts with the replica's, each only through S3 in its region", async () => {
    const through = (service: string) => ({ "kms:ViaService": service });
    expect(await replicate({ action: "kms:Decrypt", resource: keys.source, context: through(`s3.${REGION}.amazonaws.com`) })).toBe("Allowed");
    expect(await replicate({ action: "kms:Encrypt", resource: keys.replica, context: through(`s3.${REPLICA_REGION}.amazonaws.com`) })).toBe("Allowed");
    // Not straight to KMS, not through DynamoDB (the lock table's key is the source's), not S3 of the other region, not the other way round.
    expect(await replicate({ action: "kms:Decrypt", resource: keys.source })).toBe("ImplicitlyDenied");
    expect(await replicate({ action: "kms:Decrypt", resource: keys.source, context: through(`dynamodb.${REGION}.amazonaws.com`) })).toBe("ImplicitlyDenied");
    expect(await replicate({ action: "kms:Decrypt", resource: keys.source, context: through(`s3.${REPLICA_REGION}.amazonaws.com`) })).toBe("ImplicitlyDenied");
    expect(await replicate({ action: "kms:Encrypt", resource: keys.source, context: through(`s3.${REGION}.amazonaws.com`) })).toBe("ImplicitlyDenied");
    expect(await replicate({ action: "kms:Decrypt", resource: keys.replica, context: through(`s3.${REPLICA_REGION}.amazonaws.com`) })).toBe("ImplicitlyDenied");
  });

  test("with TFSTATE_PERMISSIONS_BOUNDARY, carries it, and the boundary holds", async () => {
    const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/org-boundary`;
    const onlyS3 = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
    const bounded = new IamEvaluator(synth(bootstrapStack({ ...SETTINGS, TFSTATE_REPLICA_REGION: REPLICA_REGION, TFSTATE_KMS: "create", TFSTATE_PERMISSIONS_BOUNDARY: boundaryArn })), {
      externalPolicies: { [boundaryArn]: onlyS3 },
    });
    expect(bounded.role(REPLICATION).permissionsBoundary?.arn).toBe(boundaryArn);
    expect(await bounded.evaluate(REPLICATION, { action: "s3:ReplicateObject", resource: `${replica}/x` })).toBe("Allowed");
    const encrypt = { "kms:ViaService": `s3.${REPLICA_REGION}.amazonaws.com` };
    expect(await bounded.evaluate(REPLICATION, { action: "kms:Encrypt", resource: keys.replica, context: encrypt })).toBe("ImplicitlyDenied");
  });
});
