// npm run check:lockfile: npm ci installs from the project's package-lock.json, and npm install then leaves it as it was.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { runCommand } from "../lib/cli/command";
import { runProcess } from "../lib/process/run-process";

// What npm reads in a fresh clone. .npmrc only if the project ever gets one.
const INSTALL_INPUTS = ["package.json", "package-lock.json", ".npmrc"];
// Neither changes what goes into the lock file; both would call the registry for nothing.
const QUIET = ["--no-audit", "--no-fund"];

type Packages = Record<string, unknown>;

/** The lock file's entries that npm install added, dropped or rewrote, by path. */
function lockChanges(before: string, after: string): string[] {
  const packages = (text: string): Packages => (JSON.parse(text) as { packages?: Packages }).packages ?? {};
  const [old, updated] = [packages(before), packages(after)];
  const changes: string[] = [];
  for (const key of Object.keys(updated)) {
    if (!(key in old)) changes.push(`+ ${key || "(root)"}`);
    else if (JSON.stringify(old[key]) !== JSON.stringify(updated[key])) changes.push(`~ ${key || "(root)"}`);
  }
  for (const key of Object.keys(old)) if (!(key in updated)) changes.push(`- ${key || "(root)"}`);
  return changes;
}

async function npm(args: string[], cwd: string): Promise<void> {
  const result = await runProcess("npm", [...args, ...QUIET], { cwd });
  if (result.code === 0) return;
  // npm gives the reason first; its usage text and the log's path follow.
  const errors = result.output.split("\n").filter((line) => line.startsWith("npm error"));
  const shown = (errors.length ? errors : result.output.split("\n")).slice(0, 25);
  throw new Error(`npm ${args.join(" ")} failed (${result.code}) on a copy of package.json and package-lock.json:\n${shown.join("\n")}`);
}

async function checkLockfile(): Promise<number> {
  const started = process.hrtime.bigint();
  const committed = fs.readFileSync(path.join(PROJECT_ROOT, "package-lock.json"));
  // A copy of what a clone holds, so the project's own node_modules stays as it is.
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-lockfile-"));
  try {
    for (const file of INSTALL_INPUTS) {
      if (fs.existsSync(path.join(PROJECT_ROOT, file))) fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(clone, file));
    }
    // CI's own npm ci installs for real; here npm only resolves, which takes seconds instead of a minute.
    await npm(["ci", "--dry-run"], clone);
    await npm(["install", "--package-lock-only"], clone);
    const after = fs.readFileSync(path.join(clone, "package-lock.json"));
    const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
    if (after.equals(committed)) {
      console.log(`package-lock.json: npm ci installs from it, and npm install leaves it byte for byte (npm ci + npm install: ${seconds} s)`);
      return 0;
    }
    const changes = lockChanges(committed.toString(), after.toString());
    const what = changes.length === 0 ? "only its layout" : `${changes.length} ${changes.length === 1 ? "entry" : "entries"}:`;
    console.error(
      [
        `package-lock.json: npm ci installed from it, but npm install then rewrote ${what}`,
        ...changes.slice(0, 20).map((change) => `  ${change}`),
        ...(changes.length > 20 ? [`  ... and ${changes.length - 20} more`] : []),
        "Run npm install and commit package-lock.json.",
      ].join("\n"),
    );
    return 1;
  } finally {
    // rm -rf takes a second on this 1 GB node_modules; fs.rmSync takes five times as long.
    await runProcess("rm", ["-rf", clone], { cwd: os.tmpdir() });
  }
}

runCommand(
  {
    name: "check:lockfile",
    summary: "Runs npm ci (dry run) on a copy of package.json and package-lock.json, then npm install (lock file only), and fails if the lock file changed.",
    options: {},
  },
  () => checkLockfile(),
);
