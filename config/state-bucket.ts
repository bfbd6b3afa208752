// The state bucket's settings by name: each is a terraform resource of its own in the bootstrap stack, and
// each is read back by name before an adopting deploy.

export const BUCKET_SETTINGS = ["versioning", "encryption", "publicAccessBlock", "ownership", "lifecycle", "policy"] as const;

export type BucketSetting = (typeof BUCKET_SETTINGS)[number];
