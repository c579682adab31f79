/**
 * Defaults that fail closed: what a site owner forgets to say must not expose
 * anything. Through the proxy app over the real Elasticsearch.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { CrmEntry, EntityDefinition } from "#domain";
import { createTestProxy, errorOf, hsToken, newSubject, type TestProxy } from "./support.ts";

let proxy: TestProxy;

beforeAll(async () => {
  proxy = await createTestProxy({ name: "secure defaults" });
  // `salary` says nothing about customers: it must stay hidden from them.
  await proxy.adapter.entities.create({
    slug: "profile",
    name: "Profile",
    fields: [
      { key: "nickname", label: "Nickname", type: "text", customerAccess: "read" },
      { key: "salary", label: "Salary", type: "number" },
    ],
  });
});

describe("a field that does not say who may see it", () => {
  test("is hidden from customers (customerAccess defaults to none)", async () => {
    const subject = newSubject();
    const customer = await proxy.adapter.resolveCustomer({
      issuer: proxy.config.session.issuer,
      subject,
    });
    await proxy.adapter.setCrmField({
      slug: "profile",
      fieldKey: "salary",
      value: 99_000,
      referenceId: customer.id,
    });
    await proxy.adapter.setCrmField({
      slug: "profile",
      fieldKey: "nickname",
      value: "Al",
      referenceId: customer.id,
    });
    const token = await hsToken(subject);

    const stored = await proxy.adapter.entities.get("profile");
    expect(stored.fields.find((field) => field.key === "salary")?.customerAccess).toBe("none");

    const entity = (await (
      await proxy.call("GET", "/v1/entities/profile", { token })
    ).json()) as EntityDefinition;
    expect(entity.fields.map((field) => field.key)).toEqual(["nickname"]);

    const field = await proxy.call("GET", "/v1/entries/profile/fields/salary", { token });
    expect(field.status).toBe(404);
    expect(await errorOf(field)).toMatchObject({ code: "field_not_found" });

    const write = await proxy.call("PUT", "/v1/entries/profile/fields/salary", {
      token,
      body: { value: 1 },
    });
    expect(write.status).toBe(404);

    const { entries } = (await (
      await proxy.call("GET", "/v1/entries/profile", { token })
    ).json()) as { entries: CrmEntry[] };
    expect(entries[0]?.values).toEqual({ nickname: "Al" });
  });
});
