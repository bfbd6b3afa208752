// The layout README describes: each folder one concern, lib/ independent of the app's stacks and constructs,
// and no import cycle anywhere. Imports are read with the TypeScript compiler, type-only ones included.
import { execFileSync } from "child_process";
import * as fs from "fs";
import { isBuiltin } from "module";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../config/config";
import { runProcess } from "../lib/process/run-process";

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

interface Import {
  /** The project file imported, relative to the root; undefined for a package. */
  readonly file?: string;
  /** The package imported, such as @aws-sdk/client-s3; undefined for a project file. */
  readonly pkg?: string;
  /** `import type`: gone once types are stripped, so nothing loads at run time. */
  readonly typeOnly: boolean;
}

const packageOf = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

/** What a file imports: statically, dynamically (import()) or for its types alone. */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith(".")) {
      found.push({ pkg: packageOf(specifier), typeOnly });
      return;
    }
    const target = path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, path.dirname(file), specifier));
    found.push({ file: [`${target}.ts`, path.join(target, "index.ts"), target].find((candidate) => fs.existsSync(path.join(PROJECT_ROOT, candidate))), typeOnly });
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause?.isTypeOnly) : node.isTypeOnly;
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(node.arguments[0])) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const imports = new Map(sources.map((file) => [file, importsOf(file)]));
const graph = new Map([...imports].map(([file, each]) => [file, each.flatMap((i) => (i.file ? [i.file] : []))]));
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
  test("every source file is in one of the folders docs/layout.md describes", () => {
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

  test("the app (config/, constructs/, stacks/) loads no AWS SDK: a lookup against AWS is a library's, under lib/aws/", () => {
    const app = sources.filter((file) => ["config", "constructs", "stacks"].some((folder) => under(folder)(file)));
    const loads = app.flatMap((file) =>
      imports
        .get(file)!
        .filter((i) => !i.typeOnly && (i.pkg?.startsWith("@aws-sdk/") || (i.file !== undefined && under("lib")(i.file))))
        .map((i) => `${file} -> ${i.pkg ?? i.file}`),
    );
    expect(loads).toEqual([]);
  });

  test("every package that the app, the commands and lib/ load at run time is a dependency, not a devDependency", () => {
    const { dependencies } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
    const shipped = sources.filter((file) => !under("tools")(file));
    const missing = shipped.flatMap((file) =>
      imports
        .get(file)!
        .filter((i) => i.pkg !== undefined && !i.typeOnly && !isBuiltin(i.pkg) && !(i.pkg in dependencies))
        .map((i) => `${file} -> ${i.pkg}`),
    );
    expect(missing).toEqual([]);
  });

  test("no import cycle", () => {
    expect(cycles()).toEqual([]);
  });

  test("nothing runs at load: every module of the app and lib/ loads without writing a file, starting a process or asking for the user", async () => {
    const modules = sources.filter((file) => ["config", "constructs", "stacks", "lib"].some((folder) => under(folder)(file)));
    // Each of these throws once the loader is in place: a module that calls one while it loads fails to load.
    const refuseSideEffects = `
      const fs = require("fs"), os = require("os"), childProcess = require("child_process");
      const refuse = (what) => () => { throw new Error(what + " at load"); };
      for (const name of ["writeFileSync", "appendFileSync", "mkdirSync", "mkdtempSync", "rmSync", "openSync"]) fs[name] = refuse("fs." + name);
      for (const name of ["spawn", "spawnSync", "execFile", "execFileSync", "exec", "execSync"]) childProcess[name] = refuse(name);
      os.userInfo = refuse("os.userInfo");
      for (const file of JSON.parse(process.argv[1])) require(require("path").resolve(file));
    `;
    const { code, output } = await runProcess("node", ["--require", "./ts-register.js", "-e", refuseSideEffects, JSON.stringify(modules)], { cwd: PROJECT_ROOT });
    expect({ code, output }).toEqual({ code: 0, output: "" });
  }, 60_000);

  test("every file docs/layout.md names exists in its folder", () => {
    const layout = fs.readFileSync(path.join(PROJECT_ROOT, "docs/layout.md"), "utf8");
    const named = [...layout.matchAll(/^\| `([^`]+\/)` \| [^|]+ \| (.+) \|$/gm)].flatMap(([, folder, files]) =>
      [...files.matchAll(/`([\w.-]+\.(?:ts|js))`/g)].map(([, file]) => path.join(folder, file)),
    );
    expect(named.length).toBeGreaterThan(100);
    expect(named.filter((file) => !fs.existsSync(path.join(PROJECT_ROOT, file)))).toEqual([]);
  });
});
