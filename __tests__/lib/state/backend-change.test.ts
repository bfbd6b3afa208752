import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../../config/config";
import { succeeded } from "../../../lib/process/cdktf";
import { backendChange, explainBackendChange } from "../../../lib/state/backend-change";
import { testTmpDir } from "../../support/temp";

/** A synthesized stack directory: the backend cdk.tf.json names now and, once initialised, the one .terraform/ remembers. */
function stackDir(name: string, now: Record<string, unknown>, initialised?: { type: string; config: Record<string, unknown> }): string {
  const dir = path.join(testTmpDir(), name, "stacks", "vpc");
  fs.mkdirSync(path.join(dir, ".terraform"), { recursive: true });
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify({ terraform: { backend: now } }));
  if (initialised) fs.writeFileSync(path.join(dir, ".terraform", "terraform.tfstate"), JSON.stringify({ version: 3, backend: { ...initialised, hash: 1 } }));
  return dir;
}

const s3 = (bucket: string, extra: Record<string, unknown> = {}) => ({
  bucket,
  key: "terraform/state/terraform.tfstate",
  region: "ap-northeast-2",
  dynamodb_table: "terraform-lock",
  encrypt: true,
  ...extra,
});
// terraform writes every attribute of the backend into .terraform/, unset ones as null.
const remembered = (config: Record<string, unknown>) => ({ type: "s3", config: { use_lockfile: null, workspace_key_prefix: null, profile: null, ...config } });

describe("a stack whose backend a setting changed", () => {
  test("another bucket: from which to which, and what to run", () => {
    const dir = stackDir("bucket", { s3: s3("acme-other-state") }, remembered(s3("acme-state")));
    const change = backendChange(dir)!;
    expect(change.stack).toBe("vpc");
    const where = path.relative(PROJECT_ROOT, dir);
    expect(explainBackendChange(change)).toBe(
      `vpc: its backend changed since ${where} was initialised, from s3://acme-state/terraform/state/terraform.tfstate (DynamoDB table terraform-lock) ` +
        "to s3://acme-other-state/terraform/state/terraform.tfstate (DynamoDB table terraform-lock). " +
        "A setting now names another backend (TFSTATE_BUCKET, TFSTATE_KEY, TFSTATE_BOOTSTRAP_BACKEND, TFSTATE_BOOTSTRAP_STATE_FILE, ...). " +
        "To work on the old one, set those settings back. To move the state to the new one: npx cdktf deploy vpc --migrate-state. " +
        `To use the new one as it is, leaving the old state where it is: rm -rf ${where}/.terraform (as terraform init -reconfigure does), then run this again.`,
    );
  });

  test("another local state file (TFSTATE_BOOTSTRAP_STATE_FILE)", () => {
    const dir = stackDir("file", { local: { path: path.join(PROJECT_ROOT, ".emulator", "terraform.bootstrap.tfstate") } }, { type: "local", config: { path: path.join(PROJECT_ROOT, "terraform.bootstrap.tfstate"), workspace_dir: null } });
    expect(explainBackendChange(backendChange(dir)!)).toContain("from the local file terraform.bootstrap.tfstate to the local file .emulator/terraform.bootstrap.tfstate");
  });

  test("only the lock: switch-lock", () => {
    const dir = stackDir("lock", { s3: s3("acme-state", { dynamodb_table: undefined, use_lockfile: true }) }, remembered(s3("acme-state")));
    expect(explainBackendChange(backendChange(dir)!)).toMatch(/\(S3 lock file\)\. Only the lock changed: npm run switch-lock -- s3 moves the state to it/);
  });

  test("nothing to say when the directory was never initialised, or its backend is as configured", () => {
    expect(backendChange(stackDir("fresh", { s3: s3("acme-state") }))).toBeUndefined();
    expect(backendChange(stackDir("same", { s3: s3("acme-state") }, remembered(s3("acme-state"))))).toBeUndefined();
  });

  test("a failed run in that directory leads with it, not with pages of terraform's output", () => {
    const dir = stackDir("failed", { s3: s3("acme-other-state") }, remembered(s3("acme-state")));
    const output = [...Array.from({ length: 100 }, (_, i) => `vpc  line ${i}`), "vpc  │ Error: Backend configuration changed", "terraform init failed with exit code 1"].join("\n");
    expect(() => succeeded({ code: 1, output }, "cdktf destroy vpc", [dir])).toThrow(
      /^cdktf destroy vpc failed: vpc: its backend changed since .* from s3:\/\/acme-state\/.* to s3:\/\/acme-other-state\/.*\n\(terraform: Error: Backend configuration changed\)$/,
    );
  });
});
