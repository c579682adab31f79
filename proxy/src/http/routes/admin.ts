import { z } from "@hono/zod-openapi";
import { CrmError, crmEntrySchema, entityDefinitionSchema } from "#domain";
import type { CrmAdapter } from "../../adapter/types.ts";
import { type AdminRouter, adminRoute } from "../route-kinds.ts";
import { customerSchema, entitySchema, slugParamSchema } from "../schemas.ts";

const json = <T>(schema: T) => ({ "application/json": { schema } });

const customerIdParamSchema = z.object({
  customerId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:@-]+$/, "Must be a customer id"),
});

const listEntities = adminRoute({
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

const createEntity = adminRoute({
  method: "post",
  path: "/entities",
  summary: "Creates an entity definition",
  request: { body: { required: true, content: json(entityDefinitionSchema) } },
  responses: {
    201: { description: "The created definition", content: json(entitySchema) },
  },
});

const getEntity = adminRoute({
  method: "get",
  path: "/entities/{slug}",
  summary: "One entity definition, with all fields",
  request: { params: slugParamSchema },
  responses: {
    200: { description: "The definition", content: json(entitySchema) },
  },
});

const updateEntity = adminRoute({
  method: "put",
  path: "/entities/{slug}",
  summary: "Replaces an entity definition (the body's slug must match the path)",
  request: {
    params: slugParamSchema,
    body: { required: true, content: json(entityDefinitionSchema) },
  },
  responses: {
    200: { description: "The updated definition", content: json(entitySchema) },
  },
});

const customerEntries = adminRoute({
  method: "get",
  path: "/customers/{customerId}/entries",
  summary: "The back office CRM tab: every entry of one customer across all entities",
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

/** Back office routes (mounted at `/v1/admin`): the unscoped adapter, behind the admin credential. */
export function adminRoutes(router: AdminRouter, adapter: CrmAdapter) {
  return router
    .openapi(listEntities, async (c) => c.json({ entities: await adapter.entities.list() }, 200))
    .openapi(createEntity, async (c) =>
      c.json(await adapter.entities.create(c.req.valid("json")), 201),
    )
    .openapi(getEntity, async (c) =>
      c.json(await adapter.entities.get(c.req.valid("param").slug), 200),
    )
    .openapi(updateEntity, async (c) => {
      const { slug } = c.req.valid("param");
      const definition = c.req.valid("json");
      if (definition.slug !== slug) {
        throw new CrmError("invalid_request", "slug: Must match the slug in the path", "slug");
      }
      return c.json(await adapter.entities.update(slug, definition), 200);
    })
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
    });
}
