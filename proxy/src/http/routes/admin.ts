import { createRoute, z } from "@hono/zod-openapi";
import { CrmError, crmEntrySchema, entityDefinitionSchema } from "#domain";
import type { CrmAdapter } from "../../adapter/types.ts";
import { createRouter } from "../router.ts";
import {
  ADMIN_ERRORS,
  customerSchema,
  entitySchema,
  errorResponses,
  slugParamSchema,
} from "../schemas.ts";

const security = [{ admin: [] }];
const json = <T>(schema: T) => ({ "application/json": { schema } });

const customerIdParamSchema = z.object({
  customerId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:@-]+$/, "Must be a customer id"),
});

const listEntities = createRoute({
  method: "get",
  path: "/admin/entities",
  summary: "Every entity definition, with all fields",
  security,
  responses: {
    200: {
      description: "The definitions",
      content: json(z.object({ entities: z.array(entitySchema) })),
    },
    ...errorResponses(...ADMIN_ERRORS),
  },
});

const createEntity = createRoute({
  method: "post",
  path: "/admin/entities",
  summary: "Creates an entity definition",
  security,
  request: { body: { required: true, content: json(entityDefinitionSchema) } },
  responses: {
    201: { description: "The created definition", content: json(entitySchema) },
    ...errorResponses(...ADMIN_ERRORS),
  },
});

const getEntity = createRoute({
  method: "get",
  path: "/admin/entities/{slug}",
  summary: "One entity definition, with all fields",
  security,
  request: { params: slugParamSchema },
  responses: {
    200: { description: "The definition", content: json(entitySchema) },
    ...errorResponses(...ADMIN_ERRORS),
  },
});

const updateEntity = createRoute({
  method: "put",
  path: "/admin/entities/{slug}",
  summary: "Replaces an entity definition (the body's slug must match the path)",
  security,
  request: {
    params: slugParamSchema,
    body: { required: true, content: json(entityDefinitionSchema) },
  },
  responses: {
    200: { description: "The updated definition", content: json(entitySchema) },
    ...errorResponses(...ADMIN_ERRORS),
  },
});

const customerEntries = createRoute({
  method: "get",
  path: "/admin/customers/{customerId}/entries",
  summary: "The back office CRM tab: every entry of one customer across all entities",
  security,
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
    ...errorResponses(...ADMIN_ERRORS),
  },
});

/** Back office routes: the unscoped adapter, behind the admin credential. */
export function adminRoutes(adapter: CrmAdapter) {
  return createRouter()
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
