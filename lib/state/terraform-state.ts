// What a terraform state file (format version 4) says about itself: its serial, its lineage, and the
// resources in it, by the addresses `terraform state list` prints.

interface StateResource {
  readonly module?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly instances: ReadonlyArray<{ readonly index_key?: string | number }>;
}

export interface TerraformState {
  readonly serial: number;
  readonly lineage: string;
  /** Every resource instance, as `terraform state list` prints it. */
  readonly addresses: string[];
}

function addressesOf(resources: readonly StateResource[]): string[] {
  return resources.flatMap((resource) => {
    const base = `${resource.module ? `${resource.module}.` : ""}${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}`;
    return resource.instances.map(({ index_key: index }) =>
      index === undefined ? base : typeof index === "number" ? `${base}[${index}]` : `${base}[${JSON.stringify(index)}]`,
    );
  });
}

/** The state in a state object's body; throws when the body is not a terraform state. */
export function parseState(body: string): TerraformState {
  let state: { version?: number; serial?: unknown; lineage?: unknown; resources?: StateResource[] };
  try {
    state = JSON.parse(body);
  } catch {
    throw new Error("not a terraform state: not JSON");
  }
  if (state.version !== 4 || typeof state.serial !== "number" || typeof state.lineage !== "string") {
    throw new Error("not a terraform state of format version 4");
  }
  return { serial: state.serial, lineage: state.lineage, addresses: addressesOf(state.resources ?? []) };
}

/** The resource instances that replacing state `from` with state `to` adds to the state, and those it removes. */
export function resourceChanges(from: readonly string[], to: readonly string[]): { entering: string[]; leaving: string[] } {
  return { entering: to.filter((address) => !from.includes(address)), leaving: from.filter((address) => !to.includes(address)) };
}

/**
 * The same state body with another serial and lineage. Only those two top-level fields are rewritten, in
 * the text: a JSON round trip would round numbers beyond 2^53 that resource attributes may hold.
 */
export function withSerialAndLineage(body: string, serial: number, lineage: string): string {
  // terraform writes its state indented by two spaces, so top-level fields are the only ones at that depth.
  const rewrite = (text: string, field: string, value: string) => {
    const pattern = new RegExp(`^(  "${field}": )[^\\n]*?(,?)$`, "gm");
    const matches = text.match(pattern)?.length ?? 0;
    if (matches !== 1) throw new Error(`the state's layout is not terraform's: ${matches} top-level "${field}" fields`);
    return text.replace(pattern, (_, head: string, comma: string) => `${head}${value}${comma}`);
  };
  const rewritten = rewrite(rewrite(body, "serial", String(serial)), "lineage", JSON.stringify(lineage));
  const check = parseState(rewritten);
  if (check.serial !== serial || check.lineage !== lineage) throw new Error("rewriting the serial and lineage did not take");
  return rewritten;
}
