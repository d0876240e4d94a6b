from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import payout

# Rule fields whose change on an active plan makes a new plan version.
VERSIONED_FIELDS = {
    "name",
    "kind",
    "metric_id",
    "basis",
    "mode",
    "gate",
    "cap",
    "amount",
    "max_count",
    "tier_ids",
    "plan_id",
    "override_user_id",
    "override_team_ids",
    "override_include_own",
    "payable_on_collection",
}


class SalesPerformanceIncentiveRule(models.Model):
    _name = "sales.performance.incentive.rule"
    _description = "Incentive Rule"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [
            ("commission", "Commission on a metric"),
            ("bonus", "Bonus at attainment"),
            ("spiff", "One-off bonus (SPIFF)"),
            ("override", "Override on team results"),
        ],
        default="commission",
        required=True,
    )
    metric_id = fields.Many2one(
        "sales.performance.metric",
        ondelete="restrict",
        help="Commission: the base is the salesperson's achieved value of this metric. "
        "SPIFF: every record counted by this metric pays the amount.",
    )
    basis = fields.Selection(
        [("attainment", "Attainment bands (%)"), ("amount", "Amount bands")],
        default="attainment",
        required=True,
        help="Attainment: bands on the achieved value / target in percent (a target "
        "is needed). Amount: bands on the achieved value itself.",
    )
    mode = fields.Selection(
        [
            ("flat", "Flat (whole base at the reached band's rate)"),
            ("marginal", "Marginal (each band's rate on the part inside it)"),
        ],
        default="flat",
        required=True,
    )
    gate = fields.Float(
        string="Gate (%)", help="No payout below this attainment (0: no gate)."
    )
    cap = fields.Monetary(help="Maximum payout of the rule per period (0: no cap).")
    amount = fields.Monetary(string="Amount per Record", help="SPIFF: paid per record.")
    max_count = fields.Integer(
        string="Maximum Count",
        help="SPIFF: at most this many records are paid (0: no maximum).",
    )
    tier_ids = fields.One2many(
        "sales.performance.incentive.tier", "rule_id", string="Tiers", copy=True
    )
    override_user_id = fields.Many2one(
        "res.users",
        string="Override Earner",
        help="Override: who earns it (empty: the leader of each team, on the teams "
        "they lead).",
    )
    override_team_ids = fields.Many2many(
        "crm.team",
        string="Override Teams",
        help="Override: the teams whose results count (empty: the teams the earner "
        "leads).",
    )
    payable_on_collection = fields.Boolean(
        help="Commission on invoiced revenue: payable only as the customers pay the "
        "invoices; the rest is held, released by later statements, and forfeited "
        "when an invoice is still unpaid the plan's hold days after its due date.",
    )
    override_include_own = fields.Boolean(
        string="Include Own Deals",
        help="Override: also count the earner's own credited deals.",
    )
    summary = fields.Char(compute="_compute_summary")

    @api.depends(
        "kind", "mode", "basis", "tier_ids", "amount", "max_count", "gate", "cap"
    )
    def _compute_summary(self):
        for rule in self:
            rule.summary = rule._summary()

    def _summary(self):
        """One line: the payout clause, then the gate and the cap, each a
        phrase of its own (a list, never a sentence assembled from parts)."""
        if self.kind == "spiff":
            if self.max_count:
                payout_clause = self.env._(
                    "%(amount)s per %(metric)s record, at most %(count)s records",
                    amount=self.amount,
                    metric=self.metric_id.name,
                    count=self.max_count,
                )
            else:
                payout_clause = self.env._(
                    "%(amount)s per %(metric)s record",
                    amount=self.amount,
                    metric=self.metric_id.name,
                )
        elif self.kind == "bonus":
            payout_clause = ", ".join(
                self.env._("≥ %(lower)s%%: %(amount)s", lower=t.lower, amount=t.amount)
                for t in self.tier_ids.sorted("lower")
            )
        else:
            unit = "%" if self.basis == "attainment" else ""
            bands = ", ".join(
                "[%s%s, %s): %s%%"
                % (
                    t.lower,
                    unit,
                    ("%s%s" % (t.upper, unit)) if t.upper else "∞",
                    t.rate,
                )
                for t in self.tier_ids.sorted("lower")
            )
            if self.mode == "marginal":
                payout_clause = self.env._("Marginal: %(bands)s", bands=bands)
            else:
                payout_clause = self.env._("Flat: %(bands)s", bands=bands)
        clauses = [payout_clause]
        if self.gate:
            clauses.append(self.env._("Gate %(gate)s%%", gate=self.gate))
        if self.cap:
            clauses.append(self.env._("Cap %(cap)s", cap=self.cap))
        return "; ".join(clauses)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "kind",
        "metric_id",
        "gate",
        "cap",
        "amount",
        "max_count",
        "tier_ids",
        "payable_on_collection",
    )
    def _check_rule(self):
        for rule in self:
            if rule.gate < 0:
                raise ValidationError(
                    self.env._(
                        "The gate of %(rule)s cannot be negative.", rule=rule.name
                    )
                )
            if rule.cap < 0:
                raise ValidationError(
                    self.env._(
                        "The cap of %(rule)s must be positive (0 means no cap).",
                        rule=rule.name,
                    )
                )
            if rule.amount < 0 or rule.max_count < 0:
                raise ValidationError(
                    self.env._(
                        "The amount and maximum count of %(rule)s cannot be negative.",
                        rule=rule.name,
                    )
                )
            if rule.kind in ("commission", "spiff", "override") and not rule.metric_id:
                raise ValidationError(
                    self.env._("The rule %(rule)s needs a metric.", rule=rule.name)
                )
            if rule.kind == "spiff" and rule.metric_id.computation == "sum":
                raise ValidationError(
                    self.env._(
                        "A SPIFF pays per record: %(metric)s sums amounts, "
                        "choose a metric that counts records.",
                        metric=rule.metric_id.name,
                    )
                )
            if rule.payable_on_collection and (
                rule.kind != "commission" or rule.metric_id.model_name != "account.move"
            ):
                raise ValidationError(
                    self.env._(
                        "Only a commission on invoices can be payable on collection "
                        "(%(rule)s).",
                        rule=rule.name,
                    )
                )
            rule._check_tiers()

    def _check_tiers(self):
        self.ensure_one()
        tiers = [
            payout.Tier(t.lower, t.upper or None, t.rate, t.amount)
            for t in self.tier_ids
        ]
        try:
            payout.check_tiers(
                tiers, kind="bonus" if self.kind == "bonus" else "commission"
            )
        except payout.TierError as error:
            messages = {
                "negative_rate": self.env._(
                    "The rate of band %(band)s cannot be negative."
                ),
                "negative_amount": self.env._(
                    "The amount of band %(band)s cannot be negative."
                ),
                "negative_bound": self.env._("Band %(band)s cannot start below 0."),
                "empty_band": self.env._("Band %(band)s must end after it starts."),
                "overlap": self.env._("Bands %(band)s and %(other)s overlap."),
                "gap": self.env._(
                    "Bands %(band)s and %(other)s leave a gap: each band starts where "
                    "the previous one ends."
                ),
                "open_not_last": self.env._(
                    "Band %(band)s is open-ended: only the last band may have "
                    "no upper bound."
                ),
                "duplicate": self.env._(
                    "Two bonuses have the threshold %(threshold)s%%."
                ),
            }
            raise ValidationError(
                self.env._(
                    "Rule %(rule)s: %(problem)s",
                    rule=self.name,
                    problem=messages[error.code] % error.params,
                )
            ) from None

    # ------------------------------------------------------------------
    # CRUD: editing an active plan's rules makes a new version
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules.plan_id.filtered(lambda p: p.state == "active")._register_version()
        return rules

    def write(self, vals):
        plans = self.plan_id
        res = super().write(vals)
        if set(vals) & VERSIONED_FIELDS:
            (plans | self.plan_id).filtered(
                lambda p: p.state == "active"
            )._register_version()
        return res

    def unlink(self):
        plans = self.plan_id
        res = super().unlink()
        plans.exists().filtered(lambda p: p.state == "active")._register_version()
        return res

    # ------------------------------------------------------------------
    # Snapshot
    # ------------------------------------------------------------------
    def _snapshot(self):
        """The rule as a plain dict: what a statement keeps to explain its
        figures even after the rule changes."""
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "metric_id": self.metric_id.id or False,
            "metric": self.metric_id.name or "",
            "basis": self.basis,
            "mode": self.mode,
            "gate": self.gate,
            "cap": self.cap,
            "amount": self.amount,
            "max_count": self.max_count,
            "override_user_id": self.override_user_id.id or False,
            "override_team_ids": self.override_team_ids.ids,
            "override_include_own": self.override_include_own,
            "payable_on_collection": self.payable_on_collection,
            "summary": "%s: %s" % (self.name, self._summary()),
            "tiers": [
                {
                    "lower": tier.lower,
                    "upper": tier.upper or False,
                    "rate": tier.rate,
                    "amount": tier.amount,
                }
                for tier in self.tier_ids.sorted("lower")
            ],
        }


class SalesPerformanceIncentiveTier(models.Model):
    _name = "sales.performance.incentive.tier"
    _description = "Incentive Tier"
    _order = "rule_id, lower, id"

    rule_id = fields.Many2one(
        "sales.performance.incentive.rule",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="rule_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="rule_id.currency_id")
    lower = fields.Float(
        string="From",
        help="Band start (attainment % or amount); bonus: threshold in %.",
    )
    upper = fields.Float(string="To", help="Band end, excluded (empty: open-ended).")
    rate = fields.Float(string="Rate (%)")
    amount = fields.Monetary(
        string="Bonus", help="Bonus rules: paid when the threshold is reached."
    )

    @api.constrains("lower", "upper", "rate", "amount")
    def _check_band(self):
        for rule in self.rule_id:
            rule._check_tiers()

    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        tiers.rule_id.plan_id.filtered(
            lambda p: p.state == "active"
        )._register_version()
        return tiers

    def write(self, vals):
        res = super().write(vals)
        self.rule_id.plan_id.filtered(lambda p: p.state == "active")._register_version()
        return res

    def unlink(self):
        plans = self.rule_id.plan_id
        res = super().unlink()
        plans.filtered(lambda p: p.state == "active")._register_version()
        return res
