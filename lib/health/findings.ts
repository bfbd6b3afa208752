// What npm run doctor reports: one finding per check, as a line (✓ / ! / ✗) or as JSON, and the exit code.
import { TfstateConfig } from "../../config/config";
import { formatAge } from "../cli/duration";
import { HeldLock, isStale, lockAgeMs } from "../locks/lock-info";

export type Status = "ok" | "warn" | "fail";

const MARKS: Record<Status, string> = { ok: "✓", warn: "!", fail: "✗" };

/** 0: healthy (warnings allowed); 1: a check failed. A doctor that cannot read exits as lib/cli/errors.ts says. */
export const EXIT = { healthy: 0, failed: 1 } as const;

interface LockFacts {
  readonly mechanism: HeldLock["mechanism"];
  readonly location: string;
  readonly id: string;
  readonly who: string;
  readonly operation: string;
  readonly created: string;
  /** null when Created cannot be read. */
  readonly ageSeconds: number | null;
  readonly stale: boolean;
}

export interface Finding {
  readonly status: Status;
  /** Which check, e.g. "bucket.versioning" or "state.lock". */
  readonly check: string;
  /** What was checked: the bucket, the table or a state object. */
  readonly subject: string;
  readonly message: string;
  /** On every failure: the command that fixes it. */
  readonly fix?: string;
  readonly lock?: LockFacts;
}

export function lockFacts(lock: HeldLock, now: Date, staleAfterMs: number): LockFacts {
  const age = lockAgeMs(lock.info, now);
  return {
    mechanism: lock.mechanism,
    location: lock.location,
    id: lock.info.ID,
    who: lock.info.Who,
    operation: lock.info.Operation,
    created: lock.info.Created,
    ageSeconds: Number.isNaN(age) ? null : Math.floor(age / 1000),
    stale: isStale(lock.info, now, staleAfterMs),
  };
}

export const formatFinding = (finding: Finding): string =>
  `${MARKS[finding.status]} ${finding.subject}: ${finding.message}${finding.fix ? `  fix: ${finding.fix}` : ""}`;

export const exitCode = (findings: readonly Finding[]): number =>
  findings.some((finding) => finding.status === "fail") ? EXIT.failed : EXIT.healthy;

const count = (findings: readonly Finding[], status: Status) => findings.filter((finding) => finding.status === status).length;

export function summaryLine(findings: readonly Finding[]): string {
  const [ok, warn, fail] = [count(findings, "ok"), count(findings, "warn"), count(findings, "fail")];
  return `${fail ? "unhealthy" : "healthy"}: ${ok.toLocaleString("en-US")} passed, ${warn} to look at, ${fail} failed`;
}

const backendSummary = (config: TfstateConfig) => ({
  bucket: config.stateBucket,
  lockTable: config.lockTable,
  region: config.region,
  lockMode: config.lockMode,
  ...(config.endpoint && { endpoint: config.endpoint }),
});

export const reportHeader = (config: TfstateConfig, staleAfterMs: number) =>
  `doctor: s3://${config.stateBucket} and table ${config.lockTable} in ${config.region}, TFSTATE_LOCK=${config.lockMode}, ` +
  `locks stale after ${formatAge(staleAfterMs)}${config.endpoint ? `, endpoint ${config.endpoint}` : ""}`;

/** The --json report: the same findings, with the settings they were checked against and the exit code. */
export function jsonReport(config: TfstateConfig, staleAfterMs: number, findings: readonly Finding[]) {
  return {
    backend: backendSummary(config),
    staleAfterSeconds: staleAfterMs / 1000,
    exitCode: exitCode(findings),
    summary: { ok: count(findings, "ok"), warn: count(findings, "warn"), fail: count(findings, "fail") },
    findings,
  };
}

const thousands = (n: number) => n.toLocaleString("en-US");
const kindOf = (finding: Finding) => finding.check.split(".")[0];
const checkName = (finding: Finding) => finding.check.slice(finding.check.indexOf(".") + 1);

/**
 * The passing checks in a few lines: each bucket's (the state bucket, the replica, the log bucket), the
 * replication's and the table's by name, a line each; the state objects' as counts per check, so that a
 * bucket of 900 state objects still reads in one screen.
 */
export function passedLines(findings: readonly Finding[]): string[] {
  const passed = findings.filter((finding) => finding.status === "ok");
  const kinds = [...new Set(passed.map(kindOf))];
  return kinds.flatMap((kind) => {
    const ofKind = passed.filter((finding) => kindOf(finding) === kind);
    const subjects = [...new Set(ofKind.map((finding) => finding.subject))];
    const checks = (n: number) => `${thousands(n)} check${n === 1 ? "" : "s"} passed`;
    if (kind !== "state") {
      return subjects.map((subject) => {
        const ofSubject = ofKind.filter((finding) => finding.subject === subject);
        return `${MARKS.ok} ${subject}: ${checks(ofSubject.length)} (${ofSubject.map(checkName).join(", ")})`;
      });
    }
    const perCheck = [...new Set(ofKind.map((finding) => finding.check))].map((check) => `${check} ×${thousands(ofKind.filter((finding) => finding.check === check).length)}`);
    return [`${MARKS.ok} ${thousands(subjects.length)} state object${subjects.length === 1 ? "" : "s"}: ${checks(ofKind.length)} (${perCheck.join(", ")})`];
  });
}

/**
 * doctor's report as lines: the header; then every check on a line of its own with `verbose`, or else the
 * passing checks grouped into counts and each problem on a line of its own with its fix; then the summary.
 */
export function reportLines(config: TfstateConfig, staleAfterMs: number, findings: readonly Finding[], options: { verbose: boolean }): string[] {
  const body = options.verbose
    ? findings.map(formatFinding)
    : [...passedLines(findings), ...findings.filter((finding) => finding.status !== "ok").map(formatFinding)];
  const more = !options.verbose && findings.some((finding) => finding.status === "ok") ? " (--verbose lists every check)" : "";
  return [reportHeader(config, staleAfterMs), ...body, `${summaryLine(findings)}${more}`];
}
