// With TFSTATE_ADOPT=true the app looks at the real bucket and table before it synthesizes, as AWS CDK's
// lookups do: which import blocks to write depends on what exists, and a lock table with the wrong key
// must stop the deploy with one line before terraform runs, not halfway through an apply.
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { ConfigError, SETTINGS, TfstateConfig } from "../../config/config";
import { lockTableKeyProblem } from "../../config/lock-table";
import { BucketSetting } from "../../config/state-bucket";
import { awsClients } from "./clients";
import { unlessMissing } from "./not-found";
import { configuredBucketSettings, lockTableIfAny } from "./inspect";

/** What already exists under the configured names, as looked up before synth. */
export interface ExistingBackend {
  readonly bucket: boolean;
  /** The settings configured on the bucket: an import block for one that is not fails the plan. */
  readonly bucketSettings: readonly BucketSetting[];
  readonly table: boolean;
}

/** What exists under the configured names; refuses, with one line, a lock table that the S3 backend cannot use. */
export async function findExistingBackend(config: TfstateConfig): Promise<ExistingBackend> {
  // The SDK's notice that its future releases need node 22 is no news for these pinned ones, and it
  // would bury the one line that a refusal prints.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const clients = awsClients(config);
  const setting = `${SETTINGS.adopt.env}=true`;
  let existing: ExistingBackend;
  let problem: string | undefined;
  try {
    const bucket = (await unlessMissing(clients.s3.send(new HeadBucketCommand({ Bucket: config.stateBucket })), "NotFound")) !== undefined;
    const table = await lockTableIfAny(clients, config.lockTable);
    existing = { bucket, bucketSettings: bucket ? await configuredBucketSettings(clients, config.stateBucket) : [], table: table !== undefined };
    problem = table && lockTableKeyProblem({ KeySchema: table.keySchema, AttributeDefinitions: table.attributes });
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ConfigError(`${setting}: could not look at bucket ${config.stateBucket} and table ${config.lockTable}: ${reason.split("\n")[0]}`);
  }
  if (problem) {
    throw new ConfigError(`${setting}: lock table ${JSON.stringify(config.lockTable)} ${problem}; set ${SETTINGS.lockTable.env} to a new table name and the deploy creates that table`);
  }
  return existing;
}
