// The whole seed walk-through on a local AWS API, in one run: what npm run local does.
import * as fs from "fs";
import * as path from "path";
import { ConfigError, SETTINGS, STACKS, loadConfig } from "../../config/config";
import { awsClients } from "../aws/clients";
import { cdktfOrThrow } from "../process/cdktf";
import { doctor, staleAfterMs } from "./doctor";
import { startEmulator, stopOnSignals } from "../local/emulator";
import { describeBucket, describeLockTable, describeVpc, lockTableItems, stateVersions } from "../aws/inspect";
import { EMULATOR_DIR, applyEnv, emulatorEnv, emulatorExportLine, freshEmulatorDir } from "../local/local-env";
import { showLockRefusal } from "../local/lock-demo";

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const step = (n: number, text: string) => console.log(`\n[${n}/7] ${text}`);
const indented = (line: string) => console.log(`      ${line}`);

// cdktf's own spinner and blank lines say nothing a person needs.
const NOISE = /^\s*$|Processing|Stacks? (deploying|done|waiting)|^\s*\[\d+[A-Z]/;
function printProgress(chunk: string) {
  for (const line of chunk.split("\n")) if (!NOISE.test(line)) console.log(`      ${line.trimEnd()}`);
}

async function deploy(stack: string, outdir: string) {
  const since = Date.now();
  console.log(`      cdktf deploy ${stack} --auto-approve --skip-provider-lock`);
  await cdktfOrThrow("deploy", stack, ["--outputs-file", path.join(outdir, "outputs.json")], { outdir, onOutput: printProgress });
  console.log(`      ${stack} deployed in ${elapsed(since)}`);
  return JSON.parse(fs.readFileSync(path.join(outdir, "outputs.json"), "utf8"))[stack];
}

/** Starts moto, deploys bootstrap then vpc on it, prints what they made, and stops moto unless `keep`. */
export async function walkthrough({ keep }: { keep: boolean }): Promise<void> {
  const { environments } = loadConfig();
  if (environments.length) {
    // The walk-through is the tutorial's two stacks; with environments there is no vpc stack to deploy.
    const names = environments.map((environment) => environment.name).join(", ");
    throw new ConfigError(`npm run local walks through the bootstrap and vpc stacks, and ${SETTINGS.environments.env} names environments (${names}): run it with ${SETTINGS.environments.env}='{}'`);
  }
  const started = Date.now();
  step(1, "Python tools (moto) in .venv");
  freshEmulatorDir();
  const emulator = await startEmulator({ logFile: path.join(EMULATOR_DIR, "moto.log") });
  stopOnSignals(emulator);
  step(2, `moto is answering on ${emulator.endpoint} (pid ${emulator.pid})`);

  const env = emulatorEnv(emulator.endpoint);
  applyEnv(env);
  const config = loadConfig();
  const outdir = path.join(EMULATOR_DIR, "cdktf.out");
  try {
    step(3, `deploy ${STACKS.bootstrap}: bucket ${config.stateBucket} and lock table ${config.lockTable}`);
    await deploy(STACKS.bootstrap, outdir);
    step(4, `deploy ${STACKS.vpc}: state goes to s3://${config.stateBucket}/${config.stateKey} (lock: ${config.lockMode})`);
    const vpcOutputs = await deploy(STACKS.vpc, outdir);

    step(5, "what the seeds look at");
    const clients = awsClients(config);
    const bucket = await describeBucket(clients, config.stateBucket);
    const table = await describeLockTable(clients, config.lockTable);
    const versions = await stateVersions(clients, config.stateBucket, config.stateKey);
    const items = await lockTableItems(clients, config.lockTable);
    const vpc = await describeVpc(clients, vpcOutputs.vpc_id);
    const pab = bucket.publicAccessBlock ?? {};
    console.log(`      bucket        s3://${config.stateBucket}`);
    console.log(`        versioning  ${bucket.versioning}`);
    console.log(`        encryption  ${bucket.encryption?.map((e) => e?.SSEAlgorithm).join(", ")}`);
    console.log(`        public access block  ${Object.values(pab).filter(Boolean).length} of 4 flags on`);
    console.log(`        ownership   ${bucket.objectOwnership?.join(", ")} (ACLs disabled)`);
    console.log(`        lifecycle   ${bucket.lifecycleRules?.map((r) => `${r.ID}: noncurrent versions expire after ${r.NoncurrentVersionExpiration?.NoncurrentDays} days`).join("; ")}`);
    console.log(`        policy      ${bucket.policyStatements.map((s) => s.Sid).join(", ") || "none (plain-http emulator: TLS-only statement left out)"}`);
    console.log(`      lock table    ${config.lockTable}`);
    console.log(`        key         ${table.keySchema?.map((k) => `${k.AttributeName} (${k.KeyType})`).join(", ")}, ${table.attributes?.map((a) => `${a.AttributeName}: ${a.AttributeType}`).join(", ")}`);
    console.log(`        billing     ${table.billingMode}, point-in-time recovery ${table.pointInTimeRecovery}, deletion protection ${table.deletionProtection}`);
    console.log(`        items       ${Object.entries(items).map(([id, rest]) => `${id} ${JSON.stringify(rest)}`).join("\n                    ") || "none"}`);
    console.log(`      state object  s3://${config.stateBucket}/${config.stateKey}: ${versions.length} version(s)`);
    console.log(`      vpc           ${vpc.id} ${vpc.cidr} Name=${vpc.name}`);

    const lockDemo = Date.now();
    step(6, "seed 004: a second apply while the first one holds the lock");
    await showLockRefusal(path.join(outdir, "stacks", STACKS.vpc), "aws_vpc.main", indented);
    step(7, "npm run doctor");
    const health = await doctor({ json: false, staleAfterMs: staleAfterMs(undefined) }, indented);
    if (health !== 0) throw new Error(`doctor found the backend unhealthy (exit code ${health})`);
    indented(`the lock refusal and the doctor took ${elapsed(lockDemo)}`);
  } finally {
    if (keep) {
      console.log(`\nmoto keeps running (pid ${emulator.pid}); stop it with: kill ${emulator.pid}`);
      console.log(`to use it: ${emulatorExportLine(env, config.region)}`);
      emulator.detach();
    } else {
      await emulator.stop();
      console.log(`\nmoto stopped (pid ${emulator.pid})`);
    }
  }
  console.log(`done in ${elapsed(started)}`);
}
