// Environments in the config: read from cdktf.json or TFSTATE_ENVIRONMENTS, each over the workload settings,
// and every rule a one-line error before terraform runs.
import { ConfigError, loadConfig, readCdktfContext } from "../../config/config";
import { workloadTargets } from "../../config/workloads";
import { configWith } from "../support/synth";

const environments = (value: object) => ({ TFSTATE_ENVIRONMENTS: JSON.stringify(value) });

function errorFrom(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const { message } = error as Error;
    expect(message.split("\n")).toHaveLength(1);
    return message;
  }
  throw new Error("nothing was thrown");
}

describe("environments in the config", () => {
  const context = readCdktfContext();

  test("none by default: the app's one vpc stack at TFSTATE_KEY", () => {
    const config = configWith();
    expect(config.environments).toEqual([]);
    expect(workloadTargets(config, ["vpc"])).toEqual([
      { workload: "vpc", stackName: "vpc", stateKey: context.stateKey, region: context.region, vpcCidr: context.vpcCidr, vpcName: context.vpcName },
    ]);
  });

  test("cdktf.json context.environments names them; each key overrides its workload setting, the rest come from the defaults", () => {
    const config = loadConfig({}, {
      ...context,
      environments: {
        dev: { vpcCidr: "10.1.0.0/16" },
        prod: { vpcCidr: "10.2.0.0/16", vpcName: "core", region: "eu-west-1", roleArn: "arn:aws:iam::222222222222:role/deploy", githubEnvironment: "production" },
      },
    });
    expect(config.environments).toEqual([
      { name: "dev", region: context.region, vpcCidr: "10.1.0.0/16", vpcName: `${context.vpcName}-dev` },
      {
        name: "prod",
        region: "eu-west-1",
        vpcCidr: "10.2.0.0/16",
        vpcName: "core",
        roleArn: "arn:aws:iam::222222222222:role/deploy",
        accountId: "222222222222",
        githubEnvironment: "production",
      },
    ]);
  });

  test("TFSTATE_ENVIRONMENTS, the same shape as JSON, overrides cdktf.json's", () => {
    const config = loadConfig(environments({ qa: { vpcCidr: "10.9.0.0/16" } }), { ...context, environments: { dev: {} } });
    expect(config.environments.map((e) => e.name)).toEqual(["qa"]);
  });

  test("each environment gets vpc-<env>, its state key from the one pattern, in the same bucket", () => {
    const config = configWith(environments({ dev: { vpcCidr: "10.1.0.0/16" }, prod: { vpcCidr: "10.2.0.0/16" } }));
    expect(workloadTargets(config, ["vpc"]).map(({ stackName, stateKey, environment }) => ({ stackName, stateKey, environment }))).toEqual([
      { stackName: "vpc-dev", stateKey: "env/dev/vpc/terraform.tfstate", environment: "dev" },
      { stackName: "vpc-prod", stateKey: "env/prod/vpc/terraform.tfstate", environment: "prod" },
    ]);
    const custom = configWith({ ...environments({ dev: {} }), TFSTATE_ENVIRONMENT_KEY: "stages/{env}/{workload}.tfstate" });
    expect(workloadTargets(custom, ["vpc"])[0].stateKey).toBe("stages/dev/vpc.tfstate");
  });

  test("the same CIDR is fine in another account or another region", () => {
    const apart = {
      dev: { vpcCidr: "10.1.0.0/16" },
      prod: { vpcCidr: "10.1.0.0/16", roleArn: "arn:aws:iam::222222222222:role/deploy" },
      dr: { vpcCidr: "10.1.0.0/16", region: "eu-west-1" },
    };
    expect(configWith(environments(apart)).environments).toHaveLength(3);
  });
});

describe("bad environments stop synth with one line", () => {
  const source = "Invalid TFSTATE_ENVIRONMENTS";
  const cases: Array<[string, object | string, string]> = [
    ["not JSON", "{dev}", 'must be a JSON object such as {"dev": {"vpcCidr": "10.1.0.0/16"}}'],
    ["a list", '["dev"]', 'must be a JSON object such as {"dev": {"vpcCidr": "10.1.0.0/16"}}'],
    ["an uppercase name", { Dev: {} }, 'environment "Dev": the name must be a lowercase DNS label of 1-32 letters, digits and hyphens, starting with a letter and not ending with a hyphen'],
    ["a name with a dot", { "dev.1": {} }, 'environment "dev.1": the name must be a lowercase DNS label of 1-32 letters, digits and hyphens, starting with a letter and not ending with a hyphen'],
    ["a name ending in a hyphen", { "dev-": {} }, 'environment "dev-": the name must be a lowercase DNS label of 1-32 letters, digits and hyphens, starting with a letter and not ending with a hyphen'],
    ["a name of 33 characters", { ["e".repeat(33)]: {} }, `environment "${"e".repeat(33)}": the name must be a lowercase DNS label of 1-32 letters, digits and hyphens, starting with a letter and not ending with a hyphen`],
    ["overrides that are not an object", { dev: "10.1.0.0/16" }, 'environment "dev": must be an object of overrides (vpcCidr, vpcName, region, roleArn, githubEnvironment)'],
    ["an unknown key", { dev: { vpcCIDR: "10.1.0.0/16" } }, 'environment "dev": unknown key "vpcCIDR"; the keys are vpcCidr, vpcName, region, roleArn, githubEnvironment'],
    ["a key of another setting", { dev: { stateKey: "dev.tfstate" } }, 'environment "dev": unknown key "stateKey"; the keys are vpcCidr, vpcName, region, roleArn, githubEnvironment'],
    ["a bad CIDR", { dev: { vpcCidr: "10.0.0.0/8" } }, 'environment "dev": vpcCidr "10.0.0.0/8" must have a prefix length from /16 to /28'],
    ["a bad region", { dev: { region: "Seoul" } }, 'environment "dev": region "Seoul" must look like an AWS region, for example us-east-1'],
    ["a user instead of a role", { dev: { roleArn: "arn:aws:iam::222222222222:user/deploy" } }, 'environment "dev": roleArn "arn:aws:iam::222222222222:user/deploy" must be an IAM role ARN such as arn:aws:iam::111122223333:role/deploy'],
    ["a number for a name tag", { dev: { vpcName: 7 } }, 'environment "dev": vpcName 7 must be a string'],
    ["a GitHub environment with a wildcard", { prod: { githubEnvironment: "prod*" } }, 'environment "prod": githubEnvironment "prod*" must be 1-255 letters, digits and . _ - (no wildcards)'],
    [
      "overlapping CIDRs in the account of the credentials",
      { dev: { vpcCidr: "10.1.0.0/16" }, prod: { vpcCidr: "10.1.128.0/17" } },
      'environments "dev" (10.1.0.0/16) and "prod" (10.1.128.0/17) overlap in the account of your credentials, ap-northeast-2: give each its own vpcCidr',
    ],
    [
      "the default CIDR twice",
      { dev: {}, qa: {} },
      'environments "dev" (192.168.0.0/16) and "qa" (192.168.0.0/16) overlap in the account of your credentials, ap-northeast-2: give each its own vpcCidr',
    ],
    [
      "overlapping CIDRs through one role's account",
      {
        dev: { vpcCidr: "10.1.0.0/16" },
        prod: { vpcCidr: "10.2.0.0/16", roleArn: "arn:aws:iam::222222222222:role/deploy" },
        stage: { vpcCidr: "10.2.0.0/24", roleArn: "arn:aws:iam::222222222222:role/stage" },
      },
      'environments "prod" (10.2.0.0/16) and "stage" (10.2.0.0/24) overlap in account 222222222222, ap-northeast-2: give each its own vpcCidr',
    ],
  ];

  test.each(cases)("%s", (_case, value, message) => {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    expect(errorFrom(() => configWith({ TFSTATE_ENVIRONMENTS: text }))).toBe(`${source}: ${message}`);
  });

  test("a bad environment in cdktf.json names the context key", () => {
    expect(errorFrom(() => loadConfig({}, { ...readCdktfContext(), environments: { dev: { cidr: "10.1.0.0/16" } } }))).toBe(
      'Invalid environments (cdktf.json context): environment "dev": unknown key "cidr"; the keys are vpcCidr, vpcName, region, roleArn, githubEnvironment',
    );
  });

  test("two environments on one state key: a pattern without {env}", () => {
    const config = configWith({ ...environments({ dev: { vpcCidr: "10.1.0.0/16" }, prod: { vpcCidr: "10.2.0.0/16" } }), TFSTATE_ENVIRONMENT_KEY: "{workload}.tfstate" });
    expect(errorFrom(() => workloadTargets(config, ["vpc"]))).toBe(
      'Invalid TFSTATE_ENVIRONMENT_KEY "{workload}.tfstate": vpc-prod and vpc-dev would share the state key vpc.tfstate',
    );
  });

  test("two kinds of workload on one state key: a pattern without {workload}", () => {
    const config = configWith({ ...environments({ dev: {} }), TFSTATE_ENVIRONMENT_KEY: "env/{env}.tfstate" });
    expect(errorFrom(() => workloadTargets(config, ["vpc", "queue"]))).toBe(
      'Invalid TFSTATE_ENVIRONMENT_KEY "env/{env}.tfstate": queue-dev and vpc-dev would share the state key env/dev.tfstate',
    );
  });

  test("an environment on the bootstrap stack's key", () => {
    const config = configWith({ ...environments({ boot: {} }), TFSTATE_ENVIRONMENT_KEY: "{env}strap/terraform.tfstate" });
    expect(errorFrom(() => workloadTargets(config, ["vpc"]))).toBe(
      'Invalid TFSTATE_ENVIRONMENT_KEY "{env}strap/terraform.tfstate": vpc-boot and the bootstrap stack (TFSTATE_BOOTSTRAP_KEY) would share the state key bootstrap/terraform.tfstate',
    );
  });

  test.each([
    ["an unknown placeholder", "env/{environment}/{workload}.tfstate", "has the unknown placeholder {environment}; use {env} and {workload}"],
    ["a leading slash", "/env/{env}/{workload}.tfstate", "must not start with '/'"],
  ])("TFSTATE_ENVIRONMENT_KEY with %s", (_case, pattern, rule) => {
    expect(errorFrom(() => configWith({ TFSTATE_ENVIRONMENT_KEY: pattern }))).toBe(`Invalid TFSTATE_ENVIRONMENT_KEY ${JSON.stringify(pattern)}: ${rule}`);
  });

  test("with TFSTATE_GITHUB_REPOSITORY, a name that leaves its CI roles' names too little room for a long bucket's", () => {
    const longBucket = { TFSTATE_BUCKET: `acme-${"x".repeat(52)}-state`, TFSTATE_GITHUB_REPOSITORY: "octo-org/infra" };
    const [fits, tooLong] = ["e".repeat(25), "e".repeat(26)];
    expect(configWith({ ...longBucket, ...environments({ [fits]: {} }) }).environments.map((e) => e.name)).toEqual([fits]);
    expect(errorFrom(() => configWith({ ...longBucket, ...environments({ [tooLong]: {} }) }))).toBe(
      `Invalid TFSTATE_ENVIRONMENTS: environment "${tooLong}": the name is too long for its CI roles' names, ` +
        "tfstate-<bucket>-<env>-apply within IAM's 64 characters: at most 25 characters with this bucket",
    );
    // Without CI roles, or beside a short bucket name, it fits.
    expect(configWith({ ...longBucket, TFSTATE_GITHUB_REPOSITORY: "", ...environments({ [tooLong]: {} }) }).environments).toHaveLength(1);
    expect(configWith({ TFSTATE_BUCKET: "acme-state", TFSTATE_GITHUB_REPOSITORY: "octo-org/infra", ...environments({ ["e".repeat(32)]: {} }) }).environments).toHaveLength(1);
  });

  test("TFSTATE_BACKEND_ROLE_ARN must be a role", () => {
    expect(errorFrom(() => configWith({ TFSTATE_BACKEND_ROLE_ARN: "state-role" }))).toBe(
      'Invalid TFSTATE_BACKEND_ROLE_ARN "state-role": must be an IAM role ARN such as arn:aws:iam::111122223333:role/deploy',
    );
  });
});
