// Which workload stacks the app has, and each one's name, state key and environment settings, all from the config.
import { ConfigError, SETTINGS, STACKS, TfstateConfig } from "./config";
import { EnvironmentSettings } from "./environments";

/**
 * The kinds of workload, by name: the names that the stacks, their state keys and the commands share.
 * stacks/workloads.ts gives each its stack class, which the commands do not load.
 */
export const WORKLOAD_NAMES = [STACKS.vpc] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** One workload stack: a kind of workload, in one environment or, without environments, on its own. */
export interface WorkloadTarget extends EnvironmentSettings {
  /** The kind of workload, such as vpc: what the stack builds. */
  readonly workload: string;
  /** `<workload>-<environment>`, or `<workload>` without environments. */
  readonly stackName: string;
  readonly stateKey: string;
  /** Unset without environments. */
  readonly environment?: string;
}

const environmentKey = (pattern: string, environment: string, workload: string) =>
  pattern.replaceAll("{env}", environment).replaceAll("{workload}", workload);

/** Refuses two stacks on one state key, and a stack on the bootstrap stack's key: one would overwrite the other's state. */
function checkKeysApart(targets: readonly WorkloadTarget[], config: TfstateConfig): void {
  const { env: setting } = config.environments.length ? SETTINGS.environmentStateKey : SETTINGS.stateKey;
  const pattern = config.environments.length ? config.environmentStateKey : config.stateKey;
  const owners = new Map<string, string>([[config.bootstrapStateKey, `the bootstrap stack (${SETTINGS.bootstrapStateKey.env})`]]);
  for (const target of targets) {
    const owner = owners.get(target.stateKey);
    if (owner) {
      throw new ConfigError(`Invalid ${setting} ${JSON.stringify(pattern)}: ${target.stackName} and ${owner} would share the state key ${target.stateKey}`);
    }
    owners.set(target.stateKey, target.stackName);
  }
}

/**
 * Every workload stack of these kinds: without environments one per kind at TFSTATE_KEY, as the app always
 * had; with environments one per kind and environment, keyed by TFSTATE_ENVIRONMENT_KEY.
 */
export function workloadTargets(config: TfstateConfig, workloads: readonly string[]): WorkloadTarget[] {
  const targets = config.environments.length
    ? config.environments.flatMap(({ name, ...settings }) =>
        workloads.map((workload) => ({
          ...settings,
          workload,
          stackName: `${workload}-${name}`,
          stateKey: environmentKey(config.environmentStateKey, name, workload),
          environment: name,
        })),
      )
    : workloads.map((workload) => ({
        workload,
        stackName: workload,
        stateKey: config.stateKey,
        region: config.region,
        vpcCidr: config.vpcCidr,
        vpcName: config.vpcName,
      }));
  checkKeysApart(targets, config);
  return targets;
}

/** Each workload stack of the app, each environment's included. */
export const appWorkloadTargets = (config: TfstateConfig) => workloadTargets(config, WORKLOAD_NAMES);

/** Each workload stack, each environment's included, with the key of its state in the bucket. */
export const workloadStates = (config: TfstateConfig): Array<[string, string]> =>
  appWorkloadTargets(config).map((target) => [target.stackName, target.stateKey]);
