import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";

// The project's own virtualenv: the pinned moto never depends on what the machine's Python has.
export const VENV_DIR = path.join(PROJECT_ROOT, ".venv");
const REQUIREMENTS = path.join(PROJECT_ROOT, "requirements.txt");
const STAMP = path.join(VENV_DIR, ".requirements.sha256");

export const venvBin = (tool: string) => path.join(VENV_DIR, "bin", tool);

/** Creates .venv and installs requirements.txt into it, unless it already holds exactly those pins. */
export function ensurePythonTools(log: (line: string) => void = console.log): void {
  const wanted = createHash("sha256").update(fs.readFileSync(REQUIREMENTS)).digest("hex");
  if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === wanted) return;
  const python = process.env.PYTHON ?? "python3";
  log(`installing ${path.basename(REQUIREMENTS)} into ${path.relative(PROJECT_ROOT, VENV_DIR)}/`);
  if (!fs.existsSync(venvBin("python"))) execFileSync(python, ["-m", "venv", VENV_DIR], { stdio: "inherit" });
  execFileSync(venvBin("python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS], {
    stdio: "inherit",
  });
  fs.writeFileSync(STAMP, wanted);
}

if (require.main === module) ensurePythonTools();
