from collections import defaultdict

from odoo import api, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = [
        "account.move",
        "sales.performance.credit.split.mixin",
        "sales.performance.freshness.mixin",
    ]

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._sales_performance_copy_order_split()
        return moves

    def _sales_performance_copy_order_split(self):
        """An invoice made from sales orders is credited like them, each
        order's split weighted by the amount invoiced from it."""
        invoices = self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        if not invoices:
            return
        sources = {}
        for invoice in invoices:
            weights = defaultdict(float)
            for line in invoice.invoice_line_ids:
                for order in line.sale_line_ids.order_id:
                    weights[order] += abs(line.price_subtotal)
            if weights:
                sources[invoice.id] = [
                    (weight, "sale.order", order.id, order.user_id.id)
                    for order, weight in weights.items()
                ]
        if sources:
            self.env["sales.performance.credit.split"]._copy_split(
                "account.move", invoices, sources
            )
