// The local AWS API: moto in server mode, on 127.0.0.1, on a free port, one request at a time, always stopped
// on exit.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import { pollUntil } from "../process/poll";
import { ensurePythonTool, venvBin } from "./python-tools";

export interface Emulator {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
  /** Leaves moto running after this process exits; the caller reports the pid to stop it by. */
  detach(): void;
}

const HOST = "127.0.0.1";

// moto_server, but answering one request at a time. moto's DynamoDB checks a ConditionExpression and then
// writes, with no lock between the two, and moto_server answers each request on a thread of its own; so two
// terraform runs that put the same lock item at once could both succeed, which AWS never allows. One
// request at a time makes every conditional write atomic, as state locking needs.
const SERIAL_MOTO_SERVER = `
import moto.server
threaded_run_simple = moto.server.run_simple
def run_simple(*args, **kwargs):
    kwargs["threaded"] = False
    return threaded_run_simple(*args, **kwargs)
moto.server.run_simple = run_simple
moto.server.main()
`;

// With IAM enforced, moto names the resource of an S3 request and judges the policies against it; for every
// other service it passes "*", which no ARN in a policy matches, and it has no values for any condition key.
// So a statement scoped to ARNs or conditions would refuse every such request, whatever its action. Here
// such requests are judged on their action alone: an Allow applies whatever its Resource and Condition say;
// a Deny applies only when it names every resource and has no condition. S3 requests, and trust policies,
// are judged as moto judges them.
const IAM_BY_ACTION = `
import moto.iam.access_control as access_control
Statement = access_control.IAMPolicyStatement
judge = Statement.is_action_permitted
def is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
    statement = self._statement
    if resource != "*" or principal is not None or "Resource" not in statement:
        return judge(self, action, resource, principal, incoming_condition_values)
    if statement.get("Effect") == "Allow":
        unscoped = {key: value for key, value in statement.items() if key != "Condition"}
        return judge(Statement({**unscoped, "Resource": "*"}), action, resource, principal, incoming_condition_values)
    if "Condition" in statement or statement["Resource"] not in ("*", ["*"]):
        return access_control.PermissionResult.NEUTRAL
    return judge(self, action, resource, principal, incoming_condition_values)
Statement.is_action_permitted = is_action_permitted
`;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitUntilAnswering(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const answers = async () => {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode}: ${output()}`);
    try {
      return (await fetch(`${endpoint}/moto-api/data.json`)).ok;
    } catch {
      return false; // Not listening yet.
    }
  };
  return pollUntil(answers, { what: `moto answering on ${endpoint}`, timeoutMs: READY_TIMEOUT_MS, firstWaitMs: 25, maxWaitMs: 500 });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts moto and resolves once it answers. The process is killed when this process exits, whatever the
 * reason. `iamByAction`: once IAM is enforced, requests other than S3's are judged on their action alone.
 */
export async function startEmulator(options: { logFile?: string; env?: NodeJS.ProcessEnv; iamByAction?: boolean } = {}): Promise<Emulator> {
  ensurePythonTool("moto");
  const port = await freePort();
  const endpoint = `http://${HOST}:${port}`;
  const log = options.logFile ? fs.openSync(options.logFile, "a") : "ignore";
  let startupOutput = "";
  const child = spawn(venvBin("moto", "python"), ["-c", `${options.iamByAction ? IAM_BY_ACTION : ""}${SERIAL_MOTO_SERVER}`, "-H", HOST, "-p", String(port)], {
    stdio: ["ignore", log, options.logFile ? log : "pipe"],
    env: { ...process.env, ...options.env },
  });
  child.stderr?.on("data", (chunk) => (startupOutput = (startupOutput + chunk).slice(-2000)));
  if (typeof log === "number") fs.closeSync(log);

  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited(child);
    clearTimeout(timer);
  };

  try {
    await waitUntilAnswering(endpoint, child, () => startupOutput);
  } catch (error) {
    await stop();
    throw error;
  }
  child.stderr?.removeAllListeners("data");
  child.stderr?.resume();
  const detach = () => {
    process.removeListener("exit", killOnExit);
    child.unref();
  };
  return { endpoint, pid: child.pid!, stop, detach };
}

/** Stops the emulator on Ctrl-C and on kill too, then exits with the conventional code. */
export function stopOnSignals(emulator: Emulator): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      void emulator.stop().finally(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
}
