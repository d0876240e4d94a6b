from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..engine import crediting

# the documents that carry a split, and the field of their salesperson
SPLIT_MODELS = {
    "crm.lead": "user_id",
    "sale.order": "user_id",
    "account.move": "invoice_user_id",
}
SALES_MANAGER = "sales_team.group_sale_manager"


class SalesPerformanceCreditSplit(models.Model):
    """A share of a document's credit: without split lines a document credits
    100 % to its salesperson; with them, each line's user ``percent`` of its
    value (see ``engine.crediting``)."""

    _name = "sales.performance.credit.split"
    _description = "Credit Split"
    _order = "res_model, res_id, percent desc, id"

    res_model = fields.Selection(
        [
            ("crm.lead", "Opportunity"),
            ("sale.order", "Sales Order"),
            ("account.move", "Invoice"),
        ],
        string="Document Type",
        required=True,
        index=True,
    )
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", required=True, index=True
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True
    )
    percent = fields.Float(string="Share (%)", required=True, digits=(16, 4))
    role = fields.Char(help="e.g. Account manager, Presales.")
    company_id = fields.Many2one("res.company", required=True, index=True)
    document_user_id = fields.Many2one(
        "res.users",
        string="Document Salesperson",
        compute="_compute_document_user_id",
        store=True,
        index=True,
        help="The salesperson of the document (for record rules).",
    )

    _document_index = models.Index("(res_model, res_id)")

    @api.depends("res_model", "res_id")
    def _compute_document_user_id(self):
        for model, lines in self.grouped("res_model").items():
            if model not in SPLIT_MODELS:
                lines.document_user_id = False
                continue
            documents = self.env[model].sudo().browse(lines.mapped("res_id"))
            user_of = {d.id: d[SPLIT_MODELS[model]] for d in documents.exists()}
            for line in lines:
                line.document_user_id = user_of.get(line.res_id, False)

    # ------------------------------------------------------------------
    # Validation: per document, once all its lines are written
    # ------------------------------------------------------------------
    def _documents(self):
        """``{model: ids}`` of the documents of these lines."""
        documents = defaultdict(set)
        for line in self:
            documents[line.res_model].add(line.res_id)
        return documents

    @api.model
    def _check_documents(self, documents):
        """Each document of ``documents`` ({model: ids}) has a valid split."""
        for model, ids in documents.items():
            records = self.env[model].sudo().browse(list(ids)).exists()
            lines = self.sudo().search(
                [("res_model", "=", model), ("res_id", "in", records.ids)]
            )
            by_document = lines.grouped("res_id")
            for record in records:
                split = by_document.get(record.id, self.browse())
                self._check_split(record, split)

    def _check_split(self, record, split):
        name = record.display_name
        for line in split:
            if line.company_id != record.company_id:
                raise ValidationError(
                    self.env._(
                        "The split of %(document)s must belong to its company.",
                        document=name,
                    )
                )
            if record.company_id not in line.user_id.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be credited on %(document)s: they do not "
                        "work for %(company)s.",
                        user=line.user_id.name,
                        document=name,
                        company=record.company_id.name,
                    )
                )
        try:
            crediting.check_split([(line.user_id.id, line.percent) for line in split])
        except crediting.SplitError as error:
            raise ValidationError(self._split_error(error, name)) from error

    def _split_error(self, error, name):
        users = self.env["res.users"].sudo()
        if error.code == "total":
            return self.env._(
                "The credit split of %(document)s adds up to %(total)s%%; it must "
                "add up to 100%%.",
                document=name,
                total=error.params["total"],
            )
        if error.code == "duplicate":
            return self.env._(
                "%(user)s appears twice in the credit split of %(document)s.",
                user=users.browse(error.params["user"]).name,
                document=name,
            )
        return self.env._(
            "Each share of the credit split of %(document)s must be more than 0%% "
            "and at most 100%% (%(user)s: %(percent)s%%).",
            document=name,
            user=users.browse(error.params["user"]).name,
            percent=error.params["percent"],
        )

    @api.model
    def _check_rights(self):
        if not (self.env.su or self.env.user.has_group(SALES_MANAGER)):
            raise AccessError(
                self.env._(
                    "Only a sales manager can change how a document is credited."
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_rights()
        for vals in vals_list:
            model = vals.get("res_model")
            if model not in SPLIT_MODELS or not self._metric_uses(model):
                raise ValidationError(
                    self.env._(
                        "No metric measures documents of this type: a credit split "
                        "on it would credit nothing."
                    )
                )
            if not vals.get("company_id") and vals.get("res_id"):
                document = self.env[model].sudo().browse(vals["res_id"]).exists()
                vals["company_id"] = document.company_id.id
        lines = super().create(vals_list)
        if not self.env.context.get("sales_performance_split_deferred"):
            self._check_documents(lines._documents())
        self._mark_for_recompute(lines._documents())
        return lines

    def write(self, vals):
        self._check_rights()
        if set(vals) == {"res_id"} and not vals["res_id"]:
            # a line taken off its document (x2many clear or unlink) is gone
            return self.unlink()
        if {"res_model", "res_id"} & set(vals):
            raise ValidationError(
                self.env._("A credit split line stays on its document.")
            )
        documents = self._documents()
        old_users = set(self.user_id.ids)
        res = super().write(vals)
        if not self.env.context.get("sales_performance_split_deferred"):
            self._check_documents(documents)
        if {"user_id", "percent", "company_id"} & set(vals):
            self._mark_for_recompute(documents, old_users)
        return res

    def unlink(self):
        self._check_rights()
        documents = self._documents()
        old_users = set(self.user_id.ids)
        res = super().unlink()
        if not self.env.context.get("sales_performance_split_deferred"):
            self._check_documents(documents)
        self._mark_for_recompute(documents, old_users)
        return res

    @api.model
    def _mark_for_recompute(self, documents, old_users=()):
        """Freshness: the figures of the documents ``documents`` ({model:
        ids}) are credited anew; ``old_users`` lose their share."""
        self.env["sales.performance.recompute.queue"]._mark_split_documents(
            documents, old_users
        )

    @api.model
    def _metric_uses(self, model):
        """True when a metric measures ``model`` or records pointing at it
        (collections of invoices)."""
        Metric = (
            self.env["sales.performance.metric"].sudo().with_context(active_test=False)
        )
        models_used = {
            model_name for [model_name] in Metric._read_group([], ["model_name"])
        }
        if model == "account.move" and "sales.performance.collection" in models_used:
            return True
        return model in models_used

    # ------------------------------------------------------------------
    # Following the document chain
    # ------------------------------------------------------------------
    @api.model
    def _lines_of(self, model, ids):
        """``{res_id: [(user id, percent, role)]}`` of documents ``ids``."""
        result = defaultdict(list)
        for line in self.sudo().search(
            [("res_model", "=", model), ("res_id", "in", list(ids))]
        ):
            result[line.res_id].append((line.user_id.id, line.percent, line.role))
        return result

    @api.model
    def _copy_split(self, model, targets, sources):
        """Give each record of ``targets`` (a recordset of ``model``) the
        split combined from its ``sources``: ``{target id: [(weight, source
        model, source id, source salesperson id)]}``. Targets with split
        lines already keep theirs."""
        have = set(
            self.sudo()
            .search([("res_model", "=", model), ("res_id", "in", targets.ids)])
            .mapped("res_id")
        )
        by_model = defaultdict(set)
        for entries in sources.values():
            for _weight, source_model, source_id, _user in entries:
                by_model[source_model].add(source_id)
        lines_of = {m: self._lines_of(m, ids) for m, ids in by_model.items()}
        vals_list = []
        for target in targets:
            if target.id in have or not sources.get(target.id):
                continue
            roles = {}
            combined_sources = []
            for weight, source_model, source_id, user_id in sources[target.id]:
                lines = lines_of[source_model].get(source_id)
                if lines:
                    roles.update({user: role for user, _p, role in lines if role})
                    combined_sources.append((weight, [(u, p) for u, p, _r in lines]))
                elif user_id:
                    combined_sources.append((weight, [(user_id, 100.0)]))
            for user_id, percent in crediting.combine(combined_sources):
                vals_list.append(
                    {
                        "res_model": model,
                        "res_id": target.id,
                        "user_id": user_id,
                        "percent": percent,
                        "role": roles.get(user_id) or False,
                        "company_id": target.company_id.id,
                    }
                )
        if vals_list:
            self.sudo().with_context(sales_performance_split_deferred=True).create(
                vals_list
            )
