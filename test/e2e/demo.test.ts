/**
 * The demo end to end, as its visitors and its owner use it: real Chromium,
 * real demo site and proxy, real Elasticsearch. Tests run in order and build
 * on each other's data (Alice's check-in is what later tests look for).
 */
import { describe, expect, test } from "vitest";
import {
  distanceText,
  fieldText,
  screenshot,
  signIn,
  staffSignIn,
  startStack,
  widgetText,
} from "./support.ts";

const stack = await startStack("demo");
const alice = stack.customer("Alice");
const bob = stack.customer("Bob");
const tracker = "weight-tracker";

describe("the demo site", () => {
  test("the sign-in page offers every demo customer", async () => {
    const context = await stack.newContext();
    const page = await context.newPage();
    await page.goto("/");
    await page.waitForURL("**/sign-in");
    for (const { name } of stack.demo.customers) {
      await expect(page.getByRole("button", { name: new RegExp(name) }).count()).resolves.toBe(1);
    }
    await screenshot(page, "01-sign-in");
    await context.close();
  });

  test("the site issues a five-minute session token for the signed-in visitor only", async () => {
    const context = await stack.newContext();
    const anonymous = await context.request.get("/session-token");
    expect(anonymous.status()).toBe(401);

    const page = await signIn(context, "Alice");
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === "demo_session")?.httpOnly).toBe(true);
    const response = await page.request.get("/session-token");
    expect(response.headers()["cache-control"]).toBe("no-store");
    const { token } = (await response.json()) as { token: string };
    const [header, payload] = token
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")));
    expect(header).toMatchObject({ alg: "HS256" });
    expect(payload).toMatchObject({
      iss: "crm-widgets-demo",
      aud: "crm-widgets",
      sub: alice.subject,
    });
    expect(payload.exp - payload.iat).toBe(300);
    await context.close();
  });

  test("Alice checks in a weight and sees it on her progress page after a reload", async () => {
    const context = await stack.newContext();
    const page = await signIn(context, "Alice");
    expect(await fieldText(page, "current_weight")).toBe("84.5 kg");

    await page.goto("/check-in");
    const weight = page.locator("crm-form #field-current_weight");
    await expect(weight.inputValue({ timeout: 15_000 })).resolves.toBe("84.5");
    await weight.fill("83.1");
    await page.locator("crm-form #field-mood").selectOption("okay");
    await page.locator("crm-form #field-notes").fill("Walked to work every day.");
    await page.getByRole("button", { name: "Save check-in" }).click();
    await page.locator('crm-form [part="form-status"]', { hasText: /^Saved$/ }).waitFor();
    // The chart beside the form draws the check-in from the save: no reload, no refresh wait.
    await expect
      .poll(() => page.locator("crm-field-history circle.point").last().getAttribute("aria-label"))
      .toMatch(/: 83\.1 kg$/);

    // The page records the check-in's date after the save; wait until Elasticsearch has it.
    const today = await page.evaluate(() => {
      const now = new Date();
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    });
    await expect
      .poll(
        async () =>
          (
            await stack.adapter.getCrmField({
              slug: tracker,
              fieldKey: "last_checkin",
              referenceId: alice.id,
            })
          ).value,
        { timeout: 10_000 },
      )
      .toBe(today);
    await screenshot(page, "02-check-in-saved");

    await page.goto("/progress");
    await page.reload();
    expect(await fieldText(page, "current_weight")).toBe("83.1 kg");
    expect(await fieldText(page, "mood")).toBe("Okay");
    expect(await distanceText(page)).toBe("5.1 kg to go");
    const stored = await stack.adapter.getCrmEntries({ slug: tracker, referenceId: alice.id });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.values).toMatchObject({
      current_weight: 83.1,
      mood: "okay",
      notes: "Walked to work every day.",
    });
    await screenshot(page, "03-progress-after-check-in");
    await context.close();
  });

  test("the progress page charts Alice's seeded weeks with her goal and a projection; her check-in is the newest point", async () => {
    const context = await stack.newContext();
    const page = await signIn(context, "Alice");
    const chart = page.locator("crm-field-history");
    const points = chart.locator("circle.point");
    // Eleven seeded weekly check-ins and the one of the test before.
    await expect.poll(() => points.count(), { timeout: 15_000 }).toBe(12);
    await expect(points.last().getAttribute("aria-label")).resolves.toMatch(/: 83\.1 kg$/);
    await expect(chart.locator(".goal-label").textContent()).resolves.toBe("Goal 78.0 kg");
    await expect(chart.locator("[part=summary]").textContent()).resolves.toMatch(
      /Latest: 83\.1 kg on .+ Goal: 78\.0 kg\. At this pace: about .+\./,
    );
    const history = await stack.adapter.getCrmFieldHistory({
      slug: tracker,
      fieldKey: "current_weight",
      referenceId: alice.id,
    });
    expect(history.points.map((point) => point.value).slice(0, 2)).toEqual([83.1, 84.5]);
    expect(history.points[0]?.by).toEqual({ type: "customer", id: alice.id });
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, "04-progress-chart");
    await context.close();
  });

  test("Bob sees only his own values and cannot reach Alice's entry by naming her", async () => {
    const context = await stack.newContext();
    const page = await signIn(context, "Bob");
    expect(await fieldText(page, "current_weight")).toBe("102.0 kg");
    expect(await fieldText(page, "goal_weight")).toBe("90.0 kg");
    await screenshot(page, "04-progress-bob");
    await page.locator("crm-pipeline-progress [aria-current=step]").waitFor();
    const text = `${await widgetText(page)} ${await distanceText(page)}`;
    expect(text).toContain("102.0 kg");
    expect(text).not.toContain("83.1");
    expect(text).not.toContain("84.5");

    // Through the same runtime the widgets use, with Bob's session token.
    const outcome = await page.evaluate(
      (aliceId) =>
        window.CrmWidgets?.getCrmField({
          slug: "weight-tracker",
          fieldKey: "current_weight",
          referenceId: aliceId,
        }).then(
          (value) => `read ${JSON.stringify(value)}`,
          (error: { code?: string }) => error.code,
        ),
      alice.id,
    );
    expect(outcome).toBe("entry_not_found");

    // Bob's session token is no admin credential: refused as a wrong one.
    const tokenResponse = await page.request.get("/session-token");
    const { token } = (await tokenResponse.json()) as { token: string };
    const admin = await page.request.get(
      `${stack.demo.proxyUrl}/v1/admin/customers/${alice.id}/entries`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(admin.status()).toBe(403);
    expect(await admin.json()).toMatchObject({ error: { code: "forbidden" } });
    await context.close();
  });

  test("a stage moved and a field set by backend scripts show on the progress page after a reload", async () => {
    const context = await stack.newContext();
    const page = await signIn(context, "Alice");
    const current = page.locator('crm-pipeline-progress [aria-current="step"]');
    await expect(current.textContent({ timeout: 15_000 })).resolves.toContain("In Progress");
    expect(await fieldText(page, "goal_weight")).toBe("78.0 kg");

    const moved = await stack.runScript("move-stage", ["alice@example.com", "goal_reached"]);
    expect(moved).toContain("→ goal_reached");
    const set = await stack.runScript("set-field", ["alice@example.com", "goal_weight", "83.5"]);
    expect(set).toContain("goal_weight = 83.5");

    await page.reload();
    await expect(current.textContent({ timeout: 15_000 })).resolves.toContain("Goal Reached");
    expect(await fieldText(page, "goal_weight")).toBe("83.5 kg");
    expect(await distanceText(page)).toBe("Goal reached");
    await screenshot(page, "05-progress-stage-moved");
    await context.close();
  });

  test("the back office asks for a staff sign-in and holds no credential", async () => {
    const context = await stack.newContext();
    const page = await context.newPage();
    await page.goto("/back-office");
    await page.waitForURL("**/staff/sign-in");
    await screenshot(page, "06-staff-sign-in");
    for (const path of [
      "/",
      "/sign-in",
      "/staff/sign-in",
      "/back-office",
      "/progress",
      "/check-in",
    ]) {
      const response = await page.request.get(path);
      expect(await response.text(), path).not.toContain(stack.adminToken);
    }
    // A signed-in customer is no staff member: no staff token for them.
    await signIn(context, "Alice");
    expect((await page.request.get("/staff-token")).status()).toBe(401);
    await context.close();
  });

  test("the back office lists Alice's entries of both entities, and only hers", async () => {
    const context = await stack.newContext();
    const page = await staffSignIn(context, "Sam");
    await page.goto(`/back-office?customer=${encodeURIComponent(alice.id)}`);
    const headings = page.locator('crm-customer-details [part="entity-heading"]');
    await headings.first().waitFor({ timeout: 15_000 });
    const texts = (await headings.allTextContents()).map((text) =>
      text.replace(/\s+/g, " ").trim(),
    );
    expect(texts.sort()).toEqual(["Deals (2)", "Weight Tracker (1)"]);
    const details = await widgetText(page, "crm-customer-details");
    expect(details).toContain("Annual coaching plan");
    expect(details).toContain("Nutrition workshop");
    expect(details).toContain("83.1 kg");
    expect(details).not.toContain("Starter pack");
    await screenshot(page, "06-back-office");

    // Choosing another customer with the search shows theirs, and puts them in the address.
    await page.locator('crm-customer-search [part="input"]').fill("bob@");
    await page
      .locator('crm-customer-search [role="option"]', { hasText: "bob@example.com" })
      .click();
    await page.waitForURL(`**/back-office?customer=${encodeURIComponent(bob.id)}`);
    await page.locator("crm-customer-details", { hasText: "Starter pack" }).waitFor();
    await context.close();
  });

  test("the progress and check-in pages in dark mode", async () => {
    const context = await stack.newContext({ dark: true });
    const page = await signIn(context, "Chloé");
    expect(await fieldText(page, "current_weight")).toBe("63.2 kg");
    await screenshot(page, "07-progress-dark");
    await page.goto("/check-in");
    await expect(
      page.locator("crm-form #field-notes").inputValue({ timeout: 15_000 }),
    ).resolves.toBe("Ran my first 10 km!");
    await screenshot(page, "08-check-in-dark");
    await context.close();
  });
});
