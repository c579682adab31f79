/**
 * The site owner's side in the browser: an admin defines a new entity in CRM
 * settings, a customer page that names its slug shows it at once, the
 * customer fills it in, and the back office sees it in Customer Details.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import {
  type E2eStack,
  fieldText,
  screenshot,
  screenshotDir,
  signIn,
  staffSignIn,
  startStack,
  widgetText,
} from "./support.ts";

let stack: E2eStack;

beforeAll(async () => {
  stack = await startStack("back office");
}, 120_000);

describe("the demo back office", () => {
  test("an admin creates Sleep Log in CRM settings; Alice fills it in on a page naming its slug; Customer Details show it", async () => {
    const admin = await stack.newContext();
    const settings = await staffSignIn(admin, "Ada");
    await settings.goto("/back-office/settings");
    const list = settings.locator("crm-entity-list");
    await list.locator('[part="entity"]', { hasText: "Weight Tracker" }).waitFor();
    const editor = settings.locator("crm-entity-editor");
    const at = (path: string) => editor.locator(`[data-path="${path}"]`);

    await at("name").fill("Sleep Log");
    await expect(at("slug").inputValue()).resolves.toBe("sleep-log");
    await at("description").fill("How long and how well customers sleep");

    await editor.getByRole("button", { name: "Add field" }).click();
    await at("fields.0.label").fill("Hours");
    await at("fields.0.type").selectOption("number");
    await at("fields.0.customerAccess").selectOption("write");
    await at("fields.0.decimals").fill("1");
    await at("fields.0.min").fill("0");
    await at("fields.0.max").fill("24");
    await at("fields.0.unit").fill("hour");

    await editor.getByRole("button", { name: "Add field" }).click();
    await at("fields.1.label").fill("Quality");
    await at("fields.1.type").selectOption("select");
    await at("fields.1.customerAccess").selectOption("write");
    for (const [index, label, color] of [
      [0, "Poor", "#cf222e"],
      [1, "Fair", "#9a6700"],
      [2, "Good", "#1a7f37"],
    ] as const) {
      if (index > 0) await editor.getByRole("button", { name: "Add option" }).click();
      await at(`fields.1.options.${index}.label`).fill(label);
      await at(`fields.1.options.${index}.color`).fill(color);
    }
    await expect(at("fields.1.options.2.value").inputValue()).resolves.toBe("good");

    await editor.getByRole("button", { name: "Add pipeline" }).click();
    await at("pipelines.0.label").fill("Routine");
    for (const [index, label] of ["Starting", "Steady", "Rested"].entries()) {
      if (index > 0) await editor.getByRole("button", { name: "Add stage" }).click();
      await at(`pipelines.0.stages.${index}.label`).fill(label);
    }
    await at("pipelines.0.stages.2.status").selectOption("won");

    // The preview shows the new entity's form before anything is saved.
    await editor.locator("crm-entity-preview crm-form #field-hours").waitFor();
    await editor.getByRole("button", { name: "Create entity" }).click();
    await editor.locator(".status", { hasText: "Saved" }).waitFor({ timeout: 15_000 });
    await list.locator('[part="entity"][aria-current="true"]', { hasText: "Sleep Log" }).waitFor();
    await screenshot(settings, "10-crm-settings");
    await settings.setViewportSize({ width: 375, height: 800 });
    await screenshot(settings, "11-crm-settings-phone");

    const stored = await stack.adapter.entities.get("sleep-log");
    expect(stored.fields.map((field) => [field.key, field.type])).toEqual([
      ["hours", "number"],
      ["quality", "select"],
    ]);
    expect(stored.pipelines[0]?.stages.map((stage) => stage.key)).toEqual([
      "starting",
      "steady",
      "rested",
    ]);

    const customer = await stack.newContext();
    const page = await signIn(customer, "Alice");
    await page.goto("/sleep");
    const form = page.locator("crm-form");
    await form.locator("#field-hours").fill("7.5");
    await form.locator("#field-quality").selectOption("good");
    await form.locator('[part="submit"]').click();
    await form.locator('[part="form-status"]', { hasText: "Saved" }).waitFor({ timeout: 15_000 });
    await screenshot(page, "12-sleep-page");

    const alice = stack.customer("Alice");
    const details = await admin.newPage();
    await details.goto(`/back-office?customer=${encodeURIComponent(alice.id)}`);
    await details
      .locator('crm-customer-details [part="entity-heading"]', { hasText: "Sleep Log" })
      .waitFor({ timeout: 15_000 });
    const text = await widgetText(details, "crm-customer-details");
    expect(text).toContain("7.5");
    expect(text).toContain("Good");
    await details.screenshot({ path: join(screenshotDir, "13-back-office-sleep-log.png") });
    await admin.close();
    await customer.close();
  });

  test("a staff member finds Alice with the search and changes her goal weight; Alice sees it on her progress page", async () => {
    const alice = stack.customer("Alice");
    const staff = await stack.newContext();
    const page = await staffSignIn(staff, "Sam");
    const details = page.locator("crm-customer-details");
    await details.locator('[part="empty"]', { hasText: "Choose a customer" }).waitFor();

    const input = page.locator('crm-customer-search [part="input"]');
    await input.fill("alice");
    const option = page.locator('crm-customer-search [role="option"]', {
      hasText: "alice@example.com",
    });
    await option.waitFor({ timeout: 15_000 });
    // The answer for "alice", not the newest customers listed before typing.
    await expect.poll(() => page.locator('crm-customer-search [role="option"]').count()).toBe(1);
    // Her entry counts by entity (Sleep Log too when the test above filled it in).
    await expect(option.textContent()).resolves.toMatch(/entries: Deals 2, .*Weight Tracker 1/);
    await screenshot(page, "14-back-office-search");
    await input.press("ArrowDown");
    await input.press("Enter");
    await page.waitForURL(`**/back-office?customer=${encodeURIComponent(alice.id)}`);

    const goal = details.locator('[part="field"]', { hasText: "Goal weight" });
    await goal.locator('[part="edit"]').click();
    const goalInput = goal.locator("input");
    await expect(goalInput.inputValue()).resolves.toBe("78");
    await goalInput.fill("76.5");
    await goalInput.press("Enter");
    await goal.locator('[part="field-value"]', { hasText: "76.5 kg" }).waitFor({ timeout: 15_000 });
    await details
      .locator('[part="updated"]', { hasText: "by staff sam" })
      .first()
      .waitFor({ timeout: 15_000 });
    await screenshot(page, "15-back-office-goal-edited");

    const stored = await stack.adapter.getCrmField({
      slug: "weight-tracker",
      fieldKey: "goal_weight",
      referenceId: alice.id,
    });
    expect(stored.value).toBe(76.5);

    const customer = await stack.newContext();
    const progress = await signIn(customer, "Alice");
    expect(await fieldText(progress, "goal_weight")).toBe("76.5 kg");
    await staff.close();
    await customer.close();
  });
});
