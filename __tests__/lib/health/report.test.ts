// doctor's report on a bucket of 900 state objects with 7 problems: the problems, not 1,800 ✓ lines.
import { diagnose } from "../../../lib/health/checks";
import { formatFinding, jsonReport, passedLines, reportLines } from "../../../lib/health/findings";
import { HOUR, NOW, heldLock, readings } from "../../support/backend-readings";
import { configWith } from "../../support/synth";

const config = configWith({ TFSTATE_BUCKET: "acme-state", TFSTATE_LOCK_TABLE: "acme-lock", AWS_REGION: "eu-west-1", TFSTATE_LOCK: "dynamodb" });
const keys = Array.from({ length: 900 }, (_, i) => `teams/team-${String(i).padStart(3, "0")}/terraform.tfstate`);
const md5 = (i: number) => i.toString(16).padStart(32, "0");
const objects = Object.fromEntries(keys.map((key, i) => [key, md5(i)]));
// Two digests that no longer match their object, three stale locks and one held now.
const digests = Object.fromEntries(keys.map((key, i) => [key, i === 10 || i === 20 ? md5(999_999) : md5(i)]));
const locks = [
  heldLock("dynamodb", "acme-state", keys[100], "11111111-0000-0000-0000-000000000001", 3 * HOUR),
  heldLock("dynamodb", "acme-state", keys[200], "11111111-0000-0000-0000-000000000002", 5 * HOUR),
  heldLock("dynamodb", "acme-state", keys[300], "11111111-0000-0000-0000-000000000003", 26 * HOUR),
  heldLock("dynamodb", "acme-state", keys[400], "11111111-0000-0000-0000-000000000004", HOUR / 6),
];
const backend = readings("acme-state", objects, digests, locks);
// And versioning suspended by hand.
const findings = diagnose(config, { ...backend, bucket: { ...backend.bucket, versioning: "Suspended" } }, { now: NOW, staleAfterMs: HOUR });
const problems = findings.filter((finding) => finding.status !== "ok");

test("the backend of this test: 1,811 checks, 8 of them problems, one the deprecation of DynamoDB locking", () => {
  expect(findings).toHaveLength(7 + 3 + 900 * 2 + 1);
  expect(problems.map((finding) => `${finding.status} ${finding.check}`).sort()).toEqual([
    "fail bucket.versioning",
    "fail state.digest",
    "fail state.digest",
    "fail state.lock",
    "fail state.lock",
    "fail state.lock",
    "warn lock.dynamodb-deprecated",
    "warn state.lock",
  ]);
});

describe("doctor's report by default", () => {
  const lines = reportLines(config, HOUR, findings, { verbose: false });

  test("the passing checks grouped into three counted lines, each problem on its own line with its fix, in 13 lines", () => {
    expect(lines).toEqual([
      "doctor: s3://acme-state and table acme-lock in eu-west-1, TFSTATE_LOCK=dynamodb, locks stale after 1 h",
      "✓ bucket s3://acme-state: 6 checks passed (exists, encryption, public-access-block, ownership, tls-only, lifecycle)",
      "✓ table acme-lock: 3 checks passed (key, point-in-time-recovery, deletion-protection)",
      "✓ 900 state objects: 1,794 checks passed (state.digest ×898, state.lock ×896)",
      ...problems.map(formatFinding),
      "unhealthy: 1,803 passed, 2 to look at, 6 failed (--verbose lists every check)",
    ]);
    expect(lines.filter((line) => line.startsWith("✗"))).toHaveLength(6);
    expect(lines.filter((line) => line.startsWith("✗")).every((line) => line.includes("  fix: "))).toBe(true);
  });

  test("a healthy backend: the counts and the summary, no problem lines", () => {
    const healthy = diagnose(config, readings("acme-state", { [keys[0]]: md5(0) }, { [keys[0]]: md5(0) }), { now: NOW, staleAfterMs: HOUR });
    expect(passedLines(healthy)).toEqual([
      "✓ bucket s3://acme-state: 7 checks passed (exists, versioning, encryption, public-access-block, ownership, tls-only, lifecycle)",
      "✓ table acme-lock: 3 checks passed (key, point-in-time-recovery, deletion-protection)",
      "✓ 1 state object: 2 checks passed (state.digest ×1, state.lock ×1)",
    ]);
  });
});

test("--verbose: every check on a line of its own, as before", () => {
  const lines = reportLines(config, HOUR, findings, { verbose: true });
  expect(lines).toHaveLength(1 + findings.length + 1);
  expect(lines.slice(1, -1)).toEqual(findings.map(formatFinding));
  expect(lines[lines.length - 1]).toBe("unhealthy: 1,803 passed, 2 to look at, 6 failed");
});

test("--json: every finding, the passing ones included", () => {
  const report = jsonReport(config, HOUR, findings);
  expect(report.findings).toHaveLength(1811);
  expect(report.summary).toEqual({ ok: 1803, warn: 2, fail: 6 });
});

test("passing checks of one kind on two subjects (say, two buckets): a line for each, never counted together", () => {
  const versioning = (subject: string) => ({ status: "ok" as const, check: "bucket.versioning", subject, message: "versioning is Enabled" });
  expect(passedLines([versioning("bucket s3://a"), versioning("bucket s3://b")])).toEqual([
    "✓ bucket s3://a: 1 check passed (versioning)",
    "✓ bucket s3://b: 1 check passed (versioning)",
  ]);
});
