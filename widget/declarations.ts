/**
 * The published type declarations, self-contained: tsc emits them with the
 * repository's layout (`widget/src/…`, `proxy/src/domain/…`) and with the
 * specifiers as written (`#domain/browser`, the one import-map entry the
 * widget uses, which only this repository's package.json resolves, and `.ts`
 * extensions). This moves them to `dist/types/` (the
 * shared domain model to `dist/types/model/`) and rewrites every specifier to
 * a relative `.js` one, then proves it by type-checking a consumer outside
 * the repository.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const tsc = join(root, "node_modules/typescript/bin/tsc");

/** Where a declaration of a repository file goes under dist/types (none outside these two trees). */
function placeOf(source: string, types: string): string {
  const path = relative(root, source).replaceAll("\\", "/");
  if (path.startsWith("widget/src/")) return join(types, path.slice("widget/src/".length));
  if (path.startsWith("proxy/src/domain/")) {
    return join(types, "model", path.slice("proxy/src/domain/".length));
  }
  throw new Error(`A widget declaration refers to ${path}, which is not published`);
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".d.ts"))
    .map((file) => join(dir, file));
}

/** Emits the declarations of widget/src (and what they import) into `types`, self-contained. */
export function writeDeclarations(types: string): void {
  const emitted = join(dirname(types), ".declarations");
  rmSync(emitted, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, "-p", "widget/tsconfig.build.json", "--outDir", emitted], {
    cwd: root,
    stdio: "inherit",
  });
  for (const file of declarationFiles(emitted)) {
    // The repository file this declares, e.g. <root>/widget/src/index.ts.
    const source = join(root, relative(emitted, file)).replace(/\.d\.ts$/, ".ts");
    const target = placeOf(source, types).replace(/\.ts$/, ".d.ts");
    const text = readFileSync(file, "utf8").replace(
      /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])([^"']+)\2/g,
      (whole, keyword: string, quote: string, specifier: string) => {
        let imported: string;
        if (specifier === "#domain/browser") imported = join(root, "proxy/src/domain/browser.ts");
        else if (specifier.startsWith(".")) imported = resolve(dirname(source), specifier);
        else return whole;
        let path = relative(dirname(target), placeOf(imported, types).replace(/\.ts$/, ".js"));
        if (!path.startsWith(".")) path = `./${path}`;
        return `${keyword}${quote}${path.replaceAll("\\", "/")}${quote}`;
      },
    );
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  rmSync(emitted, { recursive: true, force: true });
}

/**
 * Type-checks a small page script outside the repository against `types/index.d.ts`
 * (strict, declarations checked too); throws with tsc's output when it fails.
 */
export function checkDeclarations(types: string): void {
  const consumer = mkdtempSync(join(tmpdir(), "crm-widgets-consumer-"));
  const entry = join(types, "index.js").replaceAll("\\", "/");
  try {
    writeFileSync(join(consumer, "package.json"), '{ "type": "module" }\n');
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ["page.ts"],
      }),
    );
    writeFileSync(
      join(consumer, "page.ts"),
      `import { type CrmSaveEvent, CrmForm, configure, getCrmField } from ${JSON.stringify(entry)};
configure({ proxyUrl: "https://crm.example.com", locale: "de-DE" });
const field = await getCrmField({ slug: "weight-tracker", fieldKey: "current_weight" });
const value: string | number | boolean | null = field.value;
const form: CrmForm = document.createElement("crm-form");
form.slug = "weight-tracker";
document.addEventListener("crm-save", (event: CrmSaveEvent) => {
  const keys: string[] = event.detail.fields.map((saved) => saved.fieldKey);
  console.log(keys, value, form.fields);
});
`,
    );
    try {
      execFileSync(process.execPath, [tsc, "-p", consumer], { encoding: "utf8" });
    } catch (error) {
      const output = (error as { stdout?: string }).stdout ?? String(error);
      throw new Error(`dist/types does not type-check from outside the repository:\n${output}`);
    }
  } finally {
    rmSync(consumer, { recursive: true, force: true });
  }
}
