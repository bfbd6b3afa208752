// Whether the bootstrap stack's own state holds a lock table, looked up before an s3-mode synth: the
// stack keeps a table it already has (retire-table removes it on purpose), and a new one creates none.
// The state says what terraform manages; a table of that name in AWS may be anybody's.
import * as fs from "fs";
import { ConfigError, SETTINGS, TfstateConfig } from "../../config/config";
import { parseState } from "./terraform-state";

const TABLE_TYPE = "aws_dynamodb_table.";

/** Whether a state body holds a DynamoDB table; an empty or absent state holds none. */
export function stateHoldsLockTable(body: string | undefined): boolean {
  if (body === undefined || body.trim() === "") return false;
  return parseState(body).addresses.some((address) => address.startsWith(TABLE_TYPE));
}

/** The bootstrap state object's body, or undefined when the bucket or the object is not there. */
async function bucketState(config: TfstateConfig): Promise<string | undefined> {
  const [{ GetObjectCommand }, { awsClients }, { unlessMissing }] = await Promise.all([
    import("@aws-sdk/client-s3"),
    import("../aws/clients"),
    import("../aws/not-found"),
  ]);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const where = `s3://${config.stateBucket}/${config.bootstrapStateKey}`;
  try {
    const read = awsClients(config).s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: config.bootstrapStateKey }));
    const object = await unlessMissing(read, "NoSuchKey", "NoSuchBucket");
    return object && (await object.Body!.transformToString());
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ConfigError(`${SETTINGS.lockMode.env}=s3: could not read the bootstrap stack's state ${where} to see whether it holds the lock table: ${reason.split("\n")[0]}`);
  }
}

/**
 * Where the bootstrap state is: the local file, or with TFSTATE_BOOTSTRAP_BACKEND=s3 the bucket. With
 * TFSTATE_ALLOW_DESTROY=true (teardown, which brings the state home in the same deploy) and no local file
 * yet, the bucket too.
 */
export async function bootstrapHoldsLockTable(config: TfstateConfig): Promise<boolean> {
  const local = config.bootstrapBackend === "local" && fs.existsSync(config.bootstrapStatePath);
  const inBucket = config.bootstrapBackend === "s3" || (!local && config.allowDestroy);
  const [where, body] = inBucket
    ? [`s3://${config.stateBucket}/${config.bootstrapStateKey}`, await bucketState(config)]
    : [config.bootstrapStatePath, local ? fs.readFileSync(config.bootstrapStatePath, "utf8") : undefined];
  try {
    return stateHoldsLockTable(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${SETTINGS.lockMode.env}=s3: the bootstrap stack's state ${where}: ${reason}`);
  }
}
