import { ConfigError, PROJECT_ROOT, SETTINGS, loadConfig, readCdktfContext } from "../../config/config";
import { configWith } from "../support/synth";

describe("settings", () => {
  test("defaults come from cdktf.json context", () => {
    const context = readCdktfContext();
    const config = configWith();
    expect(config).toMatchObject({
      region: context.region,
      stateBucket: context.stateBucket,
      lockTable: context.lockTable,
      stateKey: context.stateKey,
      lockMode: context.lockMode,
      noncurrentVersionDays: context.noncurrentVersionDays,
      vpcCidr: context.vpcCidr,
      vpcName: context.vpcName,
      allowDestroy: false,
      bootstrapBackend: "local",
      kms: { mode: "aes256" },
      vpcFlowLogs: true,
      vpcFlowLogRetentionDays: 365,
      environments: [],
      environmentStateKey: context.environmentStateKey,
      adopt: false,
    });
    expect(config.endpoint).toBeUndefined();
    expect(config.backendRoleArn).toBeUndefined();
    expect(config.bootstrapStatePath).toBe(`${PROJECT_ROOT}/${context.bootstrapStateFile}`);
  });

  test("each environment variable overrides its setting", () => {
    const config = configWith({
      AWS_REGION: "us-gov-west-1",
      TFSTATE_BUCKET: "my.state-bucket-1",
      TFSTATE_LOCK_TABLE: "Locks_v2.prod",
      TFSTATE_KEY: "env/prod/network.tfstate",
      TFSTATE_LOCK: "both",
      TFSTATE_NONCURRENT_DAYS: "30",
      TFSTATE_BOOTSTRAP_BACKEND: "s3",
      TFSTATE_BOOTSTRAP_KEY: "admin/bootstrap.tfstate",
      TFSTATE_BOOTSTRAP_STATE_FILE: "state/bootstrap.tfstate",
      VPC_CIDR: "10.20.0.0/20",
      VPC_NAME: "prod-vpc",
      TFSTATE_ALLOW_DESTROY: "true",
      TFSTATE_KMS: "create",
      VPC_FLOW_LOGS: "false",
      VPC_FLOW_LOG_RETENTION_DAYS: "30",
      AWS_ENDPOINT_URL: "http://127.0.0.1:5000/",
      TFSTATE_ENVIRONMENTS: '{"qa": {}}',
      TFSTATE_ENVIRONMENT_KEY: "stages/{env}/{workload}.tfstate",
      TFSTATE_BACKEND_ROLE_ARN: "arn:aws:iam::111122223333:role/state",
      TFSTATE_ADOPT: "true",
    });
    expect(config).toEqual({
      region: "us-gov-west-1",
      stateBucket: "my.state-bucket-1",
      lockTable: "Locks_v2.prod",
      stateKey: "env/prod/network.tfstate",
      lockMode: "both",
      noncurrentVersionDays: 30,
      bootstrapBackend: "s3",
      bootstrapStateKey: "admin/bootstrap.tfstate",
      bootstrapStatePath: `${PROJECT_ROOT}/state/bootstrap.tfstate`,
      vpcCidr: "10.20.0.0/20",
      vpcName: "prod-vpc",
      allowDestroy: true,
      kms: { mode: "create", aliasName: "alias/tfstate-backend/my-state-bucket-1" },
      vpcFlowLogs: false,
      vpcFlowLogRetentionDays: 30,
      endpoint: "http://127.0.0.1:5000",
      adopt: true,
      tags: { Project: "tfstate-backend", ManagedBy: "cdktf" },
      environments: [{ name: "qa", region: "us-gov-west-1", vpcCidr: "10.20.0.0/20", vpcName: "prod-vpc-qa" }],
      environmentStateKey: "stages/{env}/{workload}.tfstate",
      backendRoleArn: "arn:aws:iam::111122223333:role/state",
    });
  });

  test("an empty variable falls back to the default", () => {
    expect(configWith({ TFSTATE_BUCKET: "" }).stateBucket).toBe(readCdktfContext().stateBucket);
  });

  test("every setting names an environment variable; those off by default have no default in cdktf.json", () => {
    const context = readCdktfContext();
    for (const setting of Object.values(SETTINGS)) expect(setting.env).toMatch(/^[A-Z][A-Z0-9_]+$/);
    const offByDefault = Object.values(SETTINGS).filter((s) => !("context" in s) || !(s.context in context)).map((s) => s.env);
    expect(offByDefault.sort()).toEqual([
      "AWS_ENDPOINT_URL",
      "TFSTATE_ADOPT",
      "TFSTATE_BACKEND_ROLE_ARN",
      "TFSTATE_GITHUB_ENVIRONMENT",
      "TFSTATE_GITHUB_OIDC_PROVIDER_ARN",
      "TFSTATE_GITHUB_REPOSITORY",
      "TFSTATE_KMS",
      "TFSTATE_PERMISSIONS_BOUNDARY",
      "TFSTATE_REPLICA_REGION",
    ]);
  });

  test("the CI roles' settings can be kept in cdktf.json, so that a later bootstrap deploy keeps the roles", () => {
    const context = { ...readCdktfContext(), githubRepository: "octo-org/infra", githubEnvironment: "production" };
    expect(loadConfig({}, context).github).toMatchObject({ repository: "octo-org/infra", applySubject: "repo:octo-org/infra:environment:production" });
    expect(loadConfig({ TFSTATE_GITHUB_REPOSITORY: "octo-org/other" }, context).github?.repository).toBe("octo-org/other");
    expect(() => loadConfig({}, { ...context, githubRepository: "not a repository" })).toThrow(/^Invalid githubRepository \(cdktf.json context\) "not a repository"/);
    expect(loadConfig({}, readCdktfContext()).github).toBeUndefined();
  });

  test("TFSTATE_PERMISSIONS_BOUNDARY can be kept in cdktf.json as permissionsBoundary, checked by the same rule", () => {
    const boundary = "arn:aws:iam::111122223333:policy/org/Boundary";
    expect(loadConfig({}, { ...readCdktfContext(), permissionsBoundary: boundary }).permissionsBoundary).toBe(boundary);
    expect(() => loadConfig({}, { ...readCdktfContext(), permissionsBoundary: "Boundary" })).toThrow(
      /^Invalid permissionsBoundary \(cdktf.json context\) "Boundary": must be a customer managed IAM policy ARN/,
    );
    expect(configWith().permissionsBoundary).toBeUndefined();
  });

  test("TFSTATE_KMS: unset is AES256, create names an alias after the bucket, an ARN is used as it is", () => {
    expect(configWith().kms).toEqual({ mode: "aes256" });
    expect(configWith({ TFSTATE_KMS: "create", TFSTATE_BUCKET: "acme.prod-state" }).kms).toEqual({
      mode: "create",
      aliasName: "alias/tfstate-backend/acme-prod-state",
    });
    const keyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(configWith({ TFSTATE_KMS: keyArn }).kms).toEqual({ mode: "existing", keyArn });
    const multiRegion = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    expect(configWith({ TFSTATE_KMS: multiRegion }).kms).toEqual({ mode: "existing", keyArn: multiRegion });
  });

  test("TFSTATE_REPLICA_REGION: a replica named after the bucket and its region, cut to 63 characters; unset, none", () => {
    expect(configWith().replica).toBeUndefined();
    expect(configWith({ TFSTATE_BUCKET: "acme-state", TFSTATE_REPLICA_REGION: "eu-west-1" }).replica).toEqual({
      region: "eu-west-1",
      bucket: "acme-state-replica-eu-west-1",
    });
    const long = configWith({ TFSTATE_BUCKET: `${"a".repeat(40)}.${"b".repeat(22)}`, TFSTATE_REPLICA_REGION: "ap-southeast-2" }).replica!.bucket;
    // The bucket's part is cut, and the dot it would then end in dropped.
    expect(long).toBe(`${"a".repeat(40)}-replica-ap-southeast-2`);
    const context = { ...readCdktfContext(), replicaRegion: "eu-west-1" };
    expect(loadConfig({}, context).replica?.region).toBe("eu-west-1");
    expect(loadConfig({ TFSTATE_REPLICA_REGION: "us-east-1" }, context).replica?.region).toBe("us-east-1");
  });

  test("TFSTATE_REPLICA_REGION with KMS: create makes a key there; a multi-Region key's replica is used there", () => {
    expect(configWith({ TFSTATE_KMS: "create", TFSTATE_REPLICA_REGION: "eu-west-1" }).replica).toEqual({ region: "eu-west-1", bucket: "tfstate-backend-terraform-state-replica-eu-west-1" });
    const key = "arn:aws:kms:ap-northeast-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    expect(configWith({ TFSTATE_KMS: key, TFSTATE_REPLICA_REGION: "eu-west-1" }).replica?.kmsKeyArn).toBe(
      "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
    );
  });

  test("TFSTATE_ACCESS_LOGS: a log bucket named after the bucket, its logs under the bucket's name; false, none", () => {
    expect(configWith().accessLogs).toBeUndefined();
    expect(configWith({ TFSTATE_ACCESS_LOGS: "false" }).accessLogs).toBeUndefined();
    expect(configWith({ TFSTATE_BUCKET: "acme.state", TFSTATE_ACCESS_LOGS: "true" }).accessLogs).toEqual({ bucket: "acme.state-access-logs", prefix: "acme.state/" });
    expect(configWith({ TFSTATE_BUCKET: "c".repeat(63), TFSTATE_ACCESS_LOGS: "true" }).accessLogs?.bucket).toBe(`${"c".repeat(51)}-access-logs`);
  });
});

const KMS_RULE =
  "must be create or a KMS key ARN such as arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const RETENTION_RULE =
  "must be one of the CloudWatch Logs retention periods: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";

function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("nothing was thrown");
}

describe("bad input stops synth with a one-line error that names the setting", () => {
  const cases: Array<[string, string, string]> = [
    ["TFSTATE_BUCKET", "ab", "must be 3-63 characters long"],
    ["TFSTATE_BUCKET", "a".repeat(64), "must be 3-63 characters long"],
    ["TFSTATE_BUCKET", "My_Bucket", "may contain only lowercase letters, digits, dots and hyphens"],
    ["TFSTATE_BUCKET", "-bucket", "must start and end with a lowercase letter or digit"],
    ["TFSTATE_BUCKET", "bucket.", "must start and end with a lowercase letter or digit"],
    ["TFSTATE_BUCKET", "my..bucket", "must not contain two adjacent dots"],
    ["TFSTATE_BUCKET", "192.168.5.4", "must not be formatted as an IP address"],
    ["TFSTATE_BUCKET", "xn--bucket", 'must not start with the reserved prefix "xn--"'],
    ["TFSTATE_BUCKET", "bucket-s3alias", 'must not end with the reserved suffix "-s3alias"'],
    ["TFSTATE_LOCK_TABLE", "ab", "must be 3-255 characters of letters, digits, '_', '-' and '.'"],
    ["TFSTATE_LOCK_TABLE", "lock table", "must be 3-255 characters of letters, digits, '_', '-' and '.'"],
    ["TFSTATE_LOCK_TABLE", "t".repeat(256), "must be 3-255 characters of letters, digits, '_', '-' and '.'"],
    ["TFSTATE_KEY", "/terraform.tfstate", "must not start with '/'"],
    ["TFSTATE_KEY", "terraform/state/", "must not end with '/'"],
    ["TFSTATE_KEY", "terraform//terraform.tfstate", "must not contain '//'"],
    ["TFSTATE_KEY", "k".repeat(1025), "must be at most 1024 bytes"],
    ["AWS_REGION", "Seoul", "must look like an AWS region, for example us-east-1"],
    ["AWS_REGION", "ap-northeast", "must look like an AWS region, for example us-east-1"],
    ["VPC_CIDR", "192.168.0.0", "must be an IPv4 CIDR block such as 10.0.0.0/16"],
    ["VPC_CIDR", "192.168.0.256/24", "must have four octets from 0 to 255 without leading zeros"],
    ["VPC_CIDR", "10.0.0.0/8", "must have a prefix length from /16 to /28"],
    ["VPC_CIDR", "10.0.0.0/29", "must have a prefix length from /16 to /28"],
    ["VPC_CIDR", "10.0.0.1/16", "must have no host bits set after the prefix"],
    ["TFSTATE_LOCK", "consul", "must be one of dynamodb, s3, both"],
    ["TFSTATE_NONCURRENT_DAYS", "0", "must be from 1 to 36500"],
    ["TFSTATE_NONCURRENT_DAYS", "7.5", "must be a whole number"],
    ["TFSTATE_BOOTSTRAP_BACKEND", "gcs", "must be one of local, s3"],
    ["TFSTATE_BOOTSTRAP_STATE_FILE", "cdktf.out/bootstrap.tfstate", "must not be inside cdktf.out, which every synth wipes"],
    ["TFSTATE_BOOTSTRAP_STATE_FILE", "bootstrap.json", "must end in .tfstate"],
    ["TFSTATE_ALLOW_DESTROY", "yes", "must be one of true, false"],
    ["VPC_NAME", "n".repeat(257), "must be 1-256 characters long"],
    ["AWS_ENDPOINT_URL", "localhost:5000", "must be an http:// or https:// URL"],
    ["TFSTATE_KMS", "yes", KMS_RULE],
    ["TFSTATE_KMS", "alias/my-key", KMS_RULE],
    ["TFSTATE_KMS", "arn:aws:kms:eu-west-1:111122223333:alias/my-key", KMS_RULE],
    ["TFSTATE_KMS", "arn:aws:kms:eu-west-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab", KMS_RULE],
    ["VPC_FLOW_LOGS", "on", "must be one of true, false"],
    ["TFSTATE_ADOPT", "yes", "must be one of true, false"],
    ["TFSTATE_ACCESS_LOGS", "yes", "must be one of true, false"],
    ["TFSTATE_REPLICA_REGION", "Frankfurt", "must look like an AWS region, for example us-east-1"],
    ["VPC_FLOW_LOG_RETENTION_DAYS", "100", RETENTION_RULE],
    ["AWS_ENDPOINT_URL", "http://127.0.0.1:5000/s3", "must have no path, query or fragment"],
    ["TFSTATE_GITHUB_REPOSITORY", "infra", "must be owner/repository, as in octo-org/infra"],
    ["TFSTATE_GITHUB_REPOSITORY", "octo-org/*", "must be owner/repository, as in octo-org/infra"],
    ["TFSTATE_GITHUB_REPOSITORY", "-octo/infra", "must be owner/repository, as in octo-org/infra"],
    ["TFSTATE_GITHUB_REPOSITORY", "octo/..", "must be owner/repository, as in octo-org/infra"],
    ["TFSTATE_GITHUB_BRANCH", "release/*", "must be 1-255 letters, digits and . _ / - (no wildcards)"],
    ["TFSTATE_GITHUB_BRANCH", "feature..x", "must be a valid git branch name"],
    ["TFSTATE_GITHUB_ENVIRONMENT", "prod*", "must be 1-255 letters, digits and . _ - (no wildcards)"],
    [
      "TFSTATE_GITHUB_OIDC_PROVIDER_ARN",
      "arn:aws:iam::111122223333:oidc-provider/gitlab.com",
      "must be the ARN of an account's GitHub OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com",
    ],
    ...["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::111122223333:role/boundary", "boundary"].map(
      (value): [string, string, string] => ["TFSTATE_PERMISSIONS_BOUNDARY", value, "must be a customer managed IAM policy ARN such as arn:aws:iam::111122223333:policy/boundary"],
    ),
  ];

  // Titles leave out the value: some are hundreds of characters long.
  test.each(cases.map(([variable, value, rule]) => [variable, rule, value]))("%s %s", (variable, rule, value) => {
    const thrown = thrownBy(() => configWith({ [variable]: value }));
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown.message).toBe(`Invalid ${variable} ${JSON.stringify(value)}: ${rule}`);
    expect(thrown.message.split("\n")).toHaveLength(1);
  });

  test.each(["TFSTATE_GITHUB_ENVIRONMENT", "TFSTATE_GITHUB_OIDC_PROVIDER_ARN"])("%s without TFSTATE_GITHUB_REPOSITORY is refused, not ignored", (variable) => {
    const value = variable === "TFSTATE_GITHUB_ENVIRONMENT" ? "production" : "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    expect(() => configWith({ [variable]: value })).toThrow(
      new ConfigError(`${variable} needs TFSTATE_GITHUB_REPOSITORY: it only shapes the CI roles of that repository`),
    );
  });

  test("the GitHub subjects the CI roles trust", () => {
    expect(configWith({ TFSTATE_GITHUB_REPOSITORY: "octo-org/infra.live" }).github).toEqual({
      repository: "octo-org/infra.live",
      planSubject: "repo:octo-org/infra.live:pull_request",
      applySubject: "repo:octo-org/infra.live:ref:refs/heads/main",
    });
  });

  test("the replica's region must be another region of the bucket's partition", () => {
    expect(() => configWith({ TFSTATE_REPLICA_REGION: "ap-northeast-2" })).toThrow(
      new ConfigError('Invalid TFSTATE_REPLICA_REGION "ap-northeast-2": must differ from AWS_REGION, the state bucket\'s region'),
    );
    expect(() => configWith({ TFSTATE_REPLICA_REGION: "cn-north-1" })).toThrow(
      new ConfigError('Invalid TFSTATE_REPLICA_REGION "cn-north-1": must be in the partition of AWS_REGION ap-northeast-2 (aws): replication cannot leave it'),
    );
    expect(configWith({ AWS_REGION: "us-gov-west-1", TFSTATE_REPLICA_REGION: "us-gov-east-1" }).replica?.region).toBe("us-gov-east-1");
  });

  test("a replica with a single-Region key of yours is refused: that key cannot encrypt in another region", () => {
    const key = "arn:aws:kms:ap-northeast-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const thrown = thrownBy(() => configWith({ TFSTATE_KMS: key, TFSTATE_REPLICA_REGION: "eu-west-1" }));
    expect(thrown).toEqual(
      new ConfigError(
        'Invalid TFSTATE_REPLICA_REGION "eu-west-1": TFSTATE_KMS names a single-Region key, which cannot encrypt the replica there; use a multi-Region key (key/mrk-...) replicated to eu-west-1, or TFSTATE_KMS=create',
      ),
    );
    expect(thrown.message.split("\n")).toHaveLength(1);
  });

  test("the bootstrap stack's state key must differ from the vpc stack's", () => {
    expect(() => configWith({ TFSTATE_BOOTSTRAP_KEY: "terraform/state/terraform.tfstate" })).toThrow(
      new ConfigError('Invalid TFSTATE_BOOTSTRAP_KEY "terraform/state/terraform.tfstate": must differ from TFSTATE_KEY'),
    );
  });

  test("a bad default in cdktf.json names the context key", () => {
    const context = { ...readCdktfContext(), vpcCidr: "10.0.0.0/33" };
    expect(() => loadConfig({}, context)).toThrow(
      'Invalid vpcCidr (cdktf.json context) "10.0.0.0/33": must have a prefix length from /16 to /28',
    );
  });

  test("valid edge values pass", () => {
    for (const env of [
      { TFSTATE_BUCKET: "abc" },
      { TFSTATE_BUCKET: "a".repeat(63) },
      { TFSTATE_BUCKET: "1.2.3.bucket" },
      { TFSTATE_LOCK_TABLE: "abc" },
      { VPC_CIDR: "10.0.0.0/16" },
      { VPC_CIDR: "10.0.0.16/28" },
      { AWS_REGION: "cn-north-1" },
      { AWS_REGION: "us-isob-east-1" },
      { TFSTATE_NONCURRENT_DAYS: "1" },
    ]) {
      expect(() => configWith(env)).not.toThrow();
    }
  });
});
