import { beforeAll, describe, expect, test } from "vitest";
import { dealsEntity, trackerEntity } from "../../support/entities.ts";
import { failure, newCustomer, useAdapterFixture } from "./fixtures.ts";

const crm = useAdapterFixture("adapter operations", [trackerEntity, dealsEntity]);
/** Indices of their own whose entries index is removed before the tests. */
const noEntriesIndex = useAdapterFixture("adapter operations bare", [trackerEntity]);
beforeAll(async () => {
  await noEntriesIndex.client.indices.delete({ index: noEntriesIndex.indices.entries });
});

/** The backend stores `values` in the tracker entry of customer `id`, a field at a time. */
async function backendSets(id: string, values: Record<string, string | number>): Promise<void> {
  for (const [fieldKey, value] of Object.entries(values))
    await crm.adapter.setCrmField({ slug: "tracker", fieldKey, value, referenceId: id });
}

describe.concurrent("customer operations on an entity with one entry per customer", () => {
  test("setCrmField creates the customer's entry and getCrmField returns the stored value", async () => {
    const id = await newCustomer(crm.adapter, "happy-set");
    const me = crm.adapter.forCustomer(id);

    const before = await me.getCrmField({ slug: "tracker", fieldKey: "current_weight" });
    expect(before).toEqual({
      slug: "tracker",
      fieldKey: "current_weight",
      value: null,
      entryId: null,
      updatedAt: null,
    });

    const set = await me.setCrmField({
      slug: "tracker",
      fieldKey: "current_weight",
      value: 81.5,
    });
    expect(set).toMatchObject({ slug: "tracker", fieldKey: "current_weight", value: 81.5 });
    expect(set.entryId).toEqual(expect.any(String));
    expect(Date.parse(set.updatedAt ?? "")).not.toBeNaN();

    const read = await me.getCrmField({ slug: "tracker", fieldKey: "current_weight" });
    expect(read).toEqual(set);
  });

  test("the reference defaults to the customer and getCrmEntries returns their one entry with typed values", async () => {
    const id = await newCustomer(crm.adapter, "defaults");
    const me = crm.adapter.forCustomer(id);
    await me.setCrmField({ slug: "tracker", fieldKey: "newsletter", value: true });
    await me.setCrmField({ slug: "tracker", fieldKey: "last_checkin", value: "2025-03-01" });

    const entries = await me.getCrmEntries({ slug: "tracker" });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      slug: "tracker",
      reference: { type: "customer", id },
      values: { newsletter: true, last_checkin: "2025-03-01" },
      stages: {},
    });
    // Naming the own reference explicitly addresses the same entry.
    expect(
      await me.getCrmEntries({
        slug: "tracker",
        referenceType: "customer",
        referenceId: id,
      }),
    ).toEqual(entries);
  });

  test("a customer without an entry gets an empty list", async () => {
    const id = await newCustomer(crm.adapter, "no-entry");
    expect(await crm.adapter.forCustomer(id).getCrmEntries({ slug: "tracker" })).toEqual([]);
  });

  test("reads find no entry, alone (a GET) and together (an _mget), while the entries index does not exist yet", async () => {
    const bare = noEntriesIndex.adapter;
    const me = bare.forCustomer(await newCustomer(bare, "no-index"));
    expect((await me.getCrmField({ slug: "tracker", fieldKey: "nickname" })).value).toBeNull();
    const together = await Promise.all([
      me.getCrmField({ slug: "tracker", fieldKey: "nickname" }),
      me.getCrmEntries({ slug: "tracker" }),
    ]);
    expect(together.map((read) => ("value" in read ? read.value : read))).toEqual([null, []]);
  });

  test("setting null clears a field", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "clear"));
    await me.setCrmField({ slug: "tracker", fieldKey: "nickname", value: "Sam" });
    const cleared = await me.setCrmField({
      slug: "tracker",
      fieldKey: "nickname",
      value: null,
    });
    expect(cleared.value).toBeNull();
    expect((await me.getCrmField({ slug: "tracker", fieldKey: "nickname" })).value).toBeNull();
  });

  test("a customer naming another customer's reference is told the entry does not exist", async () => {
    const alice = await newCustomer(crm.adapter, "alice");
    const bob = await newCustomer(crm.adapter, "bob");
    await crm.adapter
      .forCustomer(bob)
      .setCrmField({ slug: "tracker", fieldKey: "nickname", value: "Bob" });
    const asAlice = crm.adapter.forCustomer(alice);

    const read = await failure(
      asAlice.getCrmField({ slug: "tracker", fieldKey: "nickname", referenceId: bob }),
    );
    expect(read.code).toBe("entry_not_found");
    expect(read.status).toBe(404);
    const write = await failure(
      asAlice.setCrmField({
        slug: "tracker",
        fieldKey: "nickname",
        value: "x",
        referenceId: bob,
      }),
    );
    expect(write.code).toBe("entry_not_found");
    const list = await failure(asAlice.getCrmEntries({ slug: "tracker", referenceId: bob }));
    expect(list.code).toBe("entry_not_found");
    const otherType = await failure(
      asAlice.getCrmEntries({ slug: "tracker", referenceType: "order", referenceId: alice }),
    );
    expect(otherType.code).toBe("entry_not_found");

    // Bob's value is untouched.
    const bobs = await crm.adapter
      .forCustomer(bob)
      .getCrmField({ slug: "tracker", fieldKey: "nickname" });
    expect(bobs.value).toBe("Bob");
  });

  test("a customer naming another customer's entry id is told the entry does not exist", async () => {
    const alice = crm.adapter.forCustomer(await newCustomer(crm.adapter, "alice-ids"));
    const bob = crm.adapter.forCustomer(await newCustomer(crm.adapter, "bob-ids"));
    const nickname = { slug: "tracker", fieldKey: "nickname" };
    const { entryId } = await bob.setCrmField({ ...nickname, value: "Bob" });

    const error = await failure(alice.getCrmField({ ...nickname, entryId: entryId ?? "" }));
    expect(error.code).toBe("entry_not_found");
  });
});

describe.concurrent("field access", () => {
  test("fields with customer access none do not exist for customers but do for the backend", async () => {
    const id = await newCustomer(crm.adapter, "access-none");
    await backendSets(id, { coach_notes: "Push", goal_weight: 75 });
    const me = crm.adapter.forCustomer(id);

    const read = await failure(me.getCrmField({ slug: "tracker", fieldKey: "coach_notes" }));
    expect(read).toMatchObject({ code: "field_not_found", field: "coach_notes" });
    const write = await failure(
      me.setCrmField({ slug: "tracker", fieldKey: "coach_notes", value: "x" }),
    );
    expect(write).toMatchObject({ code: "field_not_found", field: "coach_notes" });

    const [entry] = await me.getCrmEntries({ slug: "tracker" });
    expect(entry?.values).toEqual({ goal_weight: 75 });

    const backend = await crm.adapter.getCrmEntries({ slug: "tracker", referenceId: id });
    expect(backend[0]?.values).toEqual({ goal_weight: 75, coach_notes: "Push" });

    const entity = await me.getCrmEntity({ slug: "tracker" });
    expect(entity.fields.map((field) => field.key)).not.toContain("coach_notes");
    const full = await crm.adapter.getCrmEntity({ slug: "tracker" });
    expect(full.fields.map((field) => field.key)).toContain("coach_notes");
  });

  test("read-only fields are readable by customers and refused on write with field_not_writable", async () => {
    const id = await newCustomer(crm.adapter, "access-read");
    await backendSets(id, { goal_weight: 70 });
    const me = crm.adapter.forCustomer(id);

    expect((await me.getCrmField({ slug: "tracker", fieldKey: "goal_weight" })).value).toBe(70);
    const error = await failure(
      me.setCrmField({ slug: "tracker", fieldKey: "goal_weight", value: 60 }),
    );
    expect(error).toMatchObject({ code: "field_not_writable", field: "goal_weight" });
    expect(error.status).toBe(403);
    expect((await me.getCrmField({ slug: "tracker", fieldKey: "goal_weight" })).value).toBe(70);
  });

  test("an unknown field is field_not_found for customers and the backend alike", async () => {
    const id = await newCustomer(crm.adapter, "unknown-field");
    const customer = await failure(
      crm.adapter.forCustomer(id).setCrmField({ slug: "tracker", fieldKey: "height", value: 1 }),
    );
    expect(customer).toMatchObject({ code: "field_not_found", field: "height" });
    const backend = await failure(
      crm.adapter.getCrmField({ slug: "tracker", fieldKey: "height", referenceId: id }),
    );
    expect(backend).toMatchObject({ code: "field_not_found", field: "height" });
  });

  test("an unknown entity is entity_not_found", async () => {
    const id = await newCustomer(crm.adapter, "unknown-entity");
    const error = await failure(
      crm.adapter.forCustomer(id).getCrmEntries({ slug: "no-such-entity" }),
    );
    expect(error.code).toBe("entity_not_found");
    expect(error.status).toBe(404);
  });
});

describe.concurrent("value validation", () => {
  const invalid: [fieldKey: string, value: unknown][] = [
    ["current_weight", "81.5"],
    ["current_weight", 10],
    ["current_weight", 81.55],
    ["last_checkin", "2025-02-30"],
    ["last_checkin", "01/03/2025"],
    ["nickname", "x".repeat(21)],
    ["nickname", 42],
    ["newsletter", "yes"],
    ["mood", "furious"],
  ];

  test.each(invalid)(
    "refuses %s = %j with invalid_value naming the field",
    async (fieldKey, value) => {
      const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "invalid-values"));
      const error = await failure(
        me.setCrmField({
          slug: "tracker",
          fieldKey,
          value: value as string | number | boolean | null,
        }),
      );
      expect(error.code).toBe("invalid_value");
      expect(error.field).toBe(fieldKey);
      expect(error.message).toContain(fieldKey);
    },
  );

  test("a refused value leaves the stored one unchanged", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "refused-unchanged"));
    await me.setCrmField({ slug: "tracker", fieldKey: "mood", value: "great" });
    await failure(me.setCrmField({ slug: "tracker", fieldKey: "mood", value: "furious" }));
    expect((await me.getCrmField({ slug: "tracker", fieldKey: "mood" })).value).toBe("great");
  });
});

describe.concurrent("strict arguments", () => {
  test("unknown arguments are refused, not ignored", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "strict"));
    const error = await failure(
      me.setCrmField({
        slug: "tracker",
        fieldKey: "nickname",
        value: "x",
        index: "other_index",
      } as unknown as Parameters<typeof me.setCrmField>[0]),
    );
    expect(error.code).toBe("invalid_request");
    expect(error.status).toBe(400);
  });

  test("a malformed slug or field key is refused with the argument named", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "malformed"));
    const slug = await failure(me.getCrmEntries({ slug: "Weight Tracker" }));
    expect(slug).toMatchObject({ code: "invalid_request", field: "slug" });
    const key = await failure(me.getCrmField({ slug: "tracker", fieldKey: "current-weight" }));
    expect(key).toMatchObject({ code: "invalid_request", field: "fieldKey" });
  });

  test("backend callers must name the reference", async () => {
    const error = await failure(crm.adapter.getCrmEntries({ slug: "tracker" }));
    expect(error).toMatchObject({ code: "invalid_request", field: "referenceId" });
  });
});

describe.concurrent("backend callers", () => {
  test("name any reference type and id, and the customer default is customer", async () => {
    const order = { referenceType: "order", referenceId: "ord-1001" };
    await crm.adapter.setCrmField({
      slug: "tracker",
      fieldKey: "nickname",
      value: "Order",
      ...order,
    });
    const read = await crm.adapter.getCrmField({
      slug: "tracker",
      fieldKey: "nickname",
      ...order,
    });
    expect(read.value).toBe("Order");
    const [entry] = await crm.adapter.getCrmEntries({ slug: "tracker", ...order });
    expect(entry?.reference).toEqual({ type: "order", id: "ord-1001" });

    // A customer id named by the backend is the same entry the customer sees.
    const id = await newCustomer(crm.adapter, "backend-named");
    await backendSets(id, { nickname: "Set by backend" });
    const seen = await crm.adapter
      .forCustomer(id)
      .getCrmField({ slug: "tracker", fieldKey: "nickname" });
    expect(seen.value).toBe("Set by backend");
  });
});

describe.concurrent("pipelines", () => {
  test("moving a stage records when the entry entered it, and getCrmStage returns it", async () => {
    const id = await newCustomer(crm.adapter, "stages");
    const none = await crm.adapter.getCrmStage({
      slug: "tracker",
      pipeline: "progress",
      referenceId: id,
    });
    expect(none.position).toBeNull();

    const moved = await crm.adapter.setCrmStage({
      slug: "tracker",
      pipeline: "progress",
      stage: "in_progress",
      referenceId: id,
    });
    expect(moved.position?.stage).toBe("in_progress");
    const enteredAt = moved.position?.enteredAt ?? "";
    expect(Date.parse(enteredAt)).not.toBeNaN();

    const me = crm.adapter.forCustomer(id);
    expect(await me.getCrmStage({ slug: "tracker", pipeline: "progress" })).toEqual(moved);
    const [entry] = await me.getCrmEntries({ slug: "tracker" });
    expect(entry?.stages).toEqual({ progress: { stage: "in_progress", enteredAt } });

    // Moving to the stage it is in keeps the original entry time.
    const again = await crm.adapter.setCrmStage({
      slug: "tracker",
      pipeline: "progress",
      stage: "in_progress",
      referenceId: id,
    });
    expect(again.position?.enteredAt).toBe(enteredAt);
  });

  test("customers move stages only in pipelines that allow it", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "stage-permission"));
    const refused = await failure(
      me.setCrmStage({ slug: "tracker", pipeline: "review", stage: "done" }),
    );
    expect(refused.code).toBe("stage_not_movable");
    expect(refused.status).toBe(403);
    expect((await me.getCrmStage({ slug: "tracker", pipeline: "review" })).position).toBeNull();

    const allowed = await me.setCrmStage({
      slug: "tracker",
      pipeline: "progress",
      stage: "goal_reached",
    });
    expect(allowed.position?.stage).toBe("goal_reached");
  });

  test("unknown pipelines and stages are refused", async () => {
    const id = await newCustomer(crm.adapter, "stage-unknown");
    const pipeline = await failure(
      crm.adapter.setCrmStage({
        slug: "tracker",
        pipeline: "nope",
        stage: "done",
        referenceId: id,
      }),
    );
    expect(pipeline.code).toBe("pipeline_not_found");
    const stage = await failure(
      crm.adapter.setCrmStage({
        slug: "tracker",
        pipeline: "progress",
        stage: "nope",
        referenceId: id,
      }),
    );
    expect(stage.code).toBe("stage_not_found");
  });
});

describe.concurrent("entities with many entries per reference", () => {
  test("createCrmEntry adds entries that getCrmEntries lists and entry ids address", async () => {
    const id = await newCustomer(crm.adapter, "many");
    const me = crm.adapter.forCustomer(id);
    const first = await me.createCrmEntry({ slug: "deals", values: { title: "First" } });
    const second = await crm.adapter.createCrmEntry({
      slug: "deals",
      values: { title: "Second", amount: 1200, internal_score: 7 },
      referenceId: id,
    });
    expect(first.id).not.toBe(second.id);

    // Newest first.
    const listed = await me.getCrmEntries({ slug: "deals" });
    expect(listed.map((entry) => entry.values)).toEqual([
      { title: "Second", amount: 1200 },
      { title: "First" },
    ]);

    const updated = await me.setCrmField({
      slug: "deals",
      fieldKey: "title",
      value: "First, renamed",
      entryId: first.id,
    });
    expect(updated.entryId).toBe(first.id);
    expect(
      (await me.getCrmField({ slug: "deals", fieldKey: "title", entryId: second.id })).value,
    ).toBe("Second");
    expect(
      (await me.getCrmField({ slug: "deals", fieldKey: "title", entryId: first.id })).value,
    ).toBe("First, renamed");

    const moved = await crm.adapter.setCrmStage({
      slug: "deals",
      pipeline: "sales",
      stage: "won",
      entryId: second.id,
      referenceId: id,
    });
    expect(moved.position?.stage).toBe("won");
  });

  test("field operations must name the entry", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "many-no-id"));
    const error = await failure(me.setCrmField({ slug: "deals", fieldKey: "title", value: "x" }));
    expect(error).toMatchObject({ code: "invalid_request", field: "entryId" });
  });

  test("another customer's entry id and made-up ids are entry_not_found", async () => {
    const alice = crm.adapter.forCustomer(await newCustomer(crm.adapter, "many-alice"));
    const bob = crm.adapter.forCustomer(await newCustomer(crm.adapter, "many-bob"));
    const bobsDeal = await bob.createCrmEntry({ slug: "deals", values: { title: "Bob's" } });

    for (const entryId of [bobsDeal.id, `${bobsDeal.id}x`, "e_madeup.abc"]) {
      const read = await failure(alice.getCrmField({ slug: "deals", fieldKey: "title", entryId }));
      expect(read.code).toBe("entry_not_found");
      const write = await failure(
        alice.setCrmField({ slug: "deals", fieldKey: "title", value: "Mine", entryId }),
      );
      expect(write.code).toBe("entry_not_found");
    }
    expect(
      (await bob.getCrmField({ slug: "deals", fieldKey: "title", entryId: bobsDeal.id })).value,
    ).toBe("Bob's");
  });

  test("createCrmEntry validates every value and refuses unknown, hidden and read-only keys", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "many-create-checks"));
    expect(
      await failure(me.createCrmEntry({ slug: "deals", values: { title: "x", colour: "red" } })),
    ).toMatchObject({
      code: "field_not_found",
      field: "colour",
    });
    expect(
      await failure(
        me.createCrmEntry({ slug: "deals", values: { title: "x", internal_score: 1 } }),
      ),
    ).toMatchObject({ code: "field_not_found", field: "internal_score" });
    expect(
      await failure(me.createCrmEntry({ slug: "deals", values: { title: "x", forecast: 5 } })),
    ).toMatchObject({
      code: "field_not_writable",
      field: "forecast",
    });
    expect(await failure(me.createCrmEntry({ slug: "deals", values: { title: 5 } }))).toMatchObject(
      {
        code: "invalid_value",
        field: "title",
      },
    );
    expect(await failure(me.createCrmEntry({ slug: "deals", values: {} }))).toMatchObject({
      code: "invalid_value",
      field: "title",
    });
    expect(await me.getCrmEntries({ slug: "deals" })).toEqual([]);
  });

  test("createCrmEntry is refused for entities with one entry per reference", async () => {
    const me = crm.adapter.forCustomer(await newCustomer(crm.adapter, "create-one"));
    const error = await failure(me.createCrmEntry({ slug: "tracker", values: { nickname: "x" } }));
    expect(error.code).toBe("invalid_request");
  });
});

describe.concurrent("read your writes", () => {
  test("a value set is returned by the next getCrmEntries and getReferenceEntries", async () => {
    const id = await newCustomer(crm.adapter, "ryw");
    const me = crm.adapter.forCustomer(id);
    await me.setCrmField({ slug: "tracker", fieldKey: "current_weight", value: 90 });
    const deal = await me.createCrmEntry({ slug: "deals", values: { title: "Fresh" } });
    await me.setCrmField({ slug: "deals", fieldKey: "title", value: "Fresher", entryId: deal.id });

    expect((await me.getCrmEntries({ slug: "deals" })).map((entry) => entry.values.title)).toEqual([
      "Fresher",
    ]);
    const all = await crm.adapter.getReferenceEntries({ type: "customer", id });
    expect(all.map((entry) => [entry.slug, entry.values])).toEqual([
      ["deals", { title: "Fresher" }],
      ["tracker", { current_weight: 90 }],
    ]);
  });

  test("getReferenceEntries returns only that reference's entries", async () => {
    const id = await newCustomer(crm.adapter, "reference-only");
    const other = await newCustomer(crm.adapter, "reference-other");
    await backendSets(id, { nickname: "Mine" });
    await backendSets(other, { nickname: "Theirs" });
    const entries = await crm.adapter.getReferenceEntries({ type: "customer", id });
    expect(entries.map((entry) => entry.values.nickname)).toEqual(["Mine"]);
  });
});

describe.concurrent("customers", () => {
  test("resolving one identity twice gives the same customer, other identities other customers", async () => {
    const first = await crm.adapter.resolveCustomer({
      issuer: "https://shop.example",
      subject: "same",
    });
    const cold = crm.newAdapter();
    const second = await cold.resolveCustomer({ issuer: "https://shop.example", subject: "same" });
    expect(second).toEqual(first);
    const otherIssuer = await crm.adapter.resolveCustomer({
      issuer: "https://other.example",
      subject: "same",
    });
    expect(otherIssuer.id).not.toBe(first.id);
    expect(await cold.getCustomer(first.id)).toEqual(first);
    expect(await cold.getCustomer("c_unknown")).toBeNull();
  });
});
