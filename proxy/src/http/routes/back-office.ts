import { type createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { Env } from "hono";
import { CrmError, crmEntrySchema, type EntityDefinition, entityDefinitionSchema } from "#domain";
import type { CrmAdapter } from "../../adapter/types.ts";
import { answerJson } from "../answer.ts";
import { customerSchema, entitySchema, slugParamSchema } from "../schemas.ts";

/**
 * What the two back office APIs share: the admin API (`/v1/admin`, the
 * owner's backend with the ADMIN_TOKEN) and the staff API (`/v1/staff`,
 * staff tokens) serve the same definition and customer routes. Each route is
 * written here once without its credential; `admin.ts` and `staff.ts` wrap it
 * in their route kind (`adminRoute`, `staffRoute`, `staffAdminRoute`) and mount
 * the handler made here by `backOfficeHandlers`.
 */

export const json = <T>(schema: T) => ({ "application/json": { schema } });

export const customerIdParamSchema = z.object({
  customerId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\w.:@-]+$/, "Must be a customer id"),
});

/** The body of a create or a change: one entity definition. */
export const entityDefinitionBody = {
  required: true,
  content: json(entityDefinitionSchema),
} as const;

export const listEntitiesRoute = {
  method: "get",
  path: "/entities",
  summary: "Every entity definition, with all fields",
  responses: {
    200: {
      description: "The definitions",
      content: json(z.object({ entities: z.array(entitySchema) })),
    },
  },
} as const;

export const getEntityRoute = {
  method: "get",
  path: "/entities/{slug}",
  summary: "One entity definition, with all fields",
  request: { params: slugParamSchema },
  responses: { 200: { description: "The definition", content: json(entitySchema) } },
} as const;

export const createEntityRoute = {
  method: "post",
  path: "/entities",
  summary: "Creates an entity definition",
  request: { body: entityDefinitionBody },
  responses: { 201: { description: "The created definition", content: json(entitySchema) } },
} as const;

export const customerEntriesRoute = {
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
} as const;

/**
 * A PUT's change of a definition, refused unless the body names the entity of
 * the path; `options` are the caller's consents (the staff API's `acceptBreaking`).
 */
export async function updateDefinition(
  adapter: CrmAdapter,
  slug: string,
  definition: EntityDefinition,
  options?: { acceptBreaking: boolean },
): Promise<EntityDefinition> {
  if (definition.slug !== slug) {
    throw new CrmError("invalid_request", "slug: Must match the slug in the path", "slug");
  }
  return adapter.entities.update(slug, definition, options);
}

type Handler<R, E extends Env> = R extends Parameters<typeof createRoute>[0]
  ? RouteHandler<R, E>
  : never;

/** The handlers of the shared routes, the same whichever credential let the request in. */
export function backOfficeHandlers<E extends Env>(adapter: CrmAdapter) {
  const listEntities: Handler<typeof listEntitiesRoute, E> = async (c) =>
    answerJson(c, { entities: await adapter.entities.list() }, 200);
  const getEntity: Handler<typeof getEntityRoute, E> = async (c) =>
    answerJson(c, await adapter.entities.get(c.req.valid("param").slug), 200);
  const createEntity: Handler<typeof createEntityRoute, E> = async (c) =>
    answerJson(c, await adapter.entities.create(c.req.valid("json")), 201);
  const customerEntries: Handler<typeof customerEntriesRoute, E> = async (c) => {
    const { customerId } = c.req.valid("param");
    const [customer, entries, entities] = await Promise.all([
      adapter.getCustomer(customerId),
      adapter.getReferenceEntries({ type: "customer", id: customerId }),
      adapter.entities.list(),
    ]);
    const used = new Set(entries.map((entry) => entry.slug));
    return answerJson(
      c,
      { customer, entities: entities.filter((entity) => used.has(entity.slug)), entries },
      200,
    );
  };
  return { listEntities, getEntity, createEntity, customerEntries };
}
