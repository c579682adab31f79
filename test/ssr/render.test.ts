/**
 * The customer components rendered on a server with Lit's own SSR (`@lit-labs/ssr`), in
 * Node without a DOM, as a Next.js, Nuxt, SvelteKit or Astro server would: declarative
 * shadow roots holding each component's loading state, and no request (a server has no
 * session token). Hydration in the browser is proven by test/widget/ssr.test.ts.
 */
import { createHash } from "node:crypto";
import { render } from "@lit-labs/ssr";
import { collectResult } from "@lit-labs/ssr/lib/render-result.js";
import { css, html, LitElement, type TemplateResult } from "lit";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import "../../widget/src/index.ts";
import "../../widget/src/components/crm-field-history/crm-field-history.ts";
import { crmElementRenderers, crmStyleHashes } from "../../widget/src/ssr/server.ts";
import { customerTags } from "../../widget/src/tags.ts";

/** Every fetch a render makes; a server render must make none. */
let requests: string[] = [];
const realFetch = globalThis.fetch;

beforeEach(() => {
  requests = [];
  globalThis.fetch = async (input) => {
    requests.push(String(input instanceof Request ? input.url : input));
    throw new Error("a server render must not fetch");
  };
});

afterEach(() => {
  globalThis.fetch = realFetch;
});

const renderHtml = (value: TemplateResult, options = {}) => collectResult(render(value, options));

/** The tags of the page every test renders, with the attributes a site owner writes. */
const page = html`<crm-field slug="tracker" field="current_weight" editable></crm-field>
  <crm-pipeline-progress slug="tracker" pipeline="progress" layout="compact"></crm-pipeline-progress>
  <crm-form slug="tracker" fields="current_weight,mood"></crm-form>
  <crm-entries slug="deals"></crm-entries>
  <crm-field-history slug="tracker" field="current_weight"></crm-field-history>`;

/** The declarative shadow root of `tag` in `markup`, with its host's opening tag. */
function shadowOf(markup: string, tag: string): { host: string; root: string } {
  const match = new RegExp(
    `<${tag}\\b([^>]*)><template shadowroot="open" shadowrootmode="open">(.*?)</template></${tag}>`,
    "s",
  ).exec(markup);
  if (!match) throw new Error(`no declarative shadow root for ${tag} in:\n${markup}`);
  return { host: match[1] ?? "", root: match[2] ?? "" };
}

/** A shadow root's text as a reader hears it: markup and Lit's hydration comments removed. */
const textOf = (root: string) =>
  root
    .replace(/<style>.*?<\/style>/gs, "")
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();

describe("Lit SSR of the customer components", () => {
  test("each renders its loading state into a declarative shadow root with its styles, and fetches nothing", async () => {
    const markup = await renderHtml(page);
    for (const tag of customerTags) {
      const { root } = shadowOf(markup, tag);
      expect(root, tag).toMatch(/^<style>.+<\/style>/s);
      expect(root, tag).toContain('part="skeleton"');
      expect(root, tag).toContain('aria-busy="true"');
      expect(textOf(root), tag).toBe("Loading…");
    }
    expect(requests).toEqual([]);
  });

  test("the hosts keep the attributes the page gave them, so the browser reads the same data", async () => {
    const markup = await renderHtml(page);
    expect(shadowOf(markup, "crm-field").host).toMatch(
      /slug="tracker" field="current_weight" editable/,
    );
    expect(shadowOf(markup, "crm-form").host).toContain('fields="current_weight,mood"');
  });

  test("the skeleton follows the attributes: one row per listed form field, the compact bar", async () => {
    const markup = await renderHtml(page);
    expect(shadowOf(markup, "crm-form").root.match(/class="sk-field"/g)).toHaveLength(2);
    expect(shadowOf(markup, "crm-pipeline-progress").root).toContain(
      'class="loading compact-skeleton"',
    );
  });

  test("the words follow the element's lang attribute, as they do in the browser", async () => {
    const markup = await renderHtml(
      html`<crm-field lang="de" slug="tracker" field="mood"></crm-field>`,
    );
    expect(textOf(shadowOf(markup, "crm-field").root)).toBe("Wird geladen…");
  });

  test("crmStyleHashes gives the SHA-256 of each <style> the render wrote, as CSP sources", async () => {
    const markup = await renderHtml(page);
    const hashes = await crmStyleHashes(customerTags);
    const written = customerTags.map((tag) => {
      const style = /^<style>(.*?)<\/style>/s.exec(shadowOf(markup, tag).root)?.[1] ?? "";
      return `'sha256-${createHash("sha256").update(style).digest("base64")}'`;
    });
    expect(hashes).toEqual(written);
    expect(new Set(hashes).size).toBe(customerTags.length);
  });

  test("crmStyleHashes refuses a tag whose module was not imported", async () => {
    await expect(crmStyleHashes(["crm-unknown"])).rejects.toThrow("crm-unknown is not defined");
  });

  test("with crmElementRenderers the CRM components come without <style>; other Lit elements keep theirs", async () => {
    class SiteBadge extends LitElement {
      static override styles = css`
        :host {
          font-weight: bold;
        }
      `;
      protected override render() {
        return html`<span>New</span>`;
      }
    }
    if (!customElements.get("site-badge")) customElements.define("site-badge", SiteBadge);
    const markup = await renderHtml(html`${page}<site-badge></site-badge>`, {
      elementRenderers: crmElementRenderers,
    });
    for (const tag of customerTags) {
      const { root } = shadowOf(markup, tag);
      expect(root, tag).not.toContain("<style>");
      expect(root, tag).toContain('part="skeleton"');
    }
    expect(shadowOf(markup, "site-badge").root).toMatch(/^<style>.*font-weight: bold.*<\/style>/s);
    expect(requests).toEqual([]);
  });
});
