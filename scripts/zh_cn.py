"""Simplified Chinese for the catalogue: updates translations/zh_Hans_CN/LC_MESSAGES/messages.po.

Run after extracting new strings (``make translations-update``); strings without a translation
here stay untranslated (and show in English) until one is added.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
ZH = {
    "Table": "桌号", "#{n}": "#{n}", "Bump": "出餐", "Recall": "召回", "All stations": "全部档口",
    "New ticket": "新单", "Login failed": "登录失败", "That pairing code is wrong, used or expired.": "配对码错误、已使用或已过期。",
    "The network is not answering.": "网络无响应。", "Nothing to undo.": "没有可撤销的出餐。",
    "Bumped table {code}": "{code} 桌已出餐", "Ticket is back.": "单据已恢复。",
    "This account may not use the kitchen display.": "该账号不能使用厨房显示屏。", "This screen was unpaired.": "此屏幕已被解除配对。",
    "Hot": "热菜", "Cold": "凉菜", "Bar": "饮品", "Remark": "备注", "Table {code}": "桌号 {code}",
    "This table code is not valid any more. Please ask a member of staff.": "此桌码已失效，请联系服务员。",
    "The network is not answering. Check your connection and try again.": "网络无响应，请检查网络后重试。",
    "Please open this page by scanning the table code in WeChat.": "请使用微信扫描桌上的二维码打开本页。",
    "Sold out": "已售罄", "Sorry, that just sold out.": "抱歉，该菜品刚刚售罄。", "{n} left today": "今日仅剩 {n} 份",
    "Add {name}": "添加{name}", "Options": "选规格", "Added {name}": "已加入：{name}", "choose {n}": "必选 {n} 项",
    "choose {min}–{max}": "必选 {min}–{max} 项", "up to {max}": "最多选 {max} 项", "Please choose {name}": "请选择{name}",
    "Add to cart": "加入购物车", "The cart is empty. Add dishes from the menu.": "购物车是空的，去菜单里挑几道菜吧。",
    "Added by you": "你点的", "Added by diner {n}": "同桌 {n} 号点的", "Fewer": "减少", "More": "增加",
    "Someone at your table changed this just now; the cart is up to date again.": "同桌刚刚修改了这道菜，购物车已更新。",
    "Sending your order…": "正在提交订单…", "Weak network, trying again (attempt {n})…": "网络较弱，正在重试（第 {n} 次）…",
    "Order #{n} sent to the kitchen": "订单 #{n} 已送达厨房",
    "Could not send. Your order is kept here; tap to retry.": "提交失败，订单已保存在本机，点击重试。",
    "Retry": "重试", "Place order": "下单", "Order #{n}": "订单 #{n}", "Total": "合计",
    "Waiting for payment": "待支付", "Received": "已接单", "Cooking": "制作中", "Ready": "已出餐", "Served": "已上菜",
    "Cancelled": "已取消", "Your dishes are ready!": "您的菜已做好！", "A waiter is on the way.": "服务员马上就到。",
    "We will bring the bill.": "马上为您结账。", "Reconnecting…": "正在重新连接…", "Diancan": "点餐",
    "Order at your table": "扫码点餐", "Loading…": "加载中…", "Call waiter": "呼叫服务员", "English": "English",
    "Menu": "点菜", "Ordered": "已点", "Loading the menu…": "正在加载菜单…", "Try again": "重试", "Categories": "分类",
    "Your table's orders": "本桌订单", "Nothing ordered yet.": "还没有下单。", "Open the cart": "打开购物车",
    "Review order": "选好了", "Close": "关闭", "Note for the kitchen": "给厨房的备注", "e.g. no coriander": "例如：不要香菜",
    "Table cart": "本桌购物车", "Everyone at the table adds to this cart. One person sends the round.": "同桌共用一个购物车，由一人提交本轮下单。",
    "Remark for this round": "本轮备注", "e.g. serve the cold dishes first": "例如：凉菜先上",
    "Scan the code on your table to order.": "扫描桌上的二维码即可点餐。", "Kitchen display": "厨房显示屏",
    "Pair this screen": "配对此屏幕", "Staff login": "员工登录", "Pairing code from the manager console": "管理后台生成的配对码",
    "Store": "门店", "Username": "用户名", "Password": "密码", "Start": "开始", "Kitchen": "厨房", "open": "单待做",
    "Undo bump": "撤销出餐", "All day": "待做汇总", "Sound": "提示音", "Log out": "退出",
    "Connection lost. Reconnecting… tickets will catch up automatically.": "连接已断开，正在重连…恢复后单据会自动补齐。",
    "No open tickets. New orders appear here by themselves.": "暂无待做单据，新订单会自动出现在这里。",
    "Loading tickets…": "正在加载单据…", "Paid": "已付", "Due": "待付", "WeChat Pay": "微信支付", "sandbox": "沙箱",
    "Change (balance)": "零钱", "Pay": "支付", "Pay {amount} with WeChat": "微信支付 {amount}",
    "Preparing the payment…": "正在准备支付…", "Waiting for WeChat Pay…": "等待微信支付…", "Paying…": "支付中…",
    "Paid. Thank you!": "支付成功，谢谢！", "Mark this dish sold out for every diner": "将此菜标记为售罄（所有食客立即可见）",
    "Mark {name} sold out? Diners can no longer order it.": "确定将「{name}」标记为售罄？食客将无法再点。",
    "{name} is now sold out.": "「{name}」已售罄。", "Floor": "楼面", "Log in": "登录", "Calls": "呼叫",
    "No one is calling.": "暂无呼叫。", "Tables": "桌台", "Connection lost. Reconnecting…": "连接已断开，正在重连…",
    "calls a waiter": "呼叫服务员", "asks for the bill": "请求结账", "Done": "已处理", "{n} orders": "{n} 单",
    "Free": "空闲", "Settled": "已结清", "Cash": "收现金", "Clear table": "清台", "Cash recorded.": "现金已入账。",
    "Take {amount} in cash for table {code}?": "确认收取 {code} 桌现金 {amount}？", "Table {code} is free again.": "{code} 桌已清台。",
}


def main() -> None:
    with open(ROOT / "translations" / "messages.pot", "rb") as fh:
        template = read_po(fh)
    po_path = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
    catalog = Catalog(locale="zh_Hans_CN", project="Diancan", fuzzy=False)
    for message in template:
        if message.id:
            catalog.add(message.id, ZH.get(str(message.id), ""))
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with open(po_path, "wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True)
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{po_path.relative_to(ROOT)}: {len(catalog) - 1} strings, {len(missing)} untranslated")
    for m in missing:
        print("  untranslated:", m)


if __name__ == "__main__":
    main()
