from odoo import api, fields, models
from odoo.exceptions import AccessError

INCENTIVE_ADMIN = "sales_performance.group_sales_performance_incentive_admin"


class ResUsers(models.Model):
    _inherit = "res.users"

    sales_performance_training_count = fields.Integer(
        string="My Trainings", compute="_compute_sales_performance_training"
    )
    sales_performance_training_hours_year = fields.Float(
        string="My Training Hours This Year",
        compute="_compute_sales_performance_training",
    )

    sales_performance_digest_optout = fields.Boolean(
        string="No Weekly Scorecard",
        help="Do not send me the weekly Sales Performance scorecard e-mail "
        "(my targets' attainment and pacing, my drivers, my team's table).",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + [
            "sales_performance_training_count",
            "sales_performance_training_hours_year",
            "sales_performance_digest_optout",
        ]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["sales_performance_digest_optout"]

    def _compute_sales_performance_training(self):
        for user in self:
            totals = user.sudo().employee_ids
            user.sales_performance_training_count = sum(
                totals.mapped("sales_performance_training_count")
            )
            user.sales_performance_training_hours_year = sum(
                totals.mapped("sales_performance_training_hours_year")
            )

    def action_open_my_training(self):
        """The user's own training records (history, results, certificates)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_training_record_action_my"
        )
        return action

    # ------------------------------------------------------------------
    # Who may do what: one place for the rules the models share
    # ------------------------------------------------------------------
    def _sales_performance_leads(self, salesperson, teams=None):
        """True when this user leads ``teams`` or a sales team of
        ``salesperson``, and is not that salesperson (nobody leads
        themselves)."""
        self.ensure_one()
        if not salesperson or salesperson == self:
            return False
        led = (teams or self.env["crm.team"]).sudo() | salesperson.sudo().crm_team_ids
        return self in led.user_id

    @api.model
    def _sales_performance_is_incentive_admin(self):
        """True when this environment manages plans and statements: its user
        is an incentive administrator, or it is the superuser. Call it on
        ``env["res.users"]`` (``env.user`` is always a superuser record)."""
        return self.env.su or self.env.user.has_group(INCENTIVE_ADMIN)

    @api.model
    def _sales_performance_check_incentive_admin(self):
        if not self._sales_performance_is_incentive_admin():
            raise AccessError(
                self.env._(
                    "Only a sales manager or an incentive administrator can do this."
                )
            )
