import { DeleteMarkerEntry, ListObjectVersionsCommand, ObjectVersion } from "@aws-sdk/client-s3";
import { AwsClients } from "./clients";

export interface BucketVersions {
  readonly versions: ObjectVersion[];
  readonly deleteMarkers: DeleteMarkerEntry[];
}

/** Every object version and delete marker whose key starts with the prefix (all of them without one), in S3's order: by key, newest first. */
export async function listObjectVersions({ s3 }: AwsClients, bucket: string, prefix?: string): Promise<BucketVersions> {
  const listed: BucketVersions = { versions: [], deleteMarkers: [] };
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  do {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker, VersionIdMarker }));
    listed.versions.push(...(page.Versions ?? []));
    listed.deleteMarkers.push(...(page.DeleteMarkers ?? []));
    [KeyMarker, VersionIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextVersionIdMarker] : [undefined, undefined];
  } while (KeyMarker);
  return listed;
}
