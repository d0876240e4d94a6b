"""Seasonal allocation and ramps of new hires (issue #16).

- ``sales.performance.target.allocate`` gets the method ``seasonal``: a yearly
  or quarterly target is split into monthly sub-targets of the same assignee,
  in proportion to the same months of a reference year (the assignee's
  actuals, or the company's when the assignee has none), the parts adding up
  exactly (``engine.seasonality``).
- ``sales.performance.target.generate`` (Create a Year of Targets) scales the
  salespeople's targets with their ramp schedule from their start date.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from ..engine import figures, seasonality


class NoReferenceData(UserError):
    """A seasonal split without actuals in the reference months, neither the
    assignee's nor the company's."""


class SalesPerformanceTargetAllocate(models.TransientModel):
    _inherit = "sales.performance.target.allocate"

    method = fields.Selection(
        selection_add=[("seasonal", "Seasonal (over its Months)")],
        ondelete={"seasonal": "set default"},
    )
    reference_year = fields.Integer(
        help="The months of this year weigh the seasonal split: the assignee's "
        "actuals, or the company's when the assignee has none.",
    )
    seasonal_note = fields.Char(string="Weighted By", readonly=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        parent = self.env["sales.performance.target"].browse(res.get("parent_id"))
        if parent and "reference_year" in fields_list:
            res.setdefault("reference_year", parent.date_from.year - 1)
        return res

    @api.onchange("reference_year")
    def _onchange_reference_year(self):
        if self.parent_id and self.method == "seasonal":
            self._onchange_preview()

    @api.onchange("parent_id", "method", "reference_date_from", "reference_date_to")
    def _onchange_preview(self):
        """Without reference data the seasonal preview says so and proposes an
        equal split: equal months for a salesperson's target, the equal split
        among the members (method Equally) for a team or company target."""
        if self.method != "seasonal" or not self.parent_id:
            return super()._onchange_preview()
        try:
            lines = self._allocation()
        except NoReferenceData as error:
            if self.parent_id.user_id:
                lines = self.with_context(
                    sales_performance_equal_months=True
                )._allocation()
                self.seasonal_note = self.env._("equal months (no reference data)")
            else:
                self.method = "equal"
                self.seasonal_note = False
                super()._onchange_preview()
                lines = None
            warning = {
                "warning": {
                    "title": self.env._("Seasonal split"),
                    "message": error.args[0],
                }
            }
        else:
            warning = None
        if lines is not None:
            self.line_ids = [(5, 0, 0)] + [(0, 0, vals) for vals in lines]
        return warning

    def _allocation(self):
        if self.method != "seasonal":
            return super()._allocation()
        parent = self.parent_id
        months, weights, note = self._seasonal_weights()
        if not any(weights):
            if not self.env.context.get("sales_performance_equal_months"):
                raise NoReferenceData(note)
            weights = [1.0] * len(months)
        digits = 2 if parent.metric_id.value_type == "monetary" else 0
        if digits == 0 and parent.target_value != int(parent.target_value):
            digits = 2
        amounts = seasonality.seasonal_split(parent.target_value, weights, digits)
        self.seasonal_note = note
        return [
            {
                "user_id": parent.user_id.id,
                "team_id": parent.team_id.id,
                "date_from": date_from,
                "date_to": date_to,
                "weight": weight,
                "target_value": amount,
            }
            for (date_from, date_to), weight, amount in zip(
                months, weights, amounts, strict=True
            )
        ]

    def _seasonal_weights(self):
        """``(months, weights, note)``: the months of the parent target, the
        actuals of the same months of the reference year (one query for the
        twelve months at most) and a sentence naming whose actuals they are."""
        parent = self.parent_id
        metric = parent.metric_id
        if metric.computation == "average":
            raise UserError(
                self.env._(
                    "%(metric)s is an average: its target is not split over months.",
                    metric=metric.name,
                )
            )
        try:
            months = seasonality.months_of(parent.date_from, parent.date_to)
        except ValueError:
            months = []
        if len(months) < 2:
            raise UserError(
                self.env._(
                    "A seasonal split needs a target of whole months (a quarter, a "
                    "year): %(name)s is not one.",
                    name=parent.name,
                )
            )
        year = self.reference_year
        if not year or not 2000 <= year <= 2100:
            raise UserError(
                self.env._("Choose a reference year between 2000 and 2100.")
            )
        company = parent.company_id
        reference = seasonality.reference_months(months, year)
        by_period = metric.sudo()._compute_values_multi(
            reference,
            parent._get_tz(),
            {company.id},
            dimension_key=parent._dimension_key(),
        )
        indexes = [figures.index(by_period[period]) for period in reference]
        if parent.user_id:
            key, who = (company.id, parent.user_id.id), parent.user_id.name
            weights = [index.by_user.get(key, 0.0) for index in indexes]
        elif parent.team_id:
            key, who = (company.id, parent.team_id.id), parent.team_id.name
            weights = [index.by_team.get(key, 0.0) for index in indexes]
        else:
            weights, who = None, company.name
        note = self.env._("%(who)s's actuals of %(year)s", who=who, year=year)
        if weights is None or not any(weights):
            weights = [index.by_company.get(company.id, 0.0) for index in indexes]
            if parent.user_id or parent.team_id:
                note = self.env._(
                    "the company's actuals of %(year)s (%(who)s has none)",
                    who=who,
                    year=year,
                )
        weights = [float(w) for w in weights]
        if not any(weights):
            # all zero: the sentence goes to NoReferenceData in _allocation
            return (
                months,
                weights,
                self.env._(
                    "No reference data: neither %(who)s nor %(company)s has actuals "
                    "on %(metric)s in these months of %(year)s. Choose another "
                    "reference year, or split Equally.",
                    who=who,
                    company=company.name,
                    metric=metric.name,
                    year=year,
                ),
            )
        return months, weights, note

    def action_allocate(self):
        self.ensure_one()
        if self.method != "seasonal":
            return super().action_allocate()
        parent = self.parent_id
        parent.check_access("read")
        lines = [
            {
                "date_from": line.date_from,
                "date_to": line.date_to,
                "target_value": line.target_value,
            }
            for line in self.line_ids
        ]
        if not lines or not all(line["date_from"] for line in lines):
            lines = self._allocation()
        existing = {(t.date_from, t.date_to) for t in parent.child_ids}
        vals_list = []
        for line in lines:
            if (line["date_from"], line["date_to"]) in existing:
                continue
            vals = parent.copy_data(
                {
                    "parent_id": parent.id,
                    "date_from": line["date_from"],
                    "date_to": line["date_to"],
                    "target_value": line["target_value"],
                    "state": "draft",
                }
            )[0]
            vals_list.append(vals)
        if not vals_list:
            raise UserError(self.env._("Every month already has a sub-target."))
        self.env["sales.performance.target"].create(vals_list)
        parent.message_post(
            body=self.env._(
                "Split over %(count)s months in proportion to %(note)s.",
                count=len(vals_list),
                note=self.seasonal_note or self._seasonal_weights()[2],
            ),
            subtype_xmlid="mail.mt_note",
        )
        return parent.action_view_children()


class SalesPerformanceTargetAllocateLine(models.TransientModel):
    _inherit = "sales.performance.target.allocate.line"

    date_from = fields.Date(string="Start")
    date_to = fields.Date(string="End")


class SalesPerformanceTargetGenerate(models.TransientModel):
    _inherit = "sales.performance.target.generate"

    ramp_id = fields.Many2one(
        "sales.performance.ramp",
        string="Ramp for New Hires",
        check_company=True,
        help="Scale the targets of the chosen salespeople month by month from "
        "their start date. Empty: each salesperson's own ramp (on their "
        "employee), if any.",
    )

    def action_generate(self):
        action = super().action_generate()
        if self.assignee_type != "user":
            return action
        ids = next(
            (
                leaf[2]
                for leaf in action.get("domain") or []
                if isinstance(leaf, (list, tuple)) and leaf[:2] == ("id", "in")
            ),
            [],
        )
        targets = self.env["sales.performance.target"].browse(ids)
        self._apply_ramps(targets)
        return action

    def _apply_ramps(self, targets):
        """Scale ``targets`` (just generated, drafts) of the salespeople who
        have a ramp and a start date: each period's value times the mean of its
        months' percentages; periods that end before the start date are
        removed. One search for the employees, one write per distinct value."""
        users = targets.user_id
        if not users:
            return
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("user_id", "in", users.ids),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        )
        employee_of = {employee.user_id: employee for employee in employees}
        by_value = defaultdict(lambda: self.env["sales.performance.target"])
        before_start = self.env["sales.performance.target"]
        notes = {}
        for target in targets:
            employee = employee_of.get(target.user_id)
            ramp = self.ramp_id or (employee and employee.ramp_id)
            start = employee and employee._sales_performance_start_date()
            if not (ramp and start):
                continue
            percentages = ramp._percentage_list()
            if target.date_to < start.replace(day=1):
                before_start |= target
                continue
            factor = seasonality.ramp_factor(
                start, target.date_from, target.date_to, percentages
            )
            if factor >= 1.0:
                continue
            value = float_round(target.target_value * factor, precision_digits=2)
            by_value[value] |= target
            notes[target] = (ramp, factor)
        before_start.unlink()
        for value, group in by_value.items():
            group.write({"target_value": value})
        for target, (ramp, factor) in notes.items():
            target.message_post(
                body=self.env._(
                    "Ramp %(ramp)s: %(percent)s%% of the full target (%(full)s) "
                    "from the start date.",
                    ramp=ramp.name,
                    percent=round(factor * 100.0, 2),
                    full=self.target_value,
                ),
                subtype_xmlid="mail.mt_note",
            )
