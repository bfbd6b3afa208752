// The whole seed walk-through on a local AWS API, in one run: what npm run local does.
import * as fs from "fs";
import * as path from "path";
import { ConfigError, PROJECT_ROOT, SETTINGS, STACKS, loadConfig } from "../../config/config";
import { awsClients } from "../aws/clients";
import { cdktfOrThrow } from "../process/cdktf";
import { doctor, staleAfterMs } from "./doctor";
import { startEmulator, stopOnSignals } from "../local/emulator";
import { describeBucket, describeLockTable, describeVpc, lockTableItems, stateVersions } from "../aws/inspect";
import { EMULATOR_DIR, applyEnv, emulatorEnv, emulatorExportLine, freshEmulatorDir } from "../local/local-env";
import { showLockRefusal } from "../local/lock-demo";
import { LocalFacts, localEnding } from "../local/local-ending";
import { StepOutput, Steps, seconds } from "../local/steps";

const LOG_FILE = path.join(EMULATOR_DIR, "local.log");

// Why a step takes long, said before it starts.
const WAITS = {
  moto: "starting moto (the first run installs it into .venv/, a minute or two)",
  bootstrap:
    "bootstrap takes a minute or more: after writing the bucket's lifecycle rules, the AWS provider waits 55 s until they read back the same ten times, on moto as on AWS",
  vpc: "vpc takes about a minute: cdktf starts, then terraform initialises the S3 backend and starts the AWS provider to plan and again to apply",
  lockDemo: "seed 004 takes about half a minute: the first apply plans before it waits at its prompt, holding the lock",
};

async function deploy(stack: string, outdir: string, output: StepOutput) {
  output.line(`cdktf deploy ${stack} --auto-approve --skip-provider-lock`);
  await cdktfOrThrow("deploy", stack, ["--outputs-file", path.join(outdir, "outputs.json")], { outdir, onOutput: output });
  return JSON.parse(fs.readFileSync(path.join(outdir, "outputs.json"), "utf8"))[stack];
}

/** What .emulator/ holds, as names; directories end in /. */
const emulatorFiles = () =>
  fs.readdirSync(EMULATOR_DIR, { withFileTypes: true }).map((entry) => `${entry.name}${entry.isDirectory() ? "/" : ""}`).sort();

/** The refusal's lock ID and holder, from the lines showLockRefusal logged. */
function refusalSummary(lines: readonly string[]): string {
  const field = (name: string) => lines.map((line) => new RegExp(`^\\s*${name}:\\s*(.+)$`).exec(line)?.[1]).find(Boolean);
  return `seed 004: a second apply was refused with "Error acquiring the state lock" (lock ${field("ID")}, held by ${field("Who")}), and the first let go`;
}

/**
 * Starts moto, deploys bootstrap then vpc on it, shows seed 004's lock refusal and runs doctor, a line per
 * step (everything the programs print goes to .emulator/local.log, or with `verbose` to the screen too),
 * then says what exists, what is left and what to run next. Stops moto unless `keep`.
 */
export async function walkthrough({ keep, verbose = false }: { keep: boolean; verbose?: boolean }): Promise<void> {
  const { environments } = loadConfig();
  if (environments.length) {
    // The walk-through is the tutorial's two stacks; with environments there is no vpc stack to deploy.
    const names = environments.map((environment) => environment.name).join(", ");
    throw new ConfigError(`npm run local walks through the bootstrap and vpc stacks, and ${SETTINGS.environments.env} names environments (${names}): run it with ${SETTINGS.environments.env}='{}'`);
  }
  const started = Date.now();
  freshEmulatorDir();
  const steps = new Steps({ logFile: LOG_FILE, verbose });
  steps.say(`npm run local: bootstrap, then vpc, on moto at 127.0.0.1, no AWS account; every step's full output goes to ${path.relative(PROJECT_ROOT, LOG_FILE)}${verbose ? "" : " (--verbose shows it here)"}`);
  const emulator = await steps.run("start moto", () => startEmulator({ logFile: path.join(EMULATOR_DIR, "moto.log") }), {
    wait: fs.existsSync(path.join(PROJECT_ROOT, ".venv")) ? undefined : WAITS.moto,
    done: (moto) => `moto answering on ${moto.endpoint} (pid ${moto.pid})`,
  });
  stopOnSignals(emulator);

  const env = emulatorEnv(emulator.endpoint);
  applyEnv(env);
  const config = loadConfig();
  const outdir = path.join(EMULATOR_DIR, "cdktf.out");
  let facts: Omit<LocalFacts, "emulator" | "emulatorFiles"> | undefined;
  let completed = false;
  try {
    await steps.run(`deploy ${STACKS.bootstrap}`, (output) => deploy(STACKS.bootstrap, outdir, output), {
      wait: WAITS.bootstrap,
      done: () => `${STACKS.bootstrap} deployed: bucket ${config.stateBucket}, lock table ${config.lockTable}`,
    });
    const vpcOutputs = await steps.run(`deploy ${STACKS.vpc}`, (output) => deploy(STACKS.vpc, outdir, output), {
      wait: WAITS.vpc,
      done: (outputs) => `${STACKS.vpc} deployed: ${outputs.vpc_id}, its state in s3://${config.stateBucket}/${config.stateKey} (lock: ${config.lockMode})`,
    });

    facts = await steps.run("read back what they made", async () => {
      const clients = awsClients(config);
      const [bucketSettings, tableSettings, versions, items, vpc] = await Promise.all([
        describeBucket(clients, config.stateBucket),
        describeLockTable(clients, config.lockTable),
        stateVersions(clients, config.stateBucket, config.stateKey),
        lockTableItems(clients, config.lockTable),
        describeVpc(clients, vpcOutputs.vpc_id),
      ]);
      return {
        bucket: config.stateBucket,
        bucketSettings,
        table: config.lockTable,
        tableSettings,
        tableItems: Object.keys(items),
        stateKey: config.stateKey,
        stateVersions: versions.length,
        bootstrapStateFile: config.bootstrapStatePath,
        vpc,
        exports: emulatorExportLine(env, config.region),
        emulatorDir: EMULATOR_DIR,
        logFile: LOG_FILE,
      };
    }, { done: () => "read back the bucket, the table, the state object and the vpc" });

    await steps.run("seed 004: a second apply while the first one holds the lock", async (output) => {
      const lines: string[] = [];
      await showLockRefusal(path.join(outdir, "stacks", STACKS.vpc), "aws_vpc.main", (line) => {
        lines.push(line);
        output.line(line);
      });
      return lines;
    }, { wait: WAITS.lockDemo, done: refusalSummary });

    await steps.run("npm run doctor", async (output) => {
      const lines: string[] = [];
      const print = (line: string) => {
        lines.push(line);
        output.line(line);
      };
      const health = await doctor({ json: false, staleAfterMs: staleAfterMs(undefined) }, print, print);
      if (health !== 0) throw new Error(`doctor found the backend unhealthy (exit code ${health})`);
      return lines[lines.length - 1].replace(/ \(--verbose.*\)$/, "");
    }, { done: (summary) => `npm run doctor: ${summary}` });
    completed = true;
  } finally {
    if (keep) emulator.detach();
    else await emulator.stop();
    if (!completed) steps.say(keep ? `moto keeps running (pid ${emulator.pid}, ${emulator.endpoint}); stop it with: kill ${emulator.pid}` : `moto stopped (pid ${emulator.pid})`);
  }
  for (const line of localEnding({ ...facts!, emulator: { endpoint: emulator.endpoint, pid: emulator.pid, kept: keep }, emulatorFiles: emulatorFiles() })) steps.say(line);
  steps.say(`done in ${seconds(Date.now() - started)}`);
}
