from odoo import api, models


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        active = members.filtered("active")
        self.env["sales.performance.team.membership"]._open(
            [(m.crm_team_id, m.user_id) for m in active]
        )
        return members

    def write(self, vals):
        tracked = {"active", "user_id", "crm_team_id"} & set(vals)
        before = (
            [(m.crm_team_id, m.user_id) for m in self if m.active] if tracked else []
        )
        res = super().write(vals)
        if tracked:
            Membership = self.env["sales.performance.team.membership"]
            after = [(m.crm_team_id, m.user_id) for m in self if m.active]
            Membership._close([pair for pair in before if pair not in after])
            Membership._open([pair for pair in after if pair not in before])
        return res

    def unlink(self):
        self.env["sales.performance.team.membership"]._close(
            [(m.crm_team_id, m.user_id) for m in self if m.active]
        )
        return super().unlink()
