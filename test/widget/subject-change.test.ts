import { expect, waitUntil } from "@open-wc/testing";
import { html } from "lit";
import "../../widget/src/components/crm-field/crm-field.ts";
import { CrmRuntime } from "../../widget/src/runtime/runtime.ts";
import type { Fetch } from "../../widget/src/runtime/transport.ts";
import { mount, newCustomer, shadowText, type TestSession, trackerCalls } from "./support.ts";

/**
 * Two tabs of one site: in the other tab the visitor signs out and someone
 * else signs in. This tab's token then expires; the token provider (the
 * site's token endpoint, which follows the site's sign-in) answers with the
 * new customer's token. Nothing the page read as the previous customer may
 * stay on it, and nothing it meant as theirs may be sent as the new one's.
 */
describe("a token renewed for another customer", () => {
  async function customer(name: string, nickname: string, weight: number) {
    const session = await newCustomer(name, trackerCalls({ notes: nickname, goal_weight: weight }));
    return session;
  }

  /**
   * The real proxy's fetch, except that once `expire()` ran the first
   * customer's token is sent as it is once its time is up (the same subject,
   * an `exp` in the past): the proxy itself refuses it with 401.
   */
  function expiringFetch(first: TestSession): { fetch: Fetch; expire(): void } {
    let expired = false;
    return {
      expire: () => {
        expired = true;
      },
      fetch: (url, init) => {
        const headers = new Headers(init.headers);
        if (expired && headers.get("authorization") === `Bearer ${first.token}`) {
          headers.set("authorization", `Bearer ${first.expiredToken}`);
        }
        return fetch(url, { ...init, headers });
      },
    };
  }

  /**
   * Ada's and Bob's sessions, and this tab's runtime signed in as Ada. After
   * `switchToBob()` the other tab has signed Bob in: the token provider answers
   * with his token, and Ada's token here has run out.
   */
  async function adaThenBob(suffix: string) {
    const ada = await customer(`subject-ada${suffix}`, "Ada's notes", 61);
    const bob = await customer(`subject-bob${suffix}`, "Bob's notes", 82);
    let signedIn = ada;
    const network = expiringFetch(ada);
    const runtime = new CrmRuntime({
      proxyUrl: ada.proxyUrl,
      locale: "en-US",
      tokenProvider: () => signedIn.token,
      fetch: network.fetch,
    });
    const switchToBob = () => {
      signedIn = bob;
      network.expire();
    };
    return { bob, runtime, switchToBob };
  }

  it("drops what was read as the previous customer: every widget shows the new one's values", async () => {
    const { runtime, switchToBob } = await adaThenBob("");
    const root = await mount(
      html`<crm-field slug="tracker" field="notes"></crm-field>
        <crm-field slug="tracker" field="goal_weight"></crm-field>`,
      runtime,
    );
    const notes = root.querySelector<HTMLElement>("crm-field[field=notes]")!;
    const goal = root.querySelector<HTMLElement>("crm-field[field=goal_weight]")!;
    await waitUntil(() => shadowText(notes, "[part=value]") === "Ada's notes");
    await waitUntil(() => shadowText(goal, "[part=value]").includes("61"));

    // The other tab: Ada signs out, Bob signs in; Ada's token here runs out.
    switchToBob();
    // Any read now (a widget added, a re-render) meets the 401 and the renewed token.
    const later = document.createElement("crm-field");
    later.setAttribute("slug", "tracker");
    later.setAttribute("field", "last_checkin");
    root.append(later);

    await waitUntil(
      () => shadowText(notes, "[part=value]") === "Bob's notes",
      "the notes widget shows Bob's notes",
    );
    await waitUntil(() => shadowText(goal, "[part=value]").includes("82"), "Bob's goal weight");
    expect(shadowText(notes, "[part=value]")).not.to.contain("Ada");
  });

  it("does not send a request refused as the previous customer again as the new one", async () => {
    const { bob, runtime, switchToBob } = await adaThenBob("-write");
    expect((await runtime.getCrmField({ slug: "tracker", fieldKey: "notes" })).value).to.equal(
      "Ada's notes",
    );
    switchToBob();
    const write = runtime.setCrmField({ slug: "tracker", fieldKey: "notes", value: "by Ada" });
    let refused: unknown;
    await write.catch((error: unknown) => {
      refused = error;
    });
    expect(refused).to.have.property("code", "unauthenticated");
    // Bob's notes are untouched: Ada's write was not sent with Bob's token.
    const fresh = new CrmRuntime({ proxyUrl: bob.proxyUrl, token: bob.token });
    expect((await fresh.getCrmField({ slug: "tracker", fieldKey: "notes" })).value).to.equal(
      "Bob's notes",
    );
  });
});
