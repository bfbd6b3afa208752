// Seed 000 Step 6 as one run: destroys the workload stacks, empties the versioned bucket (and the replica and the
// log bucket, with their options), then destroys bootstrap.
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
import {
  ForeignState,
  describeForeignState,
  describeReplicaForeignState,
  findForeignState,
  findReplicaForeignState,
  hasForeignState,
} from "../state/foreign-state";
import { unlessMissing } from "../aws/not-found";

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

/** How long teardown waits before emptying a bucket again that S3 was still writing into, and how often it tries. */
const LATE_WRITES = { pauseMs: 30_000, destroyAttempts: 3 } as const;

/** What teardown reaches AWS and terraform through; tests give their own. */
export interface TeardownDeps {
  /** SDK clients for a config's region and endpoint. */
  readonly connect: (config: TfstateConfig) => AwsClients;
  readonly cdktf: typeof cdktfOrThrow;
  readonly pause: (ms: number) => Promise<void>;
}

const DEFAULT_DEPS: TeardownDeps = { connect: awsClients, cdktf: cdktfOrThrow, pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * A bucket besides the state bucket that bootstrap made and S3 itself writes into: the replica (replication
 * copies the state into it) and the log bucket (log delivery writes the state bucket's access logs into it).
 */
interface CopyBucket {
  readonly name: string;
  /** As teardown says it: "replica s3://<bucket> in <region>". */
  readonly what: string;
  readonly clients: AwsClients;
  /** What it holds, for the line that counts it. */
  readonly holds: string;
}

function copyBuckets(config: TfstateConfig, clients: AwsClients, replicaClients: AwsClients | undefined): CopyBucket[] {
  return [
    ...(config.replica
      ? [
          {
            name: config.replica.bucket,
            what: `replica s3://${config.replica.bucket} in ${config.replica.region}`,
            clients: replicaClients!,
            holds: `copies of the state in s3://${config.stateBucket}, and while ${config.region} is out, state written there alone`,
          },
        ]
      : []),
    ...(config.accessLogs
      ? [{ name: config.accessLogs.bucket, what: `log bucket s3://${config.accessLogs.bucket}`, clients, holds: "the state bucket's server access logs, and no state" }]
      : []),
  ];
}

const NO_FOREIGN_STATE: ForeignState = { objects: [], lockItems: [] };

/** Empties a bucket S3 writes into, if it exists; how many versions and delete markers went. */
async function emptyCopyBucket(copy: CopyBucket, log: (line: string) => void): Promise<number> {
  const deleted = await unlessMissing(emptyVersionedBucket(copy.clients, copy.name), "NoSuchBucket");
  log(deleted === undefined ? `the ${copy.what} does not exist: nothing to empty` : `deleted ${deleted} object version(s) and delete marker(s) from the ${copy.what}`);
  return deleted ?? 0;
}

export async function teardown(
  options: { yes: boolean; includeForeignState: boolean; outdir?: string },
  log: (line: string) => void = console.log,
  env: Environment = process.env,
  deps: Partial<TeardownDeps> = {},
) {
  const { connect, cdktf, pause } = { ...DEFAULT_DEPS, ...deps };
  const config = loadConfig(env);
  const clients = connect(config);
  // A second teardown after a complete one: say so, rather than let terraform fail on a bucket that is gone.
  const nothing = await nothingLeft(config, clients);
  if (nothing) {
    log(`nothing left to tear down: ${nothing}`);
    return;
  }
  const replicaClients = config.replica && connect({ ...config, region: config.replica.region });
  const copies = copyBuckets(config, clients, replicaClients);
  const findReplicaForeign = () => (replicaClients ? findReplicaForeignState(replicaClients, config) : Promise.resolve(NO_FOREIGN_STATE));
  const [foreign, replicaForeign] = await Promise.all([findForeignState(clients, config), findReplicaForeign()]);
  for (const copy of copies) {
    const listed = await unlessMissing(listObjectVersions(copy.clients, copy.name), "NoSuchBucket");
    log(
      listed
        ? `the ${copy.what} holds ${listed.versions.length} object version(s) and ${listed.deleteMarkers.length} delete marker(s): ${copy.holds}`
        : `the ${copy.what} does not exist`,
    );
  }
  if (hasForeignState(foreign)) describeForeignState(config, foreign).forEach((line) => log(line));
  if (hasForeignState(replicaForeign)) describeReplicaForeignState(config, replicaForeign).forEach((line) => log(line));
  const anyForeign = hasForeignState(foreign) || hasForeignState(replicaForeign);
  if (anyForeign && !options.includeForeignState) {
    throw new Refusal(
      `the state above is not this project's stacks' and would be deleted with the bucket${config.replica ? ", its replica" : ""} and the table; ` +
        "move it elsewhere, or pass --include-foreign-state to delete it too",
    );
  }
  const alsoDestroyed = copies.map((copy) => `, the ${copy.what} with everything in it`).join("");
  const question =
    `This destroys the VPC, every state version in s3://${config.stateBucket}${alsoDestroyed} and the lock table` +
    `${anyForeign ? ", with the state listed above that is not this project's" : ""}.\nType the bucket name to go on: `;
  await confirmByTyping({ expected: config.stateBucket, question, yes: options.yes, action: "tear it all down", untouched: "nothing was destroyed" });
  const run = (command: "deploy" | "destroy", stack: string | string[], env: NodeJS.ProcessEnv, flags: string[] = []) => {
    log(`cdktf ${command} ${[stack].flat().join(" ")} ${flags.join(" ")} ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")}`.trimEnd());
    return cdktf(command, stack, flags, { env, outdir: options.outdir, onOutput: (chunk) => process.stdout.write(chunk) });
  };

  // Every workload stack, each environment's too, before the bucket that holds their state.
  await run("destroy", workloadStates(config).map(([stack]) => stack), {});
  // One deploy does two things before the bucket is emptied: brings the bootstrap state home if it
  // lives in the bucket, and switches deletion protection off (an attribute, so only an apply can).
  const teardownSettings = { TFSTATE_BOOTSTRAP_BACKEND: "local", TFSTATE_ALLOW_DESTROY: "true" };
  await run("deploy", STACKS.bootstrap, teardownSettings, config.bootstrapBackend === "s3" ? ["--migrate-state"] : []);
  refuseNewForeignState(foreign, await findForeignState(clients, config));
  refuseNewForeignState(replicaForeign, await findReplicaForeign());
  const { versions, deleteMarkers } = await listObjectVersions(clients, config.stateBucket);
  log(`about to delete ${versions.length} object version(s) and ${deleteMarkers.length} delete marker(s) from s3://${config.stateBucket}`);
  const deleted = await emptyVersionedBucket(clients, config.stateBucket);
  log(`deleted ${deleted} object version(s) and delete marker(s)`);
  // Then the replica: a delete by version ID is not replicated, so emptying the state bucket first sent it nothing.
  // The log bucket last: the requests that emptied the others are logged into it.
  const copiesDeleted: Record<string, number> = {};
  for (const copy of copies) copiesDeleted[copy.name] = await emptyCopyBucket(copy, log);
  await destroyBootstrap(() => run("destroy", STACKS.bootstrap, teardownSettings), copies, copiesDeleted, { log, pause });
  log("teardown complete");
  const workloadStacks = workloadStates(config).map(([stack]) => stack);
  const ending = teardownEnding(config, {
    workloadStacks,
    deletedVersions: deleted,
    foreignStateDeleted: anyForeign,
    outdir: options.outdir,
    ...(config.replica && { replicaDeletedVersions: copiesDeleted[config.replica.bucket] }),
    ...(config.accessLogs && { accessLogDeletedVersions: copiesDeleted[config.accessLogs.bucket] }),
  });
  for (const line of ending) log(line);
}

/** The buckets that terraform could not delete for not being empty: "Error: deleting S3 Bucket (<name>): ... BucketNotEmpty". */
const bucketsNotEmpty = (output: string) => new Set([...output.matchAll(/deleting S3 Bucket \(([^)\s]+)\)[^\n]*\bBucketNotEmpty\b/g)].map(([, name]) => name));

/**
 * Destroys bootstrap. S3 may still write into the replica (a replication in flight) and the log bucket (logs
 * arrive minutes after the requests they record) after they were emptied; when the destroy fails on one of them
 * not being empty, it is emptied once more and the destroy run again, a bounded number of times.
 */
async function destroyBootstrap(
  destroy: () => Promise<unknown>,
  copies: readonly CopyBucket[],
  deleted: Record<string, number>,
  { log, pause }: { log: (line: string) => void; pause: TeardownDeps["pause"] },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await destroy();
      return;
    } catch (error) {
      const notEmpty = bucketsNotEmpty(error instanceof Error ? error.message : String(error));
      const refilled = copies.filter((copy) => notEmpty.has(copy.name));
      if (refilled.length === 0 || attempt >= LATE_WRITES.destroyAttempts) throw error;
      log(`S3 wrote into the ${refilled.map((copy) => copy.what).join(" and the ")} after it was emptied; emptying again, then destroying bootstrap again`);
      await pause(LATE_WRITES.pauseMs);
      for (const copy of refilled) deleted[copy.name] += await emptyCopyBucket(copy, log);
    }
  }
}
/** Only the foreign state that was shown may go: a team that wrote state or took a lock since must not lose it. */
function refuseNewForeignState(shown: ForeignState, now: ForeignState): void {
  if (JSON.stringify(now) !== JSON.stringify(shown)) {
    throw new Refusal("teardown stopped before emptying the bucket: state that is not this project's changed while the stacks were destroyed; run it again to see it");
  }
}
