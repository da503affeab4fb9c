// The reports section (报表) registers itself; its charts (and the ECharts bundle) are fetched
// only when someone opens it, so the rest of the console stays light.
import { registerView } from "./core.js";

registerView("reports", async (...rest) => (await import("./reports_view.js")).viewReports(...rest));
