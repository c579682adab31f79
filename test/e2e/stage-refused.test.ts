/**
 * A stage move the proxy refuses: the site owner locked the pipeline while the
 * visitor's page still offered the move. The widget rolls back and says why.
 */
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { weightTracker } from "../../demo/server/seed-data.ts";
import { screenshot, signIn, startStack } from "./support.ts";

const stack = await startStack("stage refused");

function stageSummary(page: Page): Promise<string | undefined> {
  return page.evaluate(() =>
    document
      .querySelector("crm-pipeline-progress")
      ?.shadowRoot?.textContent?.replace(/\s+/g, " ")
      .trim(),
  );
}

test("a move refused by the proxy rolls back to the stored stage and says why", async () => {
  const movable = {
    ...weightTracker,
    pipelines: weightTracker.pipelines?.map((pipeline) => ({ ...pipeline, customerCanMove: true })),
  };
  await stack.adapter.entities.update("weight-tracker", movable);
  // A fresh proxy process reads the definition anew (definitions are cached per process).
  await stack.demo.stopProxy();
  await stack.demo.restartProxy();
  const context = await stack.newContext();
  const page = await signIn(context, "Alice");
  const moveButtons = page.locator("crm-pipeline-progress").getByRole("button");
  await expect.poll(() => moveButtons.count()).toBe(2);

  await stack.adapter.entities.update("weight-tracker", weightTracker);
  await stack.demo.stopProxy();
  await stack.demo.restartProxy();
  await moveButtons.first().click();

  await expect.poll(() => stageSummary(page)).toContain("Not saved");
  const summary = await stageSummary(page);
  expect(summary).toContain("Stage 2 of 3: In Progress, current");
  expect(summary).toContain("cannot be changed");
  const stored = await stack.adapter.getCrmStage({
    slug: "weight-tracker",
    pipeline: "progress",
    referenceId: stack.customer("Alice").id,
  });
  expect(stored.position?.stage).toBe("in_progress");
  await screenshot(page, "11-progress-move-refused");
  await context.close();
});
