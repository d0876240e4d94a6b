from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import allocation, periods


class SalesPerformanceTargetAllocate(models.TransientModel):
    _name = "sales.performance.target.allocate"
    _description = "Allocate a Target to Team Members"

    parent_id = fields.Many2one(
        "sales.performance.target", string="Target", required=True
    )
    company_id = fields.Many2one(related="parent_id.company_id")
    method = fields.Selection(
        [("equal", "Equally"), ("actual", "In Proportion to Actuals")],
        required=True,
        default="equal",
    )
    reference_date_from = fields.Date(string="Reference Start")
    reference_date_to = fields.Date(string="Reference End")
    line_ids = fields.One2many(
        "sales.performance.target.allocate.line", "wizard_id", string="Allocation"
    )

    @api.onchange("parent_id", "method", "reference_date_from", "reference_date_to")
    def _onchange_preview(self):
        if self.parent_id:
            self.line_ids = [(5, 0, 0)] + [(0, 0, vals) for vals in self._allocation()]

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        parent = self.env["sales.performance.target"].browse(res.get("parent_id"))
        if parent and "reference_date_from" in fields_list:
            ref_from, ref_to = periods.previous_period(parent.date_from, parent.date_to)
            res.setdefault("reference_date_from", ref_from)
            res.setdefault("reference_date_to", ref_to)
        return res

    def _recipients(self):
        """Members of a team target, teams of the company for a company target."""
        parent = self.parent_id
        if parent.user_id:
            raise UserError(
                self.env._("A salesperson's target cannot be allocated further.")
            )
        if parent.team_id:
            users = parent.team_id.member_ids.filtered(
                lambda u: parent.company_id in u.company_ids
            )
            if not users:
                raise UserError(
                    self.env._(
                        "The team %(team)s has no members.", team=parent.team_id.name
                    )
                )
            return users
        teams = self.env["crm.team"].search(
            [("company_id", "in", (False, parent.company_id.id))]
        )
        if not teams:
            raise UserError(self.env._("The company has no sales teams."))
        return teams

    def _allocation(self):
        """The sub-targets to create, as ``[{user_id or team_id, weight,
        target_value}]``: the method's ``_allocation_<method>()`` (a method
        added by ``selection_add`` brings its own; a line may also carry its
        own ``date_from`` / ``date_to`` within the parent's period)."""
        handler = getattr(self, f"_allocation_{self.method}", None)
        if handler is None:
            raise UserError(
                self.env._("Unknown allocation method %(method)s.", method=self.method)
            )
        return handler()

    def _allocation_equal(self):
        return self._allocation_by_weights()

    def _allocation_actual(self):
        return self._allocation_by_weights()

    def _allocation_weights(self, recipients, is_team):
        """The weight of each of ``recipients``: 1 each (``equal``), or their
        actuals in the reference period (``actual``) on the parent's metric,
        narrowed by the parent's dimensions (a company target for a product
        category is split by what each team sold in that category)."""
        parent = self.parent_id
        if self.method == "actual":
            if not (self.reference_date_from and self.reference_date_to):
                raise UserError(
                    self.env._("Choose the reference period of the actuals.")
                )
            if self.reference_date_to < self.reference_date_from:
                raise UserError(
                    self.env._("The reference period must end after it starts.")
                )
            actuals = self.env["sales.performance.target"]._actual_for(
                parent.metric_id,
                self.reference_date_from,
                self.reference_date_to,
                parent.company_id,
                users=recipients if not is_team else (),
                teams=recipients if is_team else (),
                dimension_key=parent._dimension_key(),
            )
            return [actuals.get(r, 0.0) for r in recipients]
        return [1.0] * len(recipients)

    def _allocation_by_weights(self):
        parent = self.parent_id
        recipients = self._recipients()
        is_team = recipients._name == "crm.team"
        weights = self._allocation_weights(recipients, is_team)
        digits = 2 if parent.metric_id.value_type == "monetary" else 0
        if digits == 0 and parent.target_value != int(parent.target_value):
            digits = 2
        amounts = allocation.allocate(parent.target_value, weights, digits)
        key = "team_id" if is_team else "user_id"
        return [
            {key: recipient.id, "weight": weight, "target_value": amount}
            for recipient, weight, amount in zip(
                recipients, weights, amounts, strict=True
            )
        ]

    def _line_vals(self, line):
        """What a preview line gives :meth:`_child_vals`."""
        return {
            "user_id": line.user_id.id,
            "team_id": line.team_id.id,
            "target_value": line.target_value,
        }

    def _child_vals(self, vals):
        """The values of the sub-target of one allocation line: the parent's
        company, metric, period (unless the line has its own) and dimensions
        (a company target for a product category gives sub-targets for that
        category)."""
        parent = self.parent_id
        return {
            "parent_id": parent.id,
            "company_id": parent.company_id.id,
            "metric_id": parent.metric_id.id,
            "date_from": vals.get("date_from") or parent.date_from,
            "date_to": vals.get("date_to") or parent.date_to,
            "target_value": vals["target_value"],
            **parent._dimension_vals(),
        }

    def action_allocate(self):
        self.ensure_one()
        parent = self.parent_id
        parent.check_access("read")
        allocation_vals = [
            self._line_vals(line) for line in self.line_ids
        ] or self._allocation()
        existing = parent.child_ids
        vals_list = []
        for vals in allocation_vals:
            child_vals = self._child_vals(vals)
            if vals.get("user_id"):
                child_vals["user_id"] = vals["user_id"]
                child_vals["team_id"] = parent.team_id.id
                if existing.filtered(
                    lambda t, uid=vals["user_id"]: t.user_id.id == uid
                ):
                    continue
            else:
                child_vals["team_id"] = vals["team_id"]
                if existing.filtered(
                    lambda t, tid=vals["team_id"]: t.team_id.id == tid
                ):
                    continue
            vals_list.append(child_vals)
        if not vals_list:
            raise UserError(self.env._("Every member already has a sub-target."))
        children = self.env["sales.performance.target"].create(vals_list)
        return parent.action_view_children() if children else True


class SalesPerformanceTargetAllocateLine(models.TransientModel):
    _name = "sales.performance.target.allocate.line"
    _description = "Target Allocation Line"

    wizard_id = fields.Many2one(
        "sales.performance.target.allocate", required=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", string="Salesperson")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    weight = fields.Float(string="Reference Actual")
    target_value = fields.Float(string="Target")
