// The lock table as the S3 backend needs it: its items keyed by LockID, a string, and nothing else.
// Plain names, so that the commands that read the table do not load the constructs that make it.

/** The S3 backend writes its locks and digests under exactly this attribute name. */
export const LOCK_HASH_KEY = "LockID";

/** A table's key as DynamoDB describes it (DescribeTable's KeySchema and AttributeDefinitions). */
export interface TableKey {
  readonly KeySchema?: ReadonlyArray<{ readonly AttributeName?: string; readonly KeyType?: string }>;
  readonly AttributeDefinitions?: ReadonlyArray<{ readonly AttributeName?: string; readonly AttributeType?: string }>;
}

/** Why a table cannot be the S3 backend's lock table, or undefined when it can: the hash key LockID of type S alone. */
export function lockTableKeyProblem(table: TableKey): string | undefined {
  const typeOf = (name?: string) => table.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType ?? "?";
  const keys = table.KeySchema ?? [];
  const [only] = keys;
  if (keys.length === 1 && only.KeyType === "HASH" && only.AttributeName === LOCK_HASH_KEY && typeOf(only.AttributeName) === "S") return undefined;
  const key = keys.map((k) => `${k.AttributeName} (${typeOf(k.AttributeName)}${k.KeyType === "RANGE" ? ", range" : ""})`).join(" + ");
  return `has the key ${key}, but the S3 backend locks with the hash key ${LOCK_HASH_KEY} (S) alone, and a table's key cannot be changed in place`;
}
