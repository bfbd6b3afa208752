// npm run switch-lock -- <dynamodb|s3|both>: moves the stacks whose state is in the bucket to another lock mode
// without losing state: brings the DynamoDB digest up to date, then re-inits with -migrate-state.
import { STACKS, TfstateConfig, loadConfig, usesDynamodbLock } from "../config/config";
import { awsClients } from "./aws-clients";
import { cdktfOrThrow } from "./cdktf-cli";
import { parseCliOptions, runMain } from "./cli";
import { syncStateDigest } from "./state-digest";

/** The stacks that keep their state in the bucket, with their keys. */
export function remoteStates(config: TfstateConfig): Array<[string, string]> {
  const states: Array<[string, string]> = [[STACKS.vpc, config.stateKey]];
  if (config.bootstrapBackend === "s3") states.unshift([STACKS.bootstrap, config.bootstrapStateKey]);
  return states;
}

export async function switchLockMode(mode: string, outdir?: string, log: (line: string) => void = console.log) {
  const env = { TFSTATE_LOCK: mode };
  const config = loadConfig({ ...process.env, ...env });
  const clients = awsClients(config);
  for (const [stack, key] of remoteStates(config)) {
    if (usesDynamodbLock(config)) {
      log(`${stack}: digest of s3://${config.stateBucket}/${key}: ${await syncStateDigest(clients, config, key)}`);
    }
    log(`${stack}: cdktf deploy ${stack} --migrate-state (TFSTATE_LOCK=${mode})`);
    await cdktfOrThrow("deploy", stack, ["--migrate-state"], { env, outdir, onOutput: (chunk) => process.stdout.write(chunk) });
  }
  log(`done: keep TFSTATE_LOCK=${mode} (or set "lockMode" in cdktf.json) for every later run`);
}

if (require.main === module) {
  runMain(async () => {
    const { positional, output } = parseCliOptions(process.argv.slice(2));
    if (positional.length !== 1) throw new Error("usage: npm run switch-lock -- <dynamodb|s3|both> [--output DIR]");
    await switchLockMode(positional[0], output);
  });
}
