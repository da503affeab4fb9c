// The console's charts: Apache ECharts from npm, only the parts the reports draw (bar, line, pie on
// a canvas), bundled by esbuild into node_modules/.diancan/echarts.js (`make deps`) and served at
// /vendor/echarts.js. ECharts' ES modules import bare names (tslib, zrender), which a browser
// cannot resolve without an import map, and an inline import map would need a CSP exception.
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, PieChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent,
  CanvasRenderer]);

export const { init, getInstanceByDom } = echarts;
