"""Propose My Targets (issue #16): a salesperson proposes their own targets
for a period, one value per metric; and the reviewer's Refuse dialog."""

import math

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

MAX_TARGET_VALUE = 1e12


class SalesPerformanceTargetPropose(models.TransientModel):
    _name = "sales.performance.target.propose"
    _description = "Propose My Targets"

    def _default_period(self, end=False):
        today = fields.Date.context_today(self)
        start = fields.Date.start_of(fields.Date.add(today, months=1), "month")
        return fields.Date.end_of(start, "month") if end else start

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="Start", required=True, default=lambda self: self._default_period()
    )
    date_to = fields.Date(
        string="End", required=True, default=lambda self: self._default_period(True)
    )
    line_ids = fields.One2many(
        "sales.performance.target.propose.line", "wizard_id", string="Targets"
    )
    note = fields.Text(
        string="Comment", help="Why these figures: posted with each proposal."
    )

    def _check_proposal(self):
        self.ensure_one()
        if self.user_id != self.env.user:
            raise AccessError(
                self.env._(
                    "You propose targets for yourself only, not for %(user)s.",
                    user=self.user_id.name,
                )
            )
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You do not work for %(company)s.", company=self.company_id.name
                )
            )
        if self.date_to < self.date_from:
            raise UserError(self.env._("The period must end after it starts."))
        if not self.line_ids:
            raise UserError(self.env._("Add a value for at least one metric."))
        metrics = self.line_ids.metric_id
        if len(metrics) != len(self.line_ids):
            raise UserError(self.env._("Propose one value per metric."))
        for line in self.line_ids:
            value = line.target_value
            if not math.isfinite(value) or not 0 <= value <= MAX_TARGET_VALUE:
                raise UserError(
                    self.env._(
                        "The target of %(metric)s must be a number between 0 and "
                        "%(max)s.",
                        metric=line.metric_id.name,
                        max=f"{MAX_TARGET_VALUE:,.0f}",
                    )
                )

    def action_propose(self):
        """Create the proposals (state ``proposed``) as the salesperson, with
        their rights; a refused proposal of the same metric and period is
        proposed again (its chatter keeps the history)."""
        self.ensure_one()
        self._check_proposal()
        Target = self.env["sales.performance.target"]
        user = self.env.user
        team = user.sale_team_id
        if team.company_id and team.company_id != self.company_id:
            team = self.env["crm.team"]
        refused = {
            t.metric_id: t
            for t in Target.search(
                [
                    ("user_id", "=", user.id),
                    ("proposed_by_id", "=", user.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "refused"),
                    ("date_from", "=", self.date_from),
                    ("date_to", "=", self.date_to),
                    ("metric_id", "in", self.line_ids.metric_id.ids),
                ]
            )
        }
        vals_list = []
        resubmitted = Target
        for line in self.line_ids:
            again = refused.get(line.metric_id)
            if again:
                # the author cannot write their proposals: checked above
                again.sudo().write({"state": "proposed", "refuse_reason": False})
                again.sudo().with_context(
                    sales_performance_change_reason=self.env._("Proposed again"),
                    sales_performance_resubmit=True,
                ).write({"target_value": line.target_value})
                resubmitted |= again
                continue
            vals_list.append(
                {
                    "state": "proposed",
                    "user_id": user.id,
                    "team_id": team.id,
                    "company_id": self.company_id.id,
                    "metric_id": line.metric_id.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "target_value": line.target_value,
                    "description": line.description or False,
                }
            )
        targets = Target.create(vals_list) if vals_list else Target
        resubmitted._notify_proposal_submitted()
        proposals = targets | resubmitted
        if self.note:
            for target in proposals:
                target.sudo().message_post(
                    body=self.env._("Comment: %(note)s", note=self.note),
                    subtype_xmlid="mail.mt_note",
                )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_target_action"
        )
        action["domain"] = [("id", "in", proposals.ids)]
        action["context"] = {"create": False}
        return action


class SalesPerformanceTargetProposeLine(models.TransientModel):
    _name = "sales.performance.target.propose.line"
    _description = "Proposed Target"

    wizard_id = fields.Many2one(
        "sales.performance.target.propose", required=True, ondelete="cascade"
    )
    metric_id = fields.Many2one(
        "sales.performance.metric", required=True, domain="[('active', '=', True)]"
    )
    # no digits: a plain float, so that NaN or infinity reach the check of
    # action_propose (a rounded field fails on them before any sentence)
    target_value = fields.Float(string="Target")
    description = fields.Char(string="How")


class SalesPerformanceTargetRefuse(models.TransientModel):
    _name = "sales.performance.target.refuse"
    _description = "Refuse a Target Proposal"

    target_id = fields.Many2one("sales.performance.target", required=True)
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.target_id.action_refuse_proposal(self.reason)
        return {"type": "ir.actions.act_window_close"}
