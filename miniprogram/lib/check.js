// The table's check and its rounds, as the orders page shows them.
const { t } = require("./i18n");
const { yuan } = require("./money");
const session = require("./session");

const STATUSES = ["submitted", "accepted", "preparing", "ready", "served", "cancelled"];
const PAYMENT_STATES = ["unpaid", "paying", "paid", "refunded", "partially_refunded"];

function statusText(status) {
  return STATUSES.includes(status) ? t(`status_${status}`) : status;
}

function paymentText(state) {
  return PAYMENT_STATES.includes(state) ? t(`payment_${state}`) : state;
}

function checkView(check, payMode) {
  const orders = (check.orders || []).slice().sort((a, b) => b.number - a.number);
  return {
    id: check.id,
    tableCode: check.table ? check.table.code : "",
    totalText: yuan(check.total),
    paidText: yuan(check.paid),
    dueText: yuan(check.due),
    payText: t("payWechat", { amount: yuan(check.due) }),
    due: check.due,
    canPayCheck: payMode === "pay_later" && check.status === "open" && check.due > 0,
    orders: orders.map((o) => ({
      id: o.id,
      number: o.number,
      numberText: t("orderNumber", { n: o.number }),
      status: o.status,
      statusText: statusText(o.status),
      paymentText: paymentText(o.payment_status),
      totalText: yuan(o.total),
      payText: t("payWechat", { amount: yuan(o.total) }),
      total: o.total,
      canPay: payMode === "pay_first" && o.status === "submitted" && o.payment_status !== "paid",
      items: (o.items || []).map((it) => ({ id: it.id, name: it.name, qty: it.qty, totalText: yuan(it.line_total),
        cancelled: it.status === "cancelled" })),
    })),
  };
}

// The check, or null while this diner has no order in it yet (the server answers 404 then).
async function load(sessionId) {
  try {
    return (await session.authed("check", { session_id: sessionId })).session;
  } catch (err) {
    if (err.status === 404) return null;
    throw err;
  }
}

function isPaid(check, target) {
  if (!check) return false;
  if (target.orderId) {
    const order = (check.orders || []).find((o) => o.id === target.orderId);
    return !!order && order.payment_status === "paid";
  }
  return check.due === 0;
}

module.exports = { checkView, isPaid, load, paymentText, statusText };
