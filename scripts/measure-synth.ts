// Measures the app synth (both stacks) and the unit suite: npm run measure
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { measure } from "./measure";

const runs = Number(process.env.RUNS ?? 5);
const app: string = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "cdktf.json"), "utf8")).app;
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-synth-"));

const rows = {
  "node floor (node -e 0)": measure("node -e 0", runs, { cwd: PROJECT_ROOT }),
  [`app synth, both stacks (${app})`]: measure(app, runs, { cwd: PROJECT_ROOT, env: { CDKTF_OUTDIR: outdir } }),
  "unit suite (npx jest)": measure("npx jest --silent", Math.min(runs, 3), { cwd: PROJECT_ROOT }),
};
fs.rmSync(outdir, { recursive: true, force: true });

console.log(`| what | median wall (s) | median peak RSS (MB) | runs |\n| --- | --- | --- | --- |`);
for (const [what, m] of Object.entries(rows)) {
  console.log(`| ${what} | ${m.seconds.toFixed(2)} | ${m.peakRssMb?.toFixed(0) ?? "-"} | ${m.runs} |`);
}
