// Seed 000 Step 6 as one run: destroys the workload stacks, empties the versioned bucket, then destroys bootstrap.
// It deletes state that is not this project's only when told to, after showing it.
import * as fs from "fs";
import * as path from "path";
import { Environment, PROJECT_ROOT, STACKS, TfstateConfig, loadConfig } from "../../config/config";
import { workloadStates } from "../../config/workloads";
import { AwsClients, awsClients } from "../aws/clients";
import { bucketExists } from "../aws/inspect";
import { parseState } from "../state/terraform-state";
import { listObjectVersions } from "../aws/bucket-versions";
import { cdktfOrThrow } from "../process/cdktf";
import { confirmByTyping } from "../cli/confirm";
import { Refusal } from "../cli/errors";
import { emptyVersionedBucket } from "../aws/empty-bucket";
import { teardownEnding } from "./teardown-ending";
import { ForeignState, describeForeignState, findForeignState, hasForeignState } from "../state/foreign-state";

/**
 * Why there is nothing left to tear down, or undefined while something is: the bucket, or a resource in the
 * bootstrap stack's local state (teardown brings that state home before it destroys bootstrap). With the
 * bucket gone, every state that was in it is gone too.
 */
export async function nothingLeft(config: TfstateConfig, clients: AwsClients): Promise<string | undefined> {
  if (await bucketExists(clients, config.stateBucket)) return undefined;
  const file = config.bootstrapStatePath;
  const where = path.relative(PROJECT_ROOT, file);
  if (!fs.existsSync(file)) return `bucket s3://${config.stateBucket} does not exist, and there is no ${where}`;
  const managed = parseState(fs.readFileSync(file, "utf8")).addresses.filter((address) => !address.startsWith("data."));
  if (managed.length) return undefined;
  return `bucket s3://${config.stateBucket} does not exist, and ${where} holds no resources`;
}

export async function teardown(
  options: { yes: boolean; includeForeignState: boolean; outdir?: string },
  log: (line: string) => void = console.log,
  env: Environment = process.env,
  connect: (config: TfstateConfig) => AwsClients = awsClients,
) {
  const config = loadConfig(env);
  const clients = connect(config);
  // A second teardown after a complete one: say so, rather than let terraform fail on a bucket that is gone.
  const nothing = await nothingLeft(config, clients);
  if (nothing) {
    log(`nothing left to tear down: ${nothing}`);
    return;
  }
  const foreign = await findForeignState(clients, config);
  if (hasForeignState(foreign)) {
    describeForeignState(config, foreign).forEach((line) => log(line));
    if (!options.includeForeignState) {
      throw new Refusal(
        "the state above is not this project's stacks' and would be deleted with the bucket and the table; " +
          "move it elsewhere, or pass --include-foreign-state to delete it too",
      );
    }
  }
  const question =
    `This destroys the VPC, every state version in s3://${config.stateBucket} and the lock table` +
    `${hasForeignState(foreign) ? ", with the state listed above that is not this project's" : ""}.\nType the bucket name to go on: `;
  await confirmByTyping({ expected: config.stateBucket, question, yes: options.yes, action: "tear it all down", untouched: "nothing was destroyed" });
  const run = (command: "deploy" | "destroy", stack: string | string[], env: NodeJS.ProcessEnv, flags: string[] = []) => {
    log(`cdktf ${command} ${[stack].flat().join(" ")} ${flags.join(" ")} ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")}`.trimEnd());
    return cdktfOrThrow(command, stack, flags, { env, outdir: options.outdir, onOutput: (chunk) => process.stdout.write(chunk) });
  };

  // Every workload stack, each environment's too, before the bucket that holds their state.
  await run("destroy", workloadStates(config).map(([stack]) => stack), {});
  // One deploy does two things before the bucket is emptied: brings the bootstrap state home if it
  // lives in the bucket, and switches deletion protection off (an attribute, so only an apply can).
  const teardownSettings = { TFSTATE_BOOTSTRAP_BACKEND: "local", TFSTATE_ALLOW_DESTROY: "true" };
  await run("deploy", STACKS.bootstrap, teardownSettings, config.bootstrapBackend === "s3" ? ["--migrate-state"] : []);
  refuseNewForeignState(foreign, await findForeignState(clients, config));
  const { versions, deleteMarkers } = await listObjectVersions(clients, config.stateBucket);
  log(`about to delete ${versions.length} object version(s) and ${deleteMarkers.length} delete marker(s) from s3://${config.stateBucket}`);
  const deleted = await emptyVersionedBucket(clients, config.stateBucket);
  log(`deleted ${deleted} object version(s) and delete marker(s)`);
  await run("destroy", STACKS.bootstrap, teardownSettings);
  log("teardown complete");
  const workloadStacks = workloadStates(config).map(([stack]) => stack);
  for (const line of teardownEnding(config, { workloadStacks, deletedVersions: deleted, foreignStateDeleted: hasForeignState(foreign), outdir: options.outdir })) log(line);
}

/** Only the foreign state that was shown may go: a team that wrote state or took a lock since must not lose it. */
function refuseNewForeignState(shown: ForeignState, now: ForeignState): void {
  if (JSON.stringify(now) !== JSON.stringify(shown)) {
    throw new Refusal("teardown stopped before emptying the bucket: state that is not this project's changed while the stacks were destroyed; run it again to see it");
  }
}
