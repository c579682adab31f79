import { expect, oneEvent, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import { customerTags as tags } from "../../widget/src/tags.ts";
import {
  freshToken,
  newCustomer,
  runtimeFor,
  selectAll,
  shadowPart,
  shadowText,
  type TestSession,
  trackerCalls,
} from "./support.ts";

/**
 * Pages whose server rendered the customer components with Lit's SSR (test/widget/ssr/pages.ts),
 * each served with its own Content-Security-Policy. `hydrate` names what page.js loads:
 * `crm` the package's hydrate support then the core, `lit` Lit's hydrate support alone then
 * the core, `off` the core alone, `npm` the package's modules (its hydrate support first),
 * `none` nothing (the page as the server sent it).
 */
type Hydrate = "crm" | "lit" | "off" | "npm" | "none";

interface ServerRenderedPage {
  window: Window & { cspViolations: string[]; hydrated?: Promise<void> };
  element<K extends keyof HTMLElementTagNameMap>(tag: K): HTMLElementTagNameMap[K];
}

async function serverRendered(
  page: "hashed" | "strict" | "refused",
  hydrate: Hydrate,
  session?: TestSession,
): Promise<ServerRenderedPage> {
  // One page at a time: the previous test's frame goes.
  for (const previous of document.querySelectorAll("iframe")) previous.remove();
  const frame = document.createElement("iframe");
  frame.width = "900";
  frame.height = "900";
  const query = new URLSearchParams({ hydrate });
  if (session) {
    query.set("proxy", session.proxyUrl);
    query.set("token", await freshToken(session));
  }
  frame.src = `/test/widget/ssr/${page}.html?${query}`;
  const loaded = new Promise((resolve) => frame.addEventListener("load", resolve));
  document.body.append(frame);
  await loaded;
  const window = frame.contentWindow as ServerRenderedPage["window"];
  return {
    window,
    element: (tag) => window.document.querySelector(tag)!,
  };
}

/** Whether crm-field has its stylesheet: its `.field` is `inline-flex` only there. */
function fieldStyled(page: ServerRenderedPage): boolean {
  const base = page.element("crm-field").shadowRoot!.querySelector("[part=base]")!;
  return page.window.getComputedStyle(base).display === "inline-flex";
}

/** The background of crm-field's skeleton: the theme's skeleton color once styled. */
function skeletonColor(page: ServerRenderedPage): string {
  const skeleton = page.element("crm-field").shadowRoot!.querySelector(".skeleton")!;
  return page.window.getComputedStyle(skeleton).backgroundColor;
}

/** Waits for every component's data from the proxy, then edits and saves the weight inline. */
async function readsAndSaves(page: ServerRenderedPage, session: TestSession): Promise<void> {
  const field = page.element("crm-field");
  await waitUntil(() => shadowText(field, "[part=value]") === "81.5 kg", "no weight", {
    timeout: 10_000,
  });
  const progress = page.element("crm-pipeline-progress");
  await waitUntil(() => progress.shadowRoot!.querySelector(".stage.current"), "no stage", {
    timeout: 10_000,
  });
  await shadowPart(page.element("crm-form"), "[part=form]");
  await shadowPart(page.element("crm-entries"), "[part=empty]");
  // The weight keeps no history in the test entity: the chart's empty state, read from the proxy.
  await shadowPart(page.element("crm-field-history"), "[part=empty]");
  // Hydration took the server's shadow root over: one copy of each component, not two.
  for (const tag of tags) {
    const root = page.element(tag).shadowRoot!;
    expect(root.querySelectorAll("[part=skeleton]").length, tag).to.equal(0);
  }
  expect(field.shadowRoot!.querySelectorAll("[part=base]").length).to.equal(1);

  (await shadowPart<HTMLButtonElement>(field, "[part=edit-button]")).click();
  await shadowPart(field, "[part=input]");
  await selectAll();
  await sendKeys({ type: "79.4" });
  const saved = oneEvent(field, "crm-save");
  await sendKeys({ press: "Enter" });
  expect((await saved).detail.fields[0]!.value).to.equal(79.4);
  await waitUntil(() => shadowText(field, "[part=value]") === "79.4 kg");
  const stored = await runtimeFor(session).getCrmField({
    slug: "tracker",
    fieldKey: "current_weight",
  });
  expect(stored.value).to.equal(79.4);
}

const customer = (name: string) =>
  newCustomer(name, trackerCalls({ current_weight: 81.5 }, { progress: "in_progress" }));

describe("server-rendered with Lit SSR", () => {
  it("with the style hashes in style-src, the server's HTML shows each styled skeleton before any script, with no violation", async () => {
    const page = await serverRendered("hashed", "none");
    for (const tag of tags) {
      const root = page.element(tag).shadowRoot;
      expect(root, `${tag} has its declarative shadow root`).to.not.equal(null);
      const skeleton = root!.querySelector("[part=skeleton]")!;
      expect(skeleton, tag).to.not.equal(null);
      expect(page.window.customElements.get(tag), tag).to.equal(undefined);
    }
    expect(skeletonColor(page)).to.equal("rgb(232, 235, 239)");
    expect(page.window.cspViolations).to.deep.equal([]);
  });

  it("with the style hashes, the package's hydrate support and the core hydrate them; they read the proxy and save an edit, with no violation", async () => {
    const session = await customer("ssr-hashed");
    const page = await serverRendered("hashed", "crm", session);
    await readsAndSaves(page, session);
    expect(fieldStyled(page)).to.equal(true);
    expect(page.window.cspViolations).to.deep.equal([]);
  });

  it("rendered without <style> for style-src 'self': no violation, unstyled until hydrated, then styled through adopted stylesheets, reading and saving", async () => {
    const server = await serverRendered("strict", "none");
    const field = server.element("crm-field");
    expect(field.shadowRoot!.querySelector("style")).to.equal(null);
    expect(shadowText(field, "[part=base]")).to.equal("Loading…");
    expect(skeletonColor(server)).to.equal("rgba(0, 0, 0, 0)");
    expect(server.window.cspViolations).to.deep.equal([]);

    const session = await customer("ssr-strict");
    const page = await serverRendered("strict", "crm", session);
    await readsAndSaves(page, session);
    for (const tag of tags) {
      expect(page.element(tag).shadowRoot!.adoptedStyleSheets.length, tag).to.be.greaterThan(0);
    }
    expect(fieldStyled(page)).to.equal(true);
    expect(page.window.cspViolations).to.deep.equal([]);
  });

  it("rendered without <style>, the npm package's modules (its hydrate support imported first) hydrate them; they read and save, with no violation", async () => {
    const session = await customer("ssr-npm");
    const page = await serverRendered("strict", "npm", session);
    await readsAndSaves(page, session);
    expect(fieldStyled(page)).to.equal(true);
    expect(page.window.cspViolations).to.deep.equal([]);
  });

  it("Lit's own output under style-src 'self' is refused: one violation per component, and Lit's hydrate support alone leaves them unstyled", async () => {
    const session = await customer("ssr-refused");
    const page = await serverRendered("refused", "lit", session);
    await waitUntil(
      () => shadowText(page.element("crm-field"), "[part=value]") === "81.5 kg",
      "no weight",
      {
        timeout: 10_000,
      },
    );
    expect(page.window.cspViolations.length).to.equal(tags.length);
    for (const violation of page.window.cspViolations)
      expect(violation).to.match(/^style-src-elem inline/);
    expect(page.element("crm-field").shadowRoot!.adoptedStyleSheets.length).to.equal(0);
    expect(fieldStyled(page)).to.equal(false);
  });

  it("without a hydrate support, the core renders a second copy beside the server's skeleton", async () => {
    const session = await customer("ssr-no-hydrate");
    const page = await serverRendered("hashed", "off", session);
    const field = page.element("crm-field");
    await shadowPart(field, "[part=value]");
    expect(field.shadowRoot!.querySelectorAll("[part=base]").length).to.equal(2);
    expect(field.shadowRoot!.querySelector("[part=skeleton]")).to.not.equal(null);
  });
});
