/**
 * The back office bundle (`dist/crm-back-office.js`): the customer core
 * (`crm-widgets.js`, which it imports) plus the back office components (the
 * Customer Details CRM tab), loaded from `back-office/` beside this file the
 * first time their tags appear. Customer pages load `crm-widgets.js` alone,
 * which knows no back office tag.
 */
import { autoload } from "./autoloader.ts";
import "./crm-widgets.ts";
import { backOfficeTags } from "./back-office-tags.ts";

autoload({ folder: new URL("./back-office/", import.meta.url), tags: backOfficeTags });
