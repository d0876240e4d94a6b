from odoo import fields, models

DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4)


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_performance_max_growth = fields.Float(
        string="Achievable Growth (%)",
        default=30.0,
        help="A target asking for more growth over the previous comparable period "
        "than this is flagged as possibly not achievable.",
    )
    sales_performance_at_risk_ratio = fields.Float(
        string="At Risk Below Forecast (%)",
        default=80.0,
        help="A running target whose forecast reaches this share of the target "
        "(but not all of it) is at risk; below it is off track.",
    )

    def _sales_performance_weekdays(self):
        """Working weekdays (Monday = 0) of the company's working schedule,
        Monday to Friday when it has none."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        days = {int(day) for day in calendar.attendance_ids.mapped("dayofweek")}
        return tuple(sorted(days)) or DEFAULT_WEEKDAYS
