// backend.hcl, so that a plain Terraform directory can keep its state in the same bucket:
// terraform init -backend-config=backend.hcl
import { BackendValue, s3BackendSettings } from "../../config/backend-settings";
import { ConfigError, Environment, STACKS, TfstateConfig, loadConfig } from "../../config/config";
import { workloadStates } from "../../config/workloads";

function hclValue(value: BackendValue): string {
  if (typeof value !== "object") return JSON.stringify(value);
  return `{\n${Object.entries(value).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`).join("\n")}\n}`;
}

/** The key of the environment's vpc stack. */
function environmentKey(config: TfstateConfig, environment: string): string {
  const names = config.environments.map((e) => e.name);
  if (!names.includes(environment)) {
    const configured = names.length ? `the environments are ${names.join(", ")}` : "no environments are configured (TFSTATE_ENVIRONMENTS)";
    throw new ConfigError(`--env ${environment}: no such environment; ${configured}`);
  }
  return workloadStates(config).find(([stack]) => stack === `${STACKS.vpc}-${environment}`)![1];
}

/**
 * backend.hcl for the state key in TFSTATE_KEY or, given an environment, for that environment's vpc stack,
 * with the lock mode, the key and the endpoint as configured.
 */
export function backendHcl(env: Environment, environment?: string): string {
  const config = loadConfig(env);
  const settings = s3BackendSettings(config, environment === undefined ? config.stateKey : environmentKey(config, environment));
  const width = Math.max(...Object.keys(settings).map((k) => k.length));
  const lines = Object.entries(settings).map(([name, value]) => `${name.padEnd(width)} = ${hclValue(value)}`);
  return `# Written by npm run backend-config. Use: terraform init -backend-config=backend.hcl\n${lines.join("\n")}\n`;
}
