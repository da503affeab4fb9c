"""Often ordered with (常一起点): the store's own aggregate, public like its menu."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from schema.together import OftenWithResponse
from services.together import often_with

blp = Blueprint("together", __name__, url_prefix="/api/v1", description="Often ordered with")


@blp.get("/stores/<int:store_id>/often-ordered-with")
@blp.response(200, OftenWithResponse)
def store_pairings(store_id: int) -> dict[str, Any]:
    """For each dish, the dishes most often in the same round at this store over the last 30 days."""
    return {"items": {str(k): v for k, v in often_with(store_id).items()}}
