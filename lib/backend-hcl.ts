// backend.hcl, so that a plain Terraform directory can keep its state in the same bucket:
// terraform init -backend-config=backend.hcl
import { BackendValue, s3BackendSettings } from "../config/backend-settings";
import { Environment, loadConfig } from "../config/config";

function hclValue(value: BackendValue): string {
  if (typeof value !== "object") return JSON.stringify(value);
  return `{\n${Object.entries(value).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`).join("\n")}\n}`;
}

/** backend.hcl for the state key in TFSTATE_KEY, with the lock mode, the key and the endpoint as configured. */
export function backendHcl(env: Environment): string {
  const config = loadConfig(env);
  const settings = s3BackendSettings(config, config.stateKey);
  const width = Math.max(...Object.keys(settings).map((k) => k.length));
  const lines = Object.entries(settings).map(([name, value]) => `${name.padEnd(width)} = ${hclValue(value)}`);
  return `# Written by npm run backend-config. Use: terraform init -backend-config=backend.hcl\n${lines.join("\n")}\n`;
}
