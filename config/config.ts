import * as fs from "fs";
import * as path from "path";
import {
  BUCKET_RESERVED_PREFIXES,
  BUCKET_RESERVED_SUFFIXES,
  LOG_RETENTION_DAYS,
  Rule,
  awsRegion,
  dynamodbTableName,
  endpointUrl,
  gitBranch,
  githubEnvironmentName,
  githubOidcProviderArn,
  githubRepository,
  iamPolicyArn,
  iamRoleArn,
  integerBetween,
  jsonObject,
  kmsKeySetting,
  logRetentionDays,
  oneOf,
  s3BucketName,
  stateKey,
  stateKeyPattern,
  tagValue,
  vpcCidr,
} from "./rules";
import { EnvironmentConfig, EnvironmentSettings, EnvironmentsError, parseEnvironmentsJson, resolveEnvironments } from "./environments";
import { githubEnvironmentSubject, leavesRoomForCiRoleNames } from "./ci-role-names";
import { ACCESS_LOG_EXPIRY_DAYS, accessLogBucketName, accessLogPrefix, multiRegionKeyIn, partitionOf, replicaBucketName } from "./state-copies";

export const LOCK_MODES = ["dynamodb", "s3", "both"] as const;
export type LockMode = (typeof LOCK_MODES)[number];

const BOOTSTRAP_BACKENDS = ["local", "s3"] as const;
type BootstrapBackend = (typeof BOOTSTRAP_BACKENDS)[number];

/** How state is encrypted at rest: S3-managed AES256, a key this project creates, or a key you own. */
export type KmsConfig =
  | { readonly mode: "aes256" }
  | { readonly mode: "create"; readonly aliasName: string }
  | { readonly mode: "existing"; readonly keyArn: string };

/** TFSTATE_REPLICA_REGION: a replica of the state bucket there, written by S3 replication. */
export interface ReplicaConfig {
  readonly region: string;
  readonly bucket: string;
  /** With TFSTATE_KMS set to a multi-Region key: its replica in the replica region. With create, the stack makes one there. */
  readonly kmsKeyArn?: string;
}

/** TFSTATE_ACCESS_LOGS: the state bucket's server access logs, in a bucket of their own under a prefix. */
export interface AccessLogsConfig {
  readonly bucket: string;
  readonly prefix: string;
}

export const STACKS = { bootstrap: "bootstrap", vpc: "vpc" } as const;

export const PROJECT_ROOT = path.resolve(__dirname, "..");
export const SYNTH_OUTPUT_DIR = "cdktf.out";

/** Who may assume the CI roles: the subjects of GitHub's OIDC tokens, as trust policies compare them. */
export interface GithubConfig {
  readonly repository: string;
  /** An existing provider to trust; the bootstrap stack creates one when unset. */
  readonly oidcProviderArn?: string;
  /** repo:<owner>/<repo>:pull_request */
  readonly planSubject: string;
  /** repo:<owner>/<repo>:ref:refs/heads/<branch>, or repo:<owner>/<repo>:environment:<name> */
  readonly applySubject: string;
  /** TFSTATE_GITHUB_ENVIRONMENT: the GitHub environment of applySubject, if it names one. */
  readonly environment?: string;
}

/** The resolved settings. Each field that a user sets is described once, by its entry in SETTINGS. */
export interface TfstateConfig {
  readonly region: string;
  readonly stateBucket: string;
  readonly lockTable: string;
  readonly stateKey: string;
  readonly lockMode: LockMode;
  readonly noncurrentVersionDays: number;
  readonly bootstrapBackend: BootstrapBackend;
  readonly bootstrapStateKey: string;
  /** bootstrapStateFile made absolute: cdktf runs terraform inside cdktf.out/stacks/<stack>. */
  readonly bootstrapStatePath: string;
  readonly vpcCidr: string;
  readonly vpcName: string;
  readonly allowDestroy: boolean;
  readonly kms: KmsConfig;
  readonly vpcFlowLogs: boolean;
  readonly vpcFlowLogRetentionDays: number;
  readonly endpoint?: string;
  readonly github?: GithubConfig;
  readonly adopt: boolean;
  /** Applied to every taggable resource through the provider's default_tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** None: one stack per workload, as the app always had. Otherwise one stack per workload and environment. */
  readonly environments: readonly EnvironmentConfig[];
  /** The state key of a workload in an environment, with {env} and {workload} in it. */
  readonly environmentStateKey: string;
  readonly backendRoleArn?: string;
  readonly permissionsBoundary?: string;
  readonly replica?: ReplicaConfig;
  readonly accessLogs?: AccessLogsConfig;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Context = Record<string, unknown>;
export type Environment = Readonly<Record<string, string | undefined>>;

interface Setting {
  readonly env: string;
  /**
   * The cdktf.json context key: where the default is, or for a setting that is off unless set, where a
   * project may set it for good. None for settings that only an environment should turn on.
   */
  readonly context?: string;
  readonly rule: Rule;
  /** What the setting means and what it accepts: the one description that README and help show. */
  readonly description: string;
}

// Every setting: its environment variable, its cdktf.json context key (the default), its rule and its description.
export const SETTINGS = {
  region: {
    env: "AWS_REGION",
    context: "region",
    rule: awsRegion,
    description: "AWS region of the bucket, the table and the sample VPC, such as us-east-1, us-gov-west-1 or cn-north-1.",
  },
  stateBucket: {
    env: "TFSTATE_BUCKET",
    context: "stateBucket",
    rule: s3BucketName,
    description:
      "S3 bucket that stores state. Globally unique on real AWS: set your own. 3-63 lowercase letters, digits, dots and hyphens, " +
      `starting and ending with a letter or digit; no "..", no IP address, no reserved prefix (${BUCKET_RESERVED_PREFIXES.join(", ")}) ` +
      `or suffix (${BUCKET_RESERVED_SUFFIXES.join(", ")}).`,
  },
  lockTable: {
    env: "TFSTATE_LOCK_TABLE",
    context: "lockTable",
    rule: dynamodbTableName,
    description: "DynamoDB lock table (hash key LockID), used in the dynamodb and both lock modes. 3-255 of A-Z a-z 0-9 _ - .",
  },
  stateKey: {
    env: "TFSTATE_KEY",
    context: "stateKey",
    rule: stateKey,
    description: "Object key of the vpc stack's state in the bucket. Not empty, at most 1024 bytes, no leading or trailing / and no //.",
  },
  lockMode: {
    env: "TFSTATE_LOCK",
    context: "lockMode",
    rule: oneOf(...LOCK_MODES),
    description:
      "dynamodb: the DynamoDB lock; s3: the S3 lock file (use_lockfile, Terraform 1.10+); both: the two together, for moving between them. " +
      "Change it with npm run switch-lock.",
  },
  noncurrentVersionDays: {
    env: "TFSTATE_NONCURRENT_DAYS",
    context: "noncurrentVersionDays",
    rule: integerBetween(1, 36500),
    description: "Days a replaced state version is kept before S3 expires it, 1-36500.",
  },
  bootstrapBackend: {
    env: "TFSTATE_BOOTSTRAP_BACKEND",
    context: "bootstrapBackend",
    rule: oneOf(...BOOTSTRAP_BACKENDS),
    description: "Where the bootstrap stack keeps its own state: local (a file) or s3 (the bucket it creates).",
  },
  bootstrapStateKey: {
    env: "TFSTATE_BOOTSTRAP_KEY",
    context: "bootstrapStateKey",
    rule: stateKey,
    description: "Object key of the bootstrap stack's state when it is in the bucket; must differ from TFSTATE_KEY.",
  },
  bootstrapStateFile: {
    env: "TFSTATE_BOOTSTRAP_STATE_FILE",
    context: "bootstrapStateFile",
    rule: stateFileOutsideSynthOutput,
    description: `The bootstrap stack's local state file, relative to the project root. Ends in .tfstate; never inside ${SYNTH_OUTPUT_DIR}, which every synth wipes.`,
  },
  vpcCidr: {
    env: "VPC_CIDR",
    context: "vpcCidr",
    rule: vpcCidr,
    description: "IPv4 CIDR block of the sample VPC: prefix /16 to /28, no host bits set.",
  },
  vpcName: { env: "VPC_NAME", context: "vpcName", rule: tagValue, description: "Name tag of the sample VPC, 1-256 characters." },
  vpcFlowLogs: {
    env: "VPC_FLOW_LOGS",
    context: "vpcFlowLogs",
    rule: oneOf("true", "false"),
    description: "true or false: the sample VPC's flow logs, to a CloudWatch log group written by a role that may write only there.",
  },
  vpcFlowLogRetentionDays: {
    env: "VPC_FLOW_LOG_RETENTION_DAYS",
    context: "vpcFlowLogRetentionDays",
    rule: logRetentionDays,
    description: `Days CloudWatch Logs keeps the flow logs: one of ${LOG_RETENTION_DAYS.join(", ")}.`,
  },
  allowDestroy: {
    env: "TFSTATE_ALLOW_DESTROY",
    context: "allowDestroy",
    rule: oneOf("true", "false"),
    description: "true lifts prevent_destroy and deletion protection. Meant for npm run teardown only.",
  },
  kms: {
    env: "TFSTATE_KMS",
    rule: kmsKeySetting,
    description:
      "Unset: SSE-S3 (AES256). create: a customer-managed key with yearly rotation, alias alias/tfstate-backend/<bucket> " +
      "(dots become hyphens). Or your key's ARN, arn:aws:kms:<region>:<account>:key/<id>. With a key, the bucket uses SSE-KMS " +
      "with a bucket key, the table is encrypted with it, and the backends get kms_key_id.",
  },
  githubRepository: {
    env: "TFSTATE_GITHUB_REPOSITORY",
    context: "githubRepository",
    rule: githubRepository,
    description:
      "owner/repository on GitHub. When set, bootstrap creates the CI roles that GitHub Actions assumes through OIDC: a plan role for " +
      "that repository's pull requests and an apply role for its default branch (or GitHub environment; with environments, " +
      "one pair per environment, each apply role for jobs in the GitHub environment of the same name).",
  },
  githubOidcProviderArn: {
    env: "TFSTATE_GITHUB_OIDC_PROVIDER_ARN",
    context: "githubOidcProviderArn",
    rule: githubOidcProviderArn,
    description:
      "The ARN of the account's existing GitHub OIDC provider (an account holds only one). Unset: bootstrap creates it. Needs TFSTATE_GITHUB_REPOSITORY.",
  },
  githubBranch: {
    env: "TFSTATE_GITHUB_BRANCH",
    context: "githubBranch",
    rule: gitBranch,
    description: "The branch whose pushes may assume the apply role.",
  },
  githubEnvironment: {
    env: "TFSTATE_GITHUB_ENVIRONMENT",
    context: "githubEnvironment",
    rule: githubEnvironmentName,
    description:
      "A GitHub environment: when set, only jobs in it may assume the apply role, instead of pushes to TFSTATE_GITHUB_BRANCH. " +
      "Without environments only: with them, each apply role trusts the GitHub environment of its own name.",
  },
  endpoint: {
    env: "AWS_ENDPOINT_URL",
    rule: endpointUrl,
    description:
      "An http:// or https:// URL with no path: every provider, backend and SDK call goes to this local AWS API (moto, LocalStack). Unset for real AWS.",
  },
  environments: {
    env: "TFSTATE_ENVIRONMENTS",
    context: "environments",
    rule: jsonObject,
    description:
      'The environments, as JSON: {"dev": {"vpcCidr": "10.1.0.0/16"}, "prod": {"vpcCidr": "10.2.0.0/16", "roleArn": "arn:aws:iam::222222222222:role/deploy"}}. ' +
      "Empty: one vpc stack, as always. Otherwise a vpc-<env> stack per environment, a state-access policy per environment, " +
      "and with TFSTATE_GITHUB_REPOSITORY a plan role and an apply role per environment. " +
      "Names are lowercase DNS labels of 1-32 characters (fewer where a long bucket name leaves the CI roles' names less room). " +
      "Each may override only vpcCidr, vpcName (default VPC_NAME-<env>), region, roleArn " +
      "(a role its workload providers assume, so its resources land in that account; its state stays in this bucket) " +
      "and githubEnvironment (the GitHub environment whose jobs alone may assume its apply role; default: the environment's own name). " +
      "No two in one account and region may have overlapping CIDRs.",
  },
  environmentStateKey: {
    env: "TFSTATE_ENVIRONMENT_KEY",
    context: "environmentStateKey",
    rule: stateKeyPattern,
    description:
      "Object key of each environment's workload state, made from {env} and {workload}; every stack's key must be its own. Same rules as TFSTATE_KEY.",
  },
  backendRoleArn: {
    env: "TFSTATE_BACKEND_ROLE_ARN",
    rule: iamRoleArn,
    description:
      "A role the S3 backends (and backend.hcl) assume to reach the bucket and the table, for a backend account reached from another. Unset: your credentials.",
  },
  permissionsBoundary: {
    env: "TFSTATE_PERMISSIONS_BOUNDARY",
    context: "permissionsBoundary",
    rule: iamPolicyArn,
    description:
      "A customer managed policy's ARN, for organizations whose SCPs demand a permissions boundary: every role the project creates " +
      "carries it, the CI roles and the roles that workloads create (in a roleArn environment's account, the policy of the same path " +
      "and name there). Unset: the CI roles carry none, and workload roles carry the boundary that bootstrap creates for their " +
      "environment, tfstate-<bucket>[-<env>]-workload-boundary, which allows what they need and no more.",
  },
  adopt: {
    env: "TFSTATE_ADOPT",
    rule: oneOf("true", "false"),
    description:
      "true: the bootstrap deploy imports the bucket, its settings and the lock table where they already exist (made by hand, as " +
      "seed 000 does) and hardens them in place, keeping every object and version. A table whose key is not LockID (S) is refused.",
  },
  replicaRegion: {
    env: "TFSTATE_REPLICA_REGION",
    context: "replicaRegion",
    rule: awsRegion,
    description:
      "A second region, in the bucket's partition, for a replica of the state bucket: <bucket>-replica-<region> (the bucket's part cut " +
      "to fit 63 characters), versioned, encrypted, private and TLS-only like the bucket, with every object and delete marker " +
      "replicated by a role that may do only that. With TFSTATE_KMS=create a key of its own there; with a key ARN, only a " +
      "multi-Region key (key/mrk-...), whose replica in that region must exist. Unset: no replica.",
  },
  accessLogs: {
    env: "TFSTATE_ACCESS_LOGS",
    context: "accessLogs",
    rule: oneOf("true", "false"),
    description:
      "true or false: the state bucket's server access logs (who read or wrote which state, from where), under the prefix <bucket>/ " +
      "of a bucket of their own, <bucket>-access-logs (cut to fit 63 characters), versioned, SSE-S3, private and TLS-only, " +
      `that only S3's logging service may write to, for this bucket and account; logs expire after ${ACCESS_LOG_EXPIRY_DAYS} days.`,
  },
} as const satisfies Record<string, Setting>;

function stateFileOutsideSynthOutput(file: string): string | undefined {
  if (!file.endsWith(".tfstate")) return "must end in .tfstate";
  const relative = path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, file));
  if (relative.split(path.sep)[0] === SYNTH_OUTPUT_DIR) {
    return `must not be inside ${SYNTH_OUTPUT_DIR}, which every synth wipes`;
  }
  return undefined;
}

const readCdktfJson = (root: string) => JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8"));

export function readCdktfContext(root = PROJECT_ROOT): Context {
  return readCdktfJson(root).context ?? {};
}

/** The command cdktf runs to synthesize the app (cdktf.json "app"). */
export const appCommand = (root = PROJECT_ROOT): string => readCdktfJson(root).app;

function read(setting: Setting, env: Environment, context: Context, required: boolean): string | undefined {
  const fromEnv = env[setting.env];
  const fromContext = setting.context === undefined ? undefined : context[setting.context];
  if ((fromEnv === undefined || fromEnv === "") && setting.context === undefined) return undefined;
  const [source, value] =
    fromEnv !== undefined && fromEnv !== ""
      ? [setting.env, fromEnv]
      : [`${setting.context} (cdktf.json context)`, fromContext];
  if (value === undefined || value === null) {
    if (!required) return undefined;
    throw new ConfigError(`Missing ${setting.env}: set it or add "${setting.context}" to cdktf.json context`);
  }
  const text = String(value);
  const broken = setting.rule(text);
  if (broken) throw new ConfigError(`Invalid ${source} ${JSON.stringify(text)}: ${broken}`);
  return text;
}

/** Resolves every setting from the environment, falling back to cdktf.json context, and validates it. */
export function loadConfig(env: Environment = process.env, context: Context = readCdktfContext()): TfstateConfig {
  const optional = (name: keyof typeof SETTINGS) => read(SETTINGS[name], env, context, false);
  const get = (name: keyof typeof SETTINGS) => read(SETTINGS[name], env, context, true)!;

  const stateBucket = get("stateBucket");
  const github = githubConfig(optional("githubRepository"), optional("githubOidcProviderArn"), get("githubBranch"), optional("githubEnvironment"));
  const config: TfstateConfig = {
    region: get("region"),
    stateBucket,
    lockTable: get("lockTable"),
    stateKey: get("stateKey"),
    lockMode: get("lockMode") as LockMode,
    noncurrentVersionDays: Number(get("noncurrentVersionDays")),
    bootstrapBackend: get("bootstrapBackend") as BootstrapBackend,
    bootstrapStateKey: get("bootstrapStateKey"),
    bootstrapStatePath: path.resolve(PROJECT_ROOT, get("bootstrapStateFile")),
    vpcCidr: get("vpcCidr"),
    vpcName: get("vpcName"),
    allowDestroy: get("allowDestroy") === "true",
    kms: kmsConfig(optional("kms"), stateBucket),
    vpcFlowLogs: get("vpcFlowLogs") === "true",
    vpcFlowLogRetentionDays: Number(get("vpcFlowLogRetentionDays")),
    endpoint: optional("endpoint")?.replace(/\/$/, ""),
    github,
    adopt: optional("adopt") === "true",
    tags: { Project: "tfstate-backend", ManagedBy: "cdktf" },
    environments: environments(
      env,
      context,
      { region: get("region"), vpcCidr: get("vpcCidr"), vpcName: get("vpcName") },
      github && leavesRoomForCiRoleNames(stateBucket),
    ),
    environmentStateKey: get("environmentStateKey"),
    backendRoleArn: optional("backendRoleArn"),
    permissionsBoundary: optional("permissionsBoundary"),
    ...replicaConfig(optional("replicaRegion"), get("region"), stateBucket, kmsConfig(optional("kms"), stateBucket)),
    ...(get("accessLogs") === "true" && { accessLogs: { bucket: accessLogBucketName(stateBucket), prefix: accessLogPrefix(stateBucket) } }),
  };
  if (config.github?.environment && config.environments.length) {
    throw new ConfigError(
      `${SETTINGS.githubEnvironment.env} applies only without environments: with them, each apply role trusts the GitHub environment ` +
        `of its own name, or the environment's githubEnvironment`,
    );
  }

  if (config.bootstrapStateKey === config.stateKey) {
    throw new ConfigError(
      `Invalid ${SETTINGS.bootstrapStateKey.env} ${JSON.stringify(config.bootstrapStateKey)}: must differ from ${SETTINGS.stateKey.env}`,
    );
  }
  return config;
}

function githubConfig(repository?: string, oidcProviderArn?: string, branch?: string, environment?: string): GithubConfig | undefined {
  if (repository === undefined) {
    const orphan = oidcProviderArn !== undefined ? SETTINGS.githubOidcProviderArn : environment !== undefined ? SETTINGS.githubEnvironment : undefined;
    if (orphan === undefined) return undefined;
    throw new ConfigError(`${orphan.env} needs ${SETTINGS.githubRepository.env}: it only shapes the CI roles of that repository`);
  }
  const repo = `repo:${repository}`;
  return {
    repository,
    ...(oidcProviderArn && { oidcProviderArn }),
    planSubject: `${repo}:pull_request`,
    applySubject: environment ? githubEnvironmentSubject(repository, environment) : `${repo}:ref:refs/heads/${branch}`,
    ...(environment && { environment }),
  };
}

/**
 * TFSTATE_ENVIRONMENTS (JSON) over cdktf.json's context.environments, each environment over the workload settings;
 * `nameRule`: what else each name must meet.
 */
function environments(env: Environment, context: Context, defaults: EnvironmentSettings, nameRule?: Rule): EnvironmentConfig[] {
  const { env: variable, context: key } = SETTINGS.environments;
  const text = env[variable];
  const [source, read] = text ? [variable, () => parseEnvironmentsJson(text)] : [`${key} (cdktf.json context)`, () => context[key]];
  try {
    return resolveEnvironments(read(), defaults, nameRule);
  } catch (error) {
    if (error instanceof EnvironmentsError) throw new ConfigError(`Invalid ${source}: ${error.message}`);
    throw error;
  }
}

/** The replica's region, apart from the bucket's and in its partition, and the key it is encrypted with there. */
function replicaConfig(region: string | undefined, bucketRegion: string, bucket: string, kms: KmsConfig): { replica?: ReplicaConfig } {
  if (region === undefined) return {};
  const invalid = (why: string) => new ConfigError(`Invalid ${SETTINGS.replicaRegion.env} ${JSON.stringify(region)}: ${why}`);
  if (region === bucketRegion) throw invalid(`must differ from ${SETTINGS.region.env}, the state bucket's region`);
  if (partitionOf(region) !== partitionOf(bucketRegion)) {
    throw invalid(`must be in the partition of ${SETTINGS.region.env} ${bucketRegion} (${partitionOf(bucketRegion)}): replication cannot leave it`);
  }
  let kmsKeyArn: string | undefined;
  if (kms.mode === "existing") {
    kmsKeyArn = multiRegionKeyIn(kms.keyArn, region);
    if (!kmsKeyArn) {
      throw invalid(
        `${SETTINGS.kms.env} names a single-Region key, which cannot encrypt the replica there; use a multi-Region key (key/mrk-...) replicated to ${region}, or ${SETTINGS.kms.env}=create`,
      );
    }
  }
  return { replica: { region, bucket: replicaBucketName(bucket, region), ...(kmsKeyArn && { kmsKeyArn }) } };
}

function kmsConfig(setting: string | undefined, bucket: string): KmsConfig {
  if (setting === undefined) return { mode: "aes256" };
  // Alias names allow no dots; bucket names may have them.
  if (setting === "create") return { mode: "create", aliasName: `alias/tfstate-backend/${bucket.replace(/\./g, "-")}` };
  return { mode: "existing", keyArn: setting };
}

export const usesDynamodbLock = (config: TfstateConfig) => config.lockMode !== "s3";
export const usesS3Lockfile = (config: TfstateConfig) => config.lockMode !== "dynamodb";
export const isPlainHttpEndpoint = (config: TfstateConfig) => config.endpoint?.startsWith("http://") ?? false;
