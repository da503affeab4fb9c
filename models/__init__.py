"""SQLAlchemy models. Every table that belongs to a store carries ``store_id``."""
from models.audit import AuditLog
from models.base import Base, db, utcnow
from models.devices import KitchenDevice
from models.kitchen import KitchenEvent, Ticket, TicketItem
from models.menu import Category, Item, ItemPhoto, Option, OptionGroup
from models.orders import Discount, Order, OrderItem, TableSession
from models.payments import Payment, PaymentAnomaly, Refund
from models.people import Diner, RevokedStaffSession, Staff
from models.printing import Printer, PrintJob
from models.promotions import Coupon, CouponClaim
from models.reporting import ReportDay
from models.shifts import Shift
from models.stock import Ingredient, RecipeLine, StockMove, StockSellout
from models.store import Area, Station, Store, StoreCounter, Table, WxaCode
from models.table_service import CartLine, CheckDiner, WaiterCall

__all__ = [
    "Area", "AuditLog", "Base", "CartLine", "Category", "CheckDiner", "Coupon", "CouponClaim", "Diner", "Discount",
    "Ingredient", "Item", "ItemPhoto", "KitchenDevice", "KitchenEvent", "Option", "OptionGroup", "Order", "OrderItem",
    "Payment", "PaymentAnomaly", "PrintJob", "Printer", "RecipeLine", "Refund", "ReportDay", "RevokedStaffSession",
    "Shift", "Staff", "Station", "StockMove", "StockSellout", "Store", "StoreCounter", "Table", "TableSession",
    "Ticket", "TicketItem", "WaiterCall", "WxaCode", "db", "utcnow",
]
