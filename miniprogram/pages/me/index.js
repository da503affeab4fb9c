// My data: what the restaurant keeps about this diner, and forgetting it.
const session = require("../../lib/session");

function day(iso) {
  return iso ? iso.replace("T", " ").slice(0, 16) : "";
}

Component({
  data: { state: "loading", facts: null, message: "" },
  methods: {
    async onLoad() {
      try {
        const data = await session.authed("myData", {});
        this.setData({ state: "ready", facts: { firstSeen: day(data.diner.created_at), lastSeen: day(data.diner.last_seen_at),
          orders: data.orders.length } });
      } catch (err) {
        this.setData({ state: "error", message: err.message || "网络不佳，请稍后再试" });
      }
    },
    forget() {
      wx.showModal({
        title: "删除我的数据",
        content: "删除后，餐厅不再保留您的身份；已下的订单会保留用于记账，但不再与您关联。",
        confirmText: "删除",
        confirmColor: "#c0392b",
        success: async (res) => {
          if (!res.confirm) return;
          try {
            await session.authed("forgetMe", {});
            session.forget();
            this.setData({ state: "forgotten", facts: null });
          } catch (err) {
            wx.showToast({ title: err.message || "删除失败", icon: "none" });
          }
        },
      });
    },
  },
});
