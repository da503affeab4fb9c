"""Reports for owners and managers: the daily close, ranges by day, coupons. Aggregates only:
no diner's openid, name or phone ever appears in a report or an export."""
