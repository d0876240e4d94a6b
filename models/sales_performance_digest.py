import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import date_utils, format_date, formatLang

from ..engine import drivers as driver_rules

_logger = logging.getLogger(__name__)

TEMPLATE = "sales_performance.mail_template_weekly_scorecard"


class SalesPerformanceDigest(models.AbstractModel):
    """The weekly scorecard e-mail of salespeople and team leaders.

    Each salesperson gets the attainment and pacing of their targets of the
    month and their drivers (pipeline coverage, win rate against the previous
    period, sales cycle, activities done, stale opportunities, diagnosis);
    each team leader also gets the table of their team's members. Built in
    batch (one ``get_cockpit_data`` call and one target search for everybody,
    one rendering per language) and queued as ``mail.mail`` (sent by the mail
    queue, never synchronously). Users who ticked *No Weekly Scorecard* in
    their preferences get nothing."""

    _name = "sales.performance.digest"
    _description = "Sales Performance Weekly Scorecard"

    @api.model
    def _cron_send_weekly_scorecards(self):
        today = fields.Date.context_today(self)
        self._send_scorecards(
            date_utils.start_of(today, "month"), date_utils.end_of(today, "month")
        )

    # ------------------------------------------------------------------
    # Who gets what
    # ------------------------------------------------------------------
    @api.model
    def _period_targets(self, date_from, date_to):
        """Active and closed targets of salespeople and teams overlapping the
        period (one search)."""
        return (
            self.env["sales.performance.target"]
            .sudo()
            .search(
                Domain("state", "in", ["active", "closed"])
                & Domain("date_from", "<=", date_to)
                & Domain("date_to", ">=", date_from)
                & (Domain("user_id", "!=", False) | Domain("team_id", "!=", False))
            )
        )

    @api.model
    def _recipients(self, targets, teams, users=None):
        """Internal, active users with an e-mail who did not opt out: the
        salespeople with a target of the period, and the team leaders."""
        candidates = targets.user_id | teams.user_id | teams.member_ids
        if users is not None:
            candidates &= users.sudo()
        return candidates.filtered(
            lambda u: u.active
            and not u.share
            and u.email
            and not u.sales_performance_digest_optout
        )

    @api.model
    def _scorecards(self, date_from, date_to, users=None):
        """``{user: scorecard}`` where a scorecard holds, as records and raw
        figures, ``targets`` (the user's own), ``rep`` (their drivers from the
        cockpit, or None) and ``teams`` (``[(team, [(member, rep)], team
        targets)]`` for the teams they lead)."""
        targets = self._period_targets(date_from, date_to)
        teams = self.env["crm.team"].sudo().search([("user_id", "!=", False)])
        recipients = self._recipients(targets, teams, users)
        if not recipients:
            return {}
        led = teams.filtered(lambda t: t.user_id in recipients)
        companies = recipients.company_ids | led.company_id | targets.company_id
        data = (
            self.env["sales.performance.cockpit"]
            .sudo()
            .with_context(allowed_company_ids=companies.ids)
            .get_cockpit_data(date_from, date_to)
        )
        reps = data.get("reps") or []
        rep_of = {rep["user_id"]: rep for rep in reps}
        # the diagnosis is re-worded in each recipient's language against the
        # same team medians as the cockpit's (reps grouped by their team)
        by_team = defaultdict(list)
        for rep in reps:
            by_team[rep.get("team_id")].append(rep)
        medians_of = {
            rep["user_id"]: driver_rules.team_medians(members)
            for members in by_team.values()
            for rep in members
        }
        targets_of_user = targets.filtered("user_id").grouped("user_id")
        targets_of_team = targets.filtered(lambda t: not t.user_id).grouped("team_id")
        teams_of_leader = led.grouped("user_id")
        cards = {}
        for user in recipients:
            team_tables = []
            for team in teams_of_leader.get(user, self.env["crm.team"]):
                members = (team.member_ids - user).sorted("name")
                team_tables.append(
                    (
                        team,
                        [(member, rep_of.get(member.id)) for member in members],
                        targets_of_team.get(team, targets.browse()),
                    )
                )
            card = {
                "medians": medians_of,
                "targets": targets_of_user.get(user, targets.browse()),
                "rep": rep_of.get(user.id),
                "teams": team_tables,
            }
            if card["targets"] or card["rep"] or team_tables:
                cards[user] = card
        return cards

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------
    @api.model
    def _format_card(self, card, date_from, date_to):
        """The scorecard as strings in this environment's language (the
        recipient's): numbers, pacing labels and the period."""
        env = self.env
        status_label = dict(
            env["sales.performance.target"]
            ._fields["status"]
            ._description_selection(env)
        )

        def pct(value):
            if value is None or value is False:
                return "–"
            return "%s %%" % formatLang(env, value, digits=0)

        def num(value, digits=0):
            if value is None or value is False:
                return "–"
            return formatLang(env, value, digits=digits)

        def drivers(rep):
            if not rep:
                return None
            medians = card["medians"].get(rep["user_id"])
            return {
                "attainment": pct(rep.get("attainment")),
                "pacing": pct(rep.get("pacing")),
                "pipeline_coverage": pct(rep.get("pipeline_coverage")),
                "win_rate": pct(rep.get("win_rate")),
                "win_rate_previous": pct(rep.get("win_rate_previous")),
                "cycle_days": num(rep.get("cycle_days"), 1),
                "activities_done": num(rep.get("activities_done")),
                "stale_count": num(rep.get("stale_count")),
                "diagnosis": driver_rules.diagnosis(rep, medians, env._)
                if medians
                else rep.get("diagnosis") or "",
            }

        def target_rows(targets):
            return [
                {
                    "name": target.with_env(env).metric_id.name,
                    "period": "%s – %s"
                    % (
                        format_date(env, target.date_from),
                        format_date(env, target.date_to),
                    ),
                    "target": num(target.target_value, 2),
                    "achieved": num(target.achieved_value, 2),
                    "expected": num(target.expected_value, 2),
                    "forecast": num(target.forecast_value, 2),
                    "attainment": pct(target.attainment),
                    "status": status_label.get(target.status, ""),
                    "status_key": target.status or "",
                }
                for target in targets.sorted(lambda t: (t.date_from, t.metric_id.name))
            ]

        return {
            "period": "%s – %s"
            % (format_date(env, date_from), format_date(env, date_to)),
            "targets": target_rows(card["targets"]),
            "drivers": drivers(card["rep"]),
            "teams": [
                {
                    "name": team.with_env(env).name,
                    "targets": target_rows(team_targets),
                    "members": [
                        {"name": member.name, "drivers": drivers(rep)}
                        for member, rep in members
                    ],
                }
                for team, members, team_targets in card["teams"]
            ],
        }

    @api.model
    def _render_scorecards(self, date_from, date_to, users=None):
        """``{user: {"subject", "body_html", "email_from"}}``, each in the
        user's language (one rendering per language)."""
        template = self.env.ref(TEMPLATE).sudo()
        cards = self._scorecards(date_from, date_to, users)
        users_by_lang = defaultdict(list)
        for user in cards:
            users_by_lang[user.lang or "en_US"].append(user)
        rendered = {}
        for lang, lang_users in users_by_lang.items():
            digest = self.with_context(lang=lang)
            scorecards = {
                user.id: digest._format_card(cards[user], date_from, date_to)
                for user in lang_users
            }
            ids = [user.id for user in lang_users]
            values = {
                fname: template._render_field(
                    fname,
                    ids,
                    set_lang=lang,
                    add_context={"scorecards": scorecards},
                )
                for fname in ("subject", "body_html", "email_from")
            }
            for user in lang_users:
                rendered[user] = {fname: values[fname][user.id] for fname in values}
        return rendered

    @api.model
    def _send_scorecards(self, date_from, date_to, users=None):
        """Queue the scorecards of the period (``mail.mail``, outgoing);
        returns the mails."""
        rendered = self._render_scorecards(date_from, date_to, users)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .create(
                [
                    {
                        "subject": values["subject"],
                        "body_html": values["body_html"],
                        "email_from": values["email_from"],
                        "recipient_ids": [fields.Command.link(user.partner_id.id)],
                        "auto_delete": True,
                        "state": "outgoing",
                    }
                    for user, values in rendered.items()
                ]
            )
        )
        _logger.info("Weekly scorecards queued: %s", len(mails))
        return mails
