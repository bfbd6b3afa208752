import { DeleteObjectsCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { AwsClients } from "./clients";

/**
 * Deletes every object version and every delete marker, one listing page (at most 1,000) per batch.
 * Each round lists from the start again: a continuation marker that names a version just deleted is
 * not honoured by every S3 implementation (moto stops listing there).
 * Call it while versioning is still Enabled: once Suspended, moto 5.2 answers DeleteObjects on delete
 * markers with a 500.
 */
export async function emptyVersionedBucket({ s3 }: AwsClients, bucket: string, pageSize = 1000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: pageSize }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({ Key, VersionId }));
    if (objects.length === 0) return deleted;
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    if (result.Errors?.length) {
      const [first] = result.Errors;
      throw new Error(`could not delete ${result.Errors.length} object version(s), first ${first.Key}@${first.VersionId}: ${first.Code} ${first.Message}`);
    }
    deleted += objects.length;
  }
}
