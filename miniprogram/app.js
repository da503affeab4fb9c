const privacy = require("./lib/privacy");

App({
  globalData: { visit: null },
  onLaunch() {
    privacy.install();
  },
});
