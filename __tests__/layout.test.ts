// The layout README describes: each folder one concern, lib/ independent of the app's stacks and constructs,
// and no import cycle anywhere. Imports are read with the TypeScript compiler, type-only ones included.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../config/config";

const SOURCE_FOLDERS = [
  ".",
  "config",
  "constructs",
  "stacks",
  "bin",
  "lib/commands",
  "lib/cli",
  "lib/process",
  "lib/aws",
  "lib/state",
  "lib/locks",
  "lib/health",
  "lib/local",
  "tools",
];

const sources = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], { cwd: PROJECT_ROOT, encoding: "utf8" })
  .split("\n")
  .filter((file) => file && !file.startsWith("__tests__/") && !file.startsWith("bench/"));

/** Each project file a file imports (statically, dynamically or for its types alone), relative to the root. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, path.dirname(file), name)))
    .map((target) => [`${target}.ts`, path.join(target, "index.ts"), target].find((candidate) => fs.existsSync(path.join(PROJECT_ROOT, candidate)))!);
}

const graph = new Map(sources.map((file) => [file, importsOf(file)]));
const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);

/** Every import cycle, as the files on it: Tarjan's strongly connected components of more than one file. */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe("the layout", () => {
  test("every source file is in one of the folders README's Layout describes", () => {
    expect(sources.filter((file) => !SOURCE_FOLDERS.includes(path.dirname(file)))).toEqual([]);
    expect(SOURCE_FOLDERS.filter((folder) => !sources.some((file) => path.dirname(file) === folder))).toEqual([]);
  });

  test("nothing under lib/ imports stacks/ or constructs/", () => {
    const crossing = sources.filter(under("lib")).flatMap((file) => graph.get(file)!.filter((target) => under("stacks")(target) || under("constructs")(target)).map((target) => `${file} -> ${target}`));
    expect(crossing).toEqual([]);
  });

  test("config/ imports only config/: plain names and settings, which anything may load", () => {
    const crossing = sources.filter(under("config")).flatMap((file) => graph.get(file)!.filter((target) => !under("config")(target)).map((target) => `${file} -> ${target}`));
    expect(crossing).toEqual([]);
  });

  test("no import cycle", () => {
    expect(cycles()).toEqual([]);
  });

  test("every file README's Layout names exists in its folder", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const layout = readme.slice(readme.indexOf("## Layout"));
    const named = [...layout.matchAll(/^\| `([^`]+\/)` \| [^|]+ \| (.+) \|$/gm)].flatMap(([, folder, files]) =>
      [...files.matchAll(/`([\w.-]+\.(?:ts|js))`/g)].map(([, file]) => path.join(folder, file)),
    );
    expect(named.length).toBeGreaterThan(100);
    expect(named.filter((file) => !fs.existsSync(path.join(PROJECT_ROOT, file)))).toEqual([]);
  });
});
