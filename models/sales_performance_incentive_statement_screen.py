"""What the statement form shows: totals per kind of payout, band details
nested under their rule line, and the lines of a statement that left draft
locked for everybody (whatever the user, the context or sudo)."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

# totals per kind of payout: (field, how a line is counted in it)
TOTAL_FIELDS = (
    "amount_commission",
    "amount_bonus",
    "amount_spiff",
    "amount_override",
    "amount_clawback",
    "amount_collection",
    "amount_adjustment",
)


def _total_field_of(line_type, kind):
    """The total a line adds to (band details add to none: their rule line
    holds their sum)."""
    if line_type == "rule":
        return {
            "commission": "amount_commission",
            "bonus": "amount_bonus",
            "spiff": "amount_spiff",
            "override": "amount_override",
        }.get(kind, "amount_adjustment")
    if line_type == "clawback":
        return "amount_clawback"
    if line_type in ("release", "forfeit"):
        return "amount_collection"
    if line_type == "adjustment":
        return "amount_adjustment"
    return None


class SalesPerformanceIncentiveStatement(models.Model):
    _inherit = "sales.performance.incentive.statement"

    amount_commission = fields.Monetary(
        string="Commissions", compute="_compute_amount_by_kind"
    )
    amount_bonus = fields.Monetary(string="Bonuses", compute="_compute_amount_by_kind")
    amount_spiff = fields.Monetary(string="SPIFFs", compute="_compute_amount_by_kind")
    amount_override = fields.Monetary(
        string="Overrides", compute="_compute_amount_by_kind"
    )
    amount_clawback = fields.Monetary(
        string="Clawbacks", compute="_compute_amount_by_kind"
    )
    amount_collection = fields.Monetary(
        string="Released on Collection",
        compute="_compute_amount_by_kind",
        help="Commissions held until their invoices were paid, released (or "
        "forfeited, negative) in this statement.",
    )
    amount_adjustment = fields.Monetary(
        string="Adjustments", compute="_compute_amount_by_kind"
    )

    @api.depends("line_ids.amount", "line_ids.line_type", "line_ids.kind")
    def _compute_amount_by_kind(self):
        totals = defaultdict(lambda: dict.fromkeys(TOTAL_FIELDS, 0.0))
        stored = self.filtered("id")
        if stored:
            Line = self.env["sales.performance.incentive.statement.line"].sudo()
            for statement, line_type, kind, amount in Line._read_group(
                [("statement_id", "in", stored.ids)],
                ["statement_id", "line_type", "kind"],
                ["amount:sum"],
            ):
                fname = _total_field_of(line_type, kind)
                if fname:
                    totals[statement.id][fname] += amount
        for statement in self:
            if statement.id:
                values = totals[statement.id]
            else:
                values = dict.fromkeys(TOTAL_FIELDS, 0.0)
                for line in statement.line_ids:
                    fname = _total_field_of(line.line_type, line.kind)
                    if fname:
                        values[fname] += line.amount
            round_ = statement.currency_id.round if statement.currency_id else None
            for fname, amount in values.items():
                statement[fname] = round_(amount) if round_ else amount


class SalesPerformanceIncentiveStatementLine(models.Model):
    _inherit = "sales.performance.incentive.statement.line"

    value_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_value_currency_id",
        help="The statement's currency when the base is an amount (a metric on "
        "amounts, or no metric), empty when it counts records.",
    )
    rule_line_id = fields.Many2one(
        "sales.performance.incentive.statement.line",
        compute="_compute_band_lines",
        help="Band details: the rule line whose payout they explain.",
    )
    band_line_ids = fields.One2many(
        "sales.performance.incentive.statement.line",
        compute="_compute_band_lines",
        string="Band Details",
        help="Rule lines: how their payout splits across the bands of the rule.",
    )
    band_count = fields.Integer(compute="_compute_band_lines", string="Bands")
    is_payout = fields.Boolean(
        compute="_compute_band_lines",
        help="False for band details, which explain their rule line's amount "
        "and add nothing to the total.",
    )

    @api.depends("metric_id.value_type", "currency_id")
    def _compute_value_currency_id(self):
        for line in self:
            counts = line.metric_id and line.metric_id.sudo().value_type != "monetary"
            line.value_currency_id = False if counts else line.currency_id

    @api.depends("statement_id", "sequence", "line_type")
    def _compute_band_lines(self):
        """Each band detail belongs to the rule line just before it in the
        statement (same rule, lines in order): one read of the statements'
        lines, whatever their number."""
        Line = self.env["sales.performance.incentive.statement.line"]
        rule_of = {}
        bands_of = defaultdict(list)
        statements = self.filtered("id").statement_id
        if statements:
            lines = (
                Line.sudo()
                .search_fetch(
                    [("statement_id", "in", statements.ids)],
                    ["statement_id", "sequence", "line_type", "rule_id"],
                    order="statement_id, sequence, id",
                )
                .with_env(self.env)
            )
            current = {}
            for line in lines:
                if line.line_type == "rule":
                    current[line.statement_id.id] = line
                elif line.line_type == "band":
                    parent = current.get(line.statement_id.id)
                    if parent and parent.rule_id == line.rule_id:
                        rule_of[line.id] = parent
                        bands_of[parent.id].append(line.id)
        for line in self:
            line.is_payout = line.line_type != "band"
            line.rule_line_id = rule_of.get(line.id, Line)
            line.band_line_ids = Line.browse(bands_of.get(line.id, []))
            line.band_count = len(bands_of.get(line.id, []))

    # ------------------------------------------------------------------
    # CRUD: a statement that left draft keeps its lines, for everybody
    # ------------------------------------------------------------------
    def _check_statement_draft(self, statements):
        """Lines change only on draft statements: no context, group or sudo
        lets a confirmed, approved, paid or cancelled statement change."""
        locked = statements.sudo().filtered(lambda s: s.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "%(name)s is locked: the lines of a statement that left draft "
                    "no longer change (reset it to draft first).",
                    name=locked[0].name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # malformed ids refused before they are browsed
            self._sales_performance_check_values(vals)
        self._check_statement_draft(
            self.env["sales.performance.incentive.statement"].browse(
                {vals["statement_id"] for vals in vals_list if vals.get("statement_id")}
            )
        )
        return super().create(vals_list)

    def write(self, vals):
        self._sales_performance_check_values(vals)
        statements = self.sudo().statement_id
        if vals.get("statement_id"):
            statements |= statements.browse(vals["statement_id"])
        self._check_statement_draft(statements)
        return super().write(vals)

    def unlink(self):
        self._check_statement_draft(self.sudo().statement_id)
        return super().unlink()
