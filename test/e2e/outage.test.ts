/**
 * The proxy going away while a visitor uses the site: the widgets show their
 * error state, the check-in form keeps what was typed, and everything works
 * again once the proxy is back.
 */
import { expect, test } from "vitest";
import { distanceText, fieldText, screenshot, signIn, startStack } from "./support.ts";

const stack = await startStack("outage");
const alice = stack.customer("Alice");

test("with the proxy down the widgets show their error state and the form keeps its input", async () => {
  const context = await stack.newContext();
  const page = await signIn(context, "Alice");
  await page.goto("/check-in");
  const weight = page.locator("crm-form #field-current_weight");
  await expect(weight.inputValue({ timeout: 15_000 })).resolves.toBe("84.5");
  await weight.fill("90.5");
  await page.locator("crm-form #field-notes").fill("Typed while the proxy was down.");

  await stack.demo.stopProxy();
  await page.getByRole("button", { name: "Save check-in" }).click();
  const status = page.locator('crm-form [part="form-status"]');
  await status.filter({ hasText: /Not saved: the CRM service cannot be reached/ }).waitFor();
  // Said once for the form, not under every field.
  await expect(page.locator('crm-form [part="field-error"]:not(:empty)').count()).resolves.toBe(0);
  expect(await weight.inputValue()).toBe("90.5");
  expect(await page.locator("crm-form #field-notes").inputValue()).toBe(
    "Typed while the proxy was down.",
  );
  await screenshot(page, "09-check-in-proxy-down");

  const progress = await context.newPage();
  await progress.goto("/progress");
  const errors = progress.locator('crm-field[field="current_weight"] [part="error"]');
  await errors.waitFor({ timeout: 15_000 });
  expect(await errors.textContent()).toContain("cannot be reached");
  await expect(progress.locator('crm-pipeline-progress [part="error"]').count()).resolves.toBe(1);
  expect(await distanceText(progress)).toBe("—");
  await screenshot(progress, "10-progress-proxy-down");

  // Back up: the retry button loads the value, the same submit now saves.
  await stack.demo.restartProxy();
  await progress.locator('crm-field[field="current_weight"] [part="retry"]').click();
  expect(await fieldText(progress, "current_weight")).toBe("84.5 kg");

  await weight.focus();
  await page.getByRole("button", { name: "Save check-in" }).click();
  await status.filter({ hasText: /^Saved$/ }).waitFor();
  const stored = await stack.adapter.getCrmField({
    slug: "weight-tracker",
    fieldKey: "current_weight",
    referenceId: alice.id,
  });
  expect(stored.value).toBe(90.5);
  await context.close();
});
