/**
 * Shrinks the text of template literals in component sources before esbuild
 * bundles them (esbuild minifies code, not the HTML and CSS inside Lit's
 * `html` and `css` templates): line breaks with their indentation become one
 * space (what HTML renders them as anyway), `html` and `svg` templates lose
 * the line break before a tag's closing `>` (inside a tag, where HTML ignores
 * it), and `css` templates also lose comments and the spaces around punctuation.
 */
import { readFile } from "node:fs/promises";
import type { Plugin } from "esbuild";

/** What a template literal holds, by its tag: Lit's `css`, Lit's `html` or `svg`, or text. */
type Kind = "css" | "markup" | "text";

function compactText(text: string, kind: Kind): string {
  // Whitespace alone between two tags is never shown in these templates' flex and grid layouts.
  let out = text.replace(/>\s*\n\s*</g, "><");
  // A tag closed on a line of its own (`\n  >` or `\n  />`): the break is inside the tag.
  if (kind === "markup") out = out.replace(/\s*\n\s*(?=\/?>)/g, "");
  out = out.replace(/\s*\n\s*/g, " ");
  if (kind === "css") {
    out = out
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\s*([{};,>])\s*/g, "$1")
      .replace(/:\s+/g, ":")
      .replace(/;}/g, "}")
      .replace(/([\s:(,-])0\.(\d)/g, "$1.$2")
      .replace(/\s{2,}/g, " ");
  }
  return out;
}

/** Rewrites every template literal's static text; code, strings and comments stay as they are. */
export function minifyTemplates(source: string): string {
  let out = "";
  let i = 0;
  // Each open template remembers its kind and the brace depth of its `${}` holes.
  const stack: { kind: Kind; depth: number }[] = [];
  let depth = 0;
  const inTemplateText = () => stack.length > 0 && stack[stack.length - 1]!.depth === -1;
  const readTemplateText = (kind: Kind) => {
    let text = "";
    while (i < source.length) {
      const c = source[i]!;
      if (c === "\\") {
        text += c + (source[i + 1] ?? "");
        i += 2;
      } else if (c === "`") {
        out += `${compactText(text, kind)}\``;
        i++;
        stack.pop();
        return;
      } else if (c === "$" && source[i + 1] === "{") {
        out += `${compactText(text, kind)}\${`;
        i += 2;
        stack[stack.length - 1]!.depth = depth;
        depth++;
        return;
      } else {
        text += c;
        i++;
      }
    }
    out += text;
  };
  while (i < source.length) {
    if (inTemplateText()) {
      readTemplateText(stack[stack.length - 1]!.kind);
      continue;
    }
    const c = source[i]!;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2) + 2;
      out += source.slice(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === "\\" ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (c === "`") {
      const kind = /\bcss\s*$/.test(out) ? "css" : /\b(html|svg)\s*$/.test(out) ? "markup" : "text";
      out += c;
      i++;
      stack.push({ kind, depth: -1 });
    } else if (c === "{") {
      depth++;
      out += c;
      i++;
    } else if (c === "}") {
      depth--;
      const top = stack[stack.length - 1];
      if (top && top.depth === depth) {
        top.depth = -1;
      }
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** esbuild plugin applying `minifyTemplates` to the widget's own sources. */
export function minifyTemplatesPlugin(): Plugin {
  return {
    name: "minify-templates",
    setup(build) {
      build.onLoad({ filter: /widget\/src\/.*\.ts$/ }, async (args) => ({
        contents: minifyTemplates(await readFile(args.path, "utf8")),
        loader: "ts",
      }));
    },
  };
}
