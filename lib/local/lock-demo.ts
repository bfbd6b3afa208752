// Seed 004's experiment, seen live in npm run local: while one apply holds the state lock, a second apply
// is refused with "Error acquiring the state lock" and the holder's Lock Info.
import { holdStateLock } from "./lock-holder";
import { runProcess } from "../process/run-process";

const LOCK_ERROR = "Error acquiring the state lock";
const LOCK_INFO_LINES = 8; // "Lock Info:", then ID, Path, Operation, Who, Version, Created, Info

/** From terraform's output: the lock error line and its Lock Info block, without the box drawing. */
export function lockRefusal(output: string): string[] {
  const lines = output.split("\n").map((line) => line.replace(/^[│╷╵] ?/, "").trimEnd());
  const error = lines.findIndex((line) => line.includes(LOCK_ERROR));
  const info = lines.findIndex((line, i) => i > error && line.startsWith("Lock Info:"));
  if (error < 0 || info < 0) return [];
  return [lines[error].trim(), ...lines.slice(info, info + LOCK_INFO_LINES)];
}

/** Holds the lock with one apply in stackDir (initialised), shows a second apply's refusal, then lets go. */
export async function showLockRefusal(stackDir: string, resource: string, log: (line: string) => void): Promise<void> {
  log(`terminal 1: terraform apply -replace=${resource}, waiting at its prompt, holds the lock`);
  // No refresh: the plan only has to reach the prompt, and the demo should cost seconds.
  const holder = await holdStateLock({}, stackDir, resource, ["-refresh=false"]);
  try {
    log("terminal 2: terraform apply -auto-approve");
    const second = await runProcess("terraform", ["apply", "-auto-approve", "-no-color", "-input=false"], { cwd: stackDir });
    const refusal = lockRefusal(second.output);
    if (second.code === 0 || refusal.length === 0) throw new Error(`the second apply was not refused by the lock:\n${second.output.slice(-2000)}`);
    for (const line of refusal) log(`  ${line}`);
  } finally {
    await holder.release();
  }
  log('terminal 1: answered "no": nothing changed, and the lock is released');
}
