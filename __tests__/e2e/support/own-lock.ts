import { lockOwner } from "../../../lib/locks/state-lock";

/** The lock terraform reported in an "Error acquiring the state lock" failure. */
export interface ReportedLock {
  readonly id: string;
  readonly who: string;
  readonly created: Date;
}

// A field of terraform's "Lock Info:" block; not the RequestID or HostID of the error message above it.
const field = (output: string, name: string) => output.match(new RegExp(`(?:^|[\\s│])${name}:\\s+(\\S.*?)\\s*$`, "m"))?.[1];

export function reportedLock(output: string): ReportedLock | undefined {
  if (!output.includes("Error acquiring the state lock")) return undefined;
  const [id, who, created] = [field(output, "ID"), field(output, "Who"), field(output, "Created")];
  if (!id || !who || !created) return undefined;
  // terraform prints Go's time format: "2026-11-24 07:51:16.2928 +0000 UTC".
  const [date, time, offset] = created.split(" ");
  const parsed = new Date(`${date}T${time}${offset.slice(0, 3)}:${offset.slice(3)}`);
  return Number.isNaN(parsed.getTime()) ? undefined : { id, who, created: parsed };
}

/**
 * The lock a failed deploy tripped over, when it can only be that deploy's own: taken by this user on
 * this host after the deploy started, on a state key that no other scenario uses. Under heavy load,
 * terraform's lock write has been seen to succeed and then fail on a retry against itself; the lock
 * then stays until someone force-unlocks it.
 */
export function ownStaleLock(output: string, deployStarted: Date): ReportedLock | undefined {
  const lock = reportedLock(output);
  return lock && lock.who === lockOwner() && lock.created >= deployStarted ? lock : undefined;
}
