// npm run doctor: reads the backend as configured (the bucket, the table, every state object and lock)
// and reports each check. Every call here is a Get, Head, List, Describe or Scan: it never writes.
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { TfstateConfig, loadConfig } from "../../config/config";
import { AwsClients, awsClients, kmsClient } from "../aws/clients";
import { AccessLogReadings, BackendReadings, ReplicationReadings, diagnose, digestsOf, stateKeys } from "../health/checks";
import { exitCode, jsonReport, reportLines } from "../health/findings";
import { UsageError, errorReport } from "../cli/errors";
import { DEFAULT_STALE_AFTER, parseDuration } from "../cli/duration";
import { lockfileLocks, tableItemsIfAny, tableLocks } from "../locks/held-locks";
import { unlessMissing } from "../aws/not-found";
import { bucketLogging, bucketReplication, describeBucket, describeBucketIfAny, listObjectKeys, lockTableIfAny, objectReplications } from "../aws/inspect";
import { objectMd5 } from "../locks/state-digest";

const keyArnOfAlias = async (kms: KMSClient, alias: string): Promise<string | undefined> =>
  (await unlessMissing(kms.send(new DescribeKeyCommand({ KeyId: alias })), "NotFoundException"))?.KeyMetadata?.Arn;

/**
 * TFSTATE_REPLICA_REGION: the state bucket's replication, the replica bucket (through a client in its region)
 * and the replication status of each state object's latest version.
 */
async function readReplication(clients: AwsClients, config: TfstateConfig, stateObjects: readonly string[]): Promise<ReplicationReadings> {
  const { region, bucket } = config.replica!;
  const inReplicaRegion = { ...config, region };
  const [configuration, replicaBucket, createdKeyArn, objects] = await Promise.all([
    bucketReplication(clients, config.stateBucket),
    describeBucketIfAny(awsClients(inReplicaRegion), bucket),
    config.kms.mode === "create" ? keyArnOfAlias(kmsClient(inReplicaRegion), config.kms.aliasName) : undefined,
    objectReplications(clients, config.stateBucket, stateObjects),
  ]);
  return { configuration, bucket: replicaBucket, createdKeyArn, objects };
}

/** TFSTATE_ACCESS_LOGS: where the state bucket logs to, and the log bucket. */
async function readAccessLogs(clients: AwsClients, config: TfstateConfig): Promise<AccessLogReadings> {
  const [logging, bucket] = await Promise.all([bucketLogging(clients, config.stateBucket), describeBucketIfAny(clients, config.accessLogs!.bucket)]);
  return { logging, bucket };
}

/** Everything the checks look at, read in one pass. */
async function readBackend(clients: AwsClients, config: TfstateConfig, kms?: KMSClient): Promise<BackendReadings> {
  const bucketName = config.stateBucket;
  // Reading the settings doubles as the existence check: a missing bucket answers NoSuchBucket.
  const bucket = await describeBucket(clients, bucketName);
  const [table, items, objectKeys, createdKeyArn] = await Promise.all([
    lockTableIfAny(clients, config.lockTable),
    tableItemsIfAny(clients, config.lockTable),
    listObjectKeys(clients, bucketName),
    config.kms.mode === "create" && kms ? keyArnOfAlias(kms, config.kms.aliasName) : undefined,
  ]);
  const tableItems = items ?? {};
  const locks = [...tableLocks(tableItems), ...(await lockfileLocks(clients, bucketName, objectKeys))];
  const existing = new Set(objectKeys);
  const compared = Object.keys(digestsOf(bucketName, tableItems)).filter((key) => existing.has(key));
  const md5s = await Promise.all(compared.map(async (key) => [key, await objectMd5(clients, bucketName, key)] as const));
  // An object deleted since the listing has no MD5, and no longer exists.
  const gone = new Set(md5s.filter(([, md5]) => md5 === undefined).map(([key]) => key));
  const objectMd5s = Object.fromEntries(md5s.filter((entry): entry is readonly [string, string] => !gone.has(entry[0])));
  const current = objectKeys.filter((key) => !gone.has(key));
  const stateObjects = stateKeys(config, current, digestsOf(bucketName, tableItems), locks).filter((key) => existing.has(key) && !gone.has(key));
  const [replication, accessLogs] = await Promise.all([
    config.replica ? readReplication(clients, config, stateObjects) : undefined,
    config.accessLogs ? readAccessLogs(clients, config) : undefined,
  ]);
  return {
    bucket,
    createdKeyArn,
    table,
    objectKeys: current,
    tableItems,
    locks,
    objectMd5s,
    ...(replication && { replication }),
    ...(accessLogs && { accessLogs }),
  };
}

/** --stale-after in milliseconds; a UsageError for text that is not a duration. */
export function staleAfterMs(option: string | undefined): number {
  const ms = parseDuration(option ?? DEFAULT_STALE_AFTER);
  if (ms === undefined) throw new UsageError(`--stale-after ${JSON.stringify(option)} is not a duration such as 30m, 1h, 1h30m or 2d`);
  return ms;
}

interface DoctorOptions {
  readonly json: boolean;
  readonly staleAfterMs: number;
  /** Every check on a line of its own; by default the passing ones are counted, and only problems listed. */
  readonly verbose?: boolean;
}

/**
 * Runs every check and prints the report; returns the exit code: 0 healthy, 1 a check failed or the backend
 * could not be read, 2 a setting is invalid (lib/cli/errors.ts).
 */
export async function doctor(options: DoctorOptions, print: (line: string) => void = console.log, printError: (line: string) => void = console.error): Promise<number> {
  let config: TfstateConfig;
  let readings: BackendReadings;
  try {
    config = loadConfig();
    readings = await readBackend(awsClients(config), config, config.kms.mode === "create" ? kmsClient(config) : undefined);
  } catch (error) {
    const { code, message } = errorReport(error);
    if (options.json) print(JSON.stringify({ exitCode: code, error: message.replace(/^error: /, "") }));
    else printError(message);
    return code;
  }
  const findings = diagnose(config, readings, { now: new Date(), staleAfterMs: options.staleAfterMs });
  if (options.json) {
    print(JSON.stringify(jsonReport(config, options.staleAfterMs, findings)));
  } else {
    for (const line of reportLines(config, options.staleAfterMs, findings, { verbose: options.verbose ?? false })) print(line);
  }
  return exitCode(findings);
}
