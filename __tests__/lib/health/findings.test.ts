import { stateFindings } from "../../../lib/health/checks";
import { Finding, exitCode, formatFinding, jsonReport, summaryLine } from "../../../lib/health/findings";
import { HOUR, NOW, heldLock, readings } from "../../support/backend-readings";
import { configWith } from "../../support/synth";

const KEY = "network/terraform.tfstate";
const MD5 = "0cc175b9c0f1b6a831c399e269772661";

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

  test("--json: the findings as the checks made them, each lock's facts read from the lock, the settings, the counts and the exit code", () => {
    const config = configWith({ TFSTATE_BUCKET: "acme-state", TFSTATE_LOCK_TABLE: "acme-lock", TFSTATE_LOCK: "both", AWS_REGION: "eu-west-1", TFSTATE_KEY: KEY });
    // An apply's lock left behind two hours ago, on a state whose digest still matches.
    const lock = heldLock("dynamodb", "acme-state", KEY, "6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3", 2 * HOUR);
    const findings = stateFindings(config, readings("acme-state", { [KEY]: MD5 }, { [KEY]: MD5 }, [lock]), { now: NOW, staleAfterMs: HOUR / 2 });
    const report = JSON.parse(JSON.stringify(jsonReport(config, HOUR / 2, findings)));
    expect(report).toEqual({
      backend: { bucket: "acme-state", lockTable: "acme-lock", region: "eu-west-1", lockMode: "both" },
      staleAfterSeconds: 1800,
      exitCode: 1,
      summary: { ok: 1, warn: 0, fail: 1 },
      findings: [
        { status: "ok", check: "state.digest", subject: `s3://acme-state/${KEY}`, message: `digest item matches the object (MD5 ${MD5})` },
        {
          status: "fail",
          check: "state.lock",
          subject: `s3://acme-state/${KEY}`,
          message: "stale dynamodb lock 6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3 by ci@runner-7, OperationTypeApply, created 2026-11-30T10:00:00.000123456Z (2 h old): older than 30 min",
          fix: "npm run unlock -- 6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3",
          lock: {
            mechanism: "dynamodb",
            location: `acme-state/${KEY}`,
            id: "6040a5e2-e4c6-bdc6-642c-4dc7d8c628e3",
            who: "ci@runner-7",
            operation: "OperationTypeApply",
            created: "2026-11-30T10:00:00.000123456Z",
            ageSeconds: 7200,
            stale: true,
          },
        },
      ],
    });
  });
});
