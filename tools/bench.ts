// npm run bench: synth, test and deploy costs against bench/baseline, the usual cdktf template style.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, appCommand } from "../config/config";
import { runCommand } from "../lib/cli/command";
import { Measurement, measure } from "./measure";
import { measureScale, scaleTable } from "./scale";

const BASELINE_DIR = path.join(PROJECT_ROOT, "bench", "baseline");
const RESULTS_FILE = path.join(PROJECT_ROOT, "bench", "results.json");
// aws_s3_bucket_lifecycle_configuration waits 10 s, then reads the rules every 5 s until 10 reads in a row agree.
const LIFECYCLE_WAIT_SECONDS = 10 + 9 * 5;

const env = { CHECKPOINT_DISABLE: "1" };

interface Row {
  readonly what: string;
  readonly unit: "s" | "MB";
  readonly project: number;
  readonly baseline?: number;
  readonly target?: string;
  readonly met?: boolean;
  readonly runs: number;
}

const ratio = (row: Row) => (row.baseline === undefined ? undefined : row.baseline / row.project);

/** Measures a synth command with a fresh output directory: `<out>` in the command, or CDKTF_OUTDIR. */
function synth(command: string, cwd: string, count: number): Measurement {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-out-"));
  try {
    return measure(command.replace("<out>", outdir), count, { cwd, env: { ...env, CDKTF_OUTDIR: outdir } });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** One `npm run local`: moto, cdktf deploy bootstrap then vpc, read-back, moto stopped. */
function localDeploy(): { bootstrap: number; vpc: number; total: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync("npm run local", {
    shell: true,
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const total = Number(process.hrtime.bigint() - start) / 1e9;
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`npm run local failed (${result.status}):\n${output.slice(-4000)}`);
  const seconds = (stack: string) => {
    const match = output.match(new RegExp(`${stack} deployed in ([\\d.]+) s`));
    if (!match) throw new Error(`npm run local printed no "${stack} deployed in" line:\n${output.slice(-4000)}`);
    return Number(match[1]);
  };
  return { bootstrap: seconds("bootstrap"), vpc: seconds("vpc"), total };
}

async function bench(runs: number, deploy: boolean): Promise<void> {
  const slowRuns = Math.min(runs, 3);
  const app = appCommand();
  const baselineApp = appCommand(BASELINE_DIR);
  const loadAverage = os.loadavg().map((load) => Number(load.toFixed(2)));

  const floor = measure("node -e 0", runs, { cwd: PROJECT_ROOT, env });
  // The baseline type-checks the whole provider on every synth, tens of seconds each: fewer runs.
  const appSynth = { project: synth(app, PROJECT_ROOT, runs), baseline: synth(baselineApp, BASELINE_DIR, slowRuns) };
  const scale = measureScale(app, PROJECT_ROOT, runs, env);
  const cdktfSynth = {
    project: synth("npx cdktf synth -o <out>", PROJECT_ROOT, slowRuns),
    baseline: synth("npx cdktf synth -o <out>", BASELINE_DIR, slowRuns),
  };
  // A failing suite has no meaningful time; say so in the table rather than lose the other figures.
  let unitSuite: Measurement | undefined;
  try {
    unitSuite = measure("npx jest --silent", slowRuns, { cwd: PROJECT_ROOT, env });
  } catch {
    console.error("warning: the unit suite failed, so it has no time in the table");
  }

  const rows: Row[] = [
    { what: "node floor (`node -e 0`)", unit: "s", project: floor.seconds, runs },
    {
      what: "app synth, both stacks: wall",
      unit: "s",
      project: appSynth.project.seconds,
      baseline: appSynth.baseline.seconds,
      target: "<= 0.5 s, >= 20x",
      met: appSynth.project.seconds <= 0.5 && appSynth.baseline.seconds / appSynth.project.seconds >= 20,
      runs: appSynth.project.runs,
    },
    {
      what: "app synth, both stacks: peak RSS",
      unit: "MB",
      project: appSynth.project.peakRssMb ?? NaN,
      baseline: appSynth.baseline.peakRssMb,
      target: "<= 120 MB",
      met: (appSynth.project.peakRssMb ?? Infinity) <= 120,
      runs: appSynth.project.runs,
    },
    {
      what: "`cdktf synth`",
      unit: "s",
      project: cdktfSynth.project.seconds,
      baseline: cdktfSynth.baseline.seconds,
      target: "<= 5 s",
      met: cdktfSynth.project.seconds <= 5,
      runs: slowRuns,
    },
    {
      what: "unit suite (`npx jest`)",
      unit: "s",
      project: unitSuite?.seconds ?? NaN,
      target: "<= 20 s",
      met: (unitSuite?.seconds ?? Infinity) <= 20,
      runs: slowRuns,
    },
  ];

  if (deploy) {
    const deployed = localDeploy();
    const sum = deployed.bootstrap + deployed.vpc;
    rows.push(
      { what: "deploy bootstrap (`npm run local`)", unit: "s", project: deployed.bootstrap, runs: 1 },
      { what: "deploy vpc (`npm run local`)", unit: "s", project: deployed.vpc, runs: 1 },
      { what: "deploy bootstrap + vpc", unit: "s", project: sum, target: "<= 120 s", met: sum <= 120, runs: 1 },
      { what: "deploy bootstrap + vpc, less the lifecycle wait [1]", unit: "s", project: sum - LIFECYCLE_WAIT_SECONDS, runs: 1 },
      { what: "`npm run local`, end to end", unit: "s", project: deployed.total, runs: 1 }
    );
  }

  const value = (n: number | undefined, unit: Row["unit"]) =>
    n === undefined || Number.isNaN(n) ? "-" : unit === "MB" ? `${n.toFixed(0)} MB` : `${n.toFixed(2)} s`;
  const lines = [
    "| what | project | baseline | baseline / project | target | runs |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) => {
      const times = ratio(row);
      const target = row.target ? `${row.target}: ${row.met ? "met" : "missed"}` : "-";
      return `| ${row.what} | ${value(row.project, row.unit)} | ${value(row.baseline, row.unit)} | ${
        times === undefined ? "-" : `${times.toFixed(1)}x`
      } | ${target} | ${row.runs} |`;
    }),
    "",
    `Baseline: \`bench/baseline\`, the same stacks in the \`cdktf init --template=typescript\` style (one barrel import of @cdktf/provider-aws, \`${baselineApp}\`). The unit suite has no baseline: its tests are written against the project's modules.`,
    `Measured on ${os.cpus().length} cores, node ${process.version}, load average ${loadAverage.join(
      " / "
    )} at the start; each figure is the median of its runs, and a busy machine inflates them all.`,
  ];
  if (deploy) {
    lines.push(
      `[1] On moto, as \`npm run local\` runs it. aws_s3_bucket_lifecycle_configuration always waits ${LIFECYCLE_WAIT_SECONDS} s after writing the rules (10 s, then 9 x 5 s until 10 consistent reads), whatever the API's speed; this row takes that fixed wait out.`
    );
  }
  lines.push("", ...scaleTable(scale, appSynth.baseline));
  console.log(lines.join("\n"));

  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cores: os.cpus().length, node: process.version, loadAverage },
    deploy,
    rows: rows.map((row) => ({ ...row, ratio: ratio(row) })),
    scale,
  };
  // Written whole or not at all: an interrupted run leaves the previous results in place.
  fs.writeFileSync(`${RESULTS_FILE}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  fs.renameSync(`${RESULTS_FILE}.tmp`, RESULTS_FILE);
}

runCommand(
  {
    name: "bench",
    summary:
      "Measures synth (with 1, 10 and 100 environments too), the unit suite and deploys on moto against bench/baseline; writes bench/results.json (RUNS sets the run count, default 5).",
    options: { "no-deploy": "skip the deploys on moto" },
  },
  ({ options }) => bench(Number(process.env.RUNS ?? 5), !options["no-deploy"])
);
