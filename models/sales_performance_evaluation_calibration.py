"""Calibration and 9-box: potential, performance level and 9-box cell of an
evaluation, the distribution guide of a cycle, calibrated ratings and their
log (see engine/calibration.py for the rules)."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine import calibration
from .sales_performance_evaluation import MANAGER_PRIVATE_FIELDS

LEVEL_SELECTION = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
# Fields of the calibration the employee sees only once the review is submitted.
CALIBRATION_PRIVATE_FIELDS = (
    "potential",
    "performance",
    "nine_box",
    "nine_box_label",
    "calibrated_rating_id",
)
LOG_CONTEXT_KEY = "sales_performance_calibration_log"


def _nine_box_labels(env):
    """The name of each 9-box cell (see engine/calibration.py for the numbering)."""
    return {
        1: env._("Underperformer"),
        2: env._("Effective"),
        3: env._("Trusted Professional"),
        4: env._("Inconsistent Player"),
        5: env._("Core Player"),
        6: env._("High Performer"),
        7: env._("Rough Diamond"),
        8: env._("Future Star"),
        9: env._("Star"),
    }


def _level_labels(env):
    return {
        "low": env._("Low"),
        "medium": env._("Medium"),
        "high": env._("High"),
    }


class SalesPerformanceEvaluationRating(models.Model):
    _inherit = "sales.performance.evaluation.rating"

    performance_level = fields.Selection(
        LEVEL_SELECTION,
        help=(
            "The performance level (9-box column) of the evaluations with this rating. "
            "Empty: from the band's place among the bands of its company ordered by "
            "minimum score: the top third (at least one band) high, the bottom third "
            "(at least one) low, the rest medium."
        ),
    )
    effective_performance_level = fields.Selection(
        LEVEL_SELECTION,
        string="Performance Level Used",
        compute="_compute_effective_performance_level",
    )

    def _compute_effective_performance_level(self):
        levels = self._performance_levels()
        for band in self:
            band.effective_performance_level = levels.get(band.id, False)

    def _performance_levels(self):
        """{band id: level} of these bands: their own level, else their place
        among the active bands of the same company (or the shared ones)."""
        levels = {}
        Rating = self.sudo().with_context(active_test=True)
        for company, bands in self.sudo().grouped("company_id").items():
            scope = Rating.search([("company_id", "=", company.id or False)])
            by_place = dict(
                zip(
                    scope.ids,
                    calibration.band_levels(scope.mapped("min_score")),
                    strict=True,
                )
            )
            for band in bands:
                levels[band.id] = band.performance_level or by_place.get(band.id)
        return levels

    @api.model_create_multi
    def create(self, vals_list):
        bands = super().create(vals_list)
        bands._recompute_performance_levels()
        return bands

    def write(self, vals):
        result = super().write(vals)
        if {"min_score", "active", "company_id", "performance_level"} & set(vals):
            self._recompute_performance_levels()
        return result

    def unlink(self):
        result = super().unlink()
        self.browse()._recompute_performance_levels()
        return result

    def _recompute_performance_levels(self):
        """A band's level can depend on the other bands: every rated evaluation
        follows (done ones too: their rating stays, its level follows the bands)."""
        evaluations = (
            self.env["sales.performance.evaluation"]
            .sudo()
            .search([("rating_id", "!=", False)])
        )
        self.env.add_to_compute(evaluations._fields["performance"], evaluations)


class SalesPerformanceEvaluation(models.Model):
    _inherit = "sales.performance.evaluation"
    _private_fields = tuple(MANAGER_PRIVATE_FIELDS) + CALIBRATION_PRIVATE_FIELDS

    potential = fields.Selection(
        LEVEL_SELECTION,
        tracking=True,
        copy=False,
        help="Set by the manager or HR: the 9-box row of the employee.",
    )
    performance = fields.Selection(
        LEVEL_SELECTION,
        compute="_compute_performance",
        store=True,
        help="From the rating band (its performance level): the 9-box column.",
    )
    nine_box = fields.Integer(
        string="9-Box",
        compute="_compute_nine_box",
        store=True,
        aggregator=None,
        help=(
            "1 to 9: 3 x potential + performance + 1 with low = 0, medium = 1, "
            "high = 2 (1 = low/low, 3 = high performance and low potential, "
            "7 = low performance and high potential, 9 = high/high); 0 while the "
            "rating or the potential is missing."
        ),
    )
    nine_box_label = fields.Char(string="9-Box Cell", compute="_compute_nine_box_label")
    calibrated_rating_id = fields.Many2one(
        "sales.performance.evaluation.rating",
        readonly=True,
        copy=False,
        help="The rating set by the last calibration; it replaces the rating "
        "computed from the final score.",
    )
    calibration_ids = fields.One2many(
        "sales.performance.evaluation.calibration",
        "evaluation_id",
        string="Calibrations",
    )
    calibration_count = fields.Integer(compute="_compute_calibration_count")
    can_calibrate = fields.Boolean(compute="_compute_can_calibrate")

    @api.depends("calibrated_rating_id")
    def _compute_scores(self):
        result = super()._compute_scores()
        for evaluation in self.filtered("calibrated_rating_id"):
            evaluation.rating_id = evaluation.calibrated_rating_id
        return result

    @api.depends("rating_id", "rating_id.performance_level")
    def _compute_performance(self):
        levels = self.rating_id._performance_levels()
        for evaluation in self:
            evaluation.performance = levels.get(evaluation.rating_id.id, False)

    @api.depends("performance", "potential")
    def _compute_nine_box(self):
        for evaluation in self:
            evaluation.nine_box = (
                calibration.nine_box(evaluation.performance, evaluation.potential) or 0
            )

    @api.depends("nine_box")
    def _compute_nine_box_label(self):
        labels = _nine_box_labels(self.env)
        for evaluation in self:
            evaluation.nine_box_label = labels.get(evaluation.nine_box, False)

    def _compute_calibration_count(self):
        counts = dict(
            self.env["sales.performance.evaluation.calibration"]._read_group(
                [("evaluation_id", "in", self.ids)],
                groupby=["evaluation_id"],
                aggregates=["__count"],
            )
        )
        for evaluation in self:
            evaluation.calibration_count = counts.get(evaluation, 0)

    @api.depends_context("uid")
    @api.depends("cycle_id.state", "state")
    def _compute_can_calibrate(self):
        for evaluation in self:
            evaluation.can_calibrate = (
                evaluation.cycle_id.state == "calibration"
                and evaluation.state != "cancel"
                and evaluation._may_calibrate(self.env.user)
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        """Managers and HR set the potential at any step but the end of the
        cycle, even on a done evaluation (it is what calibration is about)."""
        fnames = {f for f in vals if not f.startswith(("message_", "activity_"))}
        if "potential" not in fnames:
            return super().write(vals)
        for evaluation in self:
            if evaluation.state == "cancel" or evaluation.cycle_id.state == "closed":
                raise UserError(
                    self.env._(
                        "The potential of %(name)s can no longer change: the "
                        "evaluation is cancelled or its cycle is closed.",
                        name=evaluation.name,
                    )
                )
        if vals["potential"] and vals["potential"] not in calibration.LEVELS:
            raise ValidationError(self.env._("The potential is low, medium or high."))
        if self.env.su or fnames != {"potential"}:
            return super().write(vals)
        for evaluation in self:
            if evaluation._get_user_role() not in ("hr", "manager"):
                raise AccessError(
                    self.env._(
                        "Only the employee's managers and HR officers set the "
                        "potential of %(name)s.",
                        name=evaluation.name,
                    )
                )
        # the rights are checked: a done evaluation is locked for the rest only
        return super(SalesPerformanceEvaluation, self.sudo()).write(vals)

    # ------------------------------------------------------------------
    # Calibration
    # ------------------------------------------------------------------

    def _may_calibrate(self, user):
        """HR officers, and the managers of the employee's manager (the
        manager's manager and above), never the employee nor their evaluator."""
        self.ensure_one()
        if user.has_group("hr.group_hr_user"):
            return True
        evaluation = self.sudo()
        if user in (evaluation.employee_user_id, evaluation.evaluator_id):
            return False
        manager_employees = user.sudo().employee_ids
        employee = evaluation.employee_id.parent_id.parent_id
        seen = set()
        while employee and employee.id not in seen:
            if employee in manager_employees:
                return True
            seen.add(employee.id)
            employee = employee.parent_id
        return False

    def _calibration_rating(self, rating_id):
        """The rating band ``rating_id`` (an id or a record) if this
        evaluation may get it: an active band of the evaluation's company (its
        own bands when it has some, else the shared ones)."""
        self.ensure_one()
        Rating = self.env["sales.performance.evaluation.rating"].sudo()
        if isinstance(rating_id, models.BaseModel):
            if rating_id._name != Rating._name or len(rating_id) != 1:
                rating_id = False
            else:
                rating_id = rating_id.id
        if isinstance(rating_id, bool) or not isinstance(rating_id, int):
            raise ValidationError(
                self.env._("Choose the rating band of the calibrated evaluation.")
            )
        company = self.company_id
        bands = Rating.search([("company_id", "=", company.id)])
        if not bands:
            bands = Rating.search([("company_id", "=", False)])
        rating = Rating.browse(rating_id) & bands
        if not rating:
            raise ValidationError(
                self.env._(
                    "This rating band does not exist or is not one of the bands of "
                    "%(company)s.",
                    company=company.name,
                )
            )
        return rating

    def action_calibrate(self, rating_id=None, reason=None):
        """Change the rating during the cycle's calibration step, with a reason,
        and log it (before, after, who, when) in the log and the chatter."""
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Give the reason for the calibration."))
        reason = reason.strip()
        Log = self.env["sales.performance.evaluation.calibration"].sudo()
        now = fields.Datetime.now()
        for evaluation in self:
            if evaluation.cycle_id.state != "calibration":
                raise UserError(
                    self.env._(
                        "The evaluation %(name)s can only be calibrated during the "
                        "calibration step of its evaluation cycle.",
                        name=evaluation.name,
                    )
                )
            if evaluation.state == "cancel":
                raise UserError(
                    self.env._(
                        "The evaluation %(name)s is cancelled.", name=evaluation.name
                    )
                )
            if not self.env.su and not evaluation._may_calibrate(self.env.user):
                raise AccessError(
                    self.env._(
                        "Only HR officers and the manager of the employee's manager "
                        "can calibrate the evaluation %(name)s.",
                        name=evaluation.name,
                    )
                )
            rating = evaluation._calibration_rating(rating_id)
            before = evaluation.sudo().rating_id
            if rating == before:
                raise UserError(
                    self.env._(
                        "The evaluation %(name)s already has the rating %(rating)s.",
                        name=evaluation.name,
                        rating=rating.name,
                    )
                )
            evaluation.sudo().with_context(
                tracking_disable=True
            ).calibrated_rating_id = rating
            Log.with_context(**{LOG_CONTEXT_KEY: True}).create(
                {
                    "evaluation_id": evaluation.id,
                    "cycle_id": evaluation.cycle_id.id,
                    "rating_before_id": before.id,
                    "rating_after_id": rating.id,
                    "reason": reason,
                    "user_id": self.env.user.id,
                    "date": now,
                }
            )
            # a str body is escaped by message_post: the reason stays text
            evaluation.sudo().message_post(
                body=self.env._(
                    "Calibration: rating changed from %(before)s to %(after)s by "
                    "%(user)s. Reason: %(reason)s",
                    before=before.name or self.env._("none"),
                    after=rating.name,
                    user=self.env.user.name,
                    reason=reason,
                ),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_calibrate(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Calibrate Evaluation"),
            "res_model": "sales.performance.evaluation.calibrate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_id": self.id},
        }

    def action_open_calibrations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_evaluation_calibration_action"
        )
        action["domain"] = [("evaluation_id", "=", self.id)]
        action["context"] = {}
        return action


class SalesPerformanceEvaluationCycle(models.Model):
    _inherit = "sales.performance.evaluation.cycle"

    distribution_guide = fields.Char(
        default=calibration.DEFAULT_GUIDE,
        required=True,
        tracking=True,
        help=(
            "Expected shares of the ratings in percent, top / middle / bottom "
            "(high / medium / low performance), adding up to 100, e.g. 20/70/10."
        ),
    )
    distribution_tolerance = fields.Float(
        default=calibration.DEFAULT_TOLERANCE,
        tracking=True,
        help="How many points a share may deviate from the guide before a warning.",
    )
    distribution_high_count = fields.Integer(
        string="Top (High)", compute="_compute_distribution"
    )
    distribution_medium_count = fields.Integer(
        string="Middle (Medium)", compute="_compute_distribution"
    )
    distribution_low_count = fields.Integer(
        string="Bottom (Low)", compute="_compute_distribution"
    )
    distribution_high_share = fields.Float(
        string="Top Share (%)", digits=(16, 1), compute="_compute_distribution"
    )
    distribution_medium_share = fields.Float(
        string="Middle Share (%)", digits=(16, 1), compute="_compute_distribution"
    )
    distribution_low_share = fields.Float(
        string="Bottom Share (%)", digits=(16, 1), compute="_compute_distribution"
    )
    distribution_warning = fields.Boolean(compute="_compute_distribution")
    distribution_warning_message = fields.Char(compute="_compute_distribution")
    distribution_html = fields.Html(
        string="Rating Distribution", compute="_compute_distribution", sanitize=False
    )
    nine_box_html = fields.Html(
        string="9-Box Grid", compute="_compute_nine_box_html", sanitize=False
    )
    calibration_ids = fields.One2many(
        "sales.performance.evaluation.calibration", "cycle_id", string="Calibrations"
    )
    calibration_count = fields.Integer(compute="_compute_calibration_count")

    # ------------------------------------------------------------------
    # Computes: over the evaluations the user may read (HR: all of them)
    # ------------------------------------------------------------------

    def _rated_domain(self):
        return [
            ("cycle_id", "in", self.ids),
            ("state", "!=", "cancel"),
            ("performance", "!=", False),
        ]

    @api.depends_context("uid")
    @api.depends(
        "distribution_guide",
        "distribution_tolerance",
        "evaluation_ids.performance",
        "evaluation_ids.state",
    )
    def _compute_distribution(self):
        Evaluation = self.env["sales.performance.evaluation"]
        level_counts, band_counts = {}, {}
        if self.ids:
            for cycle, level, count in Evaluation._read_group(
                self._rated_domain(), ["cycle_id", "performance"], ["__count"]
            ):
                level_counts.setdefault(cycle.id, {})[level] = count
            for cycle, rating, count in Evaluation._read_group(
                self._rated_domain(), ["cycle_id", "rating_id"], ["__count"]
            ):
                band_counts.setdefault(cycle.id, []).append((rating, count))
        for cycle in self:
            counts = level_counts.get(cycle.id, {})
            shares = calibration.shares(counts)
            guide = calibration.parse_guide(cycle.distribution_guide) or (0, 0, 0)
            warning = calibration.distribution_warning(
                counts, guide, cycle.distribution_tolerance
            )
            deviations = calibration.deviations(counts, guide)
            cycle.distribution_high_count = counts.get("high", 0)
            cycle.distribution_medium_count = counts.get("medium", 0)
            cycle.distribution_low_count = counts.get("low", 0)
            cycle.distribution_high_share = shares["high"]
            cycle.distribution_medium_share = shares["medium"]
            cycle.distribution_low_share = shares["low"]
            cycle.distribution_warning = warning
            cycle.distribution_warning_message = warning and self.env._(
                "The ratings deviate from the distribution guide %(guide)s by more "
                "than %(tolerance)s points: top %(high)s%%, middle %(medium)s%%, "
                "bottom %(low)s%%.",
                guide=cycle.distribution_guide,
                tolerance=round(cycle.distribution_tolerance, 1),
                high=round(shares["high"], 1),
                medium=round(shares["medium"], 1),
                low=round(shares["low"], 1),
            )
            cycle.distribution_html = cycle._distribution_table(
                counts, shares, guide, deviations, band_counts.get(cycle.id, [])
            )

    def _distribution_table(self, counts, shares, guide, deviations, bands):
        env = self.env
        levels = _level_labels(env)
        rows = Markup("")
        for level, guide_share in zip(calibration.GUIDE_LEVELS, guide, strict=True):
            deviation = deviations[level]
            beyond = abs(deviation) > self.distribution_tolerance + 0.005
            rows += Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s %%</td><td class='text-end'>%s %%</td>"
                "<td class='text-end %s'>%s</td></tr>"
            ) % (
                levels[level],
                counts.get(level, 0),
                round(shares[level], 1),
                round(guide_share, 1),
                "text-danger fw-bold" if beyond and sum(counts.values()) else "",
                f"{deviation:+.1f}",
            )
        total = sum(counts.values()) or 0
        band_levels = (
            self.env["sales.performance.evaluation.rating"]
            .browse([rating.id for rating, _count in bands])
            ._performance_levels()
        )
        band_rows = Markup("")
        for rating, count in sorted(bands, key=lambda pair: -pair[0].sudo().min_score):
            band_rows += Markup(
                "<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s %%</td></tr>"
            ) % (
                rating.sudo().name,
                levels.get(band_levels.get(rating.id), ""),
                count,
                round(count * 100.0 / total, 1) if total else 0.0,
            )
        header = Markup(
            "<table class='table table-sm o_sales_performance_distribution'>"
            "<thead><tr><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead><tbody>"
        ) % (
            env._("Performance"),
            env._("Evaluations"),
            env._("Share"),
            env._("Guide"),
            env._("Deviation (points)"),
        )
        band_header = Markup(
            "<table class='table table-sm o_sales_performance_band_distribution'>"
            "<thead><tr><th>%s</th><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead><tbody>"
        ) % (
            env._("Rating Band"),
            env._("Performance"),
            env._("Evaluations"),
            env._("Share"),
        )
        return (
            header
            + rows
            + Markup("</tbody></table>")
            + band_header
            + band_rows
            + Markup("</tbody></table>")
        )

    @api.depends_context("uid")
    @api.depends("evaluation_ids.nine_box", "evaluation_ids.state")
    def _compute_nine_box_html(self):
        Evaluation = self.env["sales.performance.evaluation"]
        placed = Evaluation.browse()
        if self.ids:
            placed = Evaluation.search(
                [
                    ("cycle_id", "in", self.ids),
                    ("state", "!=", "cancel"),
                    ("nine_box", "!=", 0),
                ]
            )
        by_cycle = placed.grouped("cycle_id")
        for cycle in self:
            cycle.nine_box_html = cycle._nine_box_table(
                by_cycle.get(cycle, Evaluation.browse())
            )

    def _nine_box_table(self, evaluations):
        env = self.env
        labels = _nine_box_labels(env)
        potential_labels = {
            "high": env._("High potential"),
            "medium": env._("Medium potential"),
            "low": env._("Low potential"),
        }
        by_cell = {}
        for evaluation in evaluations.sudo().sorted(lambda e: e.employee_id.name or ""):
            by_cell.setdefault(evaluation.nine_box, []).append(evaluation)
        body = Markup("")
        for row in calibration.nine_box_rows():
            _performance, potential = calibration.nine_box_levels(row[0])
            cells = Markup("")
            for cell in row:
                people = by_cell.get(cell, [])
                names = Markup("").join(
                    Markup(
                        "<li><a href='/odoo/sales.performance.evaluation/%s' "
                        "data-evaluation-id='%s'>%s</a></li>"
                    )
                    % (evaluation.id, evaluation.id, evaluation.employee_id.name)
                    for evaluation in people
                )
                cells += Markup(
                    "<td class='o_sales_performance_nine_box_cell' data-cell='%s'>"
                    "<div class='fw-bold'>%s. %s <span class='badge text-bg-secondary'>"
                    "%s</span></div><ul class='list-unstyled mb-0'>%s</ul></td>"
                ) % (cell, cell, labels[cell], len(people), names)
            body += Markup("<tr><th class='align-middle'>%s</th>%s</tr>") % (
                potential_labels[potential],
                cells,
            )
        footer = Markup("<tr><th></th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            env._("Low performance"),
            env._("Medium performance"),
            env._("High performance"),
        )
        return (
            Markup(
                "<table class='table table-bordered o_sales_performance_nine_box'>"
                "<tbody>"
            )
            + body
            + footer
            + Markup("</tbody></table>")
        )

    def _compute_calibration_count(self):
        counts = dict(
            self.env["sales.performance.evaluation.calibration"]._read_group(
                [("cycle_id", "in", self.ids)],
                groupby=["cycle_id"],
                aggregates=["__count"],
            )
        )
        for cycle in self:
            cycle.calibration_count = counts.get(cycle, 0)

    @api.constrains("distribution_guide", "distribution_tolerance")
    def _check_distribution_guide(self):
        for cycle in self:
            shares = calibration.parse_guide(cycle.distribution_guide)
            if shares is None:
                raise ValidationError(
                    self.env._(
                        "The distribution guide of %(name)s must be three percentages "
                        "from 0 to 100, top / middle / bottom, e.g. 20/70/10.",
                        name=cycle.name,
                    )
                )
            if not calibration.guide_is_complete(shares):
                raise ValidationError(
                    self.env._(
                        "The distribution guide of %(name)s adds up to %(total)s%%; "
                        "it must add up to 100%%.",
                        name=cycle.name,
                        total=round(sum(shares), 2),
                    )
                )
            tolerance = cycle.distribution_tolerance
            if not (0.0 <= tolerance <= 100.0):  # also false for NaN
                raise ValidationError(
                    self.env._(
                        "The distribution tolerance of %(name)s must be a number of "
                        "points from 0 to 100.",
                        name=cycle.name,
                    )
                )

    def action_open_calibrations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_evaluation_calibration_action"
        )
        action["domain"] = [("cycle_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_open_calibration_screen(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Calibration: %(name)s", name=self.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "sales_performance."
                        "sales_performance_evaluation_cycle_view_form_calibration"
                    ).id,
                    "form",
                )
            ],
            "target": "current",
        }


class SalesPerformanceEvaluationCalibration(models.Model):
    _name = "sales.performance.evaluation.calibration"
    _description = "Evaluation Calibration Log"
    _order = "date desc, id desc"
    _check_company_auto = True

    evaluation_id = fields.Many2one(
        "sales.performance.evaluation",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    employee_id = fields.Many2one(
        related="evaluation_id.employee_id", store=True, index=True
    )
    cycle_id = fields.Many2one(
        "sales.performance.evaluation.cycle",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    rating_before_id = fields.Many2one(
        "sales.performance.evaluation.rating",
        readonly=True,
        ondelete="restrict",
    )
    rating_after_id = fields.Many2one(
        "sales.performance.evaluation.rating",
        required=True,
        readonly=True,
        ondelete="restrict",
    )
    reason = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Calibrated By", required=True, readonly=True, index=True
    )
    date = fields.Datetime(required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        related="evaluation_id.company_id", store=True, index=True
    )

    @api.depends("evaluation_id", "rating_after_id")
    def _compute_display_name(self):
        for log in self:
            log.display_name = self.env._(
                "%(evaluation)s: %(rating)s",
                evaluation=log.evaluation_id.sudo().name or "",
                rating=log.rating_after_id.sudo().name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        if not self.env.context.get(LOG_CONTEXT_KEY):
            raise UserError(
                self.env._(
                    "Calibration logs are written by the Calibrate action of an "
                    "evaluation only."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        if vals:
            raise UserError(self.env._("A calibration log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.su:
            raise UserError(self.env._("A calibration log cannot be deleted."))
