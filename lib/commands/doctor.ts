// npm run doctor: reads the backend as configured (the bucket, the table, every state object and lock)
// and reports each check. Every call here is a Get, Head, List, Describe or Scan: it never writes.
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { TfstateConfig, loadConfig } from "../../config/config";
import { AwsClients, awsClients, kmsClient } from "../aws/clients";
import { BackendReadings, diagnose, digestsOf } from "../health/checks";
import { exitCode, jsonReport, reportLines } from "../health/findings";
import { UsageError, errorReport } from "../cli/errors";
import { DEFAULT_STALE_AFTER, parseDuration } from "../cli/duration";
import { lockfileLocks, tableItemsIfAny, tableLocks } from "../locks/held-locks";
import { unlessMissing } from "../aws/not-found";
import { describeBucket, listObjectKeys, lockTableIfAny } from "../aws/inspect";
import { objectMd5 } from "../locks/state-digest";

const keyArnOfAlias = async (kms: KMSClient, alias: string): Promise<string | undefined> =>
  (await unlessMissing(kms.send(new DescribeKeyCommand({ KeyId: alias })), "NotFoundException"))?.KeyMetadata?.Arn;

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
  return { bucket, createdKeyArn, table, objectKeys: objectKeys.filter((key) => !gone.has(key)), tableItems, locks, objectMd5s };
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
