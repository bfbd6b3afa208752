// What every end-to-end scenario shares: the emulator the global setup started, and a working
// directory, a state key and cdktf runs of its own.
import * as fs from "fs";
import * as path from "path";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetBucketVersioningCommand } from "@aws-sdk/client-s3";
import { PROJECT_ROOT, TfstateConfig, loadConfig } from "../../../config/config";
import { awsClients } from "../../../lib/aws/clients";
import { CdktfResult, appSynth, cdktf, cdktfOrThrow, reportsNoChanges, succeeded } from "../../../lib/process/cdktf";
import { emulatorEnv } from "../../../lib/local/local-env";
import { pollUntil } from "../../../lib/process/poll";
import { ProcessResult, runProcess } from "../../../lib/process/run-process";
import { ownStaleLock } from "./own-lock";

export const E2E_DIR = path.join(PROJECT_ROOT, ".e2e");
const EMULATORS_FILE = path.join(E2E_DIR, "emulators.json");

/** The bucket and table that the global setup deploys once for the scenarios that only need them to exist. */
export const SHARED_BOOTSTRAP = { TFSTATE_BUCKET: "e2e-shared-state", TFSTATE_LOCK_TABLE: "e2e-shared-lock" };

/**
 * The suite's emulators: "shared" for the scenarios that live side by side, each on a state key or a bucket
 * of its own; "teardown" for the one that empties its emulator; and "iam" for the one file that turns IAM
 * enforcement on, which holds for a whole emulator.
 */
export const EMULATORS = ["shared", "teardown", "iam"] as const;
export type EmulatorName = (typeof EMULATORS)[number];

/**
 * What each emulator's own bootstrap is deployed with. teardown: a created KMS key, so the teardown
 * also proves SSE-KMS end to end. iam: two environments, each with its own state-access policy and its
 * own GitHub CI roles; lockfile locking, because S3 is the one service whose requests moto judges
 * against the policies' resource ARNs (the global setup has it judge every other request on its action
 * alone), so only there does dev's policy stop at dev's state.
 */
export const EMULATOR_SETTINGS: Record<EmulatorName, NodeJS.ProcessEnv> = {
  shared: {},
  // Two environments: the teardown destroys every environment's workload stack before bootstrap.
  teardown: { TFSTATE_KMS: "create", TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.51.0.0/16" }, prod: { vpcCidr: "10.52.0.0/16" } }) },
  iam: {
    TFSTATE_LOCK: "s3",
    TFSTATE_GITHUB_REPOSITORY: "acme/infra",
    TFSTATE_ENVIRONMENTS: JSON.stringify({ dev: { vpcCidr: "10.81.0.0/16" }, prod: { vpcCidr: "10.82.0.0/16" } }),
  },
};

/** The scenario that owns an emulator's bootstrap stack. */
export const emulatorScenario = (name: EmulatorName) => new Scenario(name, endpointOf(name), EMULATOR_SETTINGS[name]);

export const bootstrapDoneFile = (name: EmulatorName) => path.join(E2E_DIR, `${name}.bootstrap-deployed.json`);

/** Waits until the global setup's bootstrap deploy on that emulator has finished, and fails if it failed. */
export async function bootstrapDeployed(name: EmulatorName, timeoutMs = 300_000): Promise<void> {
  await pollUntil(() => fs.existsSync(bootstrapDoneFile(name)), { what: `bootstrap deploy on ${name} finished`, timeoutMs });
  const done = JSON.parse(fs.readFileSync(bootstrapDoneFile(name), "utf8"));
  if (!done.ok) throw new Error(`bootstrap deploy on ${name} failed: ${done.error}`);
}

export function recordEndpoints(endpoints: Record<EmulatorName, string>): void {
  fs.writeFileSync(EMULATORS_FILE, JSON.stringify(endpoints));
}

export function endpointOf(name: EmulatorName): string {
  return JSON.parse(fs.readFileSync(EMULATORS_FILE, "utf8"))[name];
}

export const sharedEndpoint = () => endpointOf("shared");

const READY_TIMEOUT_MS = 300_000;

/** Resolves once the scenario's bucket is versioned and its table is active: all a vpc stack needs. */
export async function bucketAndTableExist(scenario: Scenario, deploy: Promise<void>): Promise<void> {
  const config = scenario.config();
  const clients = scenario.clients();
  let failed: unknown;
  deploy.catch((error) => (failed = error));
  const ready = async () => {
    if (failed) throw failed;
    try {
      const [versioning, table] = await Promise.all([
        clients.s3.send(new GetBucketVersioningCommand({ Bucket: config.stateBucket })),
        clients.dynamodb.send(new DescribeTableCommand({ TableName: config.lockTable })),
      ]);
      return versioning.Status === "Enabled" && table.Table?.TableStatus === "ACTIVE";
    } catch {
      return false; // Not created yet.
    }
  };
  await pollUntil(ready, { what: `bucket and table of ${scenario.name} ready`, timeoutMs: READY_TIMEOUT_MS });
}


/**
 * One step of a scenario whose steps build on each other, run in order inside one test: a failure
 * names the step it happened in, and the steps after it do not run.
 */
export async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error) {
      const message = `step "${name}": ${error.message}`;
      error.stack = error.stack?.replace(error.message, message);
      error.message = message;
    }
    throw error;
  }
}

export class Scenario {
  readonly dir: string;
  readonly outdir: string;
  private settings: NodeJS.ProcessEnv;
  /** IDs of the deploys' own stale locks that deploy() force-unlocked. */
  readonly forceUnlocked: string[] = [];

  /** `name` keeps the scenario's files, state key and VPC apart from every other scenario's. */
  constructor(
    readonly name: string,
    endpoint: string,
    settings: NodeJS.ProcessEnv = {},
  ) {
    this.dir = path.join(E2E_DIR, name);
    this.outdir = path.join(this.dir, "cdktf.out");
    this.settings = {
      ...emulatorEnv(endpoint, this.dir),
      ...SHARED_BOOTSTRAP,
      TFSTATE_KEY: `e2e/${name}/terraform.tfstate`,
      VPC_NAME: `e2e-${name}`,
      // TF_LOG=debug npm run test:e2e keeps each scenario's terraform log beside its files.
      ...(process.env.TF_LOG ? { TF_LOG_PATH: path.join(this.dir, "terraform.log") } : {}),
      ...settings,
    };
  }

  /** Changes settings for every later run, as a user who edits their environment would. */
  set(settings: NodeJS.ProcessEnv): void {
    this.settings = { ...this.settings, ...settings };
  }

  get env(): NodeJS.ProcessEnv {
    return this.settings;
  }

  config(): TfstateConfig {
    return loadConfig({ ...process.env, ...this.settings });
  }

  clients() {
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } = this.settings;
    return awsClients(this.config(), { accessKeyId: AWS_ACCESS_KEY_ID!, secretAccessKey: AWS_SECRET_ACCESS_KEY! });
  }

  /** The synthesized directory where cdktf runs terraform for a stack. */
  stackDir(stack: string): string {
    return path.join(this.outdir, "stacks", stack);
  }

  /** `cdktf <command> <stack>`, exactly as a user runs it. */
  run(command: "deploy" | "destroy" | "diff", stack: string, flags: string[] = []): Promise<CdktfResult> {
    return cdktf(command, stack, flags, { env: this.settings, outdir: this.outdir });
  }

  /** `npm run <name> -- <args>`, exactly as a user types it, with this scenario's settings. */
  npmRun(name: string, args: string[] = []): Promise<CdktfResult> {
    return runProcess("npm", ["run", "--silent", name, "--", ...args], { cwd: PROJECT_ROOT, env: this.settings });
  }

  /**
   * `cdktf deploy <stack>`, the user's command; returns the stack's outputs. `atStart` runs once the
   * deploy's start is recorded and before cdktf starts.
   */
  async deploy(stack: string, flags: string[] = [], atStart?: () => Promise<void>): Promise<Record<string, string>> {
    const outputsFile = this.outputsFile(stack);
    const args: Parameters<typeof cdktf> = ["deploy", stack, ["--outputs-file", outputsFile, ...flags], { env: this.settings, outdir: this.outdir }];
    const started = new Date();
    await atStart?.();
    const first = await cdktf(...args);
    const lock = first.code === 0 ? undefined : ownStaleLock(first.output, started);
    if (lock) {
      // Loud, so that a run which needed this says so; the second deploy must then pass on its own.
      process.stderr.write(`e2e ${this.name}: ${stack} deploy failed on its own lock ${lock.id}; force-unlocking it and deploying once more\n`);
      succeeded(await this.terraform(stack, ["force-unlock", "-force", lock.id]), "terraform force-unlock");
      this.forceUnlocked.push(lock.id);
      await cdktfOrThrow(...args);
    } else {
      succeeded(first, `cdktf deploy ${stack}`);
    }
    return JSON.parse(fs.readFileSync(outputsFile, "utf8"))[stack];
  }

  /**
   * What cdktf deploy does, without cdktf's CLI: the app's synth, terraform init, terraform apply. For the
   * steps that only set a scene, where cdktf itself is not what is being proven: cdktf's CLI costs several
   * CPU seconds a run, and two cores run the whole suite. Returns the outputs, as deploy() does.
   */
  async apply(stack: string, options: { migrateState?: boolean } = {}): Promise<Record<string, string>> {
    succeeded(await this.tryApply(stack, options), `terraform apply (${stack})`);
    const outputs = JSON.parse((await this.terraformOrThrow(stack, ["output", "-json"])).output) as Record<string, { value: string }>;
    const values = Object.fromEntries(Object.entries(outputs).map(([name, { value }]) => [name, value]));
    fs.writeFileSync(this.outputsFile(stack), JSON.stringify({ [stack]: values }));
    return values;
  }

  /** apply() that hands back a failure instead of throwing, for the steps that expect one. */
  async tryApply(stack: string, options: { migrateState?: boolean } = {}): Promise<ProcessResult> {
    const init = await this.synthAndInit(stack, options.migrateState ? ["-migrate-state", "-force-copy"] : []);
    if (init.code !== 0) return init;
    return this.terraform(stack, ["apply", "-auto-approve", "-input=false", "-no-color"]);
  }

  /** terraform plan as cdktf diff runs it, on a fresh synth; -detailed-exitcode: 0 no changes, 2 changes. */
  async plan(stack: string): Promise<ProcessResult> {
    const init = await this.synthAndInit(stack);
    if (init.code !== 0) return init;
    return this.terraform(stack, ["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
  }

  /** A plan right after an apply must find nothing: a perpetual diff is a bug. */
  async expectNoChanges(stack: string): Promise<void> {
    const { code, output } = await this.plan(stack);
    expect({ code, noChanges: reportsNoChanges(output), output: code === 0 ? "" : output.slice(-3000) }).toEqual({ code: 0, noChanges: true, output: "" });
  }

  /** The same, through `cdktf diff`: the command a user runs for a second look. */
  async expectCdktfDiffFindsNothing(stack: string): Promise<void> {
    const { code, output } = await this.run("diff", stack);
    expect({ code, noChanges: reportsNoChanges(output) }).toEqual({ code: 0, noChanges: true });
  }

  /** terraform in the stack's synthesized directory, with this scenario's settings. */
  terraform(stack: string, args: string[]): Promise<ProcessResult> {
    return runProcess("terraform", args, { cwd: this.stackDir(stack), env: this.settings });
  }

  private async terraformOrThrow(stack: string, args: string[]): Promise<ProcessResult> {
    return succeeded(await this.terraform(stack, args), `terraform ${args[0]} (${stack})`);
  }

  /** The app's synth into this scenario's cdktf.out, which keeps each stack's .terraform, then terraform init. */
  async synthAndInit(stack: string, initFlags: string[] = []): Promise<ProcessResult> {
    const synth = await appSynth({ env: this.settings, outdir: this.outdir });
    if (synth.code !== 0) return synth;
    return this.terraform(stack, ["init", "-input=false", "-no-color", ...initFlags]);
  }

  private outputsFile(stack: string): string {
    return path.join(this.dir, `${stack}.outputs.json`);
  }
}

/** moto checks every request against IAM once its count of free actions is 0; "inf" turns that off again. */
export async function enforceIam(endpoint: string, on: boolean): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: "POST", body: on ? "0" : "inf" });
  if (!response.ok) throw new Error(`moto reset-auth answered ${response.status}`);
}
