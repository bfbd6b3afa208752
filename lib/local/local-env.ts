import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/config";
import { shellWord } from "../health/fix-commands";
import { terraformEnv } from "../process/terraform-env";

// Emulator runs keep their state and synth output here, never beside a real bootstrap state file.
export const EMULATOR_DIR = path.join(PROJECT_ROOT, ".emulator");

/**
 * The environment that points the app, terraform and the SDK at an emulator endpoint, with dummy
 * credentials. Real credentials and profiles are unset so that nothing can reach a real account.
 */
export function emulatorEnv(endpoint: string, workDir: string = EMULATOR_DIR): NodeJS.ProcessEnv {
  fs.mkdirSync(workDir, { recursive: true });
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    TFSTATE_BOOTSTRAP_STATE_FILE: path.relative(PROJECT_ROOT, path.join(workDir, "terraform.bootstrap.tfstate")),
    // The AWS provider starts about three times per plan and spends much of each start in Go's
    // garbage collector; GOGC=400 cuts a vpc plan from 10.0 to 7.4 CPU seconds for ~130 MB more.
    GOGC: process.env.GOGC ?? "400",
    ...terraformEnv(workDir),
  };
}

/** Starts the emulator's directory afresh: state there describes resources that died with the last emulator. */
export function freshEmulatorDir(): void {
  fs.rmSync(EMULATOR_DIR, { recursive: true, force: true });
  fs.mkdirSync(EMULATOR_DIR, { recursive: true });
}

/**
 * The one line that points a shell at the emulator for your own cdktf, terraform and npm run commands, as
 * npm run emulator and npm run local -- --keep print it: the endpoint, the dummy credentials, the region,
 * terraform's CLI config (the provider mirror) without a call home, and the bootstrap state file in
 * .emulator/; and the real credentials' variables unset.
 */
export function emulatorExportLine(env: NodeJS.ProcessEnv, region: string): string {
  const entries = Object.entries({ ...env, AWS_REGION: region });
  const set = entries.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${shellWord(value!)}`);
  const unset = entries.filter(([, value]) => value === undefined).map(([name]) => name);
  return `export ${set.join(" ")}${unset.length ? `; unset ${unset.join(" ")}` : ""}`;
}

/** Applies an environment to this process, removing the variables it unsets. */
export function applyEnv(env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
