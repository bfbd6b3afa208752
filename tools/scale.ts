// The bench's scale table: the app's synth with 1, 10 and 100 environments, measured in turns in one run.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Measurement, measure, median } from "./measure";

export const SCALE_ENVIRONMENTS = [1, 10, 100] as const;
// Targets for the largest count against one environment; the speed-up is against the baseline's one.
const MAX_TIME_GROWTH = 2;
const MAX_MEMORY_GROWTH = 1.5;
const MIN_SPEEDUP = 20;

export interface ScaleRow {
  readonly environments: number;
  readonly stacks: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly runs: number;
}

/** TFSTATE_ENVIRONMENTS with n environments, each VPC in a /16 of its own. */
export const environmentsJson = (n: number) =>
  JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`env${i}`, { vpcCidr: `10.${i}.0.0/16` }])));

/** One synth of the app with n environments, into a fresh output directory. */
function synthOnce(app: string, cwd: string, n: number, env: NodeJS.ProcessEnv): Measurement {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-"));
  try {
    return measure(app, 1, { cwd, env: { ...env, CDKTF_OUTDIR: outdir, TFSTATE_ENVIRONMENTS: environmentsJson(n) } });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Each count's median; the counts take turns, so that a change in the machine's load falls on all of them alike. */
export function measureScale(app: string, cwd: string, runs: number, env: NodeJS.ProcessEnv): ScaleRow[] {
  const samples = SCALE_ENVIRONMENTS.map(() => [] as Measurement[]);
  for (let run = 0; run < runs; run++) {
    SCALE_ENVIRONMENTS.forEach((n, i) => samples[i].push(synthOnce(app, cwd, n, env)));
  }
  return SCALE_ENVIRONMENTS.map((n, i) => ({
    environments: n,
    // bootstrap and one vpc stack per environment
    stacks: n + 1,
    seconds: median(samples[i].map((m) => m.seconds)),
    peakRssMb: median(samples[i].map((m) => m.peakRssMb ?? NaN)),
    runs,
  }));
}

/** The scale table, with the targets for the largest count. */
export function scaleTable(rows: readonly ScaleRow[], baseline: Measurement): string[] {
  const [one] = rows;
  const largest = rows[rows.length - 1];
  const timeGrowth = largest.seconds / one.seconds;
  const memoryGrowth = largest.peakRssMb / one.peakRssMb;
  const speedup = (row: ScaleRow) => baseline.seconds / row.seconds;
  const met = (ok: boolean) => (ok ? "met" : "missed");
  return [
    "| environments | stacks | app synth: wall | x of 1 environment | peak RSS | x of 1 environment | baseline (1 environment) / project | runs |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (row) =>
        `| ${row.environments} | ${row.stacks} | ${row.seconds.toFixed(2)} s | ${(row.seconds / one.seconds).toFixed(2)}x | ${row.peakRssMb.toFixed(0)} MB | ${(
          row.peakRssMb / one.peakRssMb
        ).toFixed(2)}x | ${speedup(row).toFixed(1)}x | ${row.runs} |`,
    ),
    "",
    `Targets for ${largest.environments} environments: wall <= ${MAX_TIME_GROWTH}x of 1 environment: ${met(timeGrowth <= MAX_TIME_GROWTH)} (${timeGrowth.toFixed(2)}x); ` +
      `peak RSS <= ${MAX_MEMORY_GROWTH}x: ${met(memoryGrowth <= MAX_MEMORY_GROWTH)} (${memoryGrowth.toFixed(2)}x); ` +
      `>= ${MIN_SPEEDUP}x faster than the baseline's ${baseline.seconds.toFixed(2)} s: ${met(speedup(largest) >= MIN_SPEEDUP)} (${speedup(largest).toFixed(1)}x).`,
  ];
}
