import json
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..engine import dimensions, figures
from . import bulk
from .res_partner import SEGMENT_SELECTION
from .sales_performance_credit_split import SPLIT_MODELS

SUMMABLE_TYPES = ("integer", "float", "monetary")
# 'first records per key' over at most this span: their keys' history is
# read by the keys' ids (see _compute_first_values)
FEW_KEYS_SPAN = timedelta(days=31)
SEGMENT_VALUES = {value for value, _label in SEGMENT_SELECTION}
# the lists of source documents that show the credited share
CREDITED_LIST_VIEWS = {
    "crm.lead": "sales_performance.crm_lead_view_list_credited",
    "sale.order": "sales_performance.sale_order_view_list_credited",
    "account.move": "sales_performance.account_move_view_list_credited",
    "sales.performance.collection": (
        "sales_performance.sales_performance_collection_view_list"
    ),
    "survey.user_input": "sales_performance.survey_user_input_view_list_credited",
}
# their forms, where the source model's own form shows what the assignee may
# not read (a survey answer's lines)
CREDITED_FORM_VIEWS = {
    "survey.user_input": "sales_performance.survey_user_input_view_form_csat",
}


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
            ("average", "Average a field"),
        ],
        default="count",
        required=True,
        help="Count records: how many records match in the period.\n"
        "Sum a field: the total of a numeric or monetary field, converted to the "
        "company currency.\n"
        "Count first records per key: how many keys (e.g. customers) have their "
        "first matching record in the period.\n"
        "Average a field: the average of a numeric field over the records credited "
        "in the period, each weighted by its credited share; targets on it compare "
        "averages (a team's is the average over its members' records).",
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
        domain="[('model', '=', field_model), ('ttype', 'in', ('date', 'datetime')), "
        "('store', '=', True)]",
    )
    user_field_id = fields.Many2one(
        "ir.model.fields",
        string="Salesperson Field",
        required=True,
        ondelete="cascade",
        domain="[('model', '=', field_model), ('ttype', '=', 'many2one'), "
        "('relation', '=', 'res.users'), ('store', '=', True)]",
    )
    team_field_id = fields.Many2one(
        "ir.model.fields",
        string="Sales Team Field",
        ondelete="cascade",
        domain="[('model', '=', field_model), ('ttype', '=', 'many2one'), "
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
        domain="[('model', '=', field_model), ('ttype', '=', 'many2one'), "
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
    collected_untaxed = fields.Boolean(
        string="Untaxed Share of Collections",
        help="For metrics on collections: count the untaxed share of each "
        "collection (collection × untaxed ÷ total of the invoice), as commissions "
        "usually do.",
    )
    document_field_id = fields.Many2one(
        "ir.model.fields",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one'), "
        "('store', '=', True)]",
        help="For metrics on lines (order lines, invoice lines): the document "
        "each line belongs to. The date, salesperson, team and key fields are "
        "then the document's, and a line is credited like its document (credit "
        "splits included).",
    )
    field_model = fields.Char(
        compute="_compute_field_model",
        help="The model of the date, salesperson, team and key fields.",
    )
    sum_negated = fields.Boolean(
        string="Sum the Opposite",
        help="Sum the opposite of the field: journal items book income as a "
        "credit, so a customer invoice's balance is negative.",
    )
    product_category_path = fields.Char(
        help="Field path from a record to its product category (e.g. "
        "product_id.categ_id); empty: targets cannot narrow by product category.",
    )
    partner_segment_path = fields.Char(
        string="Customer Segment Path",
        help="Field path from a record to its customer's ABC segment (e.g. "
        "partner_id.commercial_partner_id.sales_performance_segment).",
    )
    country_path = fields.Char(
        help="Field path from a record to its customer's country.",
    )
    partner_category_path = fields.Char(
        string="Customer Tag Path",
        help="Field path from a record to its customer's tags.",
    )
    source_path = fields.Char(
        string="UTM Source Path",
        help="Field path from a record to its UTM source (the channel).",
    )
    medium_path = fields.Char(
        string="UTM Medium Path",
        help="Field path from a record to its UTM medium (the channel).",
    )
    supported_dimensions = fields.Char(
        compute="_compute_supported_dimensions",
        help="The dimensions a target on this metric may narrow it by.",
    )
    target_count = fields.Integer(compute="_compute_target_count")

    @api.depends("computation", "sum_field_id.ttype")
    def _compute_value_type(self):
        for metric in self:
            is_amount = (
                metric.computation in ("sum", "average")
                and metric.sum_field_id.ttype == "monetary"
            )
            metric.value_type = "monetary" if is_amount else "number"

    @api.depends("model_id", "document_field_id")
    def _compute_field_model(self):
        for metric in self:
            metric.field_model = (
                metric.document_field_id.relation or metric.model_id.model or False
            )

    @api.depends(*dimensions.PATH_FIELDS)
    def _compute_supported_dimensions(self):
        Target = self.env["sales.performance.target"]
        for metric in self:
            paths = metric._dimension_paths()
            metric.supported_dimensions = ", ".join(
                Target._fields[dim.field]._description_string(self.env)
                for dim in dimensions.DIMENSIONS
                if paths.get(dim.field)
            )

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
        "document_field_id",
        *dimensions.PATH_FIELDS,
    )
    def _check_definition(self):
        for metric in self:
            metric._validate_definition()

    def _field_error(self, role, problem, field, model):
        """Why the field of ``role`` cannot be used, as one whole sentence."""
        params = {"field": field, "model": model}
        missing = problem == "missing"
        if role == "date":
            if missing:
                return self.env._(
                    "The date field %(field)s is not a field of %(model)s.", **params
                )
            return self.env._(
                "The date field %(field)s is not stored in the database.", **params
            )
        if role == "user":
            if missing:
                return self.env._(
                    "The salesperson field %(field)s is not a field of %(model)s.",
                    **params,
                )
            return self.env._(
                "The salesperson field %(field)s is not stored in the database.",
                **params,
            )
        if role == "team":
            if missing:
                return self.env._(
                    "The sales team field %(field)s is not a field of %(model)s.",
                    **params,
                )
            return self.env._(
                "The sales team field %(field)s is not stored in the database.",
                **params,
            )
        if role == "sum":
            if missing:
                return self.env._(
                    "The summed field %(field)s is not a field of %(model)s.", **params
                )
            return self.env._(
                "The summed field %(field)s is not stored in the database.", **params
            )
        if missing:
            return self.env._(
                "The key field %(field)s is not a field of %(model)s.", **params
            )
        return self.env._(
            "The key field %(field)s is not stored in the database.", **params
        )

    def _validate_document_field(self):
        """The model of the date, salesperson, team and key fields: the
        document's for a metric on lines, else the source model."""
        self.ensure_one()
        model_name = self.model_id.model
        Model = self.env[model_name]
        document = self.document_field_id
        if document and (
            document.model != model_name
            or document.name not in Model._fields
            or document.ttype != "many2one"
            or not Model._fields[document.name].store
        ):
            raise ValidationError(
                self.env._(
                    "The document field %(field)s is not a stored link of "
                    "%(model)s to another record.",
                    field=document.name,
                    model=model_name,
                )
            )
        if document:
            model_name = document.relation
            if model_name not in self.env:
                raise ValidationError(
                    self.env._(
                        "The model %(model)s is not installed.", model=model_name
                    )
                )
        return model_name

    def _validate_definition(self):
        self.ensure_one()
        model_name = self.model_id.model
        if model_name not in self.env:
            raise ValidationError(
                self.env._("The model %(model)s is not installed.", model=model_name)
            )
        source_model_name = model_name
        model_name = self._validate_document_field()
        Model = self.env[model_name]
        for role, field in (
            ("date", self.date_field_id),
            ("user", self.user_field_id),
            ("team", self.team_field_id),
            ("sum", self.sum_field_id),
            ("key", self.key_field_id),
        ):
            # the summed field is the record's own, the others the document's
            field_model = source_model_name if role == "sum" else model_name
            FieldModel = self.env[field_model]
            if field and (
                field.model != field_model or field.name not in FieldModel._fields
            ):
                raise ValidationError(
                    self._field_error(role, "missing", field.name, field_model)
                )
            if field and not FieldModel._fields[field.name].store:
                raise ValidationError(
                    self._field_error(role, "not_stored", field.name, field_model)
                )
        model_name = source_model_name
        Model = self.env[model_name]
        self._validate_dimension_paths()
        self._check_dimension_paths_used()
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
        if (
            self.computation == "average"
            and self.sum_field_id.ttype not in SUMMABLE_TYPES
        ):
            raise ValidationError(
                self.env._(
                    "A metric that averages needs a numeric or monetary field to "
                    "average; %(field)s cannot be averaged.",
                    field=self.sum_field_id.name or "-",
                )
            )
        if self.computation == "average" and self.pipeline_forecast:
            raise ValidationError(
                self.env._(
                    "A metric that averages cannot forecast with the pipeline: "
                    "open opportunities have no value to average."
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

    # ------------------------------------------------------------------
    # Dimensions and lines
    # ------------------------------------------------------------------
    def _dimension_paths(self):
        """``{target field: path}`` of the dimensions this metric supports."""
        self.ensure_one()
        return {
            dim.field: (self[dim.path_field] or "").strip()
            for dim in dimensions.DIMENSIONS
            if (self[dim.path_field] or "").strip()
        }

    def _dimension_label(self, field):
        Target = self.env["sales.performance.target"]
        return Target._fields[field]._description_string(self.env)

    def _resolve_path(self, path):
        """The last field of ``path`` on the source model (every step before
        it a many2one), or a ValidationError naming the wrong step."""
        self.ensure_one()
        Model = self.env[self.model_name]
        names = path.split(".")
        field = None
        for position, name in enumerate(names):
            field = Model._fields.get(name)
            if field is None:
                raise ValidationError(
                    self.env._(
                        "The dimension path %(path)s of metric %(metric)s is not "
                        "valid: %(model)s has no field %(field)s.",
                        path=path,
                        metric=self.name,
                        model=Model._name,
                        field=name,
                    )
                )
            if position < len(names) - 1:
                if field.type != "many2one":
                    raise ValidationError(
                        self.env._(
                            "The dimension path %(path)s of metric %(metric)s is "
                            "not valid: %(field)s is not a link to one record.",
                            path=path,
                            metric=self.name,
                            field=name,
                        )
                    )
                Model = self.env[field.comodel_name]
        if not (field.store or field.related or field.search):
            raise ValidationError(
                self.env._(
                    "The dimension path %(path)s of metric %(metric)s ends on a "
                    "field that cannot be searched.",
                    path=path,
                    metric=self.name,
                )
            )
        return field

    def _validate_dimension_paths(self):
        self.ensure_one()
        for dim in dimensions.DIMENSIONS:
            path = (self[dim.path_field] or "").strip()
            if not path:
                continue
            field = self._resolve_path(path)
            if dim.comodel is None:
                values = set()
                if field.type == "selection" and isinstance(field.selection, list):
                    values = {value for value, _label in field.selection}
                fits = values == SEGMENT_VALUES
            else:
                types = (
                    ("many2one", "many2many") if dim.operator == "in" else ("many2one",)
                )
                fits = field.type in types and field.comodel_name == dim.comodel
            if not fits:
                raise ValidationError(
                    self.env._(
                        "The path %(path)s of metric %(metric)s does not lead to "
                        "the dimension %(dimension)s.",
                        path=path,
                        metric=self.name,
                        dimension=self._dimension_label(dim.field),
                    )
                )

    def _check_dimension_paths_used(self):
        """A dimension path cannot be removed while targets narrow this
        metric by that dimension (their figures could not be computed)."""
        self.ensure_one()
        paths = self._dimension_paths()
        missing = [fname for fname in dimensions.TARGET_FIELDS if fname not in paths]
        if not missing or not self.id:
            return
        used = (
            self.env["sales.performance.target"]
            .sudo()
            .with_context(active_test=False)
            .search(
                Domain("metric_id", "=", self.id)
                & Domain.OR(Domain(fname, "!=", False) for fname in missing),
                limit=1,
            )
        )
        if used:
            raise ValidationError(
                self.env._(
                    "The metric %(metric)s must keep its dimension paths: the "
                    "target %(target)s is narrowed by them.",
                    metric=self.name,
                    target=used.name,
                )
            )

    def _check_dimension_key(self, key, name=None):
        """Raise a ValidationError unless this metric supports every
        dimension of ``key`` (an ``engine.dimensions`` key)."""
        self.ensure_one()
        missing = dimensions.unsupported(key, self._dimension_paths())
        if missing:
            raise ValidationError(
                self.env._(
                    "%(target)s: the metric %(metric)s cannot be narrowed by "
                    "%(dimensions)s (it supports: %(supported)s).",
                    target=name or self.name,
                    metric=self.name,
                    dimensions=", ".join(self._dimension_label(f) for f in missing),
                    supported=self.supported_dimensions or self.env._("none"),
                )
            )

    def _dimension_domain(self, key):
        """Domain narrowing this metric's records to ``key`` (product
        category with its child categories, segment, country, tag, UTM
        source and medium)."""
        self.ensure_one()
        if not key:
            return Domain.TRUE
        self._check_dimension_key(key)
        return Domain.AND(
            Domain(path, operator, value)
            for path, operator, value in dimensions.conditions(
                key, self._dimension_paths()
            )
        )

    def _role_path(self, field):
        """Path of a date, salesperson, team or key field from a source
        record (through the document of a line metric)."""
        self.ensure_one()
        if self.document_field_id:
            return f"{self.document_field_id.name}.{field.name}"
        return field.name

    def _role_sql(self, Model, query, field):
        """SQL of a date, salesperson, team or key field of a source record:
        the record's own, or its document's (one join, shared by all)."""
        if not self.document_field_id:
            return Model._field_to_sql(query.table, field.name, query)
        Document = self.env[self.document_field_id.relation].sudo()
        alias = query.make_alias(query.table, "sp_document")
        query.add_join(
            "LEFT JOIN",
            alias,
            Document._table,
            SQL(
                "%s = %s",
                SQL.identifier(alias, "id"),
                Model._field_to_sql(query.table, self.document_field_id.name, query),
            ),
        )
        return Document._field_to_sql(alias, field.name, query)

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
        fname = self._role_path(self.date_field_id)
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

    def _split_source_sql(self, Model, query):
        """``(model, id SQL)`` of the document whose credit split applies to
        a record of this metric, or None when its records are not split (the
        documents themselves, or the invoice of a collection)."""
        if self.model_name in SPLIT_MODELS:
            return self.model_name, SQL.identifier(query.table, "id")
        if self.document_field_id and self.document_field_id.relation in SPLIT_MODELS:
            # a line is credited like its document (order, invoice)
            return self.document_field_id.relation, Model._field_to_sql(
                query.table, self.document_field_id.name, query
            )
        if self.model_name == "sales.performance.collection":
            return "account.move", Model._field_to_sql(query.table, "invoice_id", query)
        if self.model_name == "survey.user_input":
            # a satisfaction answer is credited like the order it is about
            return "sale.order", Model._field_to_sql(
                query.table, "sales_performance_order_id", query
            )
        return None

    def _credit_sql(self, Model, query, day_sql, timeline, source=None):
        """SQL of the salesperson, team, company and share a record is
        credited to (see ``engine.crediting``): each split line's user and
        percent, else the document's salesperson at 100 %; the team the user
        belonged to on the record's day (``timeline``: ``Segment``s), else
        the record's team field.

        :param day_sql: SQL of the record's day
        :param source: ``(model, id SQL)`` of the split document (default:
            ``_split_source_sql``)
        """
        doc_user_sql = self._role_sql(Model, query, self.user_field_id)
        doc_team_sql = (
            self._role_sql(Model, query, self.team_field_id)
            if self.team_field_id
            else SQL("NULL::int")
        )
        company_sql = self._company_sql(Model, query, doc_user_sql)
        source = source or self._split_source_sql(Model, query)
        user_sql, share_sql = doc_user_sql, SQL("1.0")
        if source:
            split_model, split_id_sql = source
            query.add_join(
                "LEFT JOIN",
                "sp_split",
                "sales_performance_credit_split",
                SQL(
                    "%s = %s AND %s = %s",
                    SQL.identifier("sp_split", "res_model"),
                    split_model,
                    SQL.identifier("sp_split", "res_id"),
                    split_id_sql,
                ),
            )
            user_sql = SQL(
                "COALESCE(%s, %s)", SQL.identifier("sp_split", "user_id"), doc_user_sql
            )
            share_sql = SQL(
                "COALESCE(%s / 100.0, 1.0)", SQL.identifier("sp_split", "percent")
            )
        team_sql = doc_team_sql
        if timeline:
            query.add_join(
                "LEFT JOIN",
                "sp_team_on",
                _timeline_sql(timeline),
                SQL(
                    "%(user)s = %(tl_user)s AND %(day)s BETWEEN %(tl_from)s "
                    "AND %(tl_to)s",
                    user=user_sql,
                    tl_user=SQL.identifier("sp_team_on", "user_id"),
                    day=day_sql,
                    tl_from=SQL.identifier("sp_team_on", "date_from"),
                    tl_to=SQL.identifier("sp_team_on", "date_to"),
                ),
            )
            team_sql = SQL(
                "COALESCE(%s, %s)",
                SQL.identifier("sp_team_on", "team_id"),
                doc_team_sql,
            )
        return user_sql, team_sql, company_sql, share_sql

    def _day_sql(self, Model, query, tz_name):
        """SQL of the record's day in ``tz_name`` (datetimes are stored in
        UTC)."""
        date_sql = self._role_sql(Model, query, self.date_field_id)
        if self.date_field_id.ttype == "datetime":
            return SQL(
                "((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date",
                date_sql,
                tz_name or "UTC",
            )
        return SQL("(%s)::date", date_sql)

    def _key_sql(self, Model, query):
        """SQL of the key of 'first records' metrics: a contact counts as its
        company (joined once, not a subquery per record)."""
        key_sql = self._role_sql(Model, query, self.key_field_id)
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
        if (
            self.collected_untaxed
            and self.model_name == "sales.performance.collection"
            and field.name == "amount"
        ):
            field = Model._fields["amount_untaxed"]
        amount = Model._field_to_sql(query.table, field.name, query)
        currency_fname = field.type == "monetary" and field.get_currency_field(Model)
        currency_field = currency_fname and Model._fields.get(currency_fname)
        if self.sum_negated:
            amount = SQL("(-%s)", amount)
        if not currency_field or not currency_field.store:
            return SQL("COALESCE(%s, 0)", amount)
        currency = Model._field_to_sql(query.table, currency_fname, query)
        day = SQL(
            "(%s)::date",
            self._role_sql(Model, query, self.date_field_id),
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

    def _compute_values(
        self, date_from, date_to, tz_name, company_ids, timeline=None, dimension_key=()
    ):
        """Achievement of this metric in ``[date_from, date_to]`` for every
        salesperson and team at once: one SQL query.

        :return: ``{(company_id, user_id, team_id): value}``; user_id or
            team_id may be None for records without one.
        """
        period = (date_from, date_to)
        return self._compute_values_multi(
            [period], tz_name, company_ids, timeline, dimension_key
        )[period]

    def _period_bounds(self, date_from, date_to, tz_name):
        """``[start, stop)`` of the period on the date field: naive UTC
        datetimes for a datetime field, dates for a date field."""
        if self.date_field_id.ttype == "datetime":
            return self._utc_bounds(date_from, date_to, tz_name)
        return date_from, date_to + timedelta(days=1)

    def _compute_values_multi(
        self,
        periods,
        tz_name,
        company_ids,
        timeline=None,
        dimension_key=(),
        credited=None,
    ):
        """Achievement of this metric in each of ``periods`` (``[(date_from,
        date_to)]``, days counted in ``tz_name``) for every salesperson and team
        at once: one SQL query for all the periods (records are matched to the
        periods by a join on a VALUES list, so overlapping periods work).

        :param timeline: the team of each user on each day (see
            ``sales.performance.team.membership._timeline``; read when None)
        :param dimension_key: a key of ``engine.dimensions`` narrowing the records
            (product category, segment, country, tag, channel); ``()``: all
        :param credited: ``(user ids, team ids)``: only the shares credited
            to one of these users or teams are read (what the targets of a
            few assignees need; their figures stay exact); None: all
        :return: ``{(date_from, date_to): {(company_id, user_id, team_id): value}}``;
            for an average metric each value is an ``engine.figures.Mean`` (in
            an ``engine.figures.Means``) that pools with the others when added
        """
        self.ensure_one()
        if timeline is None:
            timeline = self.env["sales.performance.team.membership"]._timeline(
                company_ids
            )
        periods = list(dict.fromkeys(periods))
        average = self.computation == "average"
        result = {period: figures.Means() if average else {} for period in periods}
        if not periods:
            return result
        Model = self._source_model()
        base_domain = Domain(self._parse_domain()) & self._dimension_domain(
            dimension_key
        )
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            base_domain &= Domain("company_id", "in", list(company_ids))
        bounds = [self._period_bounds(df, dt, tz_name) for df, dt in periods]
        periods_sql = SQL(", ").join(
            SQL("(%s, %s, %s)", index, start, stop)
            for index, (start, stop) in enumerate(bounds)
        )
        if self.computation == "first":
            rows = self._compute_first_values(
                Model, base_domain, periods_sql, tz_name, timeline, bounds
            )
        else:
            fname = self._role_path(self.date_field_id)
            span = Domain(fname, ">=", min(b[0] for b in bounds)) & Domain(
                fname, "<", max(b[1] for b in bounds)
            )
            query = Model._search(base_domain & span)
            user_sql, team_sql, company_sql, share_sql = self._credit_sql(
                Model, query, self._day_sql(Model, query, tz_name), timeline
            )
            if credited is not None:
                query.add_where(
                    SQL(
                        "(%s = ANY(%s::int[]) OR %s = ANY(%s::int[]))",
                        user_sql,
                        bulk.array_literal(sorted(credited[0])),
                        team_sql,
                        bulk.array_literal(sorted(credited[1])),
                    )
                )
            if self.computation == "sum":
                value_sql = SQL(
                    "SUM(%s * %s)",
                    self._amount_sql(Model, query, company_sql),
                    share_sql,
                )
            elif average:
                # the weighted total and the total weight (a record credited
                # 50 % weighs 0.5); records without a value do not count
                value_sql = self._average_sql(Model, query, company_sql, share_sql)
            else:
                value_sql = SQL("SUM(%s)", share_sql)
            date_sql = self._role_sql(Model, query, self.date_field_id)
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
        for index, company, user, team, value, *weight in rows:
            if company not in company_ids:
                continue
            if average:
                value = figures.Mean(float(value or 0.0), float(weight[0] or 0.0))
            else:
                value = float(value or 0.0)
            result[periods[index]][(company, user, team)] = value
        return result

    def _average_sql(self, Model, query, company_sql, share_sql):
        """``SUM(value x share), SUM(share)`` of an average metric over the
        records that have a value (two columns)."""
        raw = Model._field_to_sql(query.table, self.sum_field_id.name, query)
        return SQL(
            "SUM(%(value)s * %(share)s) FILTER (WHERE %(raw)s IS NOT NULL),"
            " SUM(%(share)s) FILTER (WHERE %(raw)s IS NOT NULL)",
            value=self._amount_sql(Model, query, company_sql),
            share=share_sql,
            raw=raw,
        )

    def _compute_first_values(
        self, Model, base_domain, periods_sql, tz_name, timeline, bounds
    ):
        """Keys whose first matching record (by date) falls in each period,
        credited like any record (split shares, team on the day) from that
        first record: rows ``(period index, company_id, user_id, team_id,
        count)``. The first records are found once for all the periods,
        among the records before the last period's end of the keys that have
        a record in the periods (only those can have their first there: a
        recompute of this month's targets sorts this month's customers'
        history, not every customer's)."""
        fname = self._role_path(self.date_field_id)
        start, stop = min(b[0] for b in bounds), max(b[1] for b in bounds)
        in_span = Model._search(
            base_domain & Domain(fname, ">=", start) & Domain(fname, "<", stop)
        )
        span_keys = in_span.select(self._key_sql(Model, in_span))
        query = Model._search(base_domain & Domain(fname, "<", stop))
        if stop - start <= FEW_KEYS_SPAN:
            # a few days (the scheduled action after document changes): the
            # history of their keys is found by the key field's own ids (an
            # index scan, not every record joined to its key to filter it:
            # 72 -> 41 ms for five days of medium's orders); over months
            # most keys are in the span, the plain scan is cheaper
            query.add_where(
                SQL(
                    "%s = ANY(%s)",
                    self._role_sql(Model, query, self.key_field_id),
                    self._key_field_ids(span_keys),
                )
            )
        doc_user_sql = self._role_sql(Model, query, self.user_field_id)
        doc_team_sql = (
            self._role_sql(Model, query, self.team_field_id)
            if self.team_field_id
            else SQL("NULL::int")
        )
        company_sql = self._company_sql(Model, query, doc_user_sql)
        date_sql = self._role_sql(Model, query, self.date_field_id)
        key_sql = self._key_sql(Model, query)
        id_sql = SQL.identifier(query.table, "id")
        source = self._split_source_sql(Model, query)
        first = SQL(
            "SELECT DISTINCT ON (%(company)s, %(key)s) %(company)s AS company_id,"
            " %(user)s AS user_id, %(team)s AS team_id, %(day)s AS day,"
            " %(local_day)s AS local_day, %(split_id)s AS split_id"
            " FROM %(from)s WHERE %(where)s"
            " AND %(key)s IS NOT NULL AND %(day)s IS NOT NULL"
            " AND %(key)s IN (%(span_keys)s)"
            " ORDER BY %(company)s, %(key)s, %(day)s, %(id)s",
            span_keys=span_keys,
            company=company_sql,
            key=key_sql,
            user=doc_user_sql,
            team=doc_team_sql,
            day=date_sql,
            local_day=self._day_sql(Model, query, tz_name),
            split_id=source[1] if source else SQL("NULL::int"),
            id=id_sql,
            **{"from": query.from_clause, "where": query.where_clause or SQL("TRUE")},
        )
        user_sql, share_sql, split_join = SQL("first.user_id"), SQL("1.0"), SQL()
        if source:
            split_join = SQL(
                " LEFT JOIN sales_performance_credit_split s"
                " ON s.res_model = %s AND s.res_id = first.split_id",
                source[0],
            )
            user_sql = SQL("COALESCE(s.user_id, first.user_id)")
            share_sql = SQL("COALESCE(s.percent / 100.0, 1.0)")
        team_sql, team_join = SQL("first.team_id"), SQL()
        if timeline:
            team_join = SQL(
                " LEFT JOIN %s AS tl ON tl.user_id = %s"
                " AND first.local_day BETWEEN tl.date_from AND tl.date_to",
                _timeline_sql(timeline),
                user_sql,
            )
            team_sql = SQL("COALESCE(tl.team_id, first.team_id)")
        sql = SQL(
            "SELECT p.idx, first.company_id, %(user)s, %(team)s, SUM(%(share)s)"
            " FROM (%(first)s) AS first"
            " JOIN (VALUES %(periods)s) AS p(idx, start, stop)"
            " ON first.day >= p.start AND first.day < p.stop"
            "%(split_join)s%(team_join)s"
            " GROUP BY 1, 2, 3, 4",
            user=user_sql,
            team=team_sql,
            share=share_sql,
            first=first,
            periods=periods_sql,
            split_join=split_join,
            team_join=team_join,
        )
        return self.env.execute_query(sql)

    def _key_field_ids(self, keys_sql):
        """The ids the key field of the records of the keys ``keys_sql``
        (SQL of a key column) holds, as an ``int[]`` literal (one query):
        the keys themselves, with their contacts when a key is a company."""
        if self.key_field_id.relation == "res.partner":
            sql = SQL(
                "WITH keys(k) AS MATERIALIZED (SELECT DISTINCT * FROM (%s) AS span)"
                " SELECT array_agg(id) FROM ("
                " SELECT p.id FROM res_partner p JOIN keys ON p.id = keys.k"
                " UNION"
                " SELECT p.id FROM res_partner p"
                " JOIN keys ON p.commercial_partner_id = keys.k) AS ids",
                keys_sql,
            )
        else:
            sql = SQL(
                "SELECT array_agg(DISTINCT k) FROM (%s) AS keys(k) WHERE k IS NOT NULL",
                keys_sql,
            )
        [[ids]] = self.env.execute_query(sql)
        return bulk.array_literal(sorted(ids or ()))

    def _compute_pipeline(
        self, date_from, date_to, today, company_ids, timeline=None, dimension_key=()
    ):
        """Open opportunities expected to close in what is left of the period,
        weighted by probability and credited like won ones (split shares, the
        team on the expected closing day): ``{(company_id, user_id, team_id):
        value}``, one query."""
        self.ensure_one()
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        domain = Domain.AND(
            [
                Domain("type", "=", "opportunity"),
                Domain("active", "=", True),
                Domain("won_status", "=", "pending"),
                Domain("company_id", "in", list(company_ids)),
                Domain("date_deadline", ">=", max(today, date_from)),
                Domain("date_deadline", "<=", date_to),
                self._dimension_domain(dimension_key),
            ]
        )
        if timeline is None:
            timeline = self.env["sales.performance.team.membership"]._timeline(
                company_ids
            )
        query = Lead._search(domain)
        deadline = Lead._field_to_sql(query.table, "date_deadline", query)
        user_sql, team_sql, company_sql, share_sql = self._credit_sql(
            Lead, query, SQL("(%s)::date", deadline), timeline
        )
        weighted = (
            self.computation == "sum" and self.sum_field_id.name == "expected_revenue"
        )
        probability = Lead._field_to_sql(query.table, "probability", query)
        if weighted:
            revenue = Lead._field_to_sql(query.table, "expected_revenue", query)
            value_sql = SQL(
                "SUM(COALESCE(%s, 0) * COALESCE(%s, 0) / 100.0 * %s)",
                revenue,
                probability,
                share_sql,
            )
        else:
            value_sql = SQL("SUM(COALESCE(%s, 0) / 100.0 * %s)", probability, share_sql)
        rows = self.env.execute_query(
            SQL(
                "SELECT %(company)s, %(user)s, %(team)s, %(value)s FROM %(from)s"
                " WHERE %(where)s GROUP BY 1, 2, 3",
                company=company_sql,
                user=user_sql,
                team=team_sql,
                value=value_sql,
                **{
                    "from": query.from_clause,
                    "where": query.where_clause or SQL("TRUE"),
                },
            )
        )
        return {
            (company, user, team): float(value or 0.0)
            for company, user, team, value in rows
        }

    def _credited_by_record(
        self, date_from, date_to, tz_name, company, users, timeline
    ):
        """``{user id: {record id: credited value}}`` of ``users`` in the
        period: each record's value times the user's share (one query)."""
        self.ensure_one()
        Model = self._source_model()
        domain = Domain(self._parse_domain()) & self._period_domain(
            date_from, date_to, tz_name
        )
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            domain &= Domain("company_id", "=", company.id)
        query = Model._search(domain)
        user_sql, _team_sql, company_sql, share_sql = self._credit_sql(
            Model, query, self._day_sql(Model, query, tz_name), timeline
        )
        value_sql = (
            SQL("%s * %s", self._amount_sql(Model, query, company_sql), share_sql)
            if self.computation == "sum"
            else share_sql
        )
        rows = self.env.execute_query(
            SQL(
                "SELECT %(user)s, %(id)s, SUM(%(value)s) FROM %(from)s"
                " WHERE %(where)s AND %(user)s = ANY(%(users)s) GROUP BY 1, 2",
                user=user_sql,
                id=SQL.identifier(query.table, "id"),
                value=value_sql,
                users=list(users.ids),
                **{
                    "from": query.from_clause,
                    "where": query.where_clause or SQL("TRUE"),
                },
            )
        )
        result = defaultdict(dict)
        for user_id, record_id, value in rows:
            result[user_id][record_id] = float(value or 0.0)
        return result

    def _credited_shares(self, target):
        """``{record id: credited share (0-1)}`` of the records that make up
        ``target``'s achievement, credited as the figures are (split shares,
        the team on the record's day): one query."""
        self.ensure_one()
        tz_name = target._get_tz()
        company = target.company_id
        Model = self._source_model()
        domain = (
            Domain(self._parse_domain())
            & self._dimension_domain(target._dimension_key())
            & self._period_domain(target.date_from, target.date_to, tz_name)
        )
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            domain &= Domain("company_id", "=", company.id)
        if self.computation == "first":
            domain = Domain("id", "in", self._first_record_ids(Model, domain, target))
        query = Model._search(domain)
        timeline = self.env["sales.performance.team.membership"]._timeline({company.id})
        user_sql, team_sql, company_sql, share_sql = self._credit_sql(
            Model, query, self._day_sql(Model, query, tz_name), timeline
        )
        if target.user_id:
            who = SQL("%s = %s", user_sql, target.user_id.id)
        elif target.team_id:
            who = SQL("%s = %s", team_sql, target.team_id.id)
        else:
            who = SQL("%s = %s", company_sql, company.id)
        rows = self.env.execute_query(
            SQL(
                "SELECT %(id)s, SUM(%(share)s) FROM %(from)s"
                " WHERE %(where)s AND %(who)s GROUP BY 1",
                id=SQL.identifier(query.table, "id"),
                share=share_sql,
                who=who,
                **{
                    "from": query.from_clause,
                    "where": query.where_clause or SQL("TRUE"),
                },
            )
        )
        return {record_id: float(share) for record_id, share in rows}

    def _source_domain(self, target):
        """Domain of the records that make up ``target``'s achievement."""
        self.ensure_one()
        return Domain("id", "in", list(self._credited_shares(target)))

    def _action_view_sources(self, target, name):
        """The window action listing the records behind ``target`` (a target,
        or a new record standing for one), titled after ``name``, with the
        share credited to the assignee beside each record."""
        self.ensure_one()
        metric = self.sudo()
        shares = metric._credited_shares(target)
        list_view = self.env.ref(
            CREDITED_LIST_VIEWS.get(metric.model_name, "_"), raise_if_not_found=False
        )
        form_view = self.env.ref(
            CREDITED_FORM_VIEWS.get(metric.model_name, "_"), raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(metric)s: %(name)s", metric=metric.name, name=name),
            "res_model": metric.model_name,
            "view_mode": "list,form",
            "views": [
                (list_view.id if list_view else False, "list"),
                (form_view.id if form_view else False, "form"),
            ],
            "domain": [("id", "in", list(shares))],
            "context": {
                "active_test": False,
                "create": False,
                # a string: context values must be hashable (depends_context)
                "sales_performance_shares": json.dumps(
                    {
                        str(record_id): round(share * 100.0, 4)
                        for record_id, share in shares.items()
                    }
                ),
            },
        }

    def _first_record_ids(self, Model, domain, target):
        """Ids of the records that are the first of their key (used for the
        drill-down of 'first records' metrics; one query)."""
        base = Domain(self._parse_domain()) & self._dimension_domain(
            target._dimension_key()
        )
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            base &= Domain("company_id", "=", target.company_id.id)
        query = Model._search(base)
        key_sql = self._key_sql(Model, query)
        date_sql = self._role_sql(Model, query, self.date_field_id)
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


def _timeline_sql(timeline):
    """``timeline`` (``engine.crediting.Segment``s) as a table of ``(user_id,
    date_from, date_to, team_id)``: four array parameters, whatever its
    length."""
    users, starts, ends, teams = zip(*timeline, strict=True)
    return SQL(
        "(SELECT * FROM unnest(%s::int[], %s::date[], %s::date[], %s::int[])"
        " AS t(user_id, date_from, date_to, team_id))",
        bulk.array_literal(users),
        bulk.array_literal(starts),
        bulk.array_literal(ends),
        bulk.array_literal(teams),
    )
