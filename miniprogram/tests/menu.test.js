const { menuView, missingChoices, optionsView, toggleOption, unitPrice, findItem } = require("../lib/menu");
const { menu } = require("./fixtures");

describe("the menu", () => {
  test("categories with dishes, prices as ¥, sold out and few left marked; empty categories left out", () => {
    const view = menuView(menu);
    expect(view.map((c) => c.name)).toEqual(["热菜", "凉菜"]);
    const [chicken, fish] = view[0].items;
    expect(chicken).toMatchObject({ name: "宫保鸡丁", priceText: "¥38.00", soldOut: false, hasOptions: false,
      stockLeft: null });
    expect(fish).toMatchObject({ priceText: "¥68.00", hasOptions: true, stockLeft: 3 });
    expect(view[1].items[0].soldOut).toBe(true);
  });

  test("a single-choice group swaps its choice; a multi-choice group stops at its maximum", () => {
    const fish = findItem(menu, 12);
    let chosen = toggleOption(fish, [], 51);
    chosen = toggleOption(fish, chosen, 52);
    expect(chosen).toEqual([52]);
    chosen = [61, 62].reduce((sel, id) => toggleOption(fish, sel, id), chosen);
    expect(toggleOption(fish, chosen, 63)).toEqual([52, 61, 62]);  // max 2 extras
    expect(toggleOption(fish, chosen, 61)).toEqual([52, 62]);  // tapping again takes it off
  });

  test("a required group not chosen yet is named, and the price follows the options", () => {
    const fish = findItem(menu, 12);
    expect(missingChoices(fish, [61])).toEqual(["辣度"]);
    expect(missingChoices(fish, [51, 61])).toEqual([]);
    expect(unitPrice(fish, [51, 61, 62])).toBe(6800 + 300 + 200);
    const sheet = optionsView(fish, [51, 61]);
    expect(sheet.priceText).toBe("¥71.00");
    expect(sheet.groups[0].hint).toBe("必选 1 项");
    expect(sheet.groups[1].options[0]).toEqual({ id: 61, name: "豆腐", deltaText: "+¥3.00", chosen: true });
  });
});
