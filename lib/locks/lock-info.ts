// Terraform's Lock Info: the JSON that the S3 backend writes for a held state lock, in the DynamoDB item's
// Info attribute (LockID "<bucket>/<key>") and as the body of the "<key>.tflock" object.
import { LockMode } from "../../config/config";
import { LOCK_HASH_KEY } from "../../config/lock-table";
import { formatAge } from "../cli/duration";

/** terraform's Lock Info, field for field as it stores it. */
export interface LockInfo {
  readonly ID: string;
  readonly Operation: string;
  readonly Info: string;
  readonly Who: string;
  readonly Version: string;
  /** Go's RFC 3339 time, with nanoseconds: "2026-11-30T04:51:16.2928123Z". */
  readonly Created: string;
  readonly Path: string;
}

/** Where a lock is held: a DynamoDB item, or an S3 lock file (use_lockfile). */
export type LockMechanism = Exclude<LockMode, "both">;

export interface HeldLock {
  readonly mechanism: LockMechanism;
  /** The state object the lock guards. */
  readonly bucket: string;
  readonly key: string;
  /** The item's LockID, or the lock file's object key. */
  readonly location: string;
  readonly info: LockInfo;
  /** What a release must find unchanged: the item's Info text, or the lock file's ETag. */
  readonly token: string;
}

const FIELDS = ["ID", "Operation", "Info", "Who", "Version", "Created", "Path"] as const;

/**
 * Reads Lock Info leniently: a lock whose text is damaged still blocks terraform, so it is still listed,
 * with its missing fields empty.
 */
export function parseLockInfo(text: string): LockInfo {
  let parsed: Record<string, unknown> = {};
  try {
    const value = JSON.parse(text);
    if (value && typeof value === "object") parsed = value;
  } catch {
    // Not JSON: every field stays empty.
  }
  return Object.fromEntries(FIELDS.map((field) => [field, typeof parsed[field] === "string" ? parsed[field] : ""])) as unknown as LockInfo;
}

/** Splits a lock item's LockID, "<bucket>/<key>"; bucket names cannot contain "/". */
export function splitLockId(lockId: string): { bucket: string; key: string } {
  const slash = lockId.indexOf("/");
  return slash < 0 ? { bucket: "", key: lockId } : { bucket: lockId.slice(0, slash), key: lockId.slice(slash + 1) };
}

/** How long the lock has been held; NaN when its Created time cannot be read. */
export function lockAgeMs(info: LockInfo, now: Date): number {
  return info.Created ? now.getTime() - new Date(info.Created).getTime() : NaN;
}

/** Older than staleAfterMs, or of unknown age: nothing shows that its holder is still alive. */
export function isStale(info: LockInfo, now: Date, staleAfterMs: number): boolean {
  const age = lockAgeMs(info, now);
  return Number.isNaN(age) || age > staleAfterMs;
}

/** Who holds a lock, for a refusal; only "held" when its Lock Info could not be read. */
export const describeHolder = (info: LockInfo | undefined) =>
  info?.ID ? `held by ${info.Who} since ${info.Created} for ${info.Operation} (lock ID ${info.ID})` : "held";

export const lockPlace = (lock: HeldLock) =>
  lock.mechanism === "dynamodb" ? `DynamoDB item ${LOCK_HASH_KEY}=${lock.location}` : `S3 object s3://${lock.bucket}/${lock.location}`;

/** The Lock Info as terraform prints it under "Error acquiring the state lock", with the lock's age. */
export function lockInfoLines(info: LockInfo, now: Date): string[] {
  const width = Math.max(...FIELDS.map((field) => field.length)) + 1;
  return [
    ...FIELDS.map((field) => `${`${field}:`.padEnd(width)} ${info[field]}`),
    `${"Age:".padEnd(width)} ${formatAge(lockAgeMs(info, now))}`,
  ];
}
