// The commands that fix what doctor, unlock and fix-digest find, spelled the way a user types them.

/** Every setting of the bucket and the table is the bootstrap stack's: a deploy puts drift back. */
export const DEPLOY_BOOTSTRAP = "npx cdktf deploy bootstrap";

/** A shell word: as it is when that is safe, in single quotes otherwise. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export const unlockCommand = (lockId: string, fixDigest = false) =>
  `npm run unlock -- ${shellWord(lockId)}${fixDigest ? " --fix-digest" : ""}`;

export const fixDigestCommand = (stateKey: string) => `npm run fix-digest -- ${shellWord(stateKey)}`;

/** The way off DynamoDB locking, from a lock mode that still uses the table. */
export const lockFilePath = (lockMode: "dynamodb" | "both") =>
  `${lockMode === "dynamodb" ? "npm run switch-lock -- both, then -- s3" : "npm run switch-lock -- s3"}, then npm run retire-table`;

/**
 * A new version of a state object with the same content, which S3 replicates as it does any write: a copy of
 * the object onto itself (S3 takes that only with the metadata replaced, so the content type is said again).
 * The copy source is URL-encoded, as S3 reads it.
 */
export const recopyCommand = (bucket: string, key: string) =>
  `aws s3api copy-object --bucket ${shellWord(bucket)} --key ${shellWord(key)} --copy-source ${shellWord(`${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`)} ` +
  "--metadata-directive REPLACE --content-type application/json";
