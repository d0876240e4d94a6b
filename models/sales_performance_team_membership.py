from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import crediting


class SalesPerformanceTeamMembership(models.Model):
    """Who was in which sales team when: team credit counts a document for
    the team its salesperson belonged to on the document's date."""

    _name = "sales.performance.team.membership"
    _description = "Sales Team Membership"
    _order = "user_id, date_from desc, id desc"
    _check_company_auto = True

    team_id = fields.Many2one(
        "crm.team", string="Sales Team", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="team_id.company_id", store=True, index=True, string="Company"
    )
    date_from = fields.Date(
        string="From", help="Empty: a member since before the addon's history."
    )
    date_to = fields.Date(string="To", help="Empty: still a member.")
    role = fields.Selection(
        [("member", "Member"), ("leader", "Team Leader")],
        default="member",
        required=True,
        index=True,
        help="Members: whose documents count for the team. Team leaders: who led "
        "it when (overrides pay on the teams led on each document's date).",
    )

    _date_range = models.Constraint(
        "CHECK (date_from IS NULL OR date_to IS NULL OR date_from <= date_to)",
        "A team membership must end after it starts.",
    )

    @api.constrains("team_id", "user_id", "date_from", "date_to")
    def _check_no_overlap(self):
        """One membership of a user in a team at a time."""
        for membership in self:
            overlapping = self.search_count(
                [
                    ("id", "!=", membership.id),
                    ("team_id", "=", membership.team_id.id),
                    ("user_id", "=", membership.user_id.id),
                    ("role", "=", membership.role),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", membership.date_from or crediting.FAR_PAST),
                    "|",
                    ("date_from", "=", False),
                    ("date_from", "<=", membership.date_to or crediting.FAR_FUTURE),
                ],
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "%(user)s is already a member of %(team)s in this period.",
                        user=membership.user_id.name,
                        team=membership.team_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Kept by the addon: members added to or removed from a sales team
    # ------------------------------------------------------------------
    @api.model
    def _open(self, pairs, role="member"):
        """Start memberships for ``pairs`` [(team, user)] today (since always
        when the user has no membership history yet); nothing for a pair
        already open."""
        today = fields.Date.context_today(self)
        existing = self.sudo().search(
            [
                "|",
                ("user_id", "in", list({user.id for _team, user in pairs})),
                ("team_id", "in", list({team.id for team, _user in pairs})),
                ("role", "=", role),
            ]
        )
        vals_list = []
        for team, user in pairs:
            mine = existing.filtered(lambda m, u=user: m.user_id == u)
            if mine.filtered(lambda m, t=team: m.team_id == t and not m.date_to):
                continue
            # since always for a first membership (a new member's past has no
            # documents of theirs to move); from today for a move, and for a
            # team's new leader (the previous one led it until yesterday)
            moved = bool(mine) or (
                role == "leader" and existing.filtered(lambda m, t=team: m.team_id == t)
            )
            vals_list.append(
                {
                    "team_id": team.id,
                    "user_id": user.id,
                    "date_from": today if moved else False,
                    "role": role,
                }
            )
        return self.sudo().create(vals_list)

    @api.model
    def _close(self, pairs, role="member"):
        """End the open memberships of ``pairs`` [(team, user)] yesterday:
        from today on, the user's documents count for their other team."""
        yesterday = fields.Date.context_today(self) - timedelta(days=1)
        for team, user in pairs:
            open_ones = self.sudo().search(
                [
                    ("team_id", "=", team.id),
                    ("user_id", "=", user.id),
                    ("date_to", "=", False),
                    ("role", "=", role),
                ]
            )
            for membership in open_ones:
                if membership.date_from and membership.date_from > yesterday:
                    # joined and left the same day: it never counted
                    membership.unlink()
                else:
                    membership.date_to = yesterday

    @api.model
    def _init_from_teams(self):
        """Install and upgrade: every current member of a sales team gets an
        open membership (since always) unless they have one already."""
        members = self.env["crm.team.member"].sudo().search([("active", "=", True)])
        self._open([(m.crm_team_id, m.user_id) for m in members if m.user_id])
        teams = self.env["crm.team"].sudo().search([("user_id", "!=", False)])
        self._open([(team, team.user_id) for team in teams], role="leader")

    @api.model
    def _timeline(self, company_ids):
        """The team of each user on each day (``engine.crediting.Segment``s)
        for the companies ``company_ids``: one query."""
        memberships = self.sudo().search_fetch(
            [("company_id", "in", list(company_ids)), ("role", "=", "member")],
            ["user_id", "team_id", "date_from", "date_to"],
        )
        return crediting.team_timeline(
            [
                (m.user_id.id, m.team_id.id, m.date_from or None, m.date_to or None)
                for m in memberships
            ]
        )

    @api.model
    def _leadership(self, users, company, date_from, date_to):
        """``{user id: [(team id, first day, last day)]}``: the teams each of
        ``users`` led in ``company`` during ``[date_from, date_to]``, clipped
        to it (one query)."""
        led = self.sudo().search_fetch(
            [
                ("role", "=", "leader"),
                ("user_id", "in", users.ids),
                ("company_id", "=", company.id),
                "|",
                ("date_to", "=", False),
                ("date_to", ">=", date_from),
                "|",
                ("date_from", "=", False),
                ("date_from", "<=", date_to),
            ],
            ["user_id", "team_id", "date_from", "date_to"],
        )
        result = {}
        for membership in led:
            first = max(membership.date_from or date_from, date_from)
            last = min(membership.date_to or date_to, date_to)
            result.setdefault(membership.user_id.id, []).append(
                (membership.team_id.id, first, last)
            )
        return result
