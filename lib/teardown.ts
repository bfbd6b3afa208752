// Seed 000 Step 6 as one run: destroys the workload stacks, empties the versioned bucket, then destroys bootstrap.
import { STACKS, loadConfig } from "../config/config";
import { workloadStates } from "../stacks/workloads";
import { awsClients } from "./aws-clients";
import { cdktfOrThrow } from "./cdktf-cli";
import { confirmedByTyping } from "./confirm";
import { emptyVersionedBucket } from "./empty-bucket";

const confirmed = (bucket: string, yes: boolean) =>
  confirmedByTyping(bucket, `This destroys the VPC, every state version in s3://${bucket} and the lock table.\nType the bucket name to go on: `, yes);

export async function teardown(options: { yes: boolean; outdir?: string }, log: (line: string) => void = console.log) {
  const config = loadConfig();
  if (!(await confirmed(config.stateBucket, options.yes))) {
    throw new Error("teardown refused: pass --yes, or confirm with the bucket name at the prompt");
  }
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
  log(`emptying s3://${config.stateBucket}: every version and delete marker`);
  log(`deleted ${await emptyVersionedBucket(awsClients(config), config.stateBucket)} object version(s) and delete marker(s)`);
  await run("destroy", STACKS.bootstrap, teardownSettings);
  log("teardown complete");
}
