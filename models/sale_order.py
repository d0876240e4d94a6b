from odoo import api, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sales.performance.credit.split.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        from_leads = orders.filtered("opportunity_id")
        if from_leads:
            # an order made from an opportunity is credited like it
            self.env["sales.performance.credit.split"]._copy_split(
                "sale.order",
                from_leads,
                {
                    order.id: [
                        (
                            1.0,
                            "crm.lead",
                            order.opportunity_id.id,
                            order.opportunity_id.user_id.id,
                        )
                    ]
                    for order in from_leads
                },
            )
        return orders
