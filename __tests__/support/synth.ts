import * as fs from "fs";
import * as path from "path";
import { App, Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import { Environment, PROJECT_ROOT, TfstateConfig, loadConfig, readCdktfContext } from "../../config/config";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { VpcStack } from "../../stacks/vpc-stack";
import { testTmpDir } from "./temp";

/** Testing.app() with its outdir in the test file's temp dir: left to itself, it leaves one in /tmp per call. */
export const testApp = (): App => Testing.app({ outdir: fs.mkdtempSync(path.join(testTmpDir, "cdktf.outdir.")) });

/** The config a user gets with exactly these environment variables set and nothing else. */
export const configWith = (env: Environment = {}): TfstateConfig => loadConfig(env, readCdktfContext());

export function bootstrapStack(env: Environment = {}): BootstrapStack {
  return new BootstrapStack(testApp(), "bootstrap", configWith(env));
}

export function vpcStack(env: Environment = {}): VpcStack {
  return new VpcStack(testApp(), "vpc", configWith(env));
}

/** Synthesized JSON with the checkout's path replaced, so snapshots match on every machine. */
export function synth(stack: BootstrapStack | VpcStack): string {
  return Testing.synth(stack).split(PROJECT_ROOT).join("<project>");
}

export const parse = (synthesized: string) => JSON.parse(synthesized);

/** Runs terraform init and validate on the stack; the backend is not contacted. */
export function expectValidTerraform(stack: BootstrapStack | VpcStack): void {
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
