"""Strings of the console's ingredient stock view (web/static/console/stock.js), from the catalogue."""
from __future__ import annotations

from flask_babel import gettext as _


def stock_strings() -> dict[str, str]:
    return {
        "ingredients": _("Ingredients"), "all_ingredients": _("All ingredients"),
        "new_ingredient": _("New ingredient"), "no_ingredients": _("No ingredients yet."),
        "ingredient_name": _("Ingredient"), "ingredient_name_needed": _("Give the ingredient a name."),
        "stock_unit": _("Unit"), "unit_g": _("g"), "unit_ml": _("ml"), "unit_pcs": _("pcs"),
        "on_hand": _("On hand"), "low_at": _("Low-stock line"),
        "low_at_hint": _("Shown as low stock at or under this quantity."),
        "reorder_qty": _("Reorder quantity"), "reorder_qty_hint": _("What one order from the supplier brings."),
        "reorder": _("Reorder"), "ingredient_active": _("In use"), "ingredient_inactive": _("Not in use"),
        "stock_out": _("Out"), "stock_low": _("Low"), "stock_ok": _("In stock"),
        "low_stock": _("Low stock"), "nothing_low": _("Nothing is low."),
        "sold_out_dishes": _("Sold out because of it"), "used_by": _("Used by"),
        "delivery": _("Delivery"), "stock_count": _("Stock count"), "note": _("Note"),
        "delivery_qty": _("Quantity delivered ({unit})"), "counted_qty": _("Quantity counted ({unit})"),
        "expected_on_hand": _("Expected: {qty}"), "variance_done": _("Counted. Variance: {variance}"),
        "stock_whole_number": _("A whole number, 0 or more."),
        "recipes": _("Recipes"), "recipe": _("Recipe"), "dish": _("Dish"), "choose_dish": _("Choose a dish."),
        "per_portion": _("Per portion"), "recipe_when": _("Taken with"), "every_portion": _("Every portion"),
        "add_ingredient_line": _("Add ingredient"), "no_recipe": _("No recipe yet."),
        "portions_left": _("Enough for {count} portions"),
        "edit_recipe": _("Recipe"),
    }
