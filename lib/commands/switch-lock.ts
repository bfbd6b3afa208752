// Moves the stacks whose state is in the bucket to another lock mode without losing state and without
// touching infrastructure: brings the DynamoDB digest up to date, synthesizes (the app alone, as cdktf
// synth runs it), then re-inits each stack's backend with -migrate-state. Nothing is planned or applied,
// so a pending change stays pending.
import * as path from "path";
import { PROJECT_ROOT, SYNTH_OUTPUT_DIR, loadConfig, usesDynamodbLock } from "../../config/config";
import { awsClients } from "../aws/clients";
import { Refusal } from "../cli/errors";
import { appSynth, succeeded } from "../process/cdktf";
import { runProcess } from "../process/run-process";
import { remoteStates } from "../state/stack-states";
import { isLocked, syncStateDigest } from "../locks/state-digest";

export async function switchLockMode(mode: string, outdir = SYNTH_OUTPUT_DIR, log: (line: string) => void = console.log) {
  const env = { TFSTATE_LOCK: mode };
  const config = loadConfig({ ...process.env, ...env });
  const clients = awsClients(config);
  const states = remoteStates(config);
  // Checked for every stack before any is touched: a running terraform holds one of the two locks.
  for (const [stack, key] of states) {
    if (await isLocked(clients, config, key)) {
      throw new Refusal(`${stack}: s3://${config.stateBucket}/${key} is locked; let the running terraform finish first (npm run locks shows it)`);
    }
  }
  const print = (chunk: string) => process.stdout.write(chunk);
  succeeded(await appSynth({ env, outdir: path.resolve(PROJECT_ROOT, outdir), onOutput: print }), "synth");
  for (const [stack, key] of states) {
    if (usesDynamodbLock(config)) {
      log(`${stack}: digest of s3://${config.stateBucket}/${key}: ${await syncStateDigest(clients, config, key)}`);
    }
    log(`${stack}: terraform init -migrate-state -force-copy (TFSTATE_LOCK=${mode}); nothing is planned or applied`);
    const stackDir = path.resolve(PROJECT_ROOT, outdir, "stacks", stack);
    const init = ["init", "-migrate-state", "-force-copy", "-input=false", "-no-color"];
    succeeded(await runProcess("terraform", init, { cwd: stackDir, env, onOutput: print }), `terraform init in ${stackDir}`, [stackDir]);
  }
  log(`done: keep TFSTATE_LOCK=${mode} (or set "lockMode" in cdktf.json) for every later run`);
}
