// The privacy notice WeChat asks for (see lib/privacy.js), with this store's name.
const { t, texts } = require("../../lib/i18n");
const privacy = require("../../lib/privacy");

function before(storeName) {
  return t("privacyBefore", { store: storeName || t("thisStore") });
}

Component({
  properties: {
    storeName: { type: String, value: "", observer(name) { this.setData({ before: before(name) }); } },
  },
  data: { t: texts(), before: before("") },
  lifetimes: {
    attached() {
      this.setData({ before: before(this.properties.storeName) });
    },
  },
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
