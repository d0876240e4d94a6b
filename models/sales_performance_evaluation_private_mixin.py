from odoo import api, models
from odoo.fields import Domain

# Until the manager submits the review, the employee sees none of the manager's
# figures (ratings, scores, comments, final score and rating).
HIDDEN_STATES = ("draft", "self_assessment", "manager_review")


class SalesPerformanceEvaluationPrivateMixin(models.AbstractModel):
    """Hides ``_private_fields`` from the evaluated employee until the review
    is submitted: in reads, and in searches, group-bys, aggregates and sorts
    on them (which would reveal the figures indirectly)."""

    _name = "sales.performance.evaluation.private.mixin"
    _description = "Manager Figures Hidden from the Employee"

    # fields to hide, and the path from the record to its evaluation
    _private_fields = ()
    _private_evaluation_path = ""

    def _private_evaluation(self):
        self.ensure_one()
        path = self._private_evaluation_path.rstrip(".")
        return self.mapped(path) if path else self

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        hidden = set(fnames) & set(self._private_fields)
        if hidden:
            by_id = {record.id: record for record in self}
            for values in result:
                record = by_id.get(values["id"])
                if record and not record._private_evaluation().manager_visible:
                    for fname in hidden:
                        values[fname] = False
        return result

    @api.model
    def _private_restriction(self, fnames):
        """A domain hiding the records whose private figures the user may not
        see yet, when ``fnames`` (searched, grouped, aggregated or sorted on)
        include such figures; None when nothing needs hiding."""
        if self.env.su or self.env.user.has_group("hr.group_hr_user"):
            return None
        if not {fname.split(".")[0].split(":")[0] for fname in fnames} & set(
            self._private_fields
        ):
            return None
        path = self._private_evaluation_path
        return Domain(f"{path}state", "not in", HIDDEN_STATES) | Domain(
            f"{path}employee_user_id", "!=", self.env.uid
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        domain = Domain(domain)
        fnames = [condition.field_expr for condition in domain.iter_conditions()]
        fnames += [
            part.strip().split(" ")[0] for part in (order or "").split(",") if part
        ]
        restriction = self._private_restriction(fnames)
        if restriction is not None:
            domain &= restriction
        return super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), *args, **kwargs):
        restriction = self._private_restriction(list(groupby) + list(aggregates))
        if restriction is not None:
            domain = Domain(domain) & restriction
        return super()._read_group(domain, groupby, aggregates, *args, **kwargs)
