import { expect, oneEvent, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import { html, type TemplateResult } from "lit";
import type { CrmPipelineProgress } from "../../widget/src/components/crm-pipeline-progress/crm-pipeline-progress.ts";
import "../../widget/src/components/crm-pipeline-progress/crm-pipeline-progress.ts";
import { dataBoundSuite } from "./shared/data-bound.ts";
import {
  expectAccessible,
  holdNextAnswer,
  mountLoaded,
  newCustomer,
  newSession,
  runtimeFor,
  screenshot,
  seedEntry,
  shadowText,
  type TestSession,
  trackerCalls,
} from "./support.ts";

/** Mounts `template` on a runtime of its own (unless given) once every crm-pipeline-progress in it has loaded. */
function mountProgress(
  session: TestSession,
  template: TemplateResult,
  runtime = runtimeFor(session),
) {
  return mountLoaded(template, runtime, "crm-pipeline-progress", "[part=stages], [part=error]");
}

function stageTexts(element: CrmPipelineProgress): string[] {
  return [...element.shadowRoot!.querySelectorAll("[part~=stage]")].map((stage) =>
    (stage.textContent ?? "").replace(/\s+/g, " ").trim(),
  );
}

dataBoundSuite<CrmPipelineProgress>({
  tag: "crm-pipeline-progress",
  async setUp(name) {
    const session = await newCustomer(name, trackerCalls({}, { progress: "in_progress" }));
    return {
      session,
      // Read-only with descriptions, movable (plan_choice) and compact.
      template: html`<crm-pipeline-progress slug="tracker" pipeline="progress" show-descriptions></crm-pipeline-progress>
        <crm-pipeline-progress slug="tracker" pipeline="plan_choice"></crm-pipeline-progress>
        <crm-pipeline-progress slug="tracker" pipeline="progress" layout="compact"></crm-pipeline-progress>`,
      refused: html`<crm-pipeline-progress slug="tracker" pipeline="nope"></crm-pipeline-progress>`,
    };
  },
  refusedCode: "pipeline_not_found",
  loaded: "[part=stages]",
});

describe("crm-pipeline-progress", () => {
  it("marks the current stage with aria-current=step and names it 'Stage 2 of 3: In Progress'", async () => {
    const session = await newCustomer(
      "pipeline-current",
      trackerCalls({}, { progress: "in_progress" }),
    );
    const { element } = await mountProgress(
      session,
      html`<crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>`,
    );
    const current = element.shadowRoot!.querySelectorAll("[aria-current=step]");
    expect(current).to.have.length(1);
    expect(current[0]!.textContent!.replace(/\s+/g, " ").trim()).to.equal(
      "Stage 2 of 3: In Progress, current",
    );
    expect(shadowText(element, "[part=current-label]")).to.equal("Stage 2 of 3: In Progress");
    expect(stageTexts(element)).to.deep.equal([
      "Stage 1 of 3: Starting, completed",
      "Stage 2 of 3: In Progress, current",
      "Stage 3 of 3: Goal Reached, upcoming",
    ]);
    const colors = [...element.shadowRoot!.querySelectorAll<HTMLElement>("[part~=stage]")].map(
      (stage) => stage.style.getPropertyValue("--_stage"),
    );
    expect(colors).to.deep.equal(["#8250df", "#0969da", "#1a7f37"]);
    expect(element.shadowRoot!.querySelector("[part=move-button]")).to.equal(null);
  });

  it("names the stage in German for de-DE", async () => {
    const session = await newCustomer("pipeline-de", trackerCalls({}, { progress: "in_progress" }));
    const { element } = await mountProgress(
      session,
      html`<crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>`,
      runtimeFor(session, "de-DE"),
    );
    expect(shadowText(element, "[part=current-label]")).to.equal("Phase 2 von 3: In Progress");
  });

  it("reads and looks different for won, lost and active stages, saying the outcome only when the label does not", async () => {
    const session = await newCustomer(
      "pipeline-outcomes",
      trackerCalls({}, { progress: "goal_reached" }),
    );
    const dealId = await seedEntry(session, "deals", { title: "Lost deal" }, { sales: "lost" });
    const { elements } = await mountProgress(
      session,
      html`<crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>
        <crm-pipeline-progress slug="deals" pipeline="sales" entry-id=${dealId}></crm-pipeline-progress>`,
    );
    const [won, lost] = elements as [CrmPipelineProgress, CrmPipelineProgress];
    expect(shadowText(won, "[part=current-label]")).to.equal("Stage 3 of 3: Goal Reached (won)");
    expect(shadowText(won, "[aria-current=step]")).to.equal("Stage 3 of 3: Goal Reached, won");
    expect(stageTexts(won)[0]).to.equal("Stage 1 of 3: Starting, completed");
    expect(
      won.shadowRoot!.querySelector("[part=base]")!.classList.contains("outcome-won"),
    ).to.equal(true);
    expect(shadowText(lost, "[part=current-label]")).to.equal("Stage 3 of 3: Lost");
    expect(shadowText(lost, "[aria-current=step]")).to.equal("Stage 3 of 3: Lost, lost");
    expect(
      lost.shadowRoot!.querySelector("[part=base]")!.classList.contains("outcome-lost"),
    ).to.equal(true);
    // The Won stage beside a current Lost was never reached, not completed.
    expect(stageTexts(lost)[2]).to.equal("Stage 3 of 3: Won, not reached");
    const marker = (element: CrmPipelineProgress) =>
      getComputedStyle(element.shadowRoot!.querySelector("[aria-current=step] [part=marker]")!)
        .borderTopStyle;
    expect([marker(won), marker(lost)]).to.deep.equal(["solid", "dashed"]);
  });

  it("shows won and lost as alternative outcomes sharing the last step, not as a sequence", async () => {
    const session = await newSession("pipeline-alternatives");
    const dealIds: string[] = [];
    for (const [title, stage] of [
      ["Open", "proposal"],
      ["Won", "won"],
      ["Lost", "lost"],
    ] as const) {
      dealIds.push(await seedEntry(session, "deals", { title }, { sales: stage }));
    }
    const { root, elements } = await mountProgress(
      session,
      html`<div style="display: grid; gap: 24px">
        ${dealIds.map(
          (dealId) =>
            html`<crm-pipeline-progress slug="deals" pipeline="sales" entry-id=${dealId}></crm-pipeline-progress>`,
        )}
        ${dealIds.map(
          (dealId) =>
            html`<crm-pipeline-progress slug="deals" pipeline="sales" entry-id=${dealId} layout="compact"></crm-pipeline-progress>`,
        )}
      </div>`,
    );
    const [open, won, lost] = elements as [
      CrmPipelineProgress,
      CrmPipelineProgress,
      CrmPipelineProgress,
    ];
    expect(stageTexts(open)).to.deep.equal([
      "Stage 1 of 3: Lead, completed",
      "Stage 2 of 3: Proposal, current",
      "Stage 3 of 3: Won, upcoming",
      "Stage 3 of 3: Lost, upcoming",
    ]);
    expect(shadowText(won, "[part=current-label]")).to.equal("Stage 3 of 3: Won");
    expect(stageTexts(won).slice(2)).to.deep.equal([
      "Stage 3 of 3: Won, won",
      "Stage 3 of 3: Lost, not reached",
    ]);
    expect(shadowText(lost, "[part=current-label]")).to.equal("Stage 3 of 3: Lost");
    expect(stageTexts(lost).slice(2)).to.deep.equal([
      "Stage 3 of 3: Won, not reached",
      "Stage 3 of 3: Lost, lost",
    ]);
    const outcomeParts = (element: CrmPipelineProgress) =>
      [...element.shadowRoot!.querySelectorAll("[part~=outcomes] [part~=stage]")].map((stage) =>
        stage.getAttribute("part"),
      );
    // The outcome not taken is never drawn as passed.
    expect(outcomeParts(won)).to.deep.equal(["stage stage-current", "stage stage-skipped"]);
    expect(outcomeParts(lost)).to.deep.equal(["stage stage-skipped", "stage stage-current"]);
    for (const element of elements) {
      const steps = element.shadowRoot!.querySelectorAll("[part=stages] > li");
      expect(steps, "three steps").to.have.length(3);
      // Side by side under one bar: both outcomes start at the same height.
      const [first, second] = [
        ...element.shadowRoot!.querySelectorAll<HTMLElement>("[part~=outcomes] [part~=stage]"),
      ].map((stage) => stage.getBoundingClientRect());
      expect(first!.top).to.equal(second!.top);
      expect(first!.right).to.be.at.most(second!.left);
    }
    const bar = (element: CrmPipelineProgress) =>
      getComputedStyle(element.shadowRoot!.querySelector("[part~=outcomes]")!);
    expect([bar(won).borderTopStyle, bar(lost).borderTopStyle]).to.deep.equal(["solid", "dashed"]);
    expect(bar(won).borderTopColor).to.equal("rgb(22, 163, 74)");
    expect(bar(lost).borderTopColor).to.equal("rgb(220, 38, 38)");
    await expectAccessible(root);
    await screenshot(root, "crm-pipeline-outcomes");
  });

  it("shows 'Not started' with every stage upcoming when the entry never entered the pipeline", async () => {
    const session = await newSession("pipeline-empty");
    const { element } = await mountProgress(
      session,
      html`<crm-pipeline-progress slug="tracker" pipeline="progress"></crm-pipeline-progress>`,
    );
    expect(shadowText(element, "[part=current-label]")).to.equal("Not started");
    expect(element.shadowRoot!.querySelector("[aria-current]")).to.equal(null);
    expect(stageTexts(element).every((text) => text.endsWith("upcoming"))).to.equal(true);
  });

  it("shows stage descriptions in the full layout only when asked, and none in the compact one", async () => {
    const session = await newSession("pipeline-layouts");
    const { elements } = await mountProgress(
      session,
      html`<crm-pipeline-progress slug="tracker" pipeline="progress" show-descriptions></crm-pipeline-progress>
        <crm-pipeline-progress slug="tracker" pipeline="progress" layout="compact" show-descriptions></crm-pipeline-progress>`,
    );
    const [full, compact] = elements as [CrmPipelineProgress, CrmPipelineProgress];
    expect(shadowText(full, "[part=stage-description]")).to.equal("First weigh-in done");
    expect(compact.shadowRoot!.querySelector("[part=stage-description]")).to.equal(null);
    expect(compact.getAttribute("layout")).to.equal("compact");
    expect(compact.getBoundingClientRect().height).to.be.below(full.getBoundingClientRect().height);
  });

  it("lets the customer move the stage with the keyboard when the pipeline allows it", async () => {
    const session = await newCustomer("pipeline-move", trackerCalls({}, { plan_choice: "trial" }));
    const { elements } = await mountProgress(
      session,
      html`<crm-pipeline-progress slug="tracker" pipeline="plan_choice"></crm-pipeline-progress>
        <crm-pipeline-progress slug="tracker" pipeline="plan_choice" layout="compact"></crm-pipeline-progress>`,
    );
    const [element, other] = elements as [CrmPipelineProgress, CrmPipelineProgress];
    const buttons = element.shadowRoot!.querySelectorAll<HTMLButtonElement>("[part=move-button]");
    expect(buttons).to.have.length(2);
    buttons[0]!.focus();
    const saved = oneEvent(element, "crm-save");
    await sendKeys({ press: "Enter" });
    expect((await saved).detail.stage!.position!.stage).to.equal("member");
    await waitUntil(() => shadowText(other, "[part=current-label]") === "Stage 2 of 3: Member");
    const stored = await runtimeFor(session).getCrmStage({
      slug: "tracker",
      pipeline: "plan_choice",
    });
    expect(stored.position!.stage).to.equal("member");
  });

  it("keeps keyboard focus inside while moving the stage and on the new current stage after", async () => {
    const session = await newCustomer("pipeline-focus", trackerCalls({}, { plan_choice: "trial" }));
    const { element, runtime } = await mountProgress(
      session,
      html`<crm-pipeline-progress slug="tracker" pipeline="plan_choice"></crm-pipeline-progress>`,
    );
    const focusLost: string[] = [];
    const watch = (): void => {
      if (!element.shadowRoot!.activeElement) focusLost.push(document.activeElement!.localName);
    };
    element.shadowRoot!.addEventListener("focusout", () => queueMicrotask(watch));
    element.shadowRoot!.querySelector<HTMLButtonElement>("[part=move-button]")!.focus();
    const saved = oneEvent(element, "crm-save");
    const held = holdNextAnswer(runtime);
    await sendKeys({ press: "Enter" });
    await held.sent;
    await element.updateComplete;
    const busy = element.shadowRoot!.querySelectorAll("[part=move-button]");
    expect([...busy].map((button) => button.getAttribute("aria-disabled"))).to.deep.equal([
      "true",
      "true",
    ]);
    watch();
    held.release();
    await saved;
    await element.updateComplete;
    watch();
    expect(focusLost, "focus left the component").to.deep.equal([]);
    expect(document.activeElement).to.equal(element);
    const focused = element.shadowRoot!.activeElement!;
    expect(focused.getAttribute("aria-current")).to.equal("step");
    expect(focused.textContent).to.contain("Member");
  });

  it("is captured in light and dark", async () => {
    const session = await newCustomer(
      "pipeline-shot",
      trackerCalls({}, { progress: "in_progress", plan_choice: "member" }),
    );
    const dealId = await seedEntry(session, "deals", { title: "Big deal" }, { sales: "lost" });
    const { root } = await mountProgress(
      session,
      html`<div style="display: grid; gap: 24px">
        <crm-pipeline-progress slug="tracker" pipeline="progress" show-descriptions></crm-pipeline-progress>
        <crm-pipeline-progress slug="tracker" pipeline="plan_choice"></crm-pipeline-progress>
        <crm-pipeline-progress slug="deals" pipeline="sales" entry-id=${dealId}></crm-pipeline-progress>
        <crm-pipeline-progress slug="tracker" pipeline="progress" layout="compact"></crm-pipeline-progress>
      </div>`,
    );
    await screenshot(root, "crm-pipeline-progress");
  });
});
