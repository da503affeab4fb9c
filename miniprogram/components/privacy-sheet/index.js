// The privacy notice WeChat asks for (see lib/privacy.js), with this store's name.
const privacy = require("../../lib/privacy");

Component({
  properties: { storeName: { type: String, value: "" } },
  methods: {
    // bindagreeprivacyauthorization: WeChat has recorded the agreement; let the waiting call go on.
    agree(e) {
      privacy.answer(true, e.currentTarget.id);
      this.triggerEvent("answered", { agreed: true });
    },
    disagree() {
      privacy.answer(false);
      this.triggerEvent("answered", { agreed: false });
    },
    openContract() {
      if (wx.openPrivacyContract) wx.openPrivacyContract({});
    },
  },
});
