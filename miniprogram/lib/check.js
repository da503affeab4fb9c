// The table's check and its rounds, as the orders page shows them.
const { yuan } = require("./money");
const session = require("./session");

const STATUS_TEXT = { submitted: "已下单", accepted: "已接单", preparing: "制作中", ready: "待上菜", served: "已上菜",
  cancelled: "已取消" };
const PAYMENT_TEXT = { unpaid: "未支付", paying: "支付中", paid: "已支付", refunded: "已退款",
  partially_refunded: "部分退款" };

function checkView(check, payMode) {
  const orders = (check.orders || []).slice().sort((a, b) => b.number - a.number);
  return {
    id: check.id,
    tableCode: check.table ? check.table.code : "",
    totalText: yuan(check.total),
    paidText: yuan(check.paid),
    dueText: yuan(check.due),
    due: check.due,
    canPayCheck: payMode === "pay_later" && check.status === "open" && check.due > 0,
    orders: orders.map((o) => ({
      id: o.id,
      number: o.number,
      status: o.status,
      statusText: STATUS_TEXT[o.status] || o.status,
      paymentText: PAYMENT_TEXT[o.payment_status] || o.payment_status,
      totalText: yuan(o.total),
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

module.exports = { PAYMENT_TEXT, STATUS_TEXT, checkView, isPaid, load };
