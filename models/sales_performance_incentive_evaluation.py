"""The score pays: incentive rules of kind ``evaluation`` (issue #15).

An evaluation rule pays on the final score of the salesperson's done
evaluation whose period ends in the statement's period (the latest one when
several do): by score bands (``evaluation_mode`` ``amount``: the band's
amount) or as a multiplier of the plan's other lines (``multiplier``: the
rule's own line carries ``(factor - 1) x`` the sum of the other rule lines
of the statement, so those lines stay as computed and the difference is
explained on one line). The maths is in ``engine/evaluation_pay.py``.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..engine import evaluation_pay, proration
from ..engine.payout import fmt

EVALUATION = "evaluation"


class SalesPerformanceIncentiveRule(models.Model):
    _inherit = "sales.performance.incentive.rule"

    kind = fields.Selection(
        selection_add=[(EVALUATION, "Pay on the evaluation score")],
        ondelete={EVALUATION: "cascade"},
    )
    evaluation_mode = fields.Selection(
        [
            ("amount", "Amount per score band"),
            ("multiplier", "Multiply the other lines"),
        ],
        default="amount",
        required=True,
        help="Evaluation rules: the band of the final score pays its amount, or "
        "multiplies the plan's other lines of the period by its factor (the "
        "difference is a line of its own).",
    )

    def write(self, vals):
        res = super().write(vals)
        if "evaluation_mode" in vals:
            self.plan_id.filtered(lambda p: p.state == "active")._register_version()
        return res

    def _summary(self):
        if self.kind != EVALUATION:
            return super()._summary()
        bands = []
        for tier in self.tier_ids.sorted("lower"):
            label = "[%s, %s)" % (
                fmt(tier.lower),
                fmt(tier.upper) if tier.upper else "∞",
            )
            if self.evaluation_mode == "multiplier":
                bands.append("%s: × %s" % (label, fmt(tier.factor)))
            else:
                bands.append("%s: %s" % (label, fmt(tier.amount)))
        if self.evaluation_mode == "multiplier":
            clause = self.env._(
                "Final score multiplies the other lines: %(bands)s",
                bands=", ".join(bands),
            )
        else:
            clause = self.env._("Final score pays: %(bands)s", bands=", ".join(bands))
        if self.cap:
            return "; ".join((clause, self.env._("Cap %(cap)s", cap=self.cap)))
        return clause

    def _snapshot(self):
        snapshot = super()._snapshot()
        snapshot["evaluation_mode"] = self.evaluation_mode
        if self.kind == EVALUATION:
            # the super's tiers follow the same order
            for tier_dict, tier in zip(
                snapshot["tiers"], self.tier_ids.sorted("lower"), strict=True
            ):
                tier_dict["factor"] = tier.factor
        return snapshot

    @api.constrains("kind", "gate", "payable_on_collection")
    def _check_evaluation_rule(self):
        for rule in self.filtered(lambda r: r.kind == EVALUATION):
            if rule.gate or rule.payable_on_collection:
                raise ValidationError(
                    self.env._(
                        "The evaluation rule %(rule)s pays on the final score: it has "
                        "no attainment gate and is not payable on collection.",
                        rule=rule.name,
                    )
                )


class SalesPerformanceIncentiveTier(models.Model):
    _inherit = "sales.performance.incentive.tier"

    factor = fields.Float(
        default=1.0,
        help="Evaluation rules in multiplier mode: the other lines of the period "
        "are multiplied by this factor when the final score is in the band.",
    )

    @api.constrains("factor")
    def _check_factor(self):
        for tier in self:
            if not evaluation_pay.valid_factor(tier.factor):
                raise ValidationError(
                    self.env._(
                        "The factor of a band must be a number from 0 to %(max)s "
                        "(%(value)s given).",
                        max=fmt(evaluation_pay.MAX_FACTOR),
                        value=tier.factor,
                    )
                )


class SalesPerformanceIncentivePlan(models.Model):
    _inherit = "sales.performance.incentive.plan"

    def _compute_payouts(self, users, date_from, date_to, rules, windows=None):
        """The evaluation rules' lines replace what the generic computation
        made of them: the band of the final score of the salesperson's done
        evaluation ending in the period (one search for all ``users``)."""
        result = super()._compute_payouts(users, date_from, date_to, rules, windows)
        if not users or not any(rule.get("kind") == EVALUATION for rule in rules):
            return result
        evaluations = self._done_evaluations(users, date_from, date_to)
        windows = windows or {}
        lang_envs = {}
        for user in users:
            lines = result.get(user.id)
            if not lines:
                continue
            lang = user.lang or self.env.lang or "en_US"
            if lang not in lang_envs:
                lang_envs[lang] = self.with_context(lang=lang).env
            translate = lang_envs[lang]._
            other_total = sum(
                res.amount
                for rule, _base, _target, res in lines
                if rule.get("kind") != EVALUATION
            )
            evaluation = evaluations.get(user.id)
            window = windows.get(user.id)
            share = (
                proration.share(window, date_from, date_to)
                if window and window != (date_from, date_to)
                else None
            )
            new_lines = []
            for applied, base, target, res in lines:
                if applied.get("kind") == EVALUATION:
                    applied = self._prorate_evaluation_rule(applied, share)
                    res = evaluation_pay.compute(
                        applied,
                        evaluation
                        and {"name": evaluation.name, "score": evaluation.final_score},
                        other_total,
                        translate,
                    )
                    res.amount = self.currency_id.round(res.amount)
                    if share is not None and share < 1:
                        res.explanation = " ".join(
                            (
                                proration.explanation(
                                    window, date_from, date_to, translate
                                ),
                                res.explanation,
                            )
                        )
                    res.evaluation_id = evaluation.id if evaluation else False
                    res.evaluation_name = evaluation.name if evaluation else ""
                    base, target = res.base, None
                new_lines.append((applied, base, target, res))
            result[user.id] = new_lines
        return result

    @staticmethod
    def _prorate_evaluation_rule(rule, share):
        """Amount mode for part of the period: band amounts scale with the
        share of days like bonuses (the cap already does); factors stay (the
        other lines they multiply are prorated already)."""
        if share is None or share >= 1 or rule.get("evaluation_mode") == "multiplier":
            return rule
        tiers = [
            dict(tier, amount=float(tier.get("amount") or 0.0) * share)
            for tier in rule.get("tiers", ())
        ]
        return dict(rule, tiers=tiers)

    def _done_evaluations(self, users, date_from, date_to):
        """{user id: evaluation}: the done evaluation of each salesperson of
        ``users`` (through its employee's user) in the plan's company whose
        period ends in ``date_from`` → ``date_to``; the latest when several
        do. One query for all of them."""
        self.ensure_one()
        evaluations = (
            self.env["sales.performance.evaluation"]
            .sudo()
            .search_fetch(
                Domain.AND(
                    [
                        Domain("state", "=", "done"),
                        Domain("employee_user_id", "in", users.ids),
                        Domain("company_id", "=", self.company_id.id),
                        Domain("date_to", ">=", date_from),
                        Domain("date_to", "<=", date_to),
                    ]
                ),
                ["employee_user_id", "name", "final_score", "date_to"],
                order="date_to desc, id desc",
            )
        )
        result = {}
        for evaluation in evaluations:
            result.setdefault(evaluation.employee_user_id.id, evaluation)
        return result


class SalesPerformanceIncentiveStatement(models.Model):
    _inherit = "sales.performance.incentive.statement"

    def _line_vals(self, sequence, rule, base, target, result, live_rule_ids):
        vals = super()._line_vals(sequence, rule, base, target, result, live_rule_ids)
        if rule.get("kind") == EVALUATION and vals:
            evaluation_id = getattr(result, "evaluation_id", False)
            vals[0]["evaluation_id"] = evaluation_id or False
            vals[0]["target_value"] = 0.0
            if evaluation_id:
                vals[0]["name"] = self.env._(
                    "%(rule)s: %(evaluation)s",
                    rule=rule.get("name"),
                    evaluation=result.evaluation_name,
                )
            else:
                vals[0]["name"] = self.env._(
                    "%(rule)s: no done evaluation", rule=rule.get("name")
                )
        return vals


class SalesPerformanceIncentiveStatementLine(models.Model):
    _inherit = "sales.performance.incentive.statement.line"

    kind = fields.Selection(
        selection_add=[(EVALUATION, "Evaluation")],
        ondelete={EVALUATION: "set null"},
    )
    evaluation_id = fields.Many2one(
        "sales.performance.evaluation",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
        help="Evaluation rules: the done evaluation whose final score the line pays "
        "on.",
    )
