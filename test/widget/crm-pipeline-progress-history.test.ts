import { expect, waitUntil } from "@open-wc/testing";
import { html } from "lit";
import type { CrmPipelineProgress } from "../../widget/src/components/crm-pipeline-progress/crm-pipeline-progress.ts";
import "../../widget/src/components/crm-pipeline-progress/crm-pipeline-progress.ts";
import { expectAccessible, mount, newSession, runtimeFor, screenshot, seed } from "./support.ts";

const DAY = 86_400_000;

describe("crm-pipeline-progress with stage history", () => {
  it("says how long the entry has been in its stage and when each reached stage was reached", async () => {
    const session = await newSession("progress-history");
    const started = new Date(Date.now() - 60 * DAY);
    const moved = new Date(Date.now() - 22 * DAY);
    await seed(session, [
      {
        op: "setCrmStage",
        args: { slug: "tracker", pipeline: "progress", stage: "starting" },
        at: started.toISOString(),
      },
      {
        op: "setCrmStage",
        args: { slug: "tracker", pipeline: "progress", stage: "in_progress" },
        at: moved.toISOString(),
      },
    ]);
    const root = await mount(
      html`<crm-pipeline-progress slug="tracker" pipeline="progress" show-history></crm-pipeline-progress>`,
      runtimeFor(session),
    );
    const element = root.querySelector("crm-pipeline-progress") as CrmPipelineProgress;
    await waitUntil(
      () => element.shadowRoot?.querySelector("[part~=stage-reached]"),
      "no reached dates shown",
      { timeout: 10_000 },
    );
    const day = (at: Date) => new Intl.DateTimeFormat("en-US", { dateStyle: "medium" }).format(at);
    // 22 days in the stage: counted in whole weeks from two weeks on.
    expect(element.shadowRoot!.querySelector("[part=since]")!.textContent).to.contain(
      `since ${day(moved)} · 3 weeks`,
    );
    const reached = [...element.shadowRoot!.querySelectorAll("[part~=stage-reached]")].map((node) =>
      node.textContent?.trim(),
    );
    expect(reached).to.deep.equal([day(started), day(moved)]);
    await expectAccessible(element);
    await screenshot(root, "crm-pipeline-progress-history");
  });
});
