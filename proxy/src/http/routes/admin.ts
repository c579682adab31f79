import type { BlankEnv } from "hono/types";
import type { CrmAdapter } from "../../adapter/types.ts";
import { answerJson } from "../answer.ts";
import { type AdminRouter, adminRoute } from "../route-kinds.ts";
import { entitySchema, slugParamSchema } from "../schemas.ts";
import * as backOffice from "./back-office.ts";

const updateEntity = adminRoute({
  method: "put",
  path: "/entities/{slug}",
  summary: "Replaces an entity definition (the body's slug must match the path)",
  request: { params: slugParamSchema, body: backOffice.entityDefinitionBody },
  responses: {
    200: { description: "The updated definition", content: backOffice.json(entitySchema) },
  },
});

/** Back office routes (mounted at `/v1/admin`): the unscoped adapter, behind the admin credential. */
export function adminRoutes(router: AdminRouter, adapter: CrmAdapter) {
  const shared = backOffice.backOfficeHandlers<BlankEnv>(adapter);
  return router
    .openapi(adminRoute(backOffice.listEntitiesRoute), shared.listEntities)
    .openapi(adminRoute(backOffice.createEntityRoute), shared.createEntity)
    .openapi(adminRoute(backOffice.getEntityRoute), shared.getEntity)
    .openapi(updateEntity, async (c) => {
      const { slug } = c.req.valid("param");
      return answerJson(
        c,
        await backOffice.updateDefinition(adapter, slug, c.req.valid("json")),
        200,
      );
    })
    .openapi(adminRoute(backOffice.customerEntriesRoute), shared.customerEntries);
}
