// Which key in the bucket each of this project's stacks keeps its state under, by the stack's cdktf name.
import { STACKS, TfstateConfig } from "../../config/config";
import { workloadStates } from "../../config/workloads";

/** Every stack's state key, whether or not its state is in the bucket right now: the keys this project owns there. */
export function projectStateKeys(config: TfstateConfig): Array<[stack: string, key: string]> {
  return [[STACKS.bootstrap, config.bootstrapStateKey], ...workloadStates(config)];
}

/** The stacks that keep their state in the bucket now, with their keys. */
export function remoteStates(config: TfstateConfig): Array<[stack: string, key: string]> {
  return projectStateKeys(config).filter(([stack]) => stack !== STACKS.bootstrap || config.bootstrapBackend === "s3");
}

/** The key of a stack whose state is in the bucket; an error that says why for any other name. */
export function remoteStateKey(config: TfstateConfig, stack: string): string {
  const key = remoteStates(config).find(([name]) => name === stack)?.[1];
  if (key !== undefined) return key;
  if (stack === STACKS.bootstrap) {
    throw new Error(`bootstrap keeps its state in ${config.bootstrapStatePath}, not in the bucket (TFSTATE_BOOTSTRAP_BACKEND=local)`);
  }
  throw new Error(`unknown stack "${stack}": the stacks whose state is in s3://${config.stateBucket} are ${remoteStates(config).map(([name]) => name).join(", ")}`);
}
