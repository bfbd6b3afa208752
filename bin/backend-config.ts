import * as fs from "fs";
import * as path from "path";
import { backendHcl } from "../lib/commands/backend-hcl";
import { UsageError, runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "backend-config",
    summary:
      "Writes backend.hcl for a plain Terraform directory (terraform init -backend-config=backend.hcl), under a state key of its own. " +
      "A key that one of this project's stacks uses is refused unless --env asks for that stack.",
    options: {
      key: "the directory's own state key, such as teams/network/terraform.tfstate",
      env: "the state of this environment's vpc stack, on purpose (default: the vpc stack without environments)",
      output: "the file to write (default: backend.hcl in the directory npm was run from)",
    },
  },
  async ({ options }) => {
    // npm runs scripts from the project root; a relative path means the directory the user ran npm in.
    const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.output ?? "backend.hcl");
    const hcl = backendHcl(process.env, { key: options.key, environment: options.env });
    const folder = path.dirname(file);
    if (!fs.existsSync(folder)) throw new UsageError(`--output ${options.output}: the folder ${folder} does not exist; create it first (mkdir -p ${folder})`);
    fs.writeFileSync(file, hcl);
    console.log(`wrote ${file}`);
  },
);
