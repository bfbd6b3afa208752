// npm run synth: the settings checked here first, so that a bad one is one line, not cdktf's spinner and
// its report of the app's error, printed twice; then cdktf synth as usual.
import { spawn } from "child_process";
import { PROJECT_ROOT, loadConfig } from "../../config/config";
import { CDKTF_BIN } from "../process/cdktf";

/** Validates the config (a ConfigError is the command's one line), then runs cdktf synth in this terminal; returns its exit code. */
export async function synth(): Promise<number> {
  loadConfig();
  // CHECKPOINT_DISABLE: no version lookup at HashiCorp's checkpoint service, which offline is one more error line.
  const child = spawn(CDKTF_BIN, ["synth"], { cwd: PROJECT_ROOT, stdio: "inherit", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code ?? 1));
  });
}
