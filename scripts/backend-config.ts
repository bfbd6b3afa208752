// npm run backend-config: writes backend.hcl, so a plain Terraform directory can keep its state in the
// same bucket: terraform init -backend-config=backend.hcl
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../config/config";
import { BackendValue, s3BackendSettings } from "../constructs/s3-backend";
import { runMain } from "./cli";

function hclValue(value: BackendValue): string {
  if (typeof value !== "object") return JSON.stringify(value);
  return `{\n${Object.entries(value).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`).join("\n")}\n}`;
}

/** backend.hcl for the state key in TFSTATE_KEY, with the lock mode, the key and the endpoint as configured. */
export function backendHcl(env: NodeJS.ProcessEnv = process.env): string {
  const config = loadConfig(env);
  const settings = s3BackendSettings(config, config.stateKey);
  const width = Math.max(...Object.keys(settings).map((k) => k.length));
  const lines = Object.entries(settings).map(([name, value]) => `${name.padEnd(width)} = ${hclValue(value)}`);
  return `# Written by npm run backend-config. Use: terraform init -backend-config=backend.hcl\n${lines.join("\n")}\n`;
}

if (require.main === module) {
  runMain(async () => {
    const outIndex = process.argv.indexOf("--out");
    const file = path.resolve(outIndex > 0 ? process.argv[outIndex + 1] : "backend.hcl");
    fs.writeFileSync(file, backendHcl());
    console.log(`wrote ${file}`);
  });
}
