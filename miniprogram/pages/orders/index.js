// The table's check: every round with its live status, paying (the check, or each order when the
// store is paid first), calling the waiter. Live by polling the check (lib/live.js says why).
const checkLib = require("../../lib/check");
const { errorText, t, texts } = require("../../lib/i18n");
const { createPoller } = require("../../lib/live");
const { yuan } = require("../../lib/money");
const payLib = require("../../lib/pay");
const visit = require("../../lib/visit");

const CHECK_POLL_MS = 4000;

Component({
  data: { t: texts(), state: "loading", message: "", check: null, paying: false },

  methods: {
    async onLoad(options) {
      wx.setNavigationBarTitle({ title: t("ordersTitle") });
      try {
        this.visit = getApp().globalData.visit || await visit.enter(options);
        getApp().globalData.visit = this.visit;
        if (!this.visit.session) {
          this.setData({ state: "empty" });
          return;
        }
        this.poller = createPoller({
          fetch: () => checkLib.load(this.visit.session.id),
          onData: (check) => this.show(check),
          interval: CHECK_POLL_MS,
        });
        this.poller.start();
      } catch (err) {
        this.setData({ state: "error", message: errorText(err, "networkPoor") });
      }
    },
    onShow() {
      if (this.poller) this.poller.start();
    },
    onHide() {
      if (this.poller) this.poller.stop();
    },
    onUnload() {
      if (this.poller) this.poller.stop();
    },
    onPullDownRefresh() {
      if (this.poller) this.poller.poke();
      wx.stopPullDownRefresh();
    },

    show(check) {
      this.lastCheck = check;
      if (!check) {
        this.setData({ state: "empty" });
        return;
      }
      this.setData({ state: "ready", check: checkLib.checkView(check, this.visit.store.pay_mode) });
      if (this.waitingFor && checkLib.isPaid(check, this.waitingFor)) {
        this.waitingFor = null;
        wx.showToast({ title: t("paySuccess"), icon: "success" });
      }
    },

    async payCheck() {
      await this.pay({ sessionId: this.data.check.id }, this.data.check.due);
    },
    async payOrder(e) {
      const order = this.data.check.orders.find((o) => o.id === Number(e.currentTarget.dataset.id));
      if (order) await this.pay({ orderId: order.id }, order.total);
    },
    async pay(target, amount) {
      if (this.data.paying) return;
      this.setData({ paying: true });
      try {
        const { outcome } = await payLib.pay(target, yuan(amount));
        if (outcome === "paid") {
          this.waitingFor = target;  // WeChat's notify credits it on the server: the next poll shows it
          if (this.poller) this.poller.poke();
        }
      } catch (err) {
        wx.showToast({ title: errorText(err, "payUnfinished"), icon: "none" });
      } finally {
        this.setData({ paying: false });
      }
    },
    async callWaiter(e) {
      const kind = (e && e.currentTarget.dataset.kind) || "waiter";
      try {
        await visit.callWaiter(this.visit.token, kind);
        wx.showToast({ title: kind === "bill" ? t("billAsked") : t("waiterCalled"), icon: "success" });
      } catch (err) {
        wx.showToast({ title: errorText(err, "callFailed"), icon: "none" });
      }
    },
  },
});
