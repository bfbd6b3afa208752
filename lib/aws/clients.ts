import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { TfstateConfig } from "../../config/config";
import { AwsRequestContext, REQUEST_CONTEXT } from "../cli/errors";

interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const clientOptions = (config: TfstateConfig, credentials?: StaticCredentials) => ({
  region: config.region,
  ...(config.endpoint && { endpoint: config.endpoint }),
  ...(credentials && { credentials }),
});

interface MiddlewareClient {
  readonly middlewareStack: { add(middleware: (next: (args: any) => Promise<any>) => (args: any) => Promise<any>, options: { step: "initialize"; name: string }): void };
}

/**
 * Every failed request's error carries what it was about (the endpoint, the bucket, the table), so that one
 * place (lib/cli/errors.ts) can say what went wrong and what to do, whichever command sent it.
 */
function withRequestContext<C extends MiddlewareClient>(client: C, config: TfstateConfig): C {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const input = (args.input ?? {}) as { Bucket?: string; Key?: string; TableName?: string };
        const context: AwsRequestContext = { endpoint: config.endpoint, region: config.region, bucket: input.Bucket, key: input.Key, table: input.TableName };
        if (error instanceof Error) Object.defineProperty(error, REQUEST_CONTEXT, { value: context, enumerable: false, configurable: true });
        throw error;
      }
    },
    { step: "initialize", name: "tfstateRequestContext" },
  );
  return client;
}

/**
 * SDK clients for the config's region and endpoint, so scripts read the same place terraform writes.
 * Credentials come from the usual chain unless given.
 */
export function awsClients(config: TfstateConfig, credentials?: StaticCredentials) {
  const common = clientOptions(config, credentials);
  return {
    s3: withRequestContext(new S3Client({ ...common, forcePathStyle: Boolean(config.endpoint) }), config),
    dynamodb: withRequestContext(new DynamoDBClient(common), config),
    ec2: withRequestContext(new EC2Client(common), config),
  };
}

export type AwsClients = ReturnType<typeof awsClients>;

/** A KMS client for the config's region and endpoint, for the few commands that look at keys. */
export const kmsClient = (config: TfstateConfig, credentials?: StaticCredentials) => withRequestContext(new KMSClient(clientOptions(config, credentials)), config);
