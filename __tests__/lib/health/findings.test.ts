import { Finding, exitCode, formatFinding, jsonReport, summaryLine } from "../../../lib/health/findings";
import { configWith } from "../../support/synth";

const passed: Finding = { status: "ok", check: "bucket.versioning", subject: "bucket s3://acme-state", message: "versioning is Enabled" };
const noted: Finding = { status: "warn", check: "bucket.tls-only", subject: "bucket s3://acme-state", message: "TLS-only statement not checked" };
const failed: Finding = {
  status: "fail",
  check: "state.lock",
  subject: "s3://acme-state/network/terraform.tfstate",
  message: "stale dynamodb lock 6040a5e2 by ci@runner-7",
  fix: "npm run unlock -- 6040a5e2",
};

describe("doctor's report", () => {
  test("one line per check, marked ✓, ! or ✗, each failure with the command that fixes it", () => {
    expect([passed, noted, failed].map(formatFinding)).toEqual([
      "✓ bucket s3://acme-state: versioning is Enabled",
      "! bucket s3://acme-state: TLS-only statement not checked",
      "✗ s3://acme-state/network/terraform.tfstate: stale dynamodb lock 6040a5e2 by ci@runner-7  fix: npm run unlock -- 6040a5e2",
    ]);
  });

  test("exit code 0 with passes and warnings, 1 with any failure", () => {
    expect(exitCode([passed, noted])).toBe(0);
    expect(exitCode([passed, noted, failed])).toBe(1);
    expect(summaryLine([passed, noted])).toBe("healthy: 1 passed, 1 to look at, 0 failed");
    expect(summaryLine([passed, noted, failed])).toBe("unhealthy: 1 passed, 1 to look at, 1 failed");
  });

  test("--json holds the same findings, the settings checked against, the counts and the exit code", () => {
    const config = configWith({ TFSTATE_BUCKET: "acme-state", TFSTATE_LOCK_TABLE: "acme-lock", TFSTATE_LOCK: "both", AWS_REGION: "eu-west-1" });
    const report = JSON.parse(JSON.stringify(jsonReport(config, 1_800_000, [passed, noted, failed])));
    expect(report).toEqual({
      backend: { bucket: "acme-state", lockTable: "acme-lock", region: "eu-west-1", lockMode: "both" },
      staleAfterSeconds: 1800,
      exitCode: 1,
      summary: { ok: 1, warn: 1, fail: 1 },
      findings: [passed, noted, failed],
    });
  });
});
