// Each rule returns the broken requirement as a short phrase, or undefined when the value is fine.
export type Rule = (value: string) => string | undefined;

export const BUCKET_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
export const BUCKET_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

export const s3BucketName: Rule = (name) => {
  if (name.length < 3 || name.length > 63) return "must be 3-63 characters long";
  if (!/^[a-z0-9.-]+$/.test(name)) return "may contain only lowercase letters, digits, dots and hyphens";
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "must start and end with a lowercase letter or digit";
  if (name.includes("..")) return "must not contain two adjacent dots";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be formatted as an IP address";
  const prefix = BUCKET_RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not start with the reserved prefix "${prefix}"`;
  const suffix = BUCKET_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with the reserved suffix "${suffix}"`;
  return undefined;
};

export const dynamodbTableName: Rule = (name) =>
  /^[A-Za-z0-9_.-]{3,255}$/.test(name)
    ? undefined
    : "must be 3-255 characters of letters, digits, '_', '-' and '.'";

export const stateKey: Rule = (key) => {
  if (key.length === 0) return "must not be empty";
  if (key.startsWith("/")) return "must not start with '/'";
  if (key.endsWith("/")) return "must not end with '/'";
  if (key.includes("//")) return "must not contain '//'";
  if (Buffer.byteLength(key) > 1024) return "must be at most 1024 bytes";
  return undefined;
};

// Covers commercial, GovCloud, China and ISO partitions: us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1.
export const awsRegion: Rule = (region) =>
  /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(region)
    ? undefined
    : "must look like an AWS region, for example us-east-1";

const MIN_VPC_PREFIX = 16;
const MAX_VPC_PREFIX = 28;

export const vpcCidr: Rule = (cidr) => {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return "must be an IPv4 CIDR block such as 10.0.0.0/16";
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o, i) => o > 255 || String(o) !== match[i + 1])) {
    return "must have four octets from 0 to 255 without leading zeros";
  }
  const prefix = Number(match[5]);
  if (prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
    return `must have a prefix length from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}`;
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = address % 2 ** (32 - prefix);
  if (hostBits !== 0) return "must have no host bits set after the prefix";
  return undefined;
};

export const tagValue: Rule = (value) =>
  value.length >= 1 && value.length <= 256 ? undefined : "must be 1-256 characters long";

export const oneOf =
  (...allowed: readonly string[]): Rule =>
  (value) =>
    allowed.includes(value) ? undefined : `must be one of ${allowed.join(", ")}`;

export const integerBetween =
  (min: number, max: number): Rule =>
  (value) => {
    if (!/^\d+$/.test(value)) return "must be a whole number";
    const n = Number(value);
    return n >= min && n <= max ? undefined : `must be from ${min} to ${max}`;
  };

export const endpointUrl: Rule = (value) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an http:// or https:// URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http:// or https:// URL";
  if (url.pathname !== "/" || url.search || url.hash) return "must have no path, query or fragment";
  return undefined;
};

// A key ARN, including multi-Region keys: arn:aws:kms:us-east-1:111122223333:key/mrk-... or key/<uuid>.
const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const kmsKeySetting: Rule = (value) =>
  value === "create" || KMS_KEY_ARN.test(value)
    ? undefined
    : "must be create or a KMS key ARN such as arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

// The retention periods CloudWatch Logs accepts.
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const logRetentionDays: Rule = (value) =>
  (LOG_RETENTION_DAYS as readonly number[]).includes(Number(value)) && /^\d+$/.test(value)
    ? undefined
    : `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(", ")}`;

// GitHub's own limits: an owner of up to 39 letters, digits and single inner hyphens; a repository of up to 100 of [A-Za-z0-9._-].
const GITHUB_OWNER = "[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}";
const GITHUB_REPOSITORY_NAME = "(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}";

export const githubRepository: Rule = (value) =>
  new RegExp(`^${GITHUB_OWNER}/${GITHUB_REPOSITORY_NAME}$`).test(value) ? undefined : "must be owner/repository, as in octo-org/infra";

export const githubOidcProviderArn: Rule = (value) =>
  /^arn:aws(-[a-z]+)*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(value)
    ? undefined
    : "must be the ARN of an account's GitHub OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com";

// No wildcards: the name goes into a trust policy's sub condition, which must name exactly one branch.
export const gitBranch: Rule = (value) => {
  if (!/^[A-Za-z0-9._/-]{1,255}$/.test(value)) return "must be 1-255 letters, digits and . _ / - (no wildcards)";
  if (value.includes("..") || value.includes("//") || /^[/.-]|[/.]$|\.lock$/.test(value)) return "must be a valid git branch name";
  return undefined;
};

export const githubEnvironmentName: Rule = (value) =>
  /^[A-Za-z0-9._-]{1,255}$/.test(value) ? undefined : "must be 1-255 letters, digits and . _ - (no wildcards)";

// Short enough to fit a stack name, an IAM policy name and a session name; a DNS label, so it fits anywhere a name goes.
const MAX_ENVIRONMENT_NAME = 32;

export const environmentName: Rule = (name) =>
  new RegExp(`^[a-z]([a-z0-9-]{0,${MAX_ENVIRONMENT_NAME - 2}}[a-z0-9])?$`).test(name)
    ? undefined
    : `must be a lowercase DNS label of 1-${MAX_ENVIRONMENT_NAME} letters, digits and hyphens, starting with a letter and not ending with a hyphen`;

export const IAM_ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

export const iamRoleArn: Rule = (value) =>
  IAM_ROLE_ARN.test(value) ? undefined : "must be an IAM role ARN such as arn:aws:iam::111122223333:role/deploy";

// A customer managed policy: a permissions boundary must exist in the account, and AWS managed ones grant far too much.
export const IAM_POLICY_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;

export const iamPolicyArn: Rule = (value) =>
  IAM_POLICY_ARN.test(value) ? undefined : "must be a customer managed IAM policy ARN such as arn:aws:iam::111122223333:policy/boundary";

export const KEY_PLACEHOLDERS = ["{env}", "{workload}"] as const;

export const stateKeyPattern: Rule = (pattern) => {
  const unknown = pattern.match(/\{[^}]*\}/g)?.find((p) => !(KEY_PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown) return `has the unknown placeholder ${unknown}; use ${KEY_PLACEHOLDERS.join(" and ")}`;
  return stateKey(pattern);
};

export const jsonObject: Rule = (text) => {
  try {
    const value = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return undefined;
  } catch {
    // Reported below, like any other non-object.
  }
  return 'must be a JSON object such as {"dev": {"vpcCidr": "10.1.0.0/16"}}';
};
