import * as fs from "fs";
import * as path from "path";

/** Each stack's cdk.tf.json in a synth output directory, by stack name. */
export function stackJson(outdir: string): Map<string, Buffer> {
  const stacks = path.join(outdir, "stacks");
  const names = fs.existsSync(stacks) ? fs.readdirSync(stacks).sort() : [];
  return new Map(
    names.filter((name) => fs.existsSync(path.join(stacks, name, "cdk.tf.json"))).map((name) => [name, fs.readFileSync(path.join(stacks, name, "cdk.tf.json"))]),
  );
}

const firstDifference = (a: Buffer, b: Buffer): number => {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return length;
};

/** How one synth's stacks differ from the reference's, one line each; empty when every byte is the same. */
export function outputDifferences(reference: Map<string, Buffer>, other: Map<string, Buffer>): string[] {
  const differences: string[] = [];
  for (const [name, bytes] of reference) {
    const mine = other.get(name);
    if (!mine) differences.push(`${name}: missing`);
    else if (!mine.equals(bytes)) differences.push(`${name}: differs from byte ${firstDifference(bytes, mine)}`);
  }
  for (const name of other.keys()) if (!reference.has(name)) differences.push(`${name}: not in the reference`);
  return differences;
}
