// The AWS SDK warns, in nine lines, on every node older than 22. Node 20 still runs every command here
// (package.json's engines), so a command says it once, in one line, and points at .nvmrc.

const SDK_WARNING = "NodeVersionSupportWarning";
const RECOMMENDED_MAJOR = 22;

export const nodeMajor = (version: string = process.version): number => Number(/^v?(\d+)/.exec(version)?.[1] ?? NaN);

/** The one line for an old node, or undefined on 22 and later. */
export function nodeSupportNote(version: string = process.version): string | undefined {
  const major = nodeMajor(version);
  if (!(major < RECOMMENDED_MAJOR)) return undefined;
  return `note: node ${major} is past its end of life; node 22 or 24 is recommended (.nvmrc)`;
}

const isSdkNodeWarning = (warning: unknown, type: unknown): boolean =>
  [warning instanceof Error ? `${warning.name} ${warning.message}` : String(warning), String(type ?? "")].some((text) => text.includes(SDK_WARNING));

/**
 * Replaces the SDK's multi-line NodeVersionSupportWarning with one line on stderr, printed once and only
 * when the SDK loads; every other warning goes through as before. Returns a function that undoes it.
 */
export function quietNodeVersionWarning(printNote: (line: string) => void = (line) => console.error(line)): () => void {
  const original = process.emitWarning;
  let noted = false;
  const filtered = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (isSdkNodeWarning(warning, type)) {
      const note = nodeSupportNote();
      if (note && !noted) printNote(note);
      noted = true;
      return;
    }
    return (original as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  process.emitWarning = filtered;
  return () => {
    if (process.emitWarning === filtered) process.emitWarning = original;
  };
}
