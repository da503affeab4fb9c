// My data: what the restaurant keeps about this diner, and forgetting it.
const { errorText, t, texts } = require("../../lib/i18n");
const session = require("../../lib/session");

function day(iso) {
  return iso ? iso.replace("T", " ").slice(0, 16) : "";
}

Component({
  data: { t: texts(), state: "loading", facts: null, message: "" },
  methods: {
    async onLoad() {
      wx.setNavigationBarTitle({ title: t("meTitle") });
      try {
        const data = await session.authed("myData", {});
        this.setData({ state: "ready", facts: { firstSeen: day(data.diner.created_at), lastSeen: day(data.diner.last_seen_at),
          orders: data.orders.length } });
      } catch (err) {
        this.setData({ state: "error", message: errorText(err, "networkPoor") });
      }
    },
    forget() {
      wx.showModal({
        title: t("forgetMe"),
        content: t("forgetExplained"),
        confirmText: t("forgetConfirm"),
        confirmColor: "#c0392b",
        success: async (res) => {
          if (!res.confirm) return;
          try {
            await session.authed("forgetMe", {});
            session.forget();
            this.setData({ state: "forgotten", facts: null });
          } catch (err) {
            wx.showToast({ title: errorText(err, "forgetFailed"), icon: "none" });
          }
        },
      });
    },
  },
});
