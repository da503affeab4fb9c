// The table: entry from the table's code, the menu with options, the shared cart.
// Built with Component() (WeChat's page-as-component form) so tests render it with
// miniprogram-simulate; the logic lives in lib/.
const cart = require("../../lib/cart");
const { errorText, t, texts } = require("../../lib/i18n");
const { createPoller } = require("../../lib/live");
const menuLib = require("../../lib/menu");
const privacy = require("../../lib/privacy");
const visit = require("../../lib/visit");

const CART_POLL_MS = 3000;

Component({
  data: {
    t: texts(),
    state: "loading",  // loading | ready | error
    message: "",
    store: null,
    table: null,
    categories: [],
    activeCategory: 0,
    sheet: "",  // "" | options | cart
    choosing: null,
    cart: cart.cartView(null),
    sending: false,
    privacyShown: false,
  },

  methods: {
    async onLoad(options) {
      this.menu = null;
      this.selected = [];
      this.showPrivacy = () => this.setData({ privacyShown: true });
      privacy.attach(this.showPrivacy);
      await privacy.ask();
      try {
        this.visit = await visit.enter(options);
        getApp().globalData.visit = this.visit;
        wx.setNavigationBarTitle({ title: `${this.visit.store.name} · ${this.visit.table.code}` });
        this.setData({ store: this.visit.store, table: this.visit.table });
        this.menu = await visit.loadMenu(this.visit.store.id);
        const categories = menuLib.menuView(this.menu);
        this.setData({ state: "ready", categories, activeCategory: categories.length ? categories[0].id : 0 });
        this.poller = createPoller({
          fetch: () => cart.load(this.visit.token),
          onData: (data) => this.showCart(data),
          interval: CART_POLL_MS,
        });
        this.poller.start();
      } catch (err) {
        const message = err.code === "not_found" ? t("codeExpired") : errorText(err, "networkPoor");
        this.setData({ state: "error", message });
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
      privacy.detach(this.showPrivacy);
    },

    pickCategory(e) {
      this.setData({ activeCategory: Number(e.currentTarget.dataset.id) });
    },

    async tapItem(e) {
      const item = menuLib.findItem(this.menu, Number(e.currentTarget.dataset.id));
      if (!item || menuLib.soldOut(item)) return;
      if ((item.option_groups || []).length) {
        this.selected = [];
        this.choosing = item;
        this.setData({ sheet: "options", choosing: menuLib.optionsView(item, []) });
        return;
      }
      await this.addToCart(item.id, []);
    },
    tapOption(e) {
      this.selected = menuLib.toggleOption(this.choosing, this.selected, Number(e.currentTarget.dataset.id));
      this.setData({ choosing: menuLib.optionsView(this.choosing, this.selected) });
    },
    async addChosen() {
      if (menuLib.missingChoices(this.choosing, this.selected).length) return;
      await this.addToCart(this.choosing.id, this.selected);
      this.setData({ sheet: "" });
    },
    async addToCart(itemId, optionIds) {
      try {
        const data = await cart.add(this.visit.token, itemId, 1, optionIds, "");
        this.showCart(data);
        wx.showToast({ title: t("added"), icon: "success" });
      } catch (err) {
        wx.showToast({ title: errorText(err, "addFailed"), icon: "none" });
      }
    },
    async changeQty(e) {
      const line = this.data.cart.lines.find((l) => l.id === Number(e.currentTarget.dataset.id));
      if (!line) return;
      try {
        const data = await cart.setQty(this.visit.token, line, line.qty + Number(e.currentTarget.dataset.step));
        this.showCart(data);
      } catch (err) {
        if (this.poller) this.poller.poke();  // someone else changed it: show what is there now
      }
    },
    showCart(data) {
      if (!cart.isStale(this.data.cart, data)) this.setData({ cart: cart.cartView(data) });
    },
    openCart() {
      this.setData({ sheet: "cart" });
    },
    closeSheet() {
      this.setData({ sheet: "" });
    },
    async sendRound() {
      if (this.data.sending || !this.data.cart.orderable) return;
      this.setData({ sending: true });
      try {
        const order = await cart.submit(this.visit.token, "");
        this.visit.session = { id: order.table_session_id };
        this.setData({ sheet: "", cart: cart.sentView(this.data.cart) });
        wx.navigateTo({ url: `/pages/orders/index?token=${encodeURIComponent(this.visit.token)}` });
      } catch (err) {
        wx.showToast({ title: err.code === "sold_out" ? t("somethingSoldOut") : errorText(err, "sendFailed"), icon: "none" });
        if (this.poller) this.poller.poke();
      } finally {
        this.setData({ sending: false });
      }
    },
    goOrders() {
      wx.navigateTo({ url: `/pages/orders/index?token=${encodeURIComponent(this.visit.token)}` });
    },
    goMe() {
      wx.navigateTo({ url: "/pages/me/index" });
    },
    async callWaiter() {
      try {
        await visit.callWaiter(this.visit.token, "waiter");
        wx.showToast({ title: t("waiterCalled"), icon: "success" });
      } catch (err) {
        wx.showToast({ title: errorText(err, "callFailed"), icon: "none" });
      }
    },
    privacyAnswered() {
      this.setData({ privacyShown: false });
    },
  },
});
