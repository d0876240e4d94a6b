from odoo import fields, models
from odoo.exceptions import UserError


class SalesPerformanceTargetRevise(models.TransientModel):
    _name = "sales.performance.target.revise"
    _description = "Revise an Active Target"

    target_id = fields.Many2one("sales.performance.target", required=True)
    current_value = fields.Float(
        related="target_id.target_value", string="Current Target"
    )
    new_value = fields.Float(string="New Target", required=True)
    reason = fields.Text(required=True)

    def action_revise(self):
        self.ensure_one()
        if self.new_value < 0:
            raise UserError(self.env._("A target cannot be negative."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the target changes."))
        target = self.target_id
        target._check_manager()
        old_value = target.target_value
        target.with_context(sales_performance_change_reason=self.reason).write(
            {"target_value": self.new_value}
        )
        target.message_post(
            body=self.env._(
                "Target revised from %(old)s to %(new)s. Reason: %(reason)s",
                old=old_value,
                new=self.new_value,
                reason=self.reason,
            )
        )
        return {"type": "ir.actions.act_window_close"}
