// A plain Terraform directory (no CDKTF) that keeps its state in the project's bucket through backend.hcl.
import * as fs from "fs";
import * as path from "path";
import { succeeded } from "../../../lib/process/cdktf";
import { ProcessResult, runProcess } from "../../../lib/process/run-process";
import { Scenario } from "./world";

export interface PlainHclDirectory {
  readonly dir: string;
  /** What npm run backend-config wrote. */
  readonly backendHcl: string;
  terraform(args: string[]): Promise<ProcessResult>;
}

/**
 * The fixture copied into the scenario's directory, with backend.hcl from `npm run backend-config -- --key <key>`
 * for the scenario's settings: a key of the directory's own.
 */
export async function plainHclDirectory(scenario: Scenario, key: string): Promise<PlainHclDirectory> {
  const dir = path.join(scenario.dir, "plain");
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(__dirname, "..", "fixtures", "plain-hcl", "main.tf"), path.join(dir, "main.tf"));
  succeeded(await scenario.npmRun("backend-config", ["--key", key, "--output", path.join(dir, "backend.hcl")]), "npm run backend-config");
  return {
    dir,
    backendHcl: fs.readFileSync(path.join(dir, "backend.hcl"), "utf8"),
    terraform: (args) => runProcess("terraform", [...args, "-no-color", "-input=false"], { cwd: dir, env: scenario.env }),
  };
}
