import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, appCommand } from "../config/config";
import { testTmpDir } from "./support/temp";

// The exact command cdktf runs, so the test covers the runner as well as the code.
const app = appCommand();

/**
 * Only what the app needs to start, and the test's own settings: a TFSTATE_*, VPC_* or AWS_* variable in
 * the shell that runs the tests must not change what the app is given. HOME is empty, so no ~/.aws either.
 */
function appEnv(outdir: string, env: Record<string, string>): Record<string, string> {
  const home = fs.mkdtempSync(path.join(testTmpDir(), "home-"));
  return { PATH: process.env.PATH ?? "", HOME: home, CDKTF_OUTDIR: outdir, ...env };
}

function runApp(env: Record<string, string>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-app-"));
  fs.rmdirSync(outdir);
  const result = spawnSync(app, {
    shell: true,
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: appEnv(outdir, env),
  });
  const manifestPath = path.join(outdir, "manifest.json");
  const manifest = fs.existsSync(manifestPath) ? JSON.parse(fs.readFileSync(manifestPath, "utf8")) : undefined;
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ...result, manifest };
}

describe("main.ts wiring", () => {
  test("synthesizes the bootstrap and vpc stacks", () => {
    const { status, manifest } = runApp({});
    expect(status).toBe(0);
    expect(Object.keys(manifest.stacks).sort()).toEqual(["bootstrap", "vpc"]);
  });

  test("with environments, bootstrap and a vpc-<env> stack for each", () => {
    const { status, manifest } = runApp({ TFSTATE_ENVIRONMENTS: '{"dev": {"vpcCidr": "10.1.0.0/16"}, "prod": {"vpcCidr": "10.2.0.0/16"}}' });
    expect(status).toBe(0);
    expect(Object.keys(manifest.stacks).sort()).toEqual(["bootstrap", "vpc-dev", "vpc-prod"]);
  });

  test("two environments on one state key exit non-zero with one line, and write nothing", () => {
    const { status, stderr, manifest } = runApp({
      TFSTATE_ENVIRONMENTS: '{"dev": {"vpcCidr": "10.1.0.0/16"}, "prod": {"vpcCidr": "10.2.0.0/16"}}',
      TFSTATE_ENVIRONMENT_KEY: "shared/{workload}.tfstate",
    });
    expect(status).toBe(1);
    expect(stderr.trimEnd().split("\n")).toEqual([
      'error: Invalid TFSTATE_ENVIRONMENT_KEY "shared/{workload}.tfstate": vpc-prod and vpc-dev would share the state key shared/vpc.tfstate',
    ]);
    expect(manifest).toBeUndefined();
  });

  test("bad input exits non-zero with one line that names the setting, and writes nothing", () => {
    const { status, stderr, manifest } = runApp({ VPC_CIDR: "10.0.0.0/8" });
    expect(status).toBe(1);
    expect(stderr.trimEnd().split("\n")).toEqual([
      'error: Invalid VPC_CIDR "10.0.0.0/8": must have a prefix length from /16 to /28',
    ]);
    expect(manifest).toBeUndefined();
  });

  test("TFSTATE_ADOPT=true looks at the backend before synth; one it cannot reach stops it with one line, and writes nothing", () => {
    // Port 9 (discard) refuses the connection at once.
    const { status, stderr, manifest } = runApp({ TFSTATE_ADOPT: "true", TFSTATE_BUCKET: "seong-remote-backend", TFSTATE_LOCK_TABLE: "terraform-lock", AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
    expect(status).toBe(1);
    expect(stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^error: TFSTATE_ADOPT=true: could not look at bucket seong-remote-backend and table terraform-lock: .*ECONNREFUSED/),
    ]);
    expect(manifest).toBeUndefined();
  });
});
