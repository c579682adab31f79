/**
 * The cases every data-bound customer component must pass, written once and
 * run for each of them (they all build on `CrmDataElement`): a busy skeleton
 * while the read is on its way, a failed load announced as an alert whose
 * Retry loads once the read can succeed, a read the proxy refuses shown the
 * same way, and no axe violations loaded, in its interactive state and
 * failed. A component's own test file adds only what is its own.
 */
import { expect, oneEvent } from "@open-wc/testing";
import type { LitElement, TemplateResult } from "lit";
import type { CrmLoadErrorEvent } from "../../../widget/src/components/events.ts";
import { CrmRuntime } from "../../../widget/src/runtime/runtime.ts";
import {
  expectAccessible,
  holdNextAnswer,
  mount,
  runtimeFor,
  shadowPart,
  type TestSession,
} from "../support.ts";

export interface DataBoundComponent<E extends LitElement> {
  /** The element's tag, e.g. `crm-field`. */
  tag: string;
  /**
   * A fresh customer with the data the component shows; `template` reads it,
   * `refused` names what this customer may not read (the proxy answers `refusedCode`).
   */
  setUp(name: string): Promise<{
    session: TestSession;
    template: TemplateResult;
    refused: TemplateResult;
  }>;
  refusedCode: string;
  /** What every loaded element of the template shows (a selector in its shadow root). */
  loaded: string;
  /** Brings the first loaded element into its interactive state (editing, messages shown) for axe. */
  interact?(element: E): Promise<void>;
}

/**
 * Registers the shared cases for one component. Its template may hold several
 * elements of its tag (variants: compact, editable…); every one of them is
 * held to each case.
 */
export function dataBoundSuite<E extends LitElement>(component: DataBoundComponent<E>): void {
  const { tag, loaded } = component;
  const name = (what: string) => `${tag.replace(/^crm-/, "")}-shared-${what}`;
  const elementsIn = (root: HTMLElement) => [...root.querySelectorAll<E>(tag)];
  const showing = (root: HTMLElement, selector: string) =>
    Promise.all(elementsIn(root).map((element) => shadowPart(element, selector)));
  const loadErrorCode = async (root: HTMLElement) =>
    ((await oneEvent(root, "crm-load-error")) as CrmLoadErrorEvent).detail.error.code;

  describe(`${tag}: what every data-bound component does`, () => {
    it("shows a busy skeleton while its read is on its way, then what it read", async () => {
      const { session, template } = await component.setUp(name("loading"));
      const runtime = runtimeFor(session);
      const answer = holdNextAnswer(runtime);
      const root = await mount(template, runtime);
      await answer.sent;
      for (const element of elementsIn(root)) {
        await element.updateComplete;
        expect(element.shadowRoot!.querySelector("[part=skeleton]"), "skeleton").to.exist;
        expect(element.shadowRoot!.querySelector("[aria-busy=true]"), "aria-busy").to.exist;
      }
      answer.release();
      await showing(root, loaded);
      for (const element of elementsIn(root)) {
        expect(element.shadowRoot!.querySelector("[part=skeleton]")).to.equal(null);
      }
    });

    it("announces a failed load as an alert with Retry, which loads once the read can succeed", async () => {
      const { session, template } = await component.setUp(name("retry"));
      let available = false;
      const runtime = new CrmRuntime({
        proxyUrl: session.proxyUrl,
        tokenProvider: () => {
          if (!available) throw new Error("The site's session endpoint is down");
          return session.token;
        },
      });
      const root = await mount(template, runtime);
      const code = loadErrorCode(root);
      const errors = await showing(root, "[part=error]");
      expect(errors.map((error) => error.getAttribute("role"))).to.deep.equal(
        errors.map(() => "alert"),
      );
      expect(await code).to.equal("unauthenticated");
      available = true;
      for (const retry of await showing(root, "[part=retry]")) retry.click();
      await showing(root, loaded);
      for (const element of elementsIn(root)) {
        expect(element.shadowRoot!.querySelector("[part=error]")).to.equal(null);
      }
    });

    it(`shows a read the proxy refuses (${component.refusedCode}) as an alert with Retry`, async () => {
      const { session, refused } = await component.setUp(name("refused"));
      const root = await mount(refused, runtimeFor(session));
      const code = loadErrorCode(root);
      const [error] = await showing(root, "[part=error]");
      expect(error!.getAttribute("role")).to.equal("alert");
      expect(await code).to.equal(component.refusedCode);
      await showing(root, "[part=retry]");
    });

    it("has no axe violations loaded, in its interactive state and failed", async () => {
      const { session, template, refused } = await component.setUp(name("axe"));
      const root = await mount(template, runtimeFor(session));
      await showing(root, loaded);
      await expectAccessible(root);
      if (component.interact) {
        await component.interact(elementsIn(root)[0]!);
        await expectAccessible(root);
      }
      const failed = await mount(refused, runtimeFor(session));
      await showing(failed, "[part=error]");
      await expectAccessible(failed);
    });
  });
}
