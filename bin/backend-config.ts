import * as fs from "fs";
import * as path from "path";
import { backendHcl } from "../lib/commands/backend-hcl";
import { runCommand } from "../lib/cli/command";

runCommand(
  {
    name: "backend-config",
    summary: "Writes backend.hcl for a plain Terraform directory: terraform init -backend-config=backend.hcl",
    options: {
      output: "the file to write (default: backend.hcl in the directory npm was run from)",
      env: "the state of this environment's vpc stack instead of TFSTATE_KEY",
    },
  },
  async ({ options }) => {
    // npm runs scripts from the project root; a relative path means the directory the user ran npm in.
    const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), options.output ?? "backend.hcl");
    fs.writeFileSync(file, backendHcl(process.env, options.env));
    console.log(`wrote ${file}`);
  },
);
