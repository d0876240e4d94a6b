"""Ramp schedules for new hires (issue #16).

A ramp lists the share of the full target asked of a new hire month by month
from their start date (``25/50/75/100``: a quarter of it in the start month,
half the next month...); after the list the full target applies. The year
wizard (Create a Year of Targets) scales the targets it generates with the
salesperson's ramp (on their employee) or the one chosen in the wizard.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import seasonality


class SalesPerformanceRamp(models.Model):
    _name = "sales.performance.ramp"
    _description = "Sales Performance Ramp Schedule"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    percentages = fields.Char(
        required=True,
        default="25/50/75/100",
        help="The share of the full target (0-100 %) asked in each month from "
        "the start date, separated by '/': 25/50/75/100 asks 25 % in the start "
        "month, 50 % the next month, 75 % the month after, then the full target.",
    )
    month_count = fields.Integer(
        string="Months", compute="_compute_month_count", store=True
    )

    @api.depends("percentages")
    def _compute_month_count(self):
        for ramp in self:
            try:
                ramp.month_count = len(seasonality.parse_percentages(ramp.percentages))
            except ValueError:
                ramp.month_count = 0

    @api.constrains("percentages")
    def _check_percentages(self):
        for ramp in self:
            ramp._percentage_list()

    def _percentage_list(self):
        """The schedule as a list of percentages, or a ValidationError that
        says what is wrong."""
        self.ensure_one()
        try:
            return seasonality.parse_percentages(self.percentages)
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "The ramp %(name)s needs percentages between 0 and 100 separated "
                    "by '/', one per month and at most %(max)s months, e.g. "
                    "25/50/75/100 (not %(value)s).",
                    name=self.name,
                    max=seasonality.MAX_RAMP_MONTHS,
                    value=str(error) or self.env._("empty"),
                )
            ) from error


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    ramp_id = fields.Many2one(
        "sales.performance.ramp",
        string="Sales Ramp",
        check_company=True,
        groups="hr.group_hr_user,sales_performance.group_sales_performance_manager",
        help="Targets created for this salesperson with Create a Year of Targets "
        "are scaled month by month from their sales start date.",
    )
    sales_start_date = fields.Date(
        groups="hr.group_hr_user,sales_performance.group_sales_performance_manager",
        help="When the employee started selling: the first month of their ramp. "
        "Empty: the start of their first contract.",
    )

    def _sales_performance_start_date(self):
        """The first day of the ramp: the sales start date, else the contract
        start."""
        self.ensure_one()
        employee = self.sudo()
        return employee.sales_start_date or employee.contract_date_start
