// What a failed command prints and the code it exits with: one rule for every command.
//   usage or settings error   error: ... (+ the usage line for a command-line error)   exit 2
//   operational failure       error: ... with what to do                               exit 1
//   refusal                   refused: ... (a check that protects state said no)       exit 3
// This module loads no AWS SDK: it reads the SDK's errors by their names and codes.
import { ConfigError, SETTINGS } from "../../config/config";

export const EXIT = { done: 0, failed: 1, usage: 2, refused: 3 } as const;

/** Wrong words on the command line: the message, then the usage, and exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A check that protects state said no, and nothing was changed: "refused: ...", exit code 3. */
export class Refusal extends Error {
  override readonly name: string = "Refusal";
}

/** What an AWS request was about, attached to its error by the clients (lib/aws/clients.ts). */
export interface AwsRequestContext {
  readonly endpoint?: string;
  readonly region?: string;
  readonly bucket?: string;
  /** The object key, for requests on one object: a HeadObject's NotFound is then the object's, not the bucket's. */
  readonly key?: string;
  readonly table?: string;
}

export const REQUEST_CONTEXT = "$tfstateRequest";

const DEPLOY_BOOTSTRAP_FIRST = "deploy bootstrap first (npx cdktf deploy bootstrap)";
const REJECTED_CREDENTIALS = ["InvalidClientTokenId", "InvalidAccessKeyId", "SignatureDoesNotMatch", "UnrecognizedClientException", "ExpiredToken", "ExpiredTokenException"];
const DENIED = ["AccessDenied", "AccessDeniedException", "Forbidden"];
const UNREACHABLE = ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"];

const firstLine = (text: string) => text.split("\n")[0];

function unreachableCode(error: Error): string | undefined {
  const code = (error as { code?: string }).code;
  if (code && UNREACHABLE.includes(code)) return code;
  return UNREACHABLE.find((name) => new RegExp(`\\b${name}\\b`).test(error.message));
}

/**
 * The one line that says what went wrong with an AWS request and what to do about it, or undefined for
 * an error that is not one of the kinds every command explains alike.
 */
export function describeAwsError(error: unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const context: AwsRequestContext = (error as unknown as Record<string, AwsRequestContext | undefined>)[REQUEST_CONTEXT] ?? {};
  const endpointVariable = SETTINGS.endpoint.env;
  const code = unreachableCode(error);
  if (code) {
    const endpoint = context.endpoint ?? env[endpointVariable];
    if (endpoint) {
      return `cannot reach the AWS API at ${endpoint} (${code}): is the emulator running? Start it with npm run emulator, or unset ${endpointVariable} for real AWS`;
    }
    const host = (error as { hostname?: string }).hostname;
    return `cannot reach the AWS API${host ? ` at ${host}` : ""}${context.region ? ` in ${context.region}` : ""} (${code}): check the network and ${SETTINGS.region.env}`;
  }
  if (error.name === "CredentialsProviderError") {
    return "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
  }
  if (REJECTED_CREDENTIALS.includes(error.name)) return `the AWS credentials were rejected (${error.name})`;
  if (DENIED.includes(error.name)) return `access denied (${error.name})${error.message ? `: ${firstLine(error.message)}` : ""}`;
  const bucket = context.bucket ?? (error as { BucketName?: string }).BucketName;
  if (error.name === "NoSuchBucket" || (error.name === "NotFound" && bucket && context.key === undefined)) {
    return `bucket ${bucket ? `s3://${bucket}` : "(unnamed)"} does not exist: ${DEPLOY_BOOTSTRAP_FIRST}, or check ${SETTINGS.stateBucket.env}`;
  }
  if ((error.name === "ResourceNotFoundException" || error.name === "TableNotFoundException") && context.table) {
    return `lock table ${context.table} does not exist: ${DEPLOY_BOOTSTRAP_FIRST}, or check ${SETTINGS.lockTable.env}`;
  }
  // Any other answer from AWS: its error code says more than the SDK's sentence alone.
  if ("$metadata" in error) return `${error.name}: ${firstLine(error.message)}`;
  return undefined;
}

/** The exit code and the message of any error a command ends with. */
export function errorReport(error: unknown, env: NodeJS.ProcessEnv = process.env): { code: number; message: string } {
  if (error instanceof UsageError || error instanceof ConfigError) return { code: EXIT.usage, message: `error: ${error.message}` };
  if (error instanceof Refusal) return { code: EXIT.refused, message: `refused: ${error.message}` };
  const message = describeAwsError(error, env) ?? (error instanceof Error ? error.message : String(error));
  return { code: EXIT.failed, message: `error: ${message}` };
}
