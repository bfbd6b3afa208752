// Which backend a synthesized stack's directory was last initialised with (.terraform/terraform.tfstate), and
// which its configuration names now (cdk.tf.json): when a setting points a stack at another backend, terraform
// stops with "Backend configuration changed"; this says which backend changed, from what to what, and what to run.
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/config";

interface Backend {
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface BackendChange {
  readonly stack: string;
  readonly dir: string;
  readonly from: Backend;
  readonly to: Backend;
}

// Where the state is, and how it is locked: what a person changes through the settings.
const WHERE = ["bucket", "key", "path", "workspace_key_prefix"];
const LOCK = ["dynamodb_table", "use_lockfile"];

function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** The backend the directory was last initialised with; undefined before the first init. */
function initialised(dir: string): Backend | undefined {
  const backend = readJson(path.join(dir, ".terraform", "terraform.tfstate"))?.backend;
  return backend?.type ? { type: backend.type, config: backend.config ?? {} } : undefined;
}

/** The backend the synthesized configuration names. */
function configured(dir: string): Backend | undefined {
  const backends = readJson(path.join(dir, "cdk.tf.json"))?.terraform?.backend ?? {};
  const [type] = Object.keys(backends);
  return type ? { type, config: backends[type] ?? {} } : { type: "local", config: {} };
}

const given = (value: unknown) => value !== undefined && value !== null && value !== false && value !== "";
const differs = (from: Backend, to: Backend, names: readonly string[]) =>
  from.type !== to.type || names.some((name) => JSON.stringify(given(from.config[name]) ? from.config[name] : null) !== JSON.stringify(given(to.config[name]) ? to.config[name] : null));

/** The stack directory's backend change, or undefined when it was never initialised or its backend is as configured. */
export function backendChange(dir: string): BackendChange | undefined {
  const from = initialised(dir);
  const to = configured(dir);
  if (!from || !to || !differs(from, to, [...WHERE, ...LOCK])) return undefined;
  return { stack: path.basename(dir), dir, from, to };
}

function lockOf({ config }: Backend): string {
  const table = given(config.dynamodb_table) ? `DynamoDB table ${config.dynamodb_table}` : undefined;
  const lockfile = given(config.use_lockfile) ? "S3 lock file" : undefined;
  return [table, lockfile].filter(Boolean).join(" and ") || "no lock";
}

const lockMode = ({ config }: Backend) =>
  given(config.dynamodb_table) && given(config.use_lockfile) ? "both" : given(config.use_lockfile) ? "s3" : "dynamodb";

/** A backend as a person names it: the state object and its lock, or the local file. */
export function describeBackend(backend: Backend): string {
  const { type, config } = backend;
  if (type === "s3") return `s3://${config.bucket}/${config.key} (${lockOf(backend)})`;
  if (type === "local") return `the local file ${path.relative(PROJECT_ROOT, String(config.path ?? "terraform.tfstate"))}`;
  return `the ${type} backend`;
}

/** What went wrong, in words, and what to run. */
export function explainBackendChange(change: BackendChange): string {
  const dir = path.relative(PROJECT_ROOT, change.dir) || ".";
  const what = `${change.stack}: its backend changed since ${dir} was initialised, from ${describeBackend(change.from)} to ${describeBackend(change.to)}`;
  if (!differs(change.from, change.to, WHERE)) {
    return `${what}. Only the lock changed: npm run switch-lock -- ${lockMode(change.to)} moves the state to it (or set TFSTATE_LOCK back).`;
  }
  return (
    `${what}. A setting now names another backend (TFSTATE_BUCKET, TFSTATE_KEY, TFSTATE_BOOTSTRAP_BACKEND, TFSTATE_BOOTSTRAP_STATE_FILE, ...). ` +
    `To work on the old one, set those settings back. To move the state to the new one: npx cdktf deploy ${change.stack} --migrate-state. ` +
    `To use the new one as it is, leaving the old state where it is: rm -rf ${dir}/.terraform (as terraform init -reconfigure does), then run this again.`
  );
}

/** The explanations of every changed backend among these stack directories. */
export function explainBackendChanges(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) => {
    const change = backendChange(dir);
    return change ? [explainBackendChange(change)] : [];
  });
}
