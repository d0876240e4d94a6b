"""Excel export and import of a year of monthly targets (issue #16).

The layout, the parsing, the validation and the plan of changes are in
``engine/target_sheet.py``; these wizards resolve the names of the sheet to
records, check the rights and save.
"""

import base64
import io
import itertools
import zipfile
from collections import defaultdict
from datetime import date

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..engine import target_sheet

# Dimension fields a target may carry (issue #16, Dimensions); a sheet has a
# column for each of them that exists on sales.performance.target.
DIMENSION_FIELDS = (
    "product_category_id",
    "partner_segment",
    "country_id",
    "partner_category_id",
    "source_id",
    "medium_id",
)
MAX_LISTED = 200
MANAGER_GROUP = "sales_performance.group_sales_performance_manager"


def _dimension_fields(env):
    Target = env["sales.performance.target"]
    return [name for name in DIMENSION_FIELDS if name in Target._fields]


def _monthly_month(target):
    """The month of a target whose period is exactly one calendar month,
    else None."""
    first, last = target_sheet.month_period(
        target.date_from.year, target.date_from.month
    )
    if target.date_from == first and target.date_to == last:
        return target.date_from.month
    return None


def _dimension_key(target, dimension_fields):
    values = []
    for name in dimension_fields:
        value = target[name]
        values.append(
            value.id if isinstance(value, models.BaseModel) else value or False
        )
    return tuple(values)


def _target_key(target, dimension_fields):
    dims = _dimension_key(target, dimension_fields)
    if target.user_id:
        return ("user", target.user_id.id, dims)
    if target.team_id:
        return ("team", target.team_id.id, dims)
    return ("company", dims)


class SalesPerformanceTargetExport(models.TransientModel):
    _name = "sales.performance.target.export"
    _description = "Export Targets to Excel"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    metric_ids = fields.Many2many(
        "sales.performance.metric",
        string="Metrics",
        help="One sheet per metric. Empty: every metric with monthly targets in "
        "the year.",
    )
    include_blank_rows = fields.Boolean(
        string="Rows for Everyone",
        default=True,
        help="Add an empty row for the company, every sales team and every team "
        "member you may set targets for, so that a yearly plan can be typed in.",
    )
    file = fields.Binary(readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 1900 <= wizard.year <= 9999:
                raise ValidationError(
                    self.env._("The year must be between 1900 and 9999.")
                )

    def action_export(self):
        self.ensure_one()
        if self.company_id not in self.env.companies:
            raise UserError(
                self.env._("You may only export the targets of your companies.")
            )
        content = self._build_workbook()
        self.write(
            {
                "file": base64.b64encode(content),
                "file_name": "targets_%s_%s.xlsx" % (self.year, self.company_id.id),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/?model=%s&id=%s&field=file&filename_field=file_name"
            "&download=true" % (self._name, self.id),
            "target": "self",
        }

    # ------------------------------------------------------------------
    def _targets(self):
        """The monthly targets of the year the user may read, by metric."""
        first, last = date(self.year, 1, 1), date(self.year, 12, 31)
        domain = Domain.AND(
            [
                [("company_id", "=", self.company_id.id)],
                [("date_from", ">=", first), ("date_to", "<=", last)],
                [("metric_id", "in", self.metric_ids.ids)] if self.metric_ids else [],
            ]
        )
        targets = self.env["sales.performance.target"].search(domain, order="date_from")
        return targets.filtered(_monthly_month).grouped("metric_id")

    def _blank_rows(self):
        """``[(user, team)]`` of the empty rows: the company and each team
        (managers), the team members (managers, and leaders for their teams)."""
        user = self.env.user
        Team = self.env["crm.team"]
        is_manager = user.has_group(MANAGER_GROUP)
        company_teams = Team.search(
            [("company_id", "=", self.company_id.id)], order="name"
        )
        rows = []
        if is_manager:
            rows.append((self.env["res.users"], Team))
            rows += [(self.env["res.users"], team) for team in company_teams]
        for team in company_teams:
            members = team.member_ids.filtered(
                lambda m: self.company_id in m.company_ids
            ).sorted("name")
            for member in members:
                if is_manager or user._sales_performance_leads(member, team):
                    rows.append((member, team))
        return rows

    def _dimension_text(self, record, name):
        value = record[name]
        if isinstance(value, models.BaseModel):
            return value.display_name or None
        if not value:
            return None
        selection = dict(record._fields[name]._description_selection(self.env))
        return selection.get(value, value)

    def _sheet_rows(self, targets, dimension_fields):
        by_key = {}
        order = []
        for target in targets.sorted(lambda t: (t.date_from, t.id)):
            key = _target_key(target, dimension_fields)
            if key not in by_key:
                by_key[key] = {
                    "user": target.user_id,
                    "team": target.team_id,
                    "dims": {
                        name: self._dimension_text(target, name)
                        for name in dimension_fields
                    },
                    "values": {},
                }
                order.append(key)
            entry = by_key[key]
            entry["values"][_monthly_month(target)] = target.target_value
            if target.team_id:  # the team of the latest month
                entry["team"] = target.team_id
        if self.include_blank_rows:
            no_dims = tuple(False for _name in dimension_fields)
            for user, team in self._blank_rows():
                if user:
                    key = ("user", user.id, no_dims)
                elif team:
                    key = ("team", team.id, no_dims)
                else:
                    key = ("company", no_dims)
                if key not in by_key:
                    by_key[key] = {
                        "user": user,
                        "team": team,
                        "dims": {},
                        "values": {},
                    }
                    order.append(key)

        def sort_key(key):
            entry = by_key[key]
            rank = {"company": 0, "team": 1, "user": 2}[key[0]]
            return (
                rank,
                entry["team"].name or "",
                entry["user"].name or "",
                [str(v) for v in entry["dims"].values()],
            )

        return [
            (
                by_key[key]["user"].login,
                by_key[key]["team"].name,
                by_key[key]["dims"],
                by_key[key]["values"],
            )
            for key in sorted(order, key=sort_key)
        ]

    def _labels(self, dimension_fields):
        Target = self.env["sales.performance.target"]
        labels = {
            "metric": self.env._("Metric"),
            "metric_id": self.env._("Metric ID"),
            "year": self.env._("Year"),
            "company": self.env._("Company"),
            "company_id": self.env._("Company ID"),
            target_sheet.KEY_SALESPERSON: self.env._("Salesperson (login)"),
            target_sheet.KEY_TEAM: self.env._("Sales Team"),
        }
        for name in dimension_fields:
            labels[name] = Target._fields[name]._description_string(self.env)
        labels[target_sheet.KEY_REASON] = self.env._("Reason (locked targets)")
        return labels

    def _build_workbook(self):
        import xlsxwriter  # noqa: PLC0415 (shipped with Odoo, loaded on demand)

        dimension_fields = _dimension_fields(self.env)
        targets_by_metric = self._targets()
        metrics = self.metric_ids or self.env["sales.performance.metric"].union(
            *targets_by_metric
        )
        if not metrics:
            raise UserError(
                self.env._(
                    "There is no monthly target in %(year)s: choose the metrics "
                    "to plan.",
                    year=self.year,
                )
            )
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        amount = workbook.add_format({"num_format": "#,##0.00"})
        note_format = workbook.add_format({"italic": True, "font_color": "#595959"})
        labels = self._labels(dimension_fields)
        note = self.env._(
            "One row per assignee: a salesperson's login (with their team), a "
            "team without salesperson, or neither for the company. Empty cells "
            "change nothing. Active targets change only with a reason."
        )
        names = set()
        for metric in metrics.sorted(lambda m: (m.sequence, m.id)):
            rows = self._sheet_rows(
                targets_by_metric.get(metric, self.env["sales.performance.target"]),
                dimension_fields,
            )
            cells = target_sheet.layout(
                (metric.name, metric.id),
                self.year,
                (self.company_id.name, self.company_id.id),
                labels,
                rows,
                note,
            )
            sheet = workbook.add_worksheet(self._sheet_name(metric, names))
            for row_index, row in enumerate(cells):
                for col_index, value in enumerate(row):
                    if value is None:
                        continue
                    if row_index + 1 >= target_sheet.FIRST_DATA_ROW and isinstance(
                        value, float
                    ):
                        sheet.write_number(row_index, col_index, value, amount)
                    elif isinstance(value, (int, float)):
                        sheet.write_number(row_index, col_index, value)
                    else:
                        cell_format = {
                            target_sheet.ROW_LABELS: header,
                            target_sheet.ROW_NOTE: note_format,
                        }.get(row_index + 1)
                        if row_index + 1 < target_sheet.ROW_NOTE and col_index in (
                            0,
                            2,
                        ):
                            cell_format = bold
                        sheet.write_string(
                            row_index, col_index, str(value), cell_format
                        )
            sheet.set_row(target_sheet.ROW_KEYS - 1, None, None, {"hidden": True})
            first_month = 2 + len(dimension_fields)
            sheet.set_column(0, first_month - 1, 22)
            sheet.set_column(first_month, first_month + 11, 12)
            sheet.set_column(first_month + 12, first_month + 12, 30)
            sheet.freeze_panes(target_sheet.FIRST_DATA_ROW - 1, first_month)
        workbook.close()
        return output.getvalue()

    @staticmethod
    def _sheet_name(metric, names):
        name = "".join(c for c in metric.name if c not in "[]:*?/\\")[:28] or "Metric"
        candidate, counter = name, 2
        while candidate.lower() in names:
            candidate = "%s %s" % (name[:25], counter)
            counter += 1
        names.add(candidate.lower())
        return candidate


class SalesPerformanceTargetImport(models.TransientModel):
    _name = "sales.performance.target.import"
    _description = "Import Targets from Excel"

    file = fields.Binary(required=True, attachment=False)
    file_name = fields.Char()
    state = fields.Selection(
        [("upload", "Upload"), ("checked", "Checked"), ("done", "Imported")],
        default="upload",
        required=True,
    )
    result_html = fields.Html(string="Result", readonly=True)
    created_count = fields.Integer(string="To Create", readonly=True)
    changed_count = fields.Integer(string="To Change", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    problem_count = fields.Integer(string="Problems", readonly=True)

    @api.onchange("file")
    def _onchange_file(self):
        """Another file: check it again before importing."""
        self.state = "upload"
        self.result_html = False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_check(self):
        """Dry run: read and validate the whole file, show what would be
        created and changed (or every problem), save nothing."""
        self.ensure_one()
        plans, problems = self._prepare()
        self._show(plans, problems, done=False)
        return self._reopen()

    def action_import(self):
        """Validate the whole file again and, without a single problem, save
        it: new targets in one create, draft targets written, locked targets
        revised with the row's reason (logged in their chatter)."""
        self.ensure_one()
        plans, problems = self._prepare()
        if problems:
            raise UserError(self._problems_text(problems))
        self._apply(plans)
        self._show(plans, [], done=True)
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Targets"),
        }

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _read_workbook(self):
        """``[(title, rows)]`` of the file's sheets; a clear error for a file
        that is too big, not an .xlsx, or a zip bomb."""
        if not self.file:
            raise UserError(self.env._("Choose the Excel file to import."))
        try:
            content = base64.b64decode(self.file, validate=False)
        except ValueError as error:
            raise UserError(self.env._("The file could not be read.")) from error
        limit_mb = target_sheet.MAX_FILE_BYTES // (1024 * 1024)
        if len(content) > target_sheet.MAX_FILE_BYTES:
            raise UserError(
                self.env._(
                    "The file is too big (%(size)s MB): at most %(limit)s MB.",
                    size=round(len(content) / 1024 / 1024, 1),
                    limit=limit_mb,
                )
            )
        not_xlsx = self.env._(
            "This is not an Excel workbook (.xlsx): export the targets with Export "
            "Targets, fill them in and import that file."
        )
        if self.file_name and not self.file_name.lower().endswith(".xlsx"):
            raise UserError(not_xlsx)
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                unzipped = sum(info.file_size for info in archive.infolist())
                names = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise UserError(not_xlsx) from error
        if "xl/workbook.xml" not in names:
            raise UserError(not_xlsx)
        if unzipped > target_sheet.MAX_UNZIPPED_BYTES:
            raise UserError(
                self.env._(
                    "The workbook holds too much data once unpacked: at most "
                    "%(limit)s MB.",
                    limit=target_sheet.MAX_UNZIPPED_BYTES // (1024 * 1024),
                )
            )
        import openpyxl  # noqa: PLC0415 (a dependency of Odoo, loaded on demand)

        try:
            workbook = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
        except Exception as error:  # noqa: BLE001 (openpyxl raises many kinds)
            raise UserError(not_xlsx) from error
        try:
            sheets = workbook.worksheets
            if len(sheets) > target_sheet.MAX_SHEETS:
                raise UserError(
                    self.env._(
                        "The workbook has %(count)s sheets: at most %(limit)s.",
                        count=len(sheets),
                        limit=target_sheet.MAX_SHEETS,
                    )
                )
            limit = target_sheet.FIRST_DATA_ROW + 2 * target_sheet.MAX_ROWS
            result = []
            for sheet in sheets:
                rows = list(
                    itertools.islice(sheet.iter_rows(values_only=True), limit + 1)
                )
                if len(rows) > limit:
                    raise UserError(
                        self.env._(
                            "Sheet %(sheet)s has more than %(limit)s rows.",
                            sheet=sheet.title,
                            limit=limit,
                        )
                    )
                result.append((sheet.title, rows))
        finally:
            workbook.close()
        return result

    # ------------------------------------------------------------------
    # Resolving names to records
    # ------------------------------------------------------------------
    def _prepare(self):
        """``(plans, problems)``: the plan of each (company, metric, year)
        and every problem of the file, sorted by sheet, row and column."""
        dimension_fields = _dimension_fields(self.env)
        problems = []
        parsed = []
        for title, rows in self._read_workbook():
            sheet = target_sheet.parse_sheet(title, rows, dimension_fields)
            problems += sheet.problems
            parsed.append(sheet)
        if not parsed:
            raise UserError(self.env._("The workbook has no sheet."))
        resolver = _Resolver(self.env, dimension_fields, problems)
        resolver.prefetch_users({ln.salesperson for sh in parsed for ln in sh.lines})
        groups = defaultdict(list)
        for sheet in parsed:
            metric = resolver.metric(sheet)
            company = resolver.company(sheet)
            if not (metric and company and sheet.year):
                continue
            for line in sheet.lines:
                resolved = resolver.line(sheet, line, company)
                if resolved and resolver.supported(sheet, resolved, metric):
                    groups[(company, metric, sheet.year)].append(resolved)
        plans = []
        for (company, metric, year), lines in groups.items():
            existing, covered = self._existing(company, metric, year, dimension_fields)
            plan = target_sheet.plan(lines, existing, covered)
            problems += plan.problems
            plans.append((company, metric, year, plan))
            # a row the user may not set is a problem once it changes something
            for item in plan.creations + plan.changes:
                place = (item.sheet, item.row)
                if place in resolver.denied:
                    column, label = resolver.denied.pop(place)
                    problems.append(
                        target_sheet.Problem(
                            item.sheet,
                            item.row,
                            column,
                            "not_allowed",
                            {"label": label},
                        )
                    )
        return plans, target_sheet.sort_problems(problems)

    def _existing(self, company, metric, year, dimension_fields):
        """The saved targets of a metric in the year, whoever may read them
        (an import must not overlap a target the user cannot see): monthly
        ones ``{(key, month): Existing}``, others ``{key: [(first month,
        last month, name)]}``."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        targets = (
            self.env["sales.performance.target"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("metric_id", "=", metric.id),
                    ("date_from", "<=", last),
                    ("date_to", ">=", first),
                ]
            )
        )
        existing = {}
        covered = defaultdict(list)
        for target in targets:
            key = _target_key(target, dimension_fields)
            month = _monthly_month(target)
            if month and target.date_from.year == year:
                existing[(key, month)] = target_sheet.Existing(
                    target.id, target.target_value, target.state, target.name
                )
            else:
                start = target.date_from.month if target.date_from >= first else 1
                end = target.date_to.month if target.date_to <= last else 12
                covered[key].append((start, end, target.name))
        return existing, covered

    # ------------------------------------------------------------------
    # Saving
    # ------------------------------------------------------------------
    def _apply(self, plans):
        Target = self.env["sales.performance.target"]
        vals_list = []
        for company, metric, year, plan in plans:
            for creation in plan.creations:
                date_from, date_to = target_sheet.month_period(year, creation.month)
                vals_list.append(
                    {
                        "company_id": company.id,
                        "metric_id": metric.id,
                        "date_from": date_from,
                        "date_to": date_to,
                        "target_value": creation.value,
                        **creation.line.create_vals,
                    }
                )
        if vals_list:
            Target.create(vals_list)
        changes = [change for _c, _m, _y, plan in plans for change in plan.changes]
        by_value = defaultdict(list)
        for change in changes:
            if not change.revise:
                by_value[change.new].append(change.target_id)
        for value, ids in by_value.items():
            Target.browse(ids).write({"target_value": value})
        revisions = [change for change in changes if change.revise]
        if revisions:
            wizards = self.env["sales.performance.target.revise"].create(
                [
                    {
                        "target_id": change.target_id,
                        "new_value": change.new,
                        "reason": change.reason,
                    }
                    for change in revisions
                ]
            )
            for wizard in wizards:
                wizard.action_revise()

    # ------------------------------------------------------------------
    # Messages
    # ------------------------------------------------------------------
    def _problem_message(self, problem):
        p = problem.params
        messages = {
            "bad_id": lambda: self.env._(
                "%(value)s is not an id.", value=p.get("value")
            ),
            "metric_missing": lambda: self.env._("The metric is missing."),
            "metric_unknown": lambda: self.env._(
                "Unknown metric %(value)s.", value=p.get("value")
            ),
            "metric_ambiguous": lambda: self.env._(
                "Several metrics are called %(value)s: keep the metric id of the "
                "export.",
                value=p.get("value"),
            ),
            "metric_mismatch": lambda: self.env._(
                "The metric id %(id)s is %(name)s, not %(value)s: wrong metric.",
                id=p.get("id"),
                name=p.get("name"),
                value=p.get("value"),
            ),
            "year_invalid": lambda: self.env._(
                "The year must be a number between 1900 and 9999, not %(value)s.",
                value=p.get("value") or "",
            ),
            "company_unknown": lambda: self.env._(
                "Unknown company %(value)s, or not one of your current companies.",
                value=p.get("value"),
            ),
            "company_mismatch": lambda: self.env._(
                "The company id %(id)s is %(name)s, not %(value)s.",
                id=p.get("id"),
                name=p.get("name"),
                value=p.get("value"),
            ),
            "period_outside_year": lambda: self.env._(
                "The month %(period)s is outside the year %(year)s.",
                period=p.get("period"),
                year=p.get("year"),
            ),
            "unknown_column": lambda: self.env._(
                "Unknown column %(value)s.", value=p.get("value")
            ),
            "duplicate_column": lambda: self.env._(
                "The column %(value)s is already column %(first)s.",
                value=p.get("value"),
                first=p.get("first"),
            ),
            "layout": lambda: self.env._(
                "This is not a target sheet: the hidden row 6 must keep the column "
                "keys of the export (salesperson, team, months)."
            ),
            "too_many_rows": lambda: self.env._(
                "%(count)s rows: at most %(limit)s per sheet.",
                count=p.get("count"),
                limit=p.get("limit"),
            ),
            "not_number": lambda: self.env._(
                "%(value)s is not a number.", value=p.get("value")
            ),
            "not_finite": lambda: self.env._(
                "%(value)s is not a finite number.", value=p.get("value")
            ),
            "negative": lambda: self.env._(
                "%(value)s is negative: a target cannot be negative.",
                value=p.get("value"),
            ),
            "too_large": lambda: self.env._(
                "%(value)s is too large (at most %(limit)s).",
                value=p.get("value"),
                limit=f"{target_sheet.MAX_VALUE:,.0f}",
            ),
            "reason_too_long": lambda: self.env._(
                "The reason is longer than %(limit)s characters.", limit=p.get("limit")
            ),
            "cell_outside_columns": lambda: self.env._(
                "A value in a column that is not part of the layout."
            ),
            "salesperson_unknown": lambda: self.env._(
                "Unknown salesperson %(value)s (their login is expected).",
                value=p.get("value"),
            ),
            "salesperson_company": lambda: self.env._(
                "%(value)s does not work for %(company)s.",
                value=p.get("value"),
                company=p.get("company"),
            ),
            "team_unknown": lambda: self.env._(
                "Unknown sales team %(value)s in %(company)s.",
                value=p.get("value"),
                company=p.get("company"),
            ),
            "team_ambiguous": lambda: self.env._(
                "Several sales teams are called %(value)s.", value=p.get("value")
            ),
            "not_member": lambda: self.env._(
                "%(user)s is not a member of the sales team %(team)s.",
                user=p.get("user"),
                team=p.get("team"),
            ),
            "dimension_unknown": lambda: self.env._(
                "Unknown %(field)s %(value)s.",
                field=p.get("field"),
                value=p.get("value"),
            ),
            "dimension_ambiguous": lambda: self.env._(
                "Several records match %(field)s %(value)s.",
                field=p.get("field"),
                value=p.get("value"),
            ),
            "dimension_unsupported": lambda: self.env._(
                "The metric %(metric)s cannot be narrowed by %(field)s.",
                metric=p.get("metric"),
                field=p.get("field"),
            ),
            "not_allowed": lambda: self.env._(
                "You may not set the targets of %(label)s: only a sales manager, "
                "or the leader of the salesperson's team for the team's members.",
                label=p.get("label"),
            ),
            "duplicate_row": lambda: self.env._(
                "%(label)s already has row %(first)s.",
                label=p.get("label"),
                first=p.get("first"),
            ),
            "covered": lambda: self.env._(
                "%(target)s already covers this month: a monthly target would "
                "overlap it.",
                target=p.get("target"),
            ),
            "closed": lambda: self.env._(
                "%(target)s is closed: its value %(old)s cannot become %(new)s.",
                target=p.get("target"),
                old=p.get("old"),
                new=p.get("new"),
            ),
            "locked_no_reason": lambda: self.env._(
                "%(target)s is locked: changing %(old)s to %(new)s needs a reason in "
                "the Reason column.",
                target=p.get("target"),
                old=p.get("old"),
                new=p.get("new"),
            ),
        }
        message = messages.get(problem.code)
        return message() if message else problem.code

    def _problem_place(self, problem):
        if not problem.row:
            return self.env._("Sheet %(sheet)s", sheet=problem.sheet)
        if not problem.column:
            return self.env._(
                "Sheet %(sheet)s, row %(row)s", sheet=problem.sheet, row=problem.row
            )
        return self.env._(
            "Sheet %(sheet)s, row %(row)s, column %(column)s",
            sheet=problem.sheet,
            row=problem.row,
            column=problem.column,
        )

    def _problems_text(self, problems):
        lines = [
            "%s: %s" % (self._problem_place(p), self._problem_message(p))
            for p in problems[:MAX_LISTED]
        ]
        if len(problems) > MAX_LISTED:
            lines.append(
                self.env._("... and %(count)s more.", count=len(problems) - MAX_LISTED)
            )
        return "\n".join(
            [
                self.env._(
                    "Nothing was imported: the file has %(count)s problem(s).",
                    count=len(problems),
                )
            ]
            + lines
        )

    def _show(self, plans, problems, done):
        creations = [(y, c) for _co, _m, y, plan in plans for c in plan.creations]
        changes = [c for _co, _m, _y, plan in plans for c in plan.changes]
        unchanged = sum(plan.unchanged for _co, _m, _y, plan in plans)
        html = Markup()
        if problems:
            html += Markup("<p><strong>%s</strong></p><ul>") % self.env._(
                "Nothing can be imported: %(count)s problem(s).", count=len(problems)
            )
            for problem in problems[:MAX_LISTED]:
                html += Markup("<li>%s: %s</li>") % (
                    self._problem_place(problem),
                    self._problem_message(problem),
                )
            html += Markup("</ul>")
        else:
            title = (
                self.env._("Imported.")
                if done
                else self.env._("Dry run: nothing was saved yet.")
            )
            html += Markup("<p><strong>%s</strong> %s</p>") % (
                title,
                self.env._(
                    "%(created)s target(s) created, %(changed)s changed, "
                    "%(unchanged)s unchanged.",
                    created=len(creations),
                    changed=len(changes),
                    unchanged=unchanged,
                ),
            )
            html += self._html_table(
                [
                    self.env._("Target"),
                    self.env._("Before"),
                    self.env._("After"),
                    self.env._("Reason"),
                ],
                [
                    (c.name, c.old, c.new, c.reason if c.revise else "")
                    for c in changes[:MAX_LISTED]
                ],
            )
            html += self._html_table(
                [self.env._("New target"), self.env._("Month"), self.env._("Value")],
                [
                    (
                        "%s · %s" % (c.line.label, c.line.sheet),
                        target_sheet.month_key(year, c.month),
                        c.value,
                    )
                    for year, c in creations[:MAX_LISTED]
                ],
            )
        self.write(
            {
                "state": "done" if done else "checked",
                "result_html": html,
                "created_count": len(creations),
                "changed_count": len(changes),
                "unchanged_count": unchanged,
                "problem_count": len(problems),
            }
        )

    @staticmethod
    def _html_table(header, rows):
        if not rows:
            return Markup()
        html = Markup('<table class="table table-sm o_main_table"><thead><tr>')
        for label in header:
            html += Markup("<th>%s</th>") % label
        html += Markup("</tr></thead><tbody>")
        for row in rows:
            html += Markup("<tr>")
            for value in row:
                html += Markup("<td>%s</td>") % (
                    f"{value:,.2f}" if isinstance(value, float) else value
                )
            html += Markup("</tr>")
        return html + Markup("</tbody></table>")


class _Resolver:
    """Turns the names of the sheets into records, with the problems of the
    names that do not resolve and of the rows the user may not set."""

    def __init__(self, env, dimension_fields, problems):
        self.env = env
        self.dimension_fields = dimension_fields
        self.problems = problems
        self.is_manager = env.user.has_group(MANAGER_GROUP) or env.su
        self._users = {}
        self._teams = {}
        self._dims = {}
        # {(sheet, row): (column, label)} of the rows the user may not set
        self.denied = {}

    def problem(self, sheet, row, column, code, **params):
        self.problems.append(
            target_sheet.Problem(sheet.title, row, column, code, params)
        )

    def metric(self, sheet):
        Metric = self.env["sales.performance.metric"]
        if sheet.metric_id is not None:
            metric = Metric.browse(sheet.metric_id).exists()
            if not metric or not metric.active:
                self.problem(
                    sheet,
                    target_sheet.ROW_METRIC,
                    "D",
                    "metric_unknown",
                    value=sheet.metric_id,
                )
                return None
            names = {
                metric.name,
                metric.with_context(lang="en_US").name,
            }
            if sheet.metric_name and sheet.metric_name not in names:
                self.problem(
                    sheet,
                    target_sheet.ROW_METRIC,
                    "B",
                    "metric_mismatch",
                    id=metric.id,
                    name=metric.name,
                    value=sheet.metric_name,
                )
                return None
            return metric
        if not sheet.metric_name:
            return None  # reported by the parser
        metric = Metric.search([("name", "=", sheet.metric_name)])
        if len(metric) != 1:
            self.problem(
                sheet,
                target_sheet.ROW_METRIC,
                "B",
                "metric_ambiguous" if metric else "metric_unknown",
                value=sheet.metric_name,
            )
            return None
        return metric

    def company(self, sheet):
        companies = self.env.companies
        if sheet.company_id is not None:
            company = companies.filtered(lambda c: c.id == sheet.company_id)
            if not company:
                self.problem(
                    sheet,
                    target_sheet.ROW_COMPANY,
                    "D",
                    "company_unknown",
                    value=sheet.company_id,
                )
                return None
            if sheet.company_name and sheet.company_name != company.name:
                self.problem(
                    sheet,
                    target_sheet.ROW_COMPANY,
                    "B",
                    "company_mismatch",
                    id=company.id,
                    name=company.name,
                    value=sheet.company_name,
                )
                return None
            return company
        company = companies.filtered(lambda c: c.name == sheet.company_name)
        if len(company) != 1:
            self.problem(
                sheet,
                target_sheet.ROW_COMPANY,
                "B",
                "company_unknown",
                value=sheet.company_name or "",
            )
            return None
        return company

    def prefetch_users(self, logins):
        """Look the salespeople of the whole file up with one query."""
        logins = [login for login in logins if login]
        if not logins:
            return
        users = (
            self.env["res.users"]
            .sudo()
            .search([("login", "in", logins), ("share", "=", False)])
        )
        users.fetch(["login", "name", "company_ids"])
        self._users.update({user.login: user for user in users})

    def _user(self, login):
        if login not in self._users:
            Users = self.env["res.users"].sudo()
            user = Users.search([("login", "=", login), ("share", "=", False)], limit=1)
            if not user:
                user = Users.search(
                    [("login", "=ilike", login), ("share", "=", False)], limit=2
                )
                user = user if len(user) == 1 else Users
            self._users[login] = user
        return self._users[login]

    def _team(self, name, company):
        if (name, company) not in self._teams:
            self._teams[(name, company)] = (
                self.env["crm.team"]
                .sudo()
                .search(
                    [("name", "=", name), ("company_id", "in", [company.id, False])],
                    limit=2,
                )
            )
        return self._teams[(name, company)]

    def _dimension(self, name, text):
        """The value of a dimension field for ``text``: a record id, a
        selection key, or ``(None, code)``."""
        if (name, text) in self._dims:
            return self._dims[(name, text)]
        field = self.env["sales.performance.target"]._fields[name]
        if field.type == "many2one":
            Model = self.env[field.comodel_name].sudo().with_context(active_test=False)
            candidates = Model.search([("display_name", "ilike", text)], limit=50)
            exact = candidates.filtered(lambda r: r.display_name == text)
            if not exact:
                exact = candidates.filtered(
                    lambda r: (r.display_name or "").casefold() == text.casefold()
                )
            if "code" in Model._fields and not exact:
                exact = Model.search([("code", "=ilike", text)], limit=2)
            result = (
                (exact.id, None)
                if len(exact) == 1
                else (None, "dimension_ambiguous" if exact else "dimension_unknown")
            )
        else:
            selection = field._description_selection(self.env)
            keys = [
                key
                for key, label in selection
                if text.casefold() in (str(key).casefold(), str(label).casefold())
            ]
            result = (keys[0], None) if len(keys) == 1 else (None, "dimension_unknown")
        self._dims[(name, text)] = result
        return result

    def _line_dimensions(self, sheet, line):
        """``{field: value}`` of the row's dimensions (False when empty), or
        None when one does not resolve (the problem is recorded)."""
        dims = {}
        ok = True
        for name in self.dimension_fields:
            text = line.dimensions.get(name)
            if not text:
                dims[name] = False
                continue
            value, code = self._dimension(name, text)
            if code:
                field = self.env["sales.performance.target"]._fields[name]
                self.problem(
                    sheet,
                    line.row,
                    sheet.columns[name],
                    code,
                    field=field._description_string(self.env),
                    value=text,
                )
                ok = False
            dims[name] = value
        return dims if ok else None

    def supported(self, sheet, line, metric):
        """False (with a problem per dimension) when the row narrows the
        metric by a dimension the metric cannot apply."""
        if not hasattr(metric, "_dimension_paths"):
            return True
        paths = metric.sudo()._dimension_paths()
        Target = self.env["sales.performance.target"]
        unsupported = [
            name
            for name in self.dimension_fields
            if line.create_vals.get(name) and name not in paths
        ]
        for name in unsupported:
            self.problem(
                sheet,
                line.row,
                sheet.columns[name],
                "dimension_unsupported",
                field=Target._fields[name]._description_string(self.env),
                metric=metric.name,
            )
        return not unsupported

    def line(self, sheet, line, company):
        """A ``ResolvedLine``, or None when a name does not resolve or the
        user may not set the row's targets (the problems are recorded)."""
        cols = sheet.columns
        ok = True
        user = self.env["res.users"]
        team = self.env["crm.team"]
        if line.salesperson:
            user = self._user(line.salesperson)
            if not user:
                self.problem(
                    sheet,
                    line.row,
                    cols[target_sheet.KEY_SALESPERSON],
                    "salesperson_unknown",
                    value=line.salesperson,
                )
                ok = False
            elif company not in user.company_ids:
                self.problem(
                    sheet,
                    line.row,
                    cols[target_sheet.KEY_SALESPERSON],
                    "salesperson_company",
                    value=user.name,
                    company=company.name,
                )
                ok = False
        if line.team:
            team = self._team(line.team, company)
            if len(team) != 1:
                self.problem(
                    sheet,
                    line.row,
                    cols[target_sheet.KEY_TEAM],
                    "team_ambiguous" if team else "team_unknown",
                    value=line.team,
                    company=company.name,
                )
                ok = False
            elif user and user not in team.member_ids and user != team.user_id:
                self.problem(
                    sheet,
                    line.row,
                    cols[target_sheet.KEY_TEAM],
                    "not_member",
                    user=user.name,
                    team=team.name,
                )
                ok = False
        dims = self._line_dimensions(sheet, line)
        ok = ok and dims is not None
        if not ok:
            return None
        label = user.name or team.name or company.name
        texts = [line.dimensions[n] for n in self.dimension_fields if dims.get(n)]
        if texts:
            label = "%s (%s)" % (label, ", ".join(texts))
        assignee_column = cols[
            target_sheet.KEY_SALESPERSON if user or not team else target_sheet.KEY_TEAM
        ]
        if not self.is_manager and not (
            user and self.env.user._sales_performance_leads(user, team)
        ):
            self.denied[(sheet.title, line.row)] = (assignee_column, label)
        dims_key = tuple(dims[name] for name in self.dimension_fields)
        if user:
            key = ("user", user.id, dims_key)
        elif team:
            key = ("team", team.id, dims_key)
        else:
            key = ("company", dims_key)
        create_vals = {name: value for name, value in dims.items() if value}
        if user:
            create_vals["user_id"] = user.id
        if team:
            create_vals["team_id"] = team.id
        return target_sheet.ResolvedLine(
            sheet.title,
            line.row,
            assignee_column,
            key,
            line.values,
            line.reason,
            create_vals,
            label,
        )
