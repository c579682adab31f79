import { z } from "@hono/zod-openapi";
import { actorSchema, crmEntrySchema, OPERATION_NAMES, wireValueSchema } from "#domain";
import { MAX_PAGE_SIZE } from "../../adapter/back-office.ts";
import type { CrmAdapter } from "../../adapter/types.ts";
import type { StaffEnv } from "../../auth/staff.ts";
import { answerJson } from "../answer.ts";
import { type StaffRouter, staffAdminRoute, staffRoute } from "../route-kinds.ts";
import { customerSchema, entitySchema, slugParamSchema } from "../schemas.ts";
import * as backOffice from "./back-office.ts";
import { batchRouteConfig, runBatch } from "./batch.ts";

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
      content: backOffice.json(
        z.object({ customers: z.array(foundCustomerSchema), next: z.string().nullable() }),
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
  request: { params: backOffice.customerIdParamSchema },
  responses: {
    200: {
      description: "The customer record, every entry of every entity and every history record",
      content: backOffice.json(
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
  request: { params: backOffice.customerIdParamSchema },
  responses: {
    200: {
      description: "What was removed",
      content: backOffice.json(
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

const updateEntity = staffAdminRoute({
  method: "put",
  path: "/entities/{slug}",
  summary: "Changes an entity definition",
  description:
    "A change that would make stored values invalid (a field's type, a select option in use, a removed stage entries stand in) is refused with 409 `breaking_change`, naming how many entries it breaks and (in `field`) the first input concerned, unless `acceptBreaking=true`.",
  request: {
    params: slugParamSchema,
    query: z.strictObject({ acceptBreaking: flag }),
    body: backOffice.entityDefinitionBody,
  },
  responses: {
    200: { description: "The changed definition", content: backOffice.json(entitySchema) },
  },
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
      content: backOffice.json(z.object({ slug: z.string(), deletedEntries: z.number().int() })),
    },
  },
});

/**
 * The back office API (mounted at `/v1/staff`): staff tokens only; every
 * write is recorded as made by `staff` + the token's subject.
 */
export function staffRoutes(router: StaffRouter, adapter: CrmAdapter) {
  const shared = backOffice.backOfficeHandlers<StaffEnv>(adapter);
  return router
    .openapi(batch, async (c) => {
      const ops = adapter.forStaff(c.var.staff.subject);
      const { calls } = c.req.valid("json");
      return answerJson(c, await runBatch(ops, calls, c.var.requestId, () => true), 200);
    })
    .openapi(findCustomers, async (c) =>
      answerJson(c, await adapter.findCustomers(c.req.valid("query")), 200),
    )
    .openapi(staffRoute(backOffice.customerEntriesRoute), shared.customerEntries)
    .openapi(exportCustomer, async (c) =>
      answerJson(c, await adapter.exportCustomer(c.req.valid("param").customerId), 200),
    )
    .openapi(eraseCustomer, async (c) =>
      answerJson(c, await adapter.eraseCustomer(c.req.valid("param").customerId), 200),
    )
    .openapi(staffRoute(backOffice.listEntitiesRoute), shared.listEntities)
    .openapi(staffRoute(backOffice.getEntityRoute), shared.getEntity)
    .openapi(staffAdminRoute(backOffice.createEntityRoute), shared.createEntity)
    .openapi(updateEntity, async (c) => {
      const { slug } = c.req.valid("param");
      const consents = c.req.valid("query");
      const definition = c.req.valid("json");
      return answerJson(
        c,
        await backOffice.updateDefinition(adapter, slug, definition, consents),
        200,
      );
    })
    .openapi(deleteEntity, async (c) => {
      const { slug } = c.req.valid("param");
      const { deleteEntries } = c.req.valid("query");
      return answerJson(c, await adapter.entities.delete(slug, { deleteEntries }), 200);
    });
}
