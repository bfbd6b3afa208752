// npm run test:node-versions: the app's synth and cdktf synth on every supported node, and the same
// cdk.tf.json bytes from all of them. What a node major can change for this project is how the app and
// cdktf's CLI (with its native terminal module) run, which the synths exercise; the unit suite runs the same
// code through the same transpiler, so npm test runs it once, on this machine's node.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../config/config";
import { appSynth, cdktfSynth } from "../lib/process/cdktf";
import { runCommand } from "../lib/cli/command";
import { ProcessResult, runProcess } from "../lib/process/run-process";
import { terraformEnv } from "../lib/process/terraform-env";
import { ensureCdktfPty } from "./cdktf-pty";
import { NODE_RELEASES, NodeBinary, currentNode, majorOf, nodeEnv, registryNode } from "./node-binaries";
import { outputDifferences, stackJson } from "./synth-output";

const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

interface Step {
  readonly name: string;
  readonly seconds: number;
}

interface NodeRun {
  readonly node: NodeBinary;
  readonly steps: Step[];
  /** Synth output directories, by what wrote them. */
  readonly outdirs: Record<string, string>;
}

async function step(steps: Step[], name: string, run: () => Promise<ProcessResult>) {
  const start = process.hrtime.bigint();
  const result = await run();
  if (result.code !== 0) throw new Error(`${name} failed (${result.code}):\n${result.output.slice(-4000)}`);
  steps.push({ name, seconds: secondsSince(start) });
}

/** This node for its own major, if supported; a registry release for every other supported major. */
async function nodesToCheck(): Promise<NodeBinary[]> {
  const current = currentNode();
  const nodes: NodeBinary[] = [];
  for (const release of NODE_RELEASES) {
    if (majorOf(release) === majorOf(current.version)) {
      nodes.push(current);
      continue;
    }
    const node = await registryNode(release);
    if (node.version !== release) console.log(`node ${release}: the registry has no build of it for this platform; checking ${node.version} instead`);
    nodes.push(node);
  }
  return nodes;
}

async function checkOn(node: NodeBinary, outdir: string): Promise<NodeRun> {
  // Each child finds this node first on PATH: cdktf's CLI and the app it starts alike.
  const env = { ...terraformEnv(outdir), ...nodeEnv(node), CHECKPOINT_DISABLE: "1" };
  const probe = (await runProcess("node", ["--version"], { cwd: PROJECT_ROOT, env })).output.trim();
  if (probe !== `v${node.version}`) throw new Error(`node on PATH is ${probe}, not v${node.version}`);

  const steps: Step[] = [];
  const outdirs = { "app synth": path.join(outdir, "app"), "cdktf synth": path.join(outdir, "cdktf") };
  await step(steps, "app synth", () => appSynth({ env, outdir: outdirs["app synth"] }));
  await step(steps, "cdktf synth", () => cdktfSynth({ env, outdir: outdirs["cdktf synth"] }));
  return { node, steps, outdirs };
}

/** Every synth's stacks against the first one's, byte for byte; one line per difference. */
function compareSynths(runs: NodeRun[]): { stacks: string[]; synths: number; differences: string[] } {
  const synths = runs.flatMap((run) =>
    Object.entries(run.outdirs).map(([what, outdir]) => ({ label: `${what} on node ${run.node.version}`, json: stackJson(outdir) })),
  );
  const [reference, ...others] = synths;
  if (reference.json.size === 0) return { stacks: [], synths: synths.length, differences: [`${reference.label} wrote no stacks`] };
  const differences = others.flatMap((other) =>
    outputDifferences(reference.json, other.json).map((difference) => `${other.label}, against ${reference.label}: ${difference}`),
  );
  return { stacks: [...reference.json.keys()], synths: synths.length, differences };
}

async function checkNodeVersions(): Promise<number> {
  const started = process.hrtime.bigint();
  const nodes = await nodesToCheck();
  for (const node of nodes) {
    if ((await ensureCdktfPty(node)) === "compiled") console.log(`node ${node.version}: compiled cdktf's terminal module for it, as npm ci on it does`);
  }

  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tfstate-backend-node-versions-"));
  try {
    const runs: NodeRun[] = [];
    // One after another: side by side they took as long on two cores, and each step's time meant less.
    for (const node of nodes) {
      const outdir = path.join(root, node.version);
      fs.mkdirSync(outdir);
      try {
        const run = await checkOn(node, outdir);
        runs.push(run);
        console.log(`node ${node.version}: ${run.steps.map((s) => `${s.name} ${s.seconds.toFixed(1)} s`).join(", ")}`);
      } catch (error) {
        console.error(`node ${node.version}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (runs.length < nodes.length) return 1;

    const { stacks, synths, differences } = compareSynths(runs);
    if (differences.length) {
      console.error(["The synthesized JSON is not the same on every node:", ...differences.map((line) => `  ${line}`)].join("\n"));
      return 1;
    }
    console.log(
      `${stacks.map((stack) => `stacks/${stack}/cdk.tf.json`).join(" and ")}: byte-identical in all ${synths} synths ` +
        `(${secondsSince(started).toFixed(1)} s in all)`,
    );
    return 0;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

runCommand(
  {
    name: "test:node-versions",
    summary: `Runs the app's synth and cdktf synth on node ${NODE_RELEASES.map(majorOf).join(", ")}, and fails unless all pass and every synth writes the same cdk.tf.json bytes.`,
    options: {},
  },
  () => checkNodeVersions(),
);
