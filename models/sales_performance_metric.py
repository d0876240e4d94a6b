from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

SUMMABLE_TYPES = ("integer", "float", "monetary")


class SalesPerformanceMetric(models.Model):
    _name = "sales.performance.metric"
    _description = "Sales Performance Metric"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    model_id = fields.Many2one(
        "ir.model",
        string="Source Model",
        required=True,
        ondelete="cascade",
        domain=[("transient", "=", False)],
        help="The records this metric counts or sums.",
    )
    model_name = fields.Char(related="model_id.model", store=True, string="Model Name")
    computation = fields.Selection(
        [
            ("count", "Count records"),
            ("sum", "Sum a field"),
            ("first", "Count first records per key"),
        ],
        default="count",
        required=True,
        help="Count records: how many records match in the period.\n"
        "Sum a field: the total of a numeric or monetary field, converted to the "
        "company currency.\n"
        "Count first records per key: how many keys (e.g. customers) have their "
        "first matching record in the period.",
    )
    domain = fields.Char(
        default="[]",
        required=True,
        help="Which records count, as an Odoo domain on the source model.",
    )
    date_field_id = fields.Many2one(
        "ir.model.fields",
        required=True,
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime')), "
        "('store', '=', True)]",
    )
    user_field_id = fields.Many2one(
        "ir.model.fields",
        string="Salesperson Field",
        required=True,
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), "
        "('relation', '=', 'res.users'), ('store', '=', True)]",
    )
    team_field_id = fields.Many2one(
        "ir.model.fields",
        string="Sales Team Field",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), "
        "('relation', '=', 'crm.team'), ('store', '=', True)]",
        help="Without it, a team achieves what its members achieve.",
    )
    sum_field_id = fields.Many2one(
        "ir.model.fields",
        string="Summed Field",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), "
        "('ttype', 'in', ('integer', 'float', 'monetary')), ('store', '=', True)]",
    )
    key_field_id = fields.Many2one(
        "ir.model.fields",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), "
        "('store', '=', True)]",
        help="For 'first records per key': the record that identifies a key, e.g. "
        "the customer of an order (contacts count as their company).",
    )
    value_type = fields.Selection(
        [("monetary", "Amount"), ("number", "Number")],
        compute="_compute_value_type",
        store=True,
    )
    pipeline_forecast = fields.Boolean(
        string="Forecast with Pipeline",
        help="Forecast achieved value plus open opportunities weighted by their "
        "probability and expected closing date (metrics on opportunities only).",
    )
    target_count = fields.Integer(compute="_compute_target_count")

    @api.depends("computation", "sum_field_id.ttype")
    def _compute_value_type(self):
        for metric in self:
            is_amount = (
                metric.computation == "sum" and metric.sum_field_id.ttype == "monetary"
            )
            metric.value_type = "monetary" if is_amount else "number"

    def _compute_target_count(self):
        counts = dict(
            self.env["sales.performance.target"]._read_group(
                [("metric_id", "in", self.ids)], ["metric_id"], ["__count"]
            )
        )
        for metric in self:
            metric.target_count = counts.get(metric, 0)

    @api.constrains(
        "model_id",
        "computation",
        "domain",
        "date_field_id",
        "user_field_id",
        "team_field_id",
        "sum_field_id",
        "key_field_id",
        "pipeline_forecast",
    )
    def _check_definition(self):
        for metric in self:
            metric._validate_definition()

    def _validate_definition(self):
        self.ensure_one()
        model_name = self.model_id.model
        if model_name not in self.env:
            raise ValidationError(
                self.env._("The model %(model)s is not installed.", model=model_name)
            )
        fields_to_check = [
            (self.date_field_id, self.env._("date field")),
            (self.user_field_id, self.env._("salesperson field")),
            (self.team_field_id, self.env._("sales team field")),
            (self.sum_field_id, self.env._("summed field")),
            (self.key_field_id, self.env._("key field")),
        ]
        Model = self.env[model_name]
        for field, label in fields_to_check:
            if field and (field.model != model_name or field.name not in Model._fields):
                raise ValidationError(
                    self.env._(
                        "The %(label)s %(field)s is not a field of %(model)s.",
                        label=label,
                        field=field.name,
                        model=model_name,
                    )
                )
            if field and not Model._fields[field.name].store:
                raise ValidationError(
                    self.env._(
                        "The %(label)s %(field)s is not stored in the database.",
                        label=label,
                        field=field.name,
                    )
                )
        if self.date_field_id.ttype not in ("date", "datetime"):
            raise ValidationError(
                self.env._(
                    "The date field %(field)s is not a date.",
                    field=self.date_field_id.name,
                )
            )
        if self.user_field_id.relation != "res.users":
            raise ValidationError(
                self.env._(
                    "The salesperson field %(field)s does not point to users.",
                    field=self.user_field_id.name,
                )
            )
        if self.team_field_id and self.team_field_id.relation != "crm.team":
            raise ValidationError(
                self.env._(
                    "The sales team field %(field)s does not point to sales teams.",
                    field=self.team_field_id.name,
                )
            )
        if self.computation == "sum" and self.sum_field_id.ttype not in SUMMABLE_TYPES:
            raise ValidationError(
                self.env._(
                    "A metric that sums needs a numeric or monetary field to sum; "
                    "%(field)s cannot be summed.",
                    field=self.sum_field_id.name or "-",
                )
            )
        if self.computation == "first" and self.key_field_id.ttype != "many2one":
            raise ValidationError(
                self.env._(
                    "A metric counting first records needs a key field (a many2one)."
                )
            )
        if self.pipeline_forecast and model_name != "crm.lead":
            raise ValidationError(
                self.env._(
                    "Only metrics on opportunities can forecast with the pipeline."
                )
            )
        try:
            domain = Domain(self._parse_domain())
            Model.sudo().with_context(active_test=False)._search(domain)
        except (ValueError, SyntaxError, NameError, TypeError, KeyError) as error:
            raise ValidationError(
                self.env._(
                    "The domain of metric %(metric)s is not valid: %(error)s",
                    metric=self.name,
                    error=error,
                )
            ) from error

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    def _parse_domain(self):
        self.ensure_one()
        return list(self._parse_domain_text(self.domain or "[]"))

    @tools.ormcache("text")
    def _parse_domain_text(self, text):
        """The domain written in ``text``, evaluated once per text (safe_eval
        checks the bytecode each time, which costs more than the query)."""
        domain = safe_eval(text, {"context": {}})
        if not isinstance(domain, (list, tuple)):
            raise ValueError(self.env._("a domain is a list of conditions"))
        return tuple(domain)

    @staticmethod
    def _utc_bounds(date_from, date_to, tz_name):
        """Naive UTC datetimes bounding ``[date_from, date_to]`` whole days in
        the time zone ``tz_name``: ``>= start`` and ``< end``."""
        tz = pytz.timezone(tz_name or "UTC")
        start = tz.localize(datetime.combine(date_from, time.min))
        end = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.UTC).replace(tzinfo=None),
            end.astimezone(pytz.UTC).replace(tzinfo=None),
        )

    def _period_domain(self, date_from, date_to, tz_name):
        self.ensure_one()
        fname = self.date_field_id.name
        if self.date_field_id.ttype == "datetime":
            start, end = self._utc_bounds(date_from, date_to, tz_name)
            return Domain(fname, ">=", start) & Domain(fname, "<", end)
        return Domain(fname, ">=", date_from) & Domain(fname, "<=", date_to)

    def _source_model(self):
        return self.env[self.model_name].sudo().with_context(active_test=False)

    def _company_sql(self, Model, query, user_sql):
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            return Model._field_to_sql(query.table, "company_id", query)
        # no company on the record: it belongs to its salesperson's company
        # (one join, not a subquery per record)
        query.add_join(
            "LEFT JOIN",
            "sp_user",
            "res_users",
            SQL("%s = %s", SQL.identifier("sp_user", "id"), user_sql),
        )
        return SQL.identifier("sp_user", "company_id")

    def _credit_sql(self, Model, query):
        """SQL of the salesperson, team and company a record is credited to."""
        user_sql = Model._field_to_sql(query.table, self.user_field_id.name, query)
        team_sql = (
            Model._field_to_sql(query.table, self.team_field_id.name, query)
            if self.team_field_id
            else SQL("NULL::int")
        )
        return user_sql, team_sql, self._company_sql(Model, query, user_sql)

    def _key_sql(self, Model, query):
        """SQL of the key of 'first records' metrics: a contact counts as its
        company (joined once, not a subquery per record)."""
        key_sql = Model._field_to_sql(query.table, self.key_field_id.name, query)
        if self.key_field_id.relation != "res.partner":
            return key_sql
        alias = query.make_alias(query.table, "sp_first_key")
        query.add_join(
            "LEFT JOIN",
            alias,
            "res_partner",
            SQL("%s = %s", SQL.identifier(alias, "id"), key_sql),
        )
        return SQL(
            "COALESCE(%s, %s)", SQL.identifier(alias, "commercial_partner_id"), key_sql
        )

    def _amount_sql(self, Model, query, company_sql):
        """SQL of the summed value, converted to the record company's currency
        at the record's date when the field is an amount in another currency
        (Odoo's rate rules: the company's own rate first, the oldest one before
        the first rate)."""
        field = Model._fields[self.sum_field_id.name]
        amount = Model._field_to_sql(query.table, field.name, query)
        currency_fname = field.type == "monetary" and field.get_currency_field(Model)
        currency_field = currency_fname and Model._fields.get(currency_fname)
        if not currency_field or not currency_field.store:
            return SQL("COALESCE(%s, 0)", amount)
        currency = Model._field_to_sql(query.table, currency_fname, query)
        day = SQL(
            "(%s)::date",
            Model._field_to_sql(query.table, self.date_field_id.name, query),
        )
        # the record's company, joined once (not a subquery per record)
        query.add_join(
            "LEFT JOIN",
            "sp_company",
            "res_company",
            SQL("%s = %s", SQL.identifier("sp_company", "id"), company_sql),
        )
        company_currency = SQL.identifier("sp_company", "currency_id")
        root = SQL(
            "split_part(%s, '/', 1)::int", SQL.identifier("sp_company", "parent_path")
        )

        def rate(currency_sql):
            return SQL(
                "COALESCE("
                "(SELECT r.rate FROM res_currency_rate r WHERE r.currency_id = %(cur)s "
                "AND r.name <= %(day)s "
                "AND (r.company_id IS NULL OR r.company_id = %(root)s) "
                "ORDER BY r.company_id, r.name DESC LIMIT 1), "
                "(SELECT r.rate FROM res_currency_rate r WHERE r.currency_id = %(cur)s "
                "AND (r.company_id IS NULL OR r.company_id = %(root)s) "
                "ORDER BY r.company_id, r.name ASC LIMIT 1), 1.0)",
                cur=currency_sql,
                day=day,
                root=root,
            )

        return SQL(
            "CASE WHEN %(cur)s IS NULL OR %(cur)s = %(ccur)s "
            "THEN COALESCE(%(amount)s, 0) "
            "ELSE COALESCE(%(amount)s, 0) * %(to_rate)s / NULLIF(%(from_rate)s, 0) END",
            cur=currency,
            ccur=company_currency,
            amount=amount,
            to_rate=rate(company_currency),
            from_rate=rate(currency),
        )

    def _compute_values(self, date_from, date_to, tz_name, company_ids):
        """Achievement of this metric in ``[date_from, date_to]`` for every
        salesperson and team at once: one SQL query.

        :return: ``{(company_id, user_id, team_id): value}``; user_id or
            team_id may be None for records without one.
        """
        period = (date_from, date_to)
        return self._compute_values_multi([period], tz_name, company_ids)[period]

    def _period_bounds(self, date_from, date_to, tz_name):
        """``[start, stop)`` of the period on the date field: naive UTC
        datetimes for a datetime field, dates for a date field."""
        if self.date_field_id.ttype == "datetime":
            return self._utc_bounds(date_from, date_to, tz_name)
        return date_from, date_to + timedelta(days=1)

    def _compute_values_multi(self, periods, tz_name, company_ids):
        """Achievement of this metric in each of ``periods`` (``[(date_from,
        date_to)]``, days counted in ``tz_name``) for every salesperson and team
        at once: one SQL query for all the periods (records are matched to the
        periods by a join on a VALUES list, so overlapping periods work).

        :return: ``{(date_from, date_to): {(company_id, user_id, team_id): value}}``
        """
        self.ensure_one()
        periods = list(dict.fromkeys(periods))
        result = {period: {} for period in periods}
        if not periods:
            return result
        Model = self._source_model()
        base_domain = Domain(self._parse_domain())
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            base_domain &= Domain("company_id", "in", list(company_ids))
        bounds = [self._period_bounds(df, dt, tz_name) for df, dt in periods]
        periods_sql = SQL(", ").join(
            SQL("(%s, %s, %s)", index, start, stop)
            for index, (start, stop) in enumerate(bounds)
        )
        if self.computation == "first":
            rows = self._compute_first_values(Model, base_domain, periods_sql)
        else:
            fname = self.date_field_id.name
            span = Domain(fname, ">=", min(b[0] for b in bounds)) & Domain(
                fname, "<", max(b[1] for b in bounds)
            )
            query = Model._search(base_domain & span)
            user_sql, team_sql, company_sql = self._credit_sql(Model, query)
            if self.computation == "sum":
                value_sql = SQL("SUM(%s)", self._amount_sql(Model, query, company_sql))
            else:
                value_sql = SQL("COUNT(*)")
            date_sql = Model._field_to_sql(query.table, fname, query)
            order = sorted(range(len(bounds)), key=lambda i: bounds[i])
            disjoint = all(
                bounds[i][1] <= bounds[j][0]
                for i, j in zip(order, order[1:], strict=False)
            )
            if disjoint:
                # periods that do not overlap (the usual case): each record's
                # period is found by a binary search on their starts, not by
                # joining every record with every period
                starts = [bounds[i][0] for i in order]
                stops = [bounds[i][1] for i in order]
                bucket = SQL("width_bucket(%s, %s)", date_sql, starts)
                period_sql = SQL("(%s)[%s]", [*order], bucket)
                join_sql = SQL()
                where_sql = SQL("%s < (%s)[%s]", date_sql, stops, bucket)
            else:
                period_sql = SQL("p.idx")
                join_sql = SQL(
                    " JOIN (VALUES %s) AS p(idx, start, stop)"
                    " ON %s >= p.start AND %s < p.stop",
                    periods_sql,
                    date_sql,
                    date_sql,
                )
                where_sql = SQL("TRUE")
            rows = self.env.execute_query(
                SQL(
                    "SELECT %(period)s, %(company)s, %(user)s, %(team)s, %(value)s"
                    " FROM %(from)s%(join)s"
                    " WHERE %(where)s AND %(in_period)s GROUP BY 1, 2, 3, 4",
                    period=period_sql,
                    company=company_sql,
                    user=user_sql,
                    team=team_sql,
                    value=value_sql,
                    join=join_sql,
                    in_period=where_sql,
                    **{
                        "from": query.from_clause,
                        "where": query.where_clause or SQL("TRUE"),
                    },
                )
            )
        for index, company, user, team, value in rows:
            if company in company_ids:
                result[periods[index]][(company, user, team)] = float(value or 0.0)
        return result

    def _compute_first_values(self, Model, base_domain, periods_sql):
        """Keys whose first matching record (by date) falls in each period,
        credited to that first record's salesperson and team: rows
        ``(period index, company_id, user_id, team_id, count)``. The first
        records are found once for all the periods."""
        query = Model._search(base_domain)
        user_sql, team_sql, company_sql = self._credit_sql(Model, query)
        date_sql = Model._field_to_sql(query.table, self.date_field_id.name, query)
        key_sql = self._key_sql(Model, query)
        id_sql = SQL.identifier(query.table, "id")
        sql = SQL(
            "SELECT p.idx, first.company_id, first.user_id, first.team_id, COUNT(*) "
            "FROM ("
            " SELECT DISTINCT ON (%(company)s, %(key)s) %(company)s AS company_id,"
            " %(user)s AS user_id, %(team)s AS team_id, %(day)s AS day"
            " FROM %(from)s WHERE %(where)s"
            " AND %(key)s IS NOT NULL AND %(day)s IS NOT NULL"
            " ORDER BY %(company)s, %(key)s, %(day)s, %(id)s"
            ") AS first"
            " JOIN (VALUES %(periods)s) AS p(idx, start, stop)"
            " ON first.day >= p.start AND first.day < p.stop"
            " GROUP BY 1, 2, 3, 4",
            company=company_sql,
            key=key_sql,
            user=user_sql,
            team=team_sql,
            day=date_sql,
            id=id_sql,
            **{"from": query.from_clause, "where": query.where_clause or SQL("TRUE")},
            periods=periods_sql,
        )
        return self.env.execute_query(sql)

    def _compute_pipeline(self, date_from, date_to, today, company_ids):
        """Open opportunities expected to close in what is left of the period,
        weighted by probability: ``{(company_id, user_id, team_id): value}``."""
        self.ensure_one()
        Lead = self.env["crm.lead"].sudo()
        domain = Domain.AND(
            [
                Domain("type", "=", "opportunity"),
                Domain("active", "=", True),
                Domain("won_status", "=", "pending"),
                Domain("company_id", "in", list(company_ids)),
                Domain("date_deadline", ">=", max(today, date_from)),
                Domain("date_deadline", "<=", date_to),
            ]
        )
        weighted = (
            "expected_revenue"
            if self.computation == "sum"
            and self.sum_field_id.name == "expected_revenue"
            else None
        )
        aggregates = ["probability:sum"]
        if weighted:
            aggregates = ["prorated_revenue:sum"]
        groups = Lead._read_group(
            domain, ["company_id", "user_id", "team_id"], aggregates
        )
        result = defaultdict(float)
        for company, user, team, total in groups:
            value = total if weighted else total / 100.0
            result[(company.id, user.id or None, team.id or None)] += value
        return dict(result)

    def _source_domain(self, target):
        """Domain of the records that make up ``target``'s achievement."""
        self.ensure_one()
        tz_name = target._get_tz()
        Model = self._source_model()
        domain = Domain(self._parse_domain()) & self._period_domain(
            target.date_from, target.date_to, tz_name
        )
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            domain &= Domain("company_id", "=", target.company_id.id)
        if target.user_id:
            domain &= Domain(self.user_field_id.name, "=", target.user_id.id)
        elif target.team_id:
            if self.team_field_id:
                domain &= Domain(self.team_field_id.name, "=", target.team_id.id)
            else:
                domain &= Domain(
                    self.user_field_id.name, "in", target.team_id.member_ids.ids
                )
        if self.computation == "first":
            ids = self._first_record_ids(Model, domain, target)
            return Domain("id", "in", ids)
        return domain

    def _action_view_sources(self, target, name):
        """The window action listing the records behind ``target`` (a target,
        or a new record standing for one), titled after ``name``."""
        self.ensure_one()
        metric = self.sudo()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(metric)s: %(name)s", metric=metric.name, name=name),
            "res_model": metric.model_name,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": list(Domain(metric._source_domain(target))),
            "context": {"active_test": False, "create": False},
        }

    def _first_record_ids(self, Model, domain, target):
        """Ids of the records that are the first of their key (used for the
        drill-down of 'first records' metrics; one query)."""
        base = Domain(self._parse_domain())
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            base &= Domain("company_id", "=", target.company_id.id)
        query = Model._search(base)
        key_sql = self._key_sql(Model, query)
        date_sql = Model._field_to_sql(query.table, self.date_field_id.name, query)
        id_sql = SQL.identifier(query.table, "id")
        sql = SQL(
            "SELECT DISTINCT ON (%(key)s) %(id)s FROM %(from)s WHERE %(where)s "
            "AND %(key)s IS NOT NULL AND %(day)s IS NOT NULL "
            "ORDER BY %(key)s, %(day)s, %(id)s",
            key=key_sql,
            id=id_sql,
            day=date_sql,
            **{"from": query.from_clause, "where": query.where_clause or SQL("TRUE")},
        )
        first_ids = [row[0] for row in self.env.execute_query(sql)]
        return Model.search(Domain("id", "in", first_ids) & domain).ids
