// Environments: the same workloads once per environment (dev, staging, prod), each with its own overrides,
// read from TFSTATE_ENVIRONMENTS (JSON) or cdktf.json's context.environments.
import { IAM_ROLE_ARN, Rule, awsRegion, environmentName, githubEnvironmentName, iamRoleArn, jsonObject, tagValue, vpcCidr } from "./rules";

/** What an environment may override, each checked by its rule. */
const OVERRIDES = {
  vpcCidr,
  vpcName: tagValue,
  region: awsRegion,
  roleArn: iamRoleArn,
  githubEnvironment: githubEnvironmentName,
} as const satisfies Record<string, Rule>;
export const ENVIRONMENT_OVERRIDES = Object.keys(OVERRIDES) as Array<keyof typeof OVERRIDES>;

/** The settings every workload stack of one environment works with. */
export interface EnvironmentSettings {
  readonly region: string;
  readonly vpcCidr: string;
  readonly vpcName: string;
  /** Assumed by the environment's workload providers, so that its resources land in the role's account. */
  readonly roleArn?: string;
  /** The role's account: the only account its providers may change (allowed_account_ids). */
  readonly accountId?: string;
}

export interface EnvironmentConfig extends EnvironmentSettings {
  readonly name: string;
  /** The GitHub environment whose jobs alone may assume this environment's CI apply role. */
  readonly githubEnvironment?: string;
}

/** A one-line complaint about the environments; the caller names where they came from. */
export class EnvironmentsError extends Error {
  override readonly name = "EnvironmentsError";
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The JSON text of TFSTATE_ENVIRONMENTS, parsed; an empty text means none. */
export function parseEnvironmentsJson(text: string): unknown {
  const broken = jsonObject(text);
  if (broken) throw new EnvironmentsError(broken);
  return JSON.parse(text);
}

function environment(name: string, raw: unknown, defaults: EnvironmentSettings, nameRule?: Rule): EnvironmentConfig {
  const where = `environment ${JSON.stringify(name)}`;
  const broken = environmentName(name) ?? nameRule?.(name);
  if (broken) throw new EnvironmentsError(`${where}: the name ${broken}`);
  if (!isObject(raw)) throw new EnvironmentsError(`${where}: must be an object of overrides (${ENVIRONMENT_OVERRIDES.join(", ")})`);
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in OVERRIDES)) {
      throw new EnvironmentsError(`${where}: unknown key ${JSON.stringify(key)}; the keys are ${ENVIRONMENT_OVERRIDES.join(", ")}`);
    }
    const rule = OVERRIDES[key as keyof typeof OVERRIDES];
    const problem = typeof value === "string" ? rule(value) : "must be a string";
    if (problem) throw new EnvironmentsError(`${where}: ${key} ${JSON.stringify(value)} ${problem}`);
  }
  const overrides = raw as Partial<Record<keyof typeof OVERRIDES, string>>;
  const { roleArn, githubEnvironment } = overrides;
  return {
    name,
    region: overrides.region ?? defaults.region,
    vpcCidr: overrides.vpcCidr ?? defaults.vpcCidr,
    // One name per environment, so that Name tags and log groups never collide.
    vpcName: overrides.vpcName ?? `${defaults.vpcName}-${name}`,
    ...(roleArn && { roleArn, accountId: IAM_ROLE_ARN.exec(roleArn)![2] }),
    ...(githubEnvironment && { githubEnvironment }),
  };
}

/** The addresses a CIDR block covers, as [first, last]. */
function addressRange(cidr: string): [number, number] {
  const [address, prefix] = cidr.split("/");
  const first = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [first, first + 2 ** (32 - Number(prefix)) - 1];
}

/** Two VPCs can only be peered or routed together when their blocks are apart; that matters within one account and region. */
function checkNoOverlap(environments: readonly EnvironmentConfig[]): void {
  const ranges = environments.map((environment) => addressRange(environment.vpcCidr));
  const overlap = (i: number, j: number) => ranges[i][0] <= ranges[j][1] && ranges[j][0] <= ranges[i][1];
  environments.forEach((a, i) => {
    environments.forEach((b, j) => {
      if (j <= i || a.accountId !== b.accountId || a.region !== b.region || !overlap(i, j)) return;
      const account = a.accountId ? `account ${a.accountId}` : "the account of your credentials";
      throw new EnvironmentsError(
        `environments "${a.name}" (${a.vpcCidr}) and "${b.name}" (${b.vpcCidr}) overlap in ${account}, ${a.region}: give each its own vpcCidr`,
      );
    });
  });
}

/**
 * Every environment, validated, with its overrides over the workload defaults; none when the value is absent
 * or empty. `nameRule`: what else a name must meet, such as leaving room in the names made from it.
 */
export function resolveEnvironments(raw: unknown, defaults: EnvironmentSettings, nameRule?: Rule): EnvironmentConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!isObject(raw)) throw new EnvironmentsError('must be an object such as {"dev": {"vpcCidr": "10.1.0.0/16"}}');
  const environments = Object.entries(raw).map(([name, overrides]) => environment(name, overrides, defaults, nameRule));
  checkNoOverlap(environments);
  return environments;
}
