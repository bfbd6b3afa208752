// The lock holder is part of npm run local too, so it lives in lib/.
export { holdStateLock } from "../../../lib/local/lock-holder";
export type { LockHolder } from "../../../lib/local/lock-holder";
