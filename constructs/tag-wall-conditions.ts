// Conditions that keep a CI role to its own target's resources: it creates them only with its tag, changes and
// deletes only what carries it, and moves nothing into or out of its target by changing the tag.
import { TagWall } from "../config/tag-wall";

const requestTag = ({ key }: TagWall) => `aws:RequestTag/${key}`;
const resourceTag = ({ key }: TagWall) => `aws:ResourceTag/${key}`;

/** Created carrying the wall's tag. */
export const createdInside = (wall: TagWall) => ({ StringEquals: { [requestTag(wall)]: wall.values } });

/** Already carrying the wall's tag. */
export const inside = (wall: TagWall) => ({ StringEquals: { [resourceTag(wall)]: wall.values } });

/** Tags added to a resource inside, which may leave the wall's tag alone but never give it another value. */
export const retaggedInside = (wall: TagWall) => ({
  StringEquals: { [resourceTag(wall)]: wall.values },
  StringEqualsIfExists: { [requestTag(wall)]: wall.values },
});

/** Tags removed from a resource inside, never the wall's own. */
export const untaggedInside = (wall: TagWall) => ({
  StringEquals: { [resourceTag(wall)]: wall.values },
  "ForAllValues:StringNotEquals": { "aws:TagKeys": [wall.key] },
});

/**
 * A resource with no wall tag at all, given this wall's: how the tag reaches what AWS creates untagged (a VPC's
 * default security group) or tags only after creating it (a log group). Never a resource of another wall.
 */
export const claimedIntoWall = (wall: TagWall) => ({
  Null: { [resourceTag(wall)]: "true" },
  StringEquals: { [requestTag(wall)]: wall.values },
});
