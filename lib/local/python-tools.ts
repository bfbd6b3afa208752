import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/config";

/**
 * The project's own virtualenvs, each installed from its pinned requirements file, so nothing depends on
 * what the machine's Python has. checkov gets its own: it pins boto3 exactly, older than moto's. parliament,
 * the IAM policy linter, gets its own too, so that neither of the gate's tools holds the other's versions back.
 */
const VENVS = {
  moto: { venv: ".venv", requirements: "requirements.txt" },
  checkov: { venv: ".venv-checkov", requirements: "requirements-checkov.txt" },
  parliament: { venv: ".venv-parliament", requirements: "requirements-parliament.txt" },
} as const;
type PythonTool = keyof typeof VENVS;
export const PYTHON_TOOLS = Object.keys(VENVS) as PythonTool[];

export const venvBin = (tool: PythonTool, executable: string) =>
  path.join(PROJECT_ROOT, VENVS[tool].venv, "bin", executable);

/** Creates the tool's virtualenv and installs its requirements, unless it already holds exactly those pins. */
export function ensurePythonTool(tool: PythonTool, log: (line: string) => void = console.log): void {
  const { venv, requirements } = VENVS[tool];
  const venvDir = path.join(PROJECT_ROOT, venv);
  const requirementsFile = path.join(PROJECT_ROOT, requirements);
  const stamp = path.join(venvDir, ".requirements.sha256");
  const wanted = createHash("sha256").update(fs.readFileSync(requirementsFile)).digest("hex");
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === wanted) return;
  log(`installing ${requirements} into ${venv}/`);
  if (!fs.existsSync(venvBin(tool, "python"))) {
    execFileSync(process.env.PYTHON ?? "python3", ["-m", "venv", venvDir], { stdio: "inherit" });
  }
  execFileSync(venvBin(tool, "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirementsFile], {
    stdio: "inherit",
  });
  fs.writeFileSync(stamp, wanted);
}
