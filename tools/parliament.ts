// The IAM policy linter of the security gate: parliament, with its community auditors (privilege escalation,
// permissions management, credentials exposure), on every identity and resource policy a stack synthesizes,
// its terraform references resolved (tools/iam-policies.ts). Trust policies are left out: parliament reads them
// as identity policies, so every one is "malformed" for want of a Resource, and it knows no OIDC provider.
// It passes only when every finding is one that .parliament.yaml allows, with its reason.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { AccountSettings, PolicyDocument, StackPolicy, TerraformJson, stackPolicies, statementsOf } from "./iam-policies";
import { ensurePythonTool, venvBin } from "../lib/local/python-tools";

export const PARLIAMENT_ALLOWED = path.join(PROJECT_ROOT, ".parliament.yaml");

/** A policy to lint, by a name that says where it comes from. */
export interface LintedPolicy {
  /** What the report calls it: `bootstrap github-ci/dev-plan-policy (two environments)`. */
  readonly name: string;
  /** Its construct path in its stack, which .parliament.yaml's lines name. */
  readonly path: string;
  readonly document: PolicyDocument;
}

export interface LintFinding {
  readonly policy: LintedPolicy;
  readonly issue: string;
  readonly severity: string;
  readonly title: string;
  /** The statement's Sid (`#<index>` without one); undefined for a finding on the whole policy. */
  readonly statement?: string;
  readonly detail: string;
}

/** One line of .parliament.yaml: a finding allowed on the policies its pattern names, and why. */
export interface AllowedFinding {
  readonly issue: string;
  /** A construct path in its stack; `*` stands for any part of one name. */
  readonly policy: string;
  /** Only the statement with this Sid; without it, anywhere in the policy. */
  readonly statement?: string;
  readonly reason: string;
  /** The line as written, without its reason: `RESOURCE_STAR github-ci/*-policy:ReadVpc`. */
  readonly entry: string;
}

const ALLOW_LINE = /^\s*-\s+([A-Z_]+)\s+([\w*./-]+)(?::([\w#-]+))?\s+#\s+(.+)$/;

/** The allowed findings with their reasons, in the order .parliament.yaml lists them; a line it cannot read throws. */
export function allowedFindings(file = PARLIAMENT_ALLOWED): AllowedFinding[] {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const start = lines.findIndex((line) => /^allow:\s*$/.test(line));
  if (start < 0) throw new Error(`${file}: no allow: list`);
  return lines.slice(start + 1).flatMap((line, i) => {
    if (/^\s*(#.*)?$/.test(line)) return [];
    const match = ALLOW_LINE.exec(line);
    if (!match) throw new Error(`${file}:${start + i + 2}: not "- ISSUE policy/path[:Sid] # reason": ${line}`);
    const [, issue, policy, statement, reason] = match;
    return [{ issue, policy, statement, reason: reason.trim(), entry: `${issue} ${policy}${statement ? `:${statement}` : ""}` }];
  });
}

const patternRegExp = (pattern: string) => new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join("[^/]*")}$`);

export function isAllowed(finding: LintFinding, allowed: AllowedFinding): boolean {
  return (
    finding.issue === allowed.issue &&
    patternRegExp(allowed.policy).test(finding.policy.path) &&
    (allowed.statement === undefined || finding.statement === allowed.statement)
  );
}

/** The stack's policies that parliament can judge: identity (inline, managed, boundaries) and resource policies. */
export function lintablePolicies(stack: string | TerraformJson, label: (policy: StackPolicy) => string, settings?: AccountSettings): LintedPolicy[] {
  return stackPolicies(stack, settings)
    .filter((policy) => policy.kind !== "trust")
    .map((policy) => ({ name: label(policy), path: policy.path, document: policy.document }));
}

/**
 * The document as parliament reads it, each statement on a line of its own, so that the line parliament
 * reports a statement's finding on says which statement it is. Returns the text and the statements' first line.
 */
function layout(document: PolicyDocument): { text: string; firstStatementLine: number } {
  const { Statement: _statements, ...rest } = document;
  const head = ["{", ...Object.entries(rest).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)},`), `"Statement": [`];
  const statements = statementsOf(document).map((statement, i, all) => JSON.stringify(statement) + (i < all.length - 1 ? "," : ""));
  return { text: [...head, ...statements, "]", "}", ""].join("\n"), firstStatementLine: head.length + 1 };
}

const detailText = (detail: unknown): string =>
  typeof detail === "string" ? detail : Array.isArray(detail) && detail.every((d) => typeof d === "string") ? detail.join(", ") : detail ? JSON.stringify(detail) : "";

interface ParliamentOutput {
  issue: string;
  title: string;
  severity: string;
  detail: unknown;
  location: { line?: number; filepath?: string; actions?: string[]; type?: string };
}

/** Runs parliament once over all the policies (its start, reading AWS's IAM definitions, costs more than a policy). */
export function lintPolicies(policies: readonly LintedPolicy[]): LintFinding[] {
  ensurePythonTool("parliament");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-parliament-"));
  try {
    const files = new Map<string, { policy: LintedPolicy; firstStatementLine: number }>();
    policies.forEach((policy, i) => {
      const file = path.join(dir, `${i}.json`);
      const { text, firstStatementLine } = layout(policy.document);
      fs.writeFileSync(file, text);
      files.set(file, { policy, firstStatementLine });
    });
    const args = ["--directory", dir, "--include_policy_extension", ".json", "--include-community-auditors", "--json"];
    const result = spawnSync(venvBin("parliament", "parliament"), args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    // parliament exits 1 when it has findings; anything else is an error of its own.
    if (result.status !== 0 && result.status !== 1) throw new Error(`parliament failed (${result.status ?? result.signal}): ${result.stderr || result.error}`);
    return result.stdout
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => {
        const output = JSON.parse(line) as ParliamentOutput;
        const file = output.location.filepath ? files.get(path.resolve(output.location.filepath)) : undefined;
        if (!file) throw new Error(`parliament reported a finding on no policy it was given: ${line}`);
        const statements = statementsOf(file.policy.document);
        const index = output.location.line === undefined ? -1 : output.location.line - file.firstStatementLine;
        const statement = index >= 0 && index < statements.length ? (statements[index].Sid ?? `#${index}`) : undefined;
        const extra = output.location.actions ? `${output.location.type ? `${output.location.type}: ` : ""}${output.location.actions.join(", ")}` : "";
        const detail = [detailText(output.detail), extra].filter(Boolean).join("; ");
        return { policy: file.policy, issue: output.issue, severity: output.severity, title: output.title.trim(), statement, detail };
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface LintReport {
  readonly findings: LintFinding[];
  /** Findings that no line of .parliament.yaml allows: each one fails the gate. */
  readonly disallowed: LintFinding[];
  /** Lines of .parliament.yaml that allow no finding any more: each one fails the gate too, until removed. */
  readonly unused: AllowedFinding[];
}

export function judge(findings: LintFinding[], allowed: AllowedFinding[] = allowedFindings()): LintReport {
  return {
    findings,
    disallowed: findings.filter((finding) => !allowed.some((entry) => isAllowed(finding, entry))),
    unused: allowed.filter((entry) => !findings.some((finding) => isAllowed(finding, entry))),
  };
}

export const describeFinding = (finding: LintFinding) =>
  `${finding.issue} (${finding.severity}) ${finding.policy.name}${finding.statement ? ` statement ${finding.statement}` : ""}: ${finding.title}${finding.detail ? ` (${finding.detail.length > 300 ? `${finding.detail.slice(0, 300)}...` : finding.detail})` : ""}`;

/** A synthesized stack: its directory holds cdk.tf.json. */
export interface SynthesizedStack {
  readonly variant: string;
  readonly stack: string;
  readonly dir: string;
}

/** Lints every policy of every stack in one parliament run, and judges the findings by .parliament.yaml. */
export function lintStacks(stacks: readonly SynthesizedStack[], allowed: AllowedFinding[] = allowedFindings()): LintReport & { policies: number } {
  const policies = stacks.flatMap(({ variant, stack, dir }) =>
    lintablePolicies(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"), (policy) => `${stack} ${policy.path} (${variant})`),
  );
  return { policies: policies.length, ...judge(lintPolicies(policies), allowed) };
}

/** Prints the report; returns the number of failures (disallowed findings and unused lines). */
export function printLintReport(report: LintReport & { policies: number }, allowed: AllowedFinding[] = allowedFindings(), log: (line: string) => void = console.log): number {
  const allowedCount = report.findings.length - report.disallowed.length;
  log(`parliament: ${report.policies} IAM policies, ${report.findings.length} finding(s), ${allowedCount} of them allowed with a reason in .parliament.yaml`);
  for (const finding of report.disallowed) log(`  FINDING ${describeFinding(finding)}`);
  for (const entry of report.unused) log(`  UNUSED .parliament.yaml allows "${entry.entry}", which no policy has any more: remove it and its row in docs/security.md`);
  log(`allowed, with reasons in .parliament.yaml: ${allowed.map((entry) => entry.entry).join(", ")}`);
  return report.disallowed.length + report.unused.length;
}
