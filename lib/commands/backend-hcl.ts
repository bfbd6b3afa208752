// backend.hcl, so that a plain Terraform directory can keep its state in the same bucket:
// terraform init -backend-config=backend.hcl
import { BackendValue, s3BackendSettings } from "../../config/backend-settings";
import { DEFAULT_CI_TARGET } from "../../config/ci-targets";
import { Environment, SETTINGS, STACKS, TfstateConfig, loadConfig } from "../../config/config";
import { stateKey as stateKeyRule } from "../../config/rules";
import { appWorkloadTargets } from "../../config/workloads";
import { Refusal, UsageError } from "../cli/errors";
import { projectStateKeys } from "../state/stack-states";

function hclValue(value: BackendValue): string {
  if (typeof value !== "object") return JSON.stringify(value);
  return `{\n${Object.entries(value).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`).join("\n")}\n}`;
}

/** The vpc stacks, each with the --env name that asks for its key: its environment's, or default without environments. */
const vpcStacks = (config: TfstateConfig) =>
  appWorkloadTargets(config)
    .filter((target) => target.workload === STACKS.vpc)
    .map((target) => ({ stack: target.stackName, env: target.environment ?? DEFAULT_CI_TARGET, key: target.stateKey }));

/** The key of the environment's vpc stack (without environments, --env default: the vpc stack's). */
function environmentKey(config: TfstateConfig, environment: string): string {
  const stacks = vpcStacks(config);
  const found = stacks.find((stack) => stack.env === environment);
  if (found) return found.key;
  const configured = config.environments.length
    ? `the environments are ${stacks.map((stack) => stack.env).join(", ")}`
    : `no environments are configured (${SETTINGS.environments.env}); the vpc stack's own state is --env ${DEFAULT_CI_TARGET}`;
  throw new UsageError(`--env ${environment}: no such environment; ${configured}`);
}

/**
 * A key for a directory of its own: none of this project's stacks may use it, or the directory would share
 * that stack's state, and its first apply would plan to destroy what the stack made.
 */
function ownKey(config: TfstateConfig, key: string, given: boolean): string {
  const owner = projectStateKeys(config).find(([, stackKey]) => stackKey === key)?.[0];
  if (owner === undefined) return key;
  const source = given ? "--key" : `${SETTINGS.stateKey.env} (or its default)`;
  const forStack = vpcStacks(config).find((stack) => stack.stack === owner);
  throw new Refusal(
    `${source} ${key} is the state key of this project's ${owner} stack: a directory initialised with it would share that state, ` +
      `and its first apply would plan to destroy what ${owner} made. For a directory of its own, pass a key of its own: ` +
      `--key teams/<name>/terraform.tfstate` +
      (forStack ? `; for the ${owner} stack's state itself, on purpose: --env ${forStack.env}` : ""),
  );
}

export interface BackendHclOptions {
  /** --key: the directory's own state key. */
  readonly key?: string;
  /** --env: the state of this environment's vpc stack, on purpose. */
  readonly environment?: string;
}

/**
 * backend.hcl for a state key, with the lock mode and the endpoint as configured: the directory's own key
 * (--key), or an environment's vpc stack's (--env). A key that one of this project's stacks uses is refused
 * unless --env asked for that stack.
 */
export function backendHcl(env: Environment, options: BackendHclOptions = {}): string {
  const config = loadConfig(env);
  if (options.key !== undefined && options.environment !== undefined) {
    throw new UsageError("--key and --env name two different states: give one");
  }
  if (options.key !== undefined) {
    const broken = stateKeyRule(options.key);
    if (broken) throw new UsageError(`--key ${JSON.stringify(options.key)}: ${broken}`);
  }
  const key =
    options.environment !== undefined
      ? environmentKey(config, options.environment)
      : ownKey(config, options.key ?? config.stateKey, options.key !== undefined);
  const settings = s3BackendSettings(config, key);
  const width = Math.max(...Object.keys(settings).map((k) => k.length));
  const lines = Object.entries(settings).map(([name, value]) => `${name.padEnd(width)} = ${hclValue(value)}`);
  return `# Written by npm run backend-config. Use: terraform init -backend-config=backend.hcl\n${lines.join("\n")}\n`;
}
