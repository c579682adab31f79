import { expect, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import { html } from "lit";
import type { CrmFieldHistory } from "../../widget/src/components/crm-field-history/crm-field-history.ts";
import "../../widget/src/components/crm-field-history/crm-field-history.ts";
import { weightHistoryEntity } from "./seed.ts";
import { dataBoundSuite } from "./shared/data-bound.ts";
import {
  expectAccessible,
  mount,
  newSession,
  ownEntity,
  runtimeFor,
  screenshot,
  seed,
  shadowText,
  type TestSession,
} from "./support.ts";

const DAY = 86_400_000;

/** Ten weekly check-ins ending yesterday, losing 0.5 kg a week from 88, and a goal of 80. */
async function seededTracker(name: string): Promise<{ session: TestSession; slug: string }> {
  const session = await newSession(name);
  const slug = await ownEntity(session, "history", weightHistoryEntity);
  const last = Date.now() - DAY;
  await seed(session, [
    { op: "setCrmField", args: { slug, fieldKey: "goal", value: 80 } },
    ...Array.from({ length: 10 }, (_, week) => ({
      op: "setCrmField" as const,
      args: { slug, fieldKey: "weight", value: 88 - week * 0.5 },
      at: new Date(last - (9 - week) * 7 * DAY).toISOString(),
    })),
  ]);
  return { session, slug };
}

async function loaded(chart: CrmFieldHistory): Promise<void> {
  await waitUntil(
    () => chart.shadowRoot?.querySelector("[part=chart], [part=empty], [part=error]"),
    "crm-field-history did not finish loading",
    { timeout: 10_000 },
  );
}

function points(chart: CrmFieldHistory): SVGCircleElement[] {
  return [...(chart.shadowRoot?.querySelectorAll<SVGCircleElement>("circle.point") ?? [])];
}

dataBoundSuite<CrmFieldHistory>({
  tag: "crm-field-history",
  async setUp(name) {
    const { session, slug } = await seededTracker(name);
    return {
      session,
      template: html`<crm-field-history slug=${slug} field="weight" goal-field="goal"></crm-field-history>`,
      refused: html`<crm-field-history slug=${slug} field="secret"></crm-field-history>`,
    };
  },
  refusedCode: "field_not_found",
  loaded: "[part=chart]",
});

describe("crm-field-history", () => {
  it("draws the check-ins with the goal line and projects the day the goal is reached", async () => {
    const { session, slug } = await seededTracker("history-chart");
    const root = await mount(
      html`<crm-field-history slug=${slug} field="weight" goal-field="goal" range="all"></crm-field-history>`,
      runtimeFor(session),
    );
    const chart = root.querySelector("crm-field-history")!;
    await chart.updateComplete;
    expect(chart.shadowRoot!.querySelector("[part=skeleton][aria-busy=true]")).to.exist;
    await loaded(chart);

    expect(points(chart)).to.have.length(10);
    expect(chart.shadowRoot!.querySelector("line.goal")).to.exist;
    expect(shadowText(chart, ".goal-label")).to.equal("Goal 80.0 kg");
    // 3.5 kg to go at 0.5 kg a week: 7 weeks after the last check-in.
    const expected = new Intl.DateTimeFormat("en-US", { day: "numeric", month: "long" }).format(
      new Date(Date.now() - DAY + 49 * DAY),
    );
    const summary = shadowText(chart, "[part=summary]");
    expect(summary).to.contain("Latest: 83.5 kg");
    expect(summary).to.contain("Goal: 80.0 kg.");
    expect(summary).to.contain(`At this pace: about ${expected}`);
    expect(chart.shadowRoot!.querySelector("line.projection")).to.exist;

    // The same data as a table, newest first, and as the chart's accessible name.
    const rows = chart.shadowRoot!.querySelectorAll("[part=table] tbody tr");
    expect(rows).to.have.length(10);
    expect(rows[0]?.textContent).to.contain("83.5 kg");
    const name = chart.shadowRoot!.querySelector("[part=chart]")!.getAttribute("aria-label");
    expect(name).to.match(
      /^Weight over time: 10 check-ins from .+, between 83\.5 kg and 88\.0 kg\.$/,
    );
    // Strict CSP: nothing in the chart carries an inline style.
    expect(chart.shadowRoot!.querySelectorAll("[style]")).to.have.length(0);
    await expectAccessible(chart);
    await screenshot(root, "crm-field-history");
  });

  it("moves focus between points with the keyboard and says each point's date and value", async () => {
    const { session, slug } = await seededTracker("history-keys");
    const root = await mount(
      html`<button>before</button><crm-field-history slug=${slug} field="weight" range="all"></crm-field-history>`,
      runtimeFor(session),
    );
    const chart = root.querySelector("crm-field-history")!;
    await loaded(chart);
    // One tab stop for all points: the latest.
    expect(points(chart).filter((p) => p.getAttribute("tabindex") === "0")).to.have.length(1);
    root.querySelector("button")!.focus();
    await sendKeys({ press: "Tab" });
    await sendKeys({ press: "Tab" });
    await sendKeys({ press: "Tab" });
    await sendKeys({ press: "Tab" });
    const focusedPoint = () => chart.shadowRoot!.activeElement;
    await waitUntil(() => focusedPoint()?.matches("circle.point"), "no point took focus");
    expect(focusedPoint()).to.equal(points(chart)[9]);
    expect(focusedPoint()!.getAttribute("role")).to.equal("img");
    expect(focusedPoint()!.getAttribute("aria-label")).to.match(/: 83\.5 kg$/);
    await sendKeys({ press: "ArrowLeft" });
    await waitUntil(() => focusedPoint() === points(chart)[8], "ArrowLeft did not move focus");
    expect(shadowText(chart, "[part=focus]")).to.match(/ · 84\.0 kg$/);
    await sendKeys({ press: "Home" });
    await waitUntil(() => focusedPoint() === points(chart)[0], "Home did not move focus");
    expect(shadowText(chart, "[part=focus]")).to.match(/ · 88\.0 kg$/);
  });

  it("shows the chosen range, and says so when the range holds no check-in", async () => {
    const { session, slug } = await seededTracker("history-ranges");
    const root = await mount(
      html`<crm-field-history slug=${slug} field="weight" range="all"></crm-field-history>`,
      runtimeFor(session),
    );
    const chart = root.querySelector("crm-field-history")!;
    await loaded(chart);
    const button = (label: string) =>
      [...chart.shadowRoot!.querySelectorAll<HTMLButtonElement>("[part=range]")].find(
        (candidate) => candidate.textContent?.trim() === label,
      )!;
    button("4 weeks").click();
    await chart.updateComplete;
    // Weekly check-ins: the latest and the four before it lie within 28 days of it.
    expect(points(chart)).to.have.length(5);
    expect(button("4 weeks").getAttribute("aria-pressed")).to.equal("true");
    expect(button("All").getAttribute("aria-pressed")).to.equal("false");
    button("3 months").click();
    await chart.updateComplete;
    expect(points(chart)).to.have.length(10);
  });

  it("adds the point of a value saved on the same page at once", async () => {
    const { session, slug } = await seededTracker("history-save");
    const runtime = runtimeFor(session);
    const root = await mount(
      html`<crm-field-history slug=${slug} field="weight" goal-field="goal" range="all"></crm-field-history>`,
      runtime,
    );
    const chart = root.querySelector("crm-field-history")!;
    await loaded(chart);
    await runtime.setCrmField({ slug, fieldKey: "weight", value: 83.1 });
    await waitUntil(() => points(chart).length === 11, "the saved value did not appear", {
      timeout: 5_000,
    });
    expect(shadowText(chart, "[part=summary]")).to.contain("Latest: 83.1 kg");
  });

  it("says there are no check-ins yet for a field without history", async () => {
    const session = await newSession("history-empty");
    const slug = await ownEntity(session, "history", weightHistoryEntity);
    const root = await mount(
      html`<crm-field-history slug=${slug} field="weight"></crm-field-history>`,
      runtimeFor(session, "de-DE"),
    );
    const chart = root.querySelector("crm-field-history")!;
    await loaded(chart);
    expect(shadowText(chart, "[part=empty]")).to.equal("Noch keine Einträge.");
    await expectAccessible(chart);
  });

  it("says when there are too few check-ins for a projection", async () => {
    const session = await newSession("history-few");
    const slug = await ownEntity(session, "history", weightHistoryEntity);
    await seed(session, [
      { op: "setCrmField", args: { slug, fieldKey: "goal", value: 80 } },
      { op: "setCrmField", args: { slug, fieldKey: "weight", value: 85 } },
    ]);
    const root = await mount(
      html`<crm-field-history slug=${slug} field="weight" goal-field="goal"></crm-field-history>`,
      runtimeFor(session),
    );
    const chart = root.querySelector("crm-field-history")!;
    await loaded(chart);
    expect(shadowText(chart, "[part=summary]")).to.contain(
      "Not enough check-ins yet for a projection.",
    );
  });

  it("fits a 375 px phone", async () => {
    const { session, slug } = await seededTracker("history-phone");
    const root = await mount(
      html`<div style="width: 343px"><crm-field-history slug=${slug} field="weight" goal-field="goal"></crm-field-history></div>`,
      runtimeFor(session),
    );
    const chart = root.querySelector("crm-field-history")!;
    await loaded(chart);
    await waitUntil(() => chart.shadowRoot!.querySelector("svg")?.getAttribute("width") === "343");
    expect(chart.shadowRoot!.querySelector("svg")!.getAttribute("height")).to.equal("180");
    root.querySelector<HTMLElement>("div")!.id = "history-phone";
    await screenshot(root.querySelector<HTMLElement>("div")!, "crm-field-history-375");
  });
});
