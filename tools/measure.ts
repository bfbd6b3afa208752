import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

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
