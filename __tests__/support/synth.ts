import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import { Environment, PROJECT_ROOT, STACKS, TfstateConfig, loadConfig, readCdktfContext } from "../../config/config";
import { workloadTargets } from "../../config/workloads";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { VpcStack } from "../../stacks/vpc-stack";
import { testTmpDir } from "./temp";

/** Testing.app() with its outdir in the test file's temp dir: left to itself, it leaves one in /tmp per call. */
export const testApp = (): App => Testing.app({ outdir: fs.mkdtempSync(path.join(testTmpDir(), "cdktf.outdir.")) });

/** The config a user gets with exactly these environment variables set and nothing else. */
export const configWith = (env: Environment = {}): TfstateConfig => loadConfig(env, readCdktfContext());

export function bootstrapStack(env: Environment = {}): BootstrapStack {
  return new BootstrapStack(testApp(), "bootstrap", configWith(env));
}

/** The vpc stack without environments, or the one of the environment named. */
export function vpcStack(env: Environment = {}, environment?: string): VpcStack {
  const config = configWith(env);
  const target = workloadTargets(config, [STACKS.vpc]).find((t) => t.environment === environment);
  if (!target) throw new Error(`no vpc stack for environment ${environment}`);
  return new VpcStack(testApp(), target, config);
}

/** Synthesized JSON with the checkout's path replaced, so snapshots match on every machine. */
export function synth(stack: TerraformStack): string {
  return Testing.synth(stack).split(PROJECT_ROOT).join("<project>");
}

export const parse = (synthesized: string) => JSON.parse(synthesized);

/** Runs terraform init and validate on the stack; the backend is not contacted. */
export function expectValidTerraform(stack: TerraformStack): void {
  const previous = process.env.TF_CLI_ARGS_init;
  process.env.TF_CLI_ARGS_init = "-backend=false";
  const outdir = Testing.fullSynth(stack);
  try {
    expect(outdir).toBeValidTerraform();
  } finally {
    if (previous === undefined) delete process.env.TF_CLI_ARGS_init;
    else process.env.TF_CLI_ARGS_init = previous;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
