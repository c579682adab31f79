import { z } from "@hono/zod-openapi";
import {
  actorSchema,
  CrmError,
  crmEntrySchema,
  entityDefinitionSchema,
  OPERATION_NAMES,
  wireValueSchema,
} from "#domain";
import { MAX_PAGE_SIZE } from "../../adapter/back-office.ts";
import type { CrmAdapter } from "../../adapter/types.ts";
import { type StaffRouter, staffAdminRoute, staffRoute } from "../route-kinds.ts";
import { customerSchema, entitySchema, slugParamSchema } from "../schemas.ts";
import { batchRouteConfig, runBatch } from "./batch.ts";

const json = <T>(schema: T) => ({ "application/json": { schema } });

const customerIdParamSchema = z.object({
  customerId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:@-]+$/, "Must be a customer id"),
});

/** `?flag=true` for the explicit consents (deleting entries, accepting breaking changes). */
const flag = z
  .enum(["true", "false"])
  .optional()
  .transform((value) => value === "true");

const batch = staffRoute(
  batchRouteConfig("/batch", OPERATION_NAMES, "a staff member, for any reference"),
);

const foundCustomerSchema = customerSchema
  .extend({ entries: z.record(z.string(), z.number().int()) })
  .openapi("FoundCustomer");

const findCustomers = staffRoute({
  method: "get",
  path: "/customers",
  summary: "Customers by subject or id prefix, newest first, with their entry counts per entity",
  request: {
    query: z.strictObject({
      query: z.string().max(256).optional(),
      size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
      after: z.string().max(1_024).optional(),
    }),
  },
  responses: {
    200: {
      description: "One page of customers; `next` is the cursor of the next page",
      content: json(
        z.object({ customers: z.array(foundCustomerSchema), next: z.string().nullable() }),
      ),
    },
  },
});

const customerEntries = staffRoute({
  method: "get",
  path: "/customers/{customerId}/entries",
  summary: "The Customer Details CRM tab: every entry of one customer across all entities",
  request: { params: customerIdParamSchema },
  responses: {
    200: {
      description: "The customer, the definitions needed to render the entries, and the entries",
      content: json(
        z.object({
          customer: customerSchema.nullable(),
          entities: z.array(entitySchema),
          entries: z.array(crmEntrySchema),
        }),
      ),
    },
  },
});

const historyRecordSchema = z
  .object({
    id: z.string(),
    entryId: z.string(),
    slug: z.string(),
    kind: z.enum(["field", "stage"]),
    key: z.string(),
    valueType: z.string(),
    value: z.record(z.string(), wireValueSchema),
    at: z.string(),
    by: actorSchema,
  })
  .openapi("ExportedHistoryRecord");

const exportCustomer = staffRoute({
  method: "get",
  path: "/customers/{customerId}/export",
  summary: "One customer's CRM data as one JSON document (data-protection access request)",
  request: { params: customerIdParamSchema },
  responses: {
    200: {
      description: "The customer record, every entry of every entity and every history record",
      content: json(
        z
          .object({
            exportedAt: z.string(),
            customer: customerSchema.nullable(),
            entities: z.array(entitySchema),
            entries: z.array(crmEntrySchema),
            history: z.array(historyRecordSchema),
          })
          .openapi("CustomerExport"),
      ),
    },
  },
});

const eraseCustomer = staffAdminRoute({
  method: "delete",
  path: "/customers/{customerId}",
  summary: "Erases one customer: every entry, every history record and the customer record",
  description: "Idempotent: erasing again answers zeros.",
  request: { params: customerIdParamSchema },
  responses: {
    200: {
      description: "What was removed",
      content: json(
        z.object({
          customerId: z.string(),
          customer: z.boolean(),
          entries: z.number().int(),
          history: z.number().int(),
        }),
      ),
    },
  },
});

const listEntities = staffRoute({
  method: "get",
  path: "/entities",
  summary: "Every entity definition, with all fields",
  responses: {
    200: {
      description: "The definitions",
      content: json(z.object({ entities: z.array(entitySchema) })),
    },
  },
});

const getEntity = staffRoute({
  method: "get",
  path: "/entities/{slug}",
  summary: "One entity definition, with all fields",
  request: { params: slugParamSchema },
  responses: { 200: { description: "The definition", content: json(entitySchema) } },
});

const createEntity = staffAdminRoute({
  method: "post",
  path: "/entities",
  summary: "Creates an entity definition",
  request: { body: { required: true, content: json(entityDefinitionSchema) } },
  responses: { 201: { description: "The created definition", content: json(entitySchema) } },
});

const updateEntity = staffAdminRoute({
  method: "put",
  path: "/entities/{slug}",
  summary: "Changes an entity definition",
  description:
    "A change that would make stored values invalid (a field's type, a select option in use, a removed stage entries stand in) is refused with 409 `breaking_change`, naming how many entries it breaks and (in `field`) the first input concerned, unless `acceptBreaking=true`.",
  request: {
    params: slugParamSchema,
    query: z.strictObject({ acceptBreaking: flag }),
    body: { required: true, content: json(entityDefinitionSchema) },
  },
  responses: { 200: { description: "The changed definition", content: json(entitySchema) } },
});

const deleteEntity = staffAdminRoute({
  method: "delete",
  path: "/entities/{slug}",
  summary: "Deletes an entity definition",
  description:
    "A definition with stored entries is refused with 409 (naming how many) unless `deleteEntries=true`, which deletes them too.",
  request: { params: slugParamSchema, query: z.strictObject({ deleteEntries: flag }) },
  responses: {
    200: {
      description: "What was deleted",
      content: json(z.object({ slug: z.string(), deletedEntries: z.number().int() })),
    },
  },
});

/**
 * The back office API (mounted at `/v1/staff`): staff tokens only; every
 * write is recorded as made by `staff` + the token's subject.
 */
export function staffRoutes(router: StaffRouter, adapter: CrmAdapter) {
  return router
    .openapi(batch, async (c) => {
      const ops = adapter.forStaff(c.var.staff.subject);
      const { calls } = c.req.valid("json");
      return c.json(await runBatch(ops, calls, c.var.requestId, () => true), 200);
    })
    .openapi(findCustomers, async (c) =>
      c.json(await adapter.findCustomers(c.req.valid("query")), 200),
    )
    .openapi(customerEntries, async (c) => {
      const { customerId } = c.req.valid("param");
      const [customer, entries, entities] = await Promise.all([
        adapter.getCustomer(customerId),
        adapter.getReferenceEntries({ type: "customer", id: customerId }),
        adapter.entities.list(),
      ]);
      const used = new Set(entries.map((entry) => entry.slug));
      return c.json(
        { customer, entities: entities.filter((entity) => used.has(entity.slug)), entries },
        200,
      );
    })
    .openapi(exportCustomer, async (c) =>
      c.json(await adapter.exportCustomer(c.req.valid("param").customerId), 200),
    )
    .openapi(eraseCustomer, async (c) =>
      c.json(await adapter.eraseCustomer(c.req.valid("param").customerId), 200),
    )
    .openapi(listEntities, async (c) => c.json({ entities: await adapter.entities.list() }, 200))
    .openapi(getEntity, async (c) =>
      c.json(await adapter.entities.get(c.req.valid("param").slug), 200),
    )
    .openapi(createEntity, async (c) =>
      c.json(await adapter.entities.create(c.req.valid("json")), 201),
    )
    .openapi(updateEntity, async (c) => {
      const { slug } = c.req.valid("param");
      const definition = c.req.valid("json");
      if (definition.slug !== slug) {
        throw new CrmError("invalid_request", "slug: Must match the slug in the path", "slug");
      }
      const { acceptBreaking } = c.req.valid("query");
      return c.json(await adapter.entities.update(slug, definition, { acceptBreaking }), 200);
    })
    .openapi(deleteEntity, async (c) => {
      const { slug } = c.req.valid("param");
      const { deleteEntries } = c.req.valid("query");
      return c.json(await adapter.entities.delete(slug, { deleteEntries }), 200);
    });
}
