// The app with environments: a vpc-<env> stack per environment, each with its own key, region, account and
// tags from the config; one state-access policy per environment; and a new kind of workload added the way
// docs/environments.md says, as a stack file and one line of wiring.
import { Construct } from "constructs";
import { StateAccess, Statement } from "../../constructs/state-access-policy";
import { TerraformStack } from "cdktf";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Environment, TfstateConfig, readCdktfContext } from "../../config/config";
import { WorkloadTarget } from "../../config/workloads";
import { addStacks } from "../../stacks/app-stacks";
import { CiScope, WorkloadStack } from "../../stacks/workload-stack";
import { WORKLOADS } from "../../stacks/workloads";
import { configWith, expectValidTerraform, parse, synth, testApp } from "../support/synth";

const ENVIRONMENTS = {
  dev: { vpcCidr: "10.1.0.0/16" },
  prod: { vpcCidr: "10.2.0.0/16", region: "eu-west-1", roleArn: "arn:aws:iam::222222222222:role/deploy" },
};
const withEnvironments = { TFSTATE_ENVIRONMENTS: JSON.stringify(ENVIRONMENTS) };

/** The app as main.ts builds it, with these settings: each stack by name. */
function appStacks(env: Environment, workloads = WORKLOADS): Record<string, TerraformStack> {
  const app = testApp();
  addStacks(app, configWith(env), { workloads });
  return Object.fromEntries(app.node.children.filter(TerraformStack.isStack).map((stack) => [stack.node.id, stack]));
}

const json = (stack: TerraformStack) => parse(synth(stack));

// Stacks are built and synthesized in beforeAll hooks, not while jest collects the tests: a failure there
// is then reported against the tests it affects, and a filtered run (-t) builds only what it runs.

describe("the app's stacks", () => {
  let context: ReturnType<typeof readCdktfContext>;
  beforeAll(() => {
    context = readCdktfContext();
  });

  test("without environments: bootstrap and vpc, exactly as the app always had", () => {
    expect(Object.keys(appStacks({}))).toEqual(["bootstrap", "vpc"]);
  });

  describe("with environments dev and prod", () => {
    let stacks: Record<string, TerraformStack>;
    let dev: any;
    let prod: any;
    beforeAll(() => {
      stacks = appStacks(withEnvironments);
      [dev, prod] = [json(stacks["vpc-dev"]), json(stacks["vpc-prod"])];
    });

    test("bootstrap, then a vpc-<env> stack per environment and no plain vpc", () => {
      expect(Object.keys(stacks)).toEqual(["bootstrap", "vpc-dev", "vpc-prod"]);
    });

    test("each keeps its state under its own key in the one bucket, in the region of the bucket, with the same lock", () => {
      const common = { bucket: context.stateBucket, region: context.region, encrypt: true, dynamodb_table: context.lockTable };
      expect(dev.terraform.backend).toEqual({ s3: { ...common, key: "env/dev/vpc/terraform.tfstate" } });
      expect(prod.terraform.backend).toEqual({ s3: { ...common, key: "env/prod/vpc/terraform.tfstate" } });
      const lockfile = appStacks({ ...withEnvironments, TFSTATE_LOCK: "s3" });
      expect(json(lockfile["vpc-prod"]).terraform.backend.s3).toMatchObject({ use_lockfile: true, key: "env/prod/vpc/terraform.tfstate" });
    });

    test("each VPC has its environment's CIDR and a Name tag of its own", () => {
      expect(Object.values<any>(dev.resource.aws_vpc)[0]).toMatchObject({ cidr_block: "10.1.0.0/16", tags: { Name: `${context.vpcName}-dev` } });
      expect(Object.values<any>(prod.resource.aws_vpc)[0]).toMatchObject({ cidr_block: "10.2.0.0/16", tags: { Name: `${context.vpcName}-prod` } });
      expect(Object.values<any>(prod.resource.aws_cloudwatch_log_group)[0].name).toBe(`/vpc-flow-logs/${context.vpcName}-prod`);
    });

    test("dev's provider works in the default region and account; prod's assumes its role and may change only that account", () => {
      const tags = (stack: string, environment: string) => [{ tags: { Project: "tfstate-backend", ManagedBy: "cdktf", Stack: stack, Environment: environment } }];
      const [devProvider] = dev.provider.aws;
      expect(devProvider).toEqual({ region: context.region, default_tags: tags("vpc-dev", "dev") });
      expect(synth(stacks["vpc-prod"])).toHaveProviderWithProperties(AwsProvider, {
        region: "eu-west-1",
        default_tags: tags("vpc-prod", "prod"),
        assume_role: [{ role_arn: "arn:aws:iam::222222222222:role/deploy", session_name: "vpc-prod" }],
        allowed_account_ids: ["222222222222"],
      });
    });

    test("on an emulator, only the provider with a known account asks for it, which allowed_account_ids needs", () => {
      const emulated = appStacks({ ...withEnvironments, AWS_ENDPOINT_URL: "http://127.0.0.1:5000" });
      expect(json(emulated["vpc-dev"]).provider.aws[0].skip_requesting_account_id).toBe(true);
      expect(json(emulated["vpc-prod"]).provider.aws[0].skip_requesting_account_id).toBe(false);
      expect(json(emulated["vpc-prod"]).provider.aws[0].endpoints[0].sts).toBe("http://127.0.0.1:5000");
    });

    test("vpc-prod, with its role, is valid terraform", () => {
      expectValidTerraform(stacks["vpc-prod"]);
    });

    test("TFSTATE_BACKEND_ROLE_ARN: every backend reaches the bucket through that role", () => {
      const role = "arn:aws:iam::111111111111:role/tfstate";
      const reached = appStacks({ ...withEnvironments, TFSTATE_BACKEND_ROLE_ARN: role, TFSTATE_BOOTSTRAP_BACKEND: "s3" });
      for (const stack of Object.values(reached)) expect(json(stack).terraform.backend.s3.assume_role).toEqual({ role_arn: role });
      expect(dev.terraform.backend.s3.assume_role).toBeUndefined();
    });
  });
});

describe("state access per environment", () => {
  let bootstrap: any;
  let bucket: unknown;
  let policies: any[];
  let bucketArn: string;
  beforeAll(() => {
    bootstrap = json(appStacks(withEnvironments).bootstrap);
    bucket = readCdktfContext().stateBucket;
    policies = Object.values<any>(bootstrap.resource.aws_iam_policy);
    [bucketArn] = Object.keys(bootstrap.resource.aws_s3_bucket).map((id) => `\${aws_s3_bucket.${id}.arn}`);
  });
  const documentOf = (environment: string) => JSON.parse(policies.find((p) => p.name === `tfstate-access-${bucket}-${environment}`).policy);

  test("one state-access policy per environment, and no policy for all of them", () => {
    const stateAccess = policies.map((p) => p.name).filter((name) => name.startsWith("tfstate-access-"));
    expect(stateAccess).toEqual([`tfstate-access-${bucket}-dev`, `tfstate-access-${bucket}-prod`]);
    expect(synth(appStacks(withEnvironments).bootstrap)).not.toHaveResourceWithProperties(IamPolicy, { name: `tfstate-access-${bucket}` });
  });

  test("dev's policy names dev's state object and its lock and digest items, and nothing of prod's", () => {
    const statements = documentOf("dev").Statement;
    expect(statements.find((s: { Sid: string }) => s.Sid === "ReadWriteState").Resource).toBe(`${bucketArn}/env/dev/vpc/terraform.tfstate`);
    expect(statements.find((s: { Sid: string }) => s.Sid === "DynamodbLock").Condition).toEqual({
      "ForAllValues:StringEquals": {
        "dynamodb:LeadingKeys": [`${bucket}/env/dev/vpc/terraform.tfstate`, `${bucket}/env/dev/vpc/terraform.tfstate-md5`],
      },
    });
    expect(JSON.stringify(documentOf("dev"))).not.toContain("prod");
    expect(JSON.stringify(documentOf("prod"))).not.toContain("/dev/");
  });

  test("s3 lock mode: each environment's policy holds its own lock files", () => {
    const lockfile = json(appStacks({ ...withEnvironments, TFSTATE_LOCK: "s3" }).bootstrap);
    const prod = Object.values<any>(lockfile.resource.aws_iam_policy).find((p) => p.name.endsWith("-prod"));
    const statement = JSON.parse(prod.policy).Statement.find((s: { Sid: string }) => s.Sid === "S3Lockfile");
    expect(statement.Resource).toBe(`${bucketArn}/env/prod/vpc/terraform.tfstate.tflock`);
  });

  test("outputs every stack's key and each environment's policy in place of the one policy", () => {
    expect(bootstrap.output.state_keys.value).toEqual({ "vpc-dev": "env/dev/vpc/terraform.tfstate", "vpc-prod": "env/prod/vpc/terraform.tfstate" });
    expect(Object.keys(bootstrap.output.state_access_policies.value)).toEqual(["dev", "prod"]);
    expect(JSON.parse(bootstrap.output.state_access_policies.value.dev.json)).toEqual(documentOf("dev"));
    for (const gone of ["state_key", "state_access_policy_arn", "state_access_policy_json"]) expect(bootstrap.output).not.toHaveProperty(gone);
  });
});

// docs/environments.md's "Add a workload", done here with a throwaway kind: one stack file, one line of wiring.
class QueueStack extends WorkloadStack {
  constructor(scope: Construct, target: WorkloadTarget, config: TfstateConfig) {
    super(scope, target, config);
    new SqsQueue(this, "queue", { name: `jobs-${target.environment}`, sqsManagedSseEnabled: true });
  }
}

// What CI may do to the queues, beside their state.
const queueCiStatements = (_scope: CiScope, access: StateAccess): Statement[] => [
  { Sid: "Queues", Effect: "Allow", Action: access === "plan" ? ["sqs:GetQueueAttributes"] : ["sqs:*"], Resource: "*" },
];

describe("a second kind of workload", () => {
  const kinds = [...WORKLOADS, { name: "queue", stack: QueueStack, ciStatements: queueCiStatements }];
  let stacks: Record<string, TerraformStack>;
  beforeAll(() => {
    stacks = appStacks(withEnvironments, kinds);
  });

  test("gets a stack per environment, with its key, lock, region, account and tags from the config", () => {
    expect(Object.keys(stacks)).toEqual(["bootstrap", "vpc-dev", "queue-dev", "vpc-prod", "queue-prod"]);
    const prod = json(stacks["queue-prod"]);
    expect(prod.terraform.backend.s3).toMatchObject({ key: "env/prod/queue/terraform.tfstate", dynamodb_table: readCdktfContext().lockTable });
    expect(prod.provider.aws[0]).toMatchObject({
      region: "eu-west-1",
      assume_role: [{ role_arn: ENVIRONMENTS.prod.roleArn, session_name: "queue-prod" }],
      allowed_account_ids: ["222222222222"],
      default_tags: [{ tags: expect.objectContaining({ Stack: "queue-prod", Environment: "prod" }) }],
    });
  });

  test("falls inside its environment's state-access policy", () => {
    const bootstrap = json(stacks.bootstrap);
    const dev = Object.values<any>(bootstrap.resource.aws_iam_policy).find((p) => p.name.endsWith("-dev"));
    const bucketArn = `\${aws_s3_bucket.${Object.keys(bootstrap.resource.aws_s3_bucket)[0]}.arn}`;
    expect(JSON.parse(dev.policy).Statement.find((s: { Sid: string }) => s.Sid === "ReadWriteState").Resource).toEqual([
      `${bucketArn}/env/dev/vpc/terraform.tfstate`,
      `${bucketArn}/env/dev/queue/terraform.tfstate`,
    ]);
  });

  test("its CI statements join the CI roles of each environment that has it", () => {
    const bootstrap = json(appStacks({ ...withEnvironments, TFSTATE_GITHUB_REPOSITORY: "octo-org/infra" }, kinds).bootstrap);
    const roleNames = Object.fromEntries(Object.entries<any>(bootstrap.resource.aws_iam_role).map(([key, role]) => [`\${aws_iam_role.${key}.id}`, role.name]));
    const queues = Object.fromEntries(
      Object.values<any>(bootstrap.resource.aws_iam_role_policy).map((policy) => [
        roleNames[policy.role].replace(/^tfstate-[\w.-]+-(?=(dev|prod)-)/, ""),
        JSON.parse(policy.policy).Statement.find((s: { Sid: string }) => s.Sid === "Queues")?.Action ?? "none",
      ]),
    );
    expect(queues).toEqual({ "dev-plan": ["sqs:GetQueueAttributes"], "dev-apply": ["sqs:*"], "prod-plan": "none", "prod-apply": "none" });
  });
});
