import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { runCommand } from "../lib/cli/command";

export interface Measurement {
  /** Median wall time in seconds. */
  readonly seconds: number;
  /** Median peak RSS in MB of the largest node process the command ran; undefined for non-node commands. */
  readonly peakRssMb?: number;
  readonly runs: number;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs a shell command `runs` times and reports its median wall time and peak RSS. */
export function measure(command: string, runs: number, options: { cwd: string; env?: NodeJS.ProcessEnv }): Measurement {
  const seconds: number[] = [];
  const rss: number[] = [];
  const rssFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "measure-")), "rss");
  const preload = `--require ${path.join(__dirname, "peak-rss.js")}`;
  for (let run = 0; run < runs; run++) {
    fs.writeFileSync(rssFile, "");
    const env = { ...process.env, ...options.env };
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} ${preload}`.trim();
    env.PEAK_RSS_FILE = rssFile;
    const start = process.hrtime.bigint();
    const result = spawnSync(command, { shell: true, cwd: options.cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr}`);
    const kilobytes = fs.readFileSync(rssFile, "utf8").split("\n").filter(Boolean).map(Number);
    if (kilobytes.length) rss.push(Math.max(...kilobytes) / 1024);
  }
  fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
  return { seconds: median(seconds), peakRssMb: rss.length ? median(rss) : undefined, runs };
}

const describe = (what: string, m: Measurement) =>
  `${what}: ${m.seconds.toFixed(2)} s, peak RSS ${m.peakRssMb === undefined ? "-" : `${m.peakRssMb.toFixed(0)} MB`} (median of ${m.runs})`;

/** Runs taken in turns, one of each at a time, so that a change in the machine's load falls on both alike. */
function inTurns(commands: readonly string[], runs: number): Measurement[] {
  const taken = commands.map(() => [] as Measurement[]);
  for (let run = 0; run < runs; run++) commands.forEach((command, i) => taken[i].push(measure(command, 1, { cwd: PROJECT_ROOT })));
  return taken.map((each) => {
    const rss = each.flatMap((m) => (m.peakRssMb === undefined ? [] : [m.peakRssMb]));
    return { seconds: median(each.map((m) => m.seconds)), peakRssMb: rss.length ? median(rss) : undefined, runs };
  });
}

/** The command beside node's own start, `node -e 0`, measured the same way: how many times that floor it costs. */
export function measureAgainstFloor(command: string, runs: number): string[] {
  const [floor, measured] = inTurns(["node -e 0", command], runs);
  return [describe("node -e 0", floor), `${describe(command, measured)}: ${(measured.seconds / floor.seconds).toFixed(1)} times node -e 0`];
}

// Run as npm run measure; imported (by bench.ts), it runs nothing.
if (require.main === module) {
  runCommand(
    {
      name: "measure",
      summary: "Measures a shell command's median wall time and peak RSS beside node -e 0, from the project root (RUNS sets the run count, default 5).",
      args: ["<command>"],
      options: {},
    },
    async ({ positionals: [command] }) => {
      for (const line of measureAgainstFloor(command, Number(process.env.RUNS ?? 5))) console.log(line);
    },
  );
}
