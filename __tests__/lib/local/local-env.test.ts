import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../../config/config";
import { EMULATOR_DIR, emulatorEnv, emulatorExportLine } from "../../../lib/local/local-env";
import { testTmpDir } from "../../support/temp";

/** What a shell has after it runs the line: each variable exported, and those unset. */
function afterExport(line: string): { exported: Record<string, string>; unset: string[] } {
  const [exports, unsets = ""] = line.split("; unset ");
  expect(exports.startsWith("export ")).toBe(true);
  const exported = Object.fromEntries(exports.slice("export ".length).split(" ").map((word) => [word.split("=")[0], word.slice(word.indexOf("=") + 1)]));
  return { exported, unset: unsets.split(" ").filter(Boolean) };
}

describe("the emulator's export line, as npm run emulator and npm run local -- --keep print it", () => {
  let workDir: string;
  let exported: Record<string, string>;
  let unset: string[];
  beforeAll(() => {
    workDir = path.join(testTmpDir(), ".emulator");
    ({ exported, unset } = afterExport(emulatorExportLine(emulatorEnv("http://127.0.0.1:40551", workDir), "ap-northeast-2")));
  });

  test("points the SDK and the backends at the emulator with dummy credentials, in the region, and unsets real credentials", () => {
    expect(exported).toMatchObject({
      AWS_ENDPOINT_URL: "http://127.0.0.1:40551",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "ap-northeast-2",
    });
    expect(unset.sort()).toEqual(["AWS_PROFILE", "AWS_SESSION_TOKEN"]);
  });

  test("runs terraform offline: the provider mirror's CLI config, and no call home", () => {
    expect(exported.CHECKPOINT_DISABLE).toBe("1");
    // setup.ts found the mirror on this machine, as terraformEnv does wherever one exists.
    expect(exported.TF_CLI_CONFIG_FILE).toBe(path.join(workDir, "terraform.rc"));
    expect(fs.readFileSync(exported.TF_CLI_CONFIG_FILE, "utf8")).toContain("filesystem_mirror");
  });

  test("keeps the bootstrap state in the emulator's folder, never at the project root", () => {
    expect(exported.TFSTATE_BOOTSTRAP_STATE_FILE).toBe(path.relative(PROJECT_ROOT, path.join(workDir, "terraform.bootstrap.tfstate")));
    expect(path.relative(PROJECT_ROOT, path.join(PROJECT_ROOT, exported.TFSTATE_BOOTSTRAP_STATE_FILE))).not.toBe("terraform.bootstrap.tfstate");
  });

  test("by default, that folder is .emulator/ at the project root", () => {
    expect(path.relative(PROJECT_ROOT, EMULATOR_DIR)).toBe(".emulator");
  });
});

test("npm run emulator and npm run local -- --keep print the same line", () => {
  const source = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
  expect(source("bin/emulator.ts")).toMatch(/to use it: \$\{emulatorExportLine\(/);
  // local's ending prints the line it is given as it is (local-ending.test.ts).
  expect(source("lib/commands/walkthrough.ts")).toMatch(/exports: emulatorExportLine\(env, config\.region\)/);
});
