import * as fs from "fs";
import * as path from "path";
import {
  Rule,
  awsRegion,
  dynamodbTableName,
  endpointUrl,
  integerBetween,
  kmsKeySetting,
  logRetentionDays,
  oneOf,
  s3BucketName,
  stateKey,
  tagValue,
  vpcCidr,
} from "./rules";

export const LOCK_MODES = ["dynamodb", "s3", "both"] as const;
export type LockMode = (typeof LOCK_MODES)[number];

export const BOOTSTRAP_BACKENDS = ["local", "s3"] as const;
export type BootstrapBackend = (typeof BOOTSTRAP_BACKENDS)[number];

/** How state is encrypted at rest: S3-managed AES256, a key this project creates, or a key you own. */
export type KmsConfig =
  | { readonly mode: "aes256" }
  | { readonly mode: "create"; readonly aliasName: string }
  | { readonly mode: "existing"; readonly keyArn: string };

export const STACKS = { bootstrap: "bootstrap", vpc: "vpc" } as const;

export const PROJECT_ROOT = path.resolve(__dirname, "..");
export const SYNTH_OUTPUT_DIR = "cdktf.out";

export interface TfstateConfig {
  /** AWS region of the bucket, the table and the sample VPC. */
  readonly region: string;
  /** Globally unique name of the S3 bucket that stores state. */
  readonly stateBucket: string;
  /** DynamoDB table with hash key LockID, used in the dynamodb and both lock modes. */
  readonly lockTable: string;
  /** Object key of the vpc stack's state inside the bucket. */
  readonly stateKey: string;
  /** dynamodb: DynamoDB lock; s3: S3 lock file (use_lockfile); both: the two together, for migrating. */
  readonly lockMode: LockMode;
  /** Days a replaced state version is kept before S3 expires it. */
  readonly noncurrentVersionDays: number;
  /** Where the bootstrap stack keeps its own state: a local file, or the bucket it creates. */
  readonly bootstrapBackend: BootstrapBackend;
  /** Object key of the bootstrap stack's state when bootstrapBackend is s3. */
  readonly bootstrapStateKey: string;
  /** Absolute path of the bootstrap stack's local state file, outside the synth output. */
  readonly bootstrapStatePath: string;
  /** IPv4 CIDR block of the sample VPC. */
  readonly vpcCidr: string;
  /** Name tag of the sample VPC. */
  readonly vpcName: string;
  /** Lifts prevent_destroy and deletion protection; meant for teardown only. */
  readonly allowDestroy: boolean;
  /** Encryption of the bucket, the table and the backend's writes (TFSTATE_KMS). */
  readonly kms: KmsConfig;
  /** VPC flow logs to CloudWatch Logs, on by default. */
  readonly vpcFlowLogs: boolean;
  /** Days CloudWatch Logs keeps the flow logs. */
  readonly vpcFlowLogRetentionDays: number;
  /** Custom AWS API endpoint (moto, LocalStack); unset for real AWS. */
  readonly endpoint?: string;
  /** Tags applied to every taggable resource through the provider's default_tags. */
  readonly tags: Readonly<Record<string, string>>;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Context = Record<string, unknown>;
export type Environment = Readonly<Record<string, string | undefined>>;

interface Setting {
  readonly env: string;
  /** The cdktf.json context key of the default; none for settings that are off unless set. */
  readonly context?: string;
  readonly rule: Rule;
}

// Every setting: its environment variable, its cdktf.json context key (the default) and its rule.
export const SETTINGS = {
  region: { env: "AWS_REGION", context: "region", rule: awsRegion },
  stateBucket: { env: "TFSTATE_BUCKET", context: "stateBucket", rule: s3BucketName },
  lockTable: { env: "TFSTATE_LOCK_TABLE", context: "lockTable", rule: dynamodbTableName },
  stateKey: { env: "TFSTATE_KEY", context: "stateKey", rule: stateKey },
  lockMode: { env: "TFSTATE_LOCK", context: "lockMode", rule: oneOf(...LOCK_MODES) },
  noncurrentVersionDays: {
    env: "TFSTATE_NONCURRENT_DAYS",
    context: "noncurrentVersionDays",
    rule: integerBetween(1, 36500),
  },
  bootstrapBackend: {
    env: "TFSTATE_BOOTSTRAP_BACKEND",
    context: "bootstrapBackend",
    rule: oneOf(...BOOTSTRAP_BACKENDS),
  },
  bootstrapStateKey: { env: "TFSTATE_BOOTSTRAP_KEY", context: "bootstrapStateKey", rule: stateKey },
  bootstrapStateFile: {
    env: "TFSTATE_BOOTSTRAP_STATE_FILE",
    context: "bootstrapStateFile",
    rule: stateFileOutsideSynthOutput,
  },
  vpcCidr: { env: "VPC_CIDR", context: "vpcCidr", rule: vpcCidr },
  vpcName: { env: "VPC_NAME", context: "vpcName", rule: tagValue },
  vpcFlowLogs: { env: "VPC_FLOW_LOGS", context: "vpcFlowLogs", rule: oneOf("true", "false") },
  vpcFlowLogRetentionDays: {
    env: "VPC_FLOW_LOG_RETENTION_DAYS",
    context: "vpcFlowLogRetentionDays",
    rule: logRetentionDays,
  },
  allowDestroy: { env: "TFSTATE_ALLOW_DESTROY", context: "allowDestroy", rule: oneOf("true", "false") },
  kms: { env: "TFSTATE_KMS", rule: kmsKeySetting },
  endpoint: { env: "AWS_ENDPOINT_URL", rule: endpointUrl },
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

function read(setting: Setting, env: Environment, context: Context): string | undefined {
  const fromEnv = env[setting.env];
  const fromContext = setting.context === undefined ? undefined : context[setting.context];
  if ((fromEnv === undefined || fromEnv === "") && setting.context === undefined) return undefined;
  const [source, value] =
    fromEnv !== undefined && fromEnv !== ""
      ? [setting.env, fromEnv]
      : [`${setting.context} (cdktf.json context)`, fromContext];
  if (value === undefined || value === null) {
    throw new ConfigError(`Missing ${setting.env}: set it or add "${setting.context}" to cdktf.json context`);
  }
  const text = String(value);
  const broken = setting.rule(text);
  if (broken) throw new ConfigError(`Invalid ${source} ${JSON.stringify(text)}: ${broken}`);
  return text;
}

/** Resolves every setting from the environment, falling back to cdktf.json context, and validates it. */
export function loadConfig(env: Environment = process.env, context: Context = readCdktfContext()): TfstateConfig {
  const optional = (name: keyof typeof SETTINGS) => read(SETTINGS[name], env, context);
  const get = (name: keyof typeof SETTINGS) => optional(name)!;

  const stateBucket = get("stateBucket");
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
    tags: { Project: "tfstate-backend", ManagedBy: "cdktf" },
  };

  if (config.bootstrapStateKey === config.stateKey) {
    throw new ConfigError(
      `Invalid ${SETTINGS.bootstrapStateKey.env} ${JSON.stringify(config.bootstrapStateKey)}: must differ from ${SETTINGS.stateKey.env}`,
    );
  }
  return config;
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
