// npm run versions -- <stack>: the versions of a stack's state object, newest first.
import { loadConfig } from "../../config/config";
import { awsClients } from "../aws/clients";
import { remoteStateKey } from "../state/stack-states";
import { describeStateVersions, formatStateVersions } from "../state/state-versions";

export async function listStateVersions(stack: string, log: (line: string) => void = console.log): Promise<void> {
  const config = loadConfig();
  const key = remoteStateKey(config, stack);
  log(`s3://${config.stateBucket}/${key}`);
  log(formatStateVersions(await describeStateVersions(awsClients(config), config.stateBucket, key)));
}
