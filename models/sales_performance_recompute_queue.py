"""Freshness: the (metric, day, salesperson, team, company) groups whose
figures a document change may have moved, and the scheduled action that
recomputes only the targets of those groups.

A transaction pays for this with the marks computed from the records in
memory, one INSERT when it commits and one ``ir.cron._trigger()``; no
figure is computed in the user's transaction.
"""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import MissingError
from odoo.fields import Domain
from odoo.orm.domains import DomainAnd, DomainCondition
from odoo.tools import SQL

from ..engine import daily
from . import bulk, db_tuning
from .sales_performance_credit_split import SPLIT_MODELS

_logger = logging.getLogger(__name__)

# context key that switches the hooks off (benchmarks, mass imports that
# recompute everything afterwards)
FRESHNESS_OFF = "sales_performance_freshness_off"
# cr.precommit.data key: the cron is triggered once per transaction
TRIGGERED_KEY = "sales_performance.freshness_triggered"
# cr.precommit.data key: the marks of the transaction, inserted at commit
MARKS_KEY = "sales_performance.freshness_marks"
# cr.precommit.data key: the records written, whose groups after the write
# are taken at commit (when everything is computed and flushed anyway)
AFTER_KEY = "sales_performance.freshness_after"
# cr.precommit.data key: the records whose groups before the transaction
# are marked already (their first write or deletion in it)
SEEN_KEY = "sales_performance.freshness_seen"
CRON_XMLID = "sales_performance.ir_cron_recompute_dirty_targets"
# marks taken by one run of the scheduled action (the rest in the next loop)
MARKS_PER_RUN = 50_000
# the record whose credit split applies to a record of a metric's model
# (see sales.performance.metric._split_source_sql): (split model, field)
SPLIT_SOURCE = {
    "sales.performance.collection": ("account.move", "invoice_id"),
    "survey.user_input": ("sale.order", "sales_performance_order_id"),
}


class MetricSpec(tuple):
    """What a write must know of one metric: ``(id, computation, domain,
    date field, date is datetime, user field, team field or None, company
    field or None, watched field names, split source (model, field) or
    None, for a metric on lines seen from their document: (lines field, line
    domain, document field of the lines) or None)``, followed by its
    ``signature``: what decides which records it counts and their groups
    (metrics alike in that, e.g. the confirmed sales and the new customers
    of the same orders, have their marks computed in one pass)."""

    __slots__ = ()

    def __new__(cls, values):
        values = tuple(values)[:11]
        signature = repr(
            (values[2], values[3], values[5], values[6], values[7], values[9])
            + (values[10] or ())
        )
        return super().__new__(cls, (*values, signature))

    id = property(lambda self: self[0])
    computation = property(lambda self: self[1])
    domain = property(lambda self: self[2])
    date_field = property(lambda self: self[3])
    is_datetime = property(lambda self: self[4])
    user_field = property(lambda self: self[5])
    team_field = property(lambda self: self[6])
    company_field = property(lambda self: self[7])
    watched = property(lambda self: self[8])
    split = property(lambda self: self[9])
    lines = property(lambda self: self[10])
    signature = property(lambda self: self[11])


def _day(value):
    """The (UTC) day of a date or datetime value, None when empty."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date()
    return value


class SalesPerformanceRecomputeQueue(models.Model):
    """One row per group whose figures may have changed: the targets on the
    metric, whose period contains the day, of the salesperson, of their team
    on that day (or the document's team), and of the company, are recomputed
    by the scheduled action. Rows are inserted by raw SQL (one statement per
    write) and consumed by the scheduled action."""

    _name = "sales.performance.recompute.queue"
    _description = "Sales Performance Recompute Queue"
    _order = "id"
    _log_access = False

    # plain ids, no foreign keys: every commit that marks groups inserts
    # rows here, and the foreign-key checks of each row were a third of the
    # cost of that INSERT; the ids of records deleted since are ignored
    metric_id = fields.Integer(
        required=True,
        readonly=True,
        help="A sales.performance.metric id.",
    )
    date = fields.Date(required=True, readonly=True, help="The record's day (UTC).")
    company_id = fields.Integer(required=True, readonly=True, help="A res.company id.")
    user_id = fields.Integer(
        string="Salesperson",
        readonly=True,
        help="A res.users id (none: no salesperson).",
    )
    team_id = fields.Integer(
        string="Sales Team", readonly=True, help="A crm.team id (none: no team)."
    )
    res_model = fields.Char(
        string="Split Document Model",
        readonly=True,
        help="The document whose credit split applies (its users are marked too "
        "when the scheduled action takes the row).",
    )
    res_id = fields.Integer(string="Split Document", readonly=True)
    create_date = fields.Datetime(
        readonly=True, default=fields.Datetime.now, help="When the change was marked."
    )

    # ------------------------------------------------------------------
    # What the metrics watch, once per registry
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("model_name")
    def _metric_specs(self, model_name):
        """The ``MetricSpec`` s of the metrics on ``model_name`` (cached per
        registry; cleared when a metric changes)."""
        Metric = self.env["sales.performance.metric"].sudo()
        metrics = Metric.with_context(active_test=False).search(
            [("model_name", "=", model_name)]
        )
        if model_name not in self.env:
            return ()
        Model = self.env[model_name]
        specs = [
            spec
            for metric in self._line_metrics(model_name)
            if (spec := self._document_spec(Model, metric))
        ]
        for metric in metrics:
            if "document_field_id" in metric._fields and metric.document_field_id:
                # a metric on lines: its lines change with their document
                continue
            try:
                domain = Domain(metric._parse_domain())
            except (ValueError, SyntaxError, NameError, TypeError):
                continue
            names = {
                f.name
                for f in (
                    metric.date_field_id,
                    metric.user_field_id,
                    metric.team_field_id,
                    metric.sum_field_id,
                    metric.key_field_id,
                )
                if f
            }
            names |= {
                condition.field_expr.split(".", 1)[0]
                for condition in domain.iter_conditions()
            }
            company_field = (
                "company_id"
                if "company_id" in Model._fields and Model._fields["company_id"].store
                else None
            )
            if company_field:
                names.add(company_field)
            if metric.sum_field_id and metric.sum_field_id.name in Model._fields:
                summed = Model._fields[metric.sum_field_id.name]
                if summed.type == "monetary":
                    names.add(summed.get_currency_field(Model))
            if metric.collected_untaxed and "amount_untaxed" in Model._fields:
                names.add("amount_untaxed")
            split = None
            if model_name in SPLIT_MODELS:
                split = (model_name, "id")
            elif model_name in SPLIT_SOURCE:
                split = SPLIT_SOURCE[model_name]
            specs.append(
                MetricSpec(
                    (
                        metric.id,
                        metric.computation,
                        domain,
                        metric.date_field_id.name,
                        metric.date_field_id.ttype == "datetime",
                        metric.user_field_id.name,
                        metric.team_field_id.name or None,
                        company_field,
                        frozenset(self._watched_names(Model, names)),
                        split,
                        None,
                    )
                )
            )
        return tuple(specs)

    @api.model
    def _line_metrics(self, model_name):
        """The metrics on lines whose document is a ``model_name``."""
        Metric = self.env["sales.performance.metric"].sudo()
        if "document_field_id" not in Metric._fields:
            return Metric
        return Metric.with_context(active_test=False).search(
            [("document_field_id.relation", "=", model_name)]
        )

    @api.model
    def _document_spec(self, Document, metric):
        """The ``MetricSpec`` of a metric on lines (order lines, invoice
        lines) as seen from their document ``Document``: the date,
        salesperson and team fields are the document's; the document counts
        when one of its lines matches the metric's domain; the document
        fields watched are those fields, its lines and the fields of the
        document the line fields of the domain are related to."""
        line_model = metric.model_name
        if line_model not in self.env:
            return None
        Line = self.env[line_model]
        link = metric.document_field_id.name
        lines_field = next(
            (
                name
                for name, field in Document._fields.items()
                if field.type == "one2many"
                and field.comodel_name == line_model
                and field.inverse_name == link
            ),
            None,
        )
        if not lines_field:
            return None
        try:
            domain = Domain(metric._parse_domain())
        except (ValueError, SyntaxError, NameError, TypeError):
            return None
        names = {lines_field}
        names |= {
            f.name
            for f in (
                metric.date_field_id,
                metric.user_field_id,
                metric.team_field_id,
            )
            if f
        }
        # the conditions on fields of the document (related fields of the
        # lines), checked on the documents: a superset of the documents with
        # a matching line when the domain is a conjunction (no line read)
        document_conditions = []
        for condition in domain.iter_conditions():
            field = Line._fields.get(condition.field_expr.split(".", 1)[0])
            related = field and field.related and field.related.split(".")
            if related and related[0] == link and len(related) > 1:
                names.add(related[1])
                if len(related) == 2 and "." not in condition.field_expr:
                    document_conditions.append(
                        Domain(related[1], condition.operator, condition.value)
                    )
        conjunction = isinstance(domain, DomainCondition) or (
            isinstance(domain, DomainAnd)
            and all(isinstance(c, DomainCondition) for c in domain.children)
        )
        lines = (lines_field, domain, link)
        document_domain = Domain.TRUE
        if conjunction and document_conditions:
            lines, document_domain = None, Domain.AND(document_conditions)
        company_field = (
            "company_id"
            if "company_id" in Document._fields and Document._fields["company_id"].store
            else None
        )
        if company_field:
            names.add(company_field)
        return MetricSpec(
            (
                metric.id,
                metric.computation,
                document_domain,
                metric.date_field_id.name,
                metric.date_field_id.ttype == "datetime",
                metric.user_field_id.name,
                metric.team_field_id.name or None,
                company_field,
                frozenset(self._watched_names(Document, names)),
                (Document._name, "id") if Document._name in SPLIT_MODELS else None,
                lines,
            )
        )

    @api.model
    def _watched_names(self, Model, names):
        """``names`` and, for the stored computed fields among them, the
        fields of ``Model`` they depend on (first step of each path)."""
        todo, done = list(names), set()
        while todo:
            name = todo.pop()
            if name in done or name not in Model._fields:
                continue
            done.add(name)
            field = Model._fields[name]
            if field.compute and field.store:
                for path in Model.pool.field_depends.get(field, ()):
                    todo.append(path.split(".", 1)[0])
        return done

    # ------------------------------------------------------------------
    # Marking (in the user's transaction)
    # ------------------------------------------------------------------
    @api.model
    def _keys(self, records, specs, users=()):
        """The marks of ``records`` for ``specs``: ``[(metric id, day,
        company id, user id, team id, split model, split id)]`` of the records
        the metric counts (its domain), as they are now; ``users`` are marked
        too (split users being removed)."""
        keys = []
        if not records:
            return keys
        records = records.sudo().with_context(active_test=False)
        # one pass per signature for all the metrics that share it
        alike = defaultdict(list)
        for spec in specs:
            alike[spec.signature].append(spec)
        for same in alike.values():
            spec, metric_ids = same[0], [other.id for other in same]
            if spec.lines:
                lines_field, line_domain, link = spec.lines
                lines = records[lines_field]
                if line_domain:
                    lines = lines.filtered_domain(line_domain)
                counted = lines[link] & records
            elif spec.domain:
                counted = records.filtered_domain(spec.domain)
            else:
                counted = records
            for record in counted:
                day = _day(record[spec.date_field])
                if not day:
                    continue
                user = record[spec.user_field]
                if spec.company_field:
                    company_id = record[spec.company_field].id
                else:
                    company_id = user.company_id.id
                if not company_id:
                    continue
                team_id = (
                    (record[spec.team_field].id or None) if spec.team_field else None
                )
                split_model, split_id = None, None
                if spec.split:
                    split_model = spec.split[0]
                    source = record if spec.split[1] == "id" else record[spec.split[1]]
                    split_id = source.id or None
                split = (split_model, split_id)
                keys += [
                    (metric_id, day, company_id, user_id, team_id, *split)
                    for user_id in {user.id or None, *users}
                    for metric_id in metric_ids
                ]
        return keys

    @api.model
    def _insert_marks(self, keys):
        """Keep the marks ``keys`` (see ``_keys``) for the end of the
        transaction: they are inserted with one statement when it commits
        (``_flush_marks``, a precommit hook), whatever the number of writes."""
        if keys:
            self._pending()[0].update(keys)

    @api.model
    def _flush_marks(self):
        """Insert the marks of this transaction (those noted and those of the
        records created or written, as they are now) with one statement that
        also triggers the scheduled action (once per transaction); the
        scheduled action adds the users of the documents' credit splits."""
        self.env.flush_all()
        after = self._after_keys()
        keys = self.env.cr.precommit.data.pop(MARKS_KEY, None)
        keys = (keys or set()) | set(after)
        if not keys:
            return
        columns = list(zip(*sorted(keys, key=repr), strict=True))
        now = fields.Datetime.now()
        # the scheduled action is triggered once per transaction, as
        # ir.cron._trigger() does it (a trigger row when the action is
        # active, the cron workers woken up at commit) but with a row of the
        # same statement: the ORM create of the trigger was a quarter of what
        # marking costs a commit
        trigger = SQL()
        data = self.env.cr.precommit.data
        cron_id = None if data.get(TRIGGERED_KEY) else self._cron_id()
        if cron_id:
            data[TRIGGERED_KEY] = True
            trigger = SQL(
                """WITH triggered AS (
                INSERT INTO ir_cron_trigger
                       (cron_id, call_at, create_uid, create_date, write_uid,
                        write_date)
                SELECT id, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM ir_cron WHERE id = %(cron)s AND active
                )""",
                cron=cron_id,
                now=now,
                uid=self.env.uid,
            )
        # one plain INSERT, no ON CONFLICT: a unique index would make
        # concurrent transactions of one salesperson wait for each other (or
        # fail to serialize); the scheduled action removes the duplicates,
        # adds the users of the documents' credit splits and keeps the
        # (metric, day, company) groups in the change log of the clawback
        # check (sales.performance.metric.change). No check that the ids
        # still exist (no foreign keys): it ignores those of deleted records.
        self.env.execute_query(
            SQL(
                """
                %s
                INSERT INTO sales_performance_recompute_queue
                       (metric_id, date, company_id, user_id, team_id, res_model,
                        res_id, create_date)
                SELECT *, %s
                  FROM unnest(%s::int[], %s::date[], %s::int[], %s::int[], %s::int[],
                              %s::varchar[], %s::int[])
                """,
                trigger,
                now,
                *(bulk.array_literal(column) for column in columns),
            )
        )
        if cron_id:
            self.env.cr.postcommit.add(self.env["ir.cron"].sudo()._notifydb)
        # what reading the records computed (the transaction was flushed
        # before the precommit hooks run)
        self.env.flush_all()

    @api.model
    @tools.ormcache()
    def _cron_id(self):
        """The id of the scheduled action (cached: looked up once)."""
        cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
        return cron.id if cron else None

    @api.model
    def _mark_split_documents(self, documents, users=()):
        """Mark the groups of the documents ``documents`` ({model: ids}) whose
        credit split changes: for every metric crediting them (on the
        documents, their collections, their satisfaction answers), the
        document's salesperson, the split's users and ``users``."""
        if self.env.context.get(FRESHNESS_OFF):
            return
        keys = []
        for model_name, ids in documents.items():
            ids = [i for i in ids if i]
            if not ids:
                continue
            sources = {model_name: self.env[model_name].browse(ids)}
            for source_model, (split_model, fname) in SPLIT_SOURCE.items():
                if split_model == model_name and source_model in self.env:
                    sources[source_model] = (
                        self.env[source_model]
                        .sudo()
                        .with_context(active_test=False)
                        .search([(fname, "in", ids)])
                    )
            for source_model, records in sources.items():
                specs = self._metric_specs(source_model)
                if specs:
                    keys += self._keys(records.exists(), specs, users)
        self._insert_marks(keys)

    # ------------------------------------------------------------------
    # The hooks of the counted models (create, write, unlink)
    # ------------------------------------------------------------------
    @api.model
    def _specs_for(self, records, fnames=None):
        """The specs of the metrics on ``records``' model (those watching one
        of ``fnames`` when given); none when the hooks are switched off."""
        if self.env.context.get(FRESHNESS_OFF) or records.env.context.get(
            FRESHNESS_OFF
        ):
            return ()
        specs = self._metric_specs(records._name)
        if fnames is not None:
            specs = tuple(spec for spec in specs if not spec.watched.isdisjoint(fnames))
        return specs

    @api.model
    def _pending(self):
        """The marks of this transaction (``MARKS_KEY``), the records to mark
        as they are at commit (``AFTER_KEY``: ``{(model, spec ids): ids}``)
        and the records whose groups before the transaction are known
        (``SEEN_KEY``: ``{(model, spec id): ids}``), with the commit hook
        that inserts them registered once."""
        data = self.env.cr.precommit.data
        if data.get(MARKS_KEY) is None:
            data[MARKS_KEY] = set()
            self.env.cr.precommit.add(self._flush_marks)
        after = data.setdefault(AFTER_KEY, defaultdict(set))
        seen = data.setdefault(SEEN_KEY, defaultdict(set))
        return data[MARKS_KEY], after, seen

    @api.model
    def _mark_created(self, records):
        """New records have no groups before: their groups are taken at
        commit, as they are then (nothing computed in the user's create)."""
        specs = self._specs_for(records)
        if specs and records:
            _marks, after, seen = self._pending()
            for spec in specs:
                seen[records._name, spec.id].update(records.ids)
            after[records._name, tuple(spec.id for spec in specs)].update(records.ids)
        return records

    @api.model
    def _unseen_keys(self, records, specs, seen):
        """The marks of ``records`` for ``specs``, of the records whose groups
        before the transaction are not known yet (then they are): the
        groups of a record before its first write or deletion in the
        transaction, which later ones do not change (the states in between
        were never committed)."""
        # the specs grouped by the records still to mark (usually all the
        # specs on the same records: one pass over them)
        todo = defaultdict(list)
        for spec in specs:
            known = seen[records._name, spec.id]
            ids = tuple(i for i in records.ids if i not in known)
            if ids:
                known.update(ids)
                todo[ids].append(spec)
        keys = []
        for ids, todo_specs in todo.items():
            keys += self._keys(records.browse(ids), tuple(todo_specs))
        return keys

    @api.model
    def _write_and_mark(self, records, vals, write):
        """``write(vals)`` on ``records``, their groups before (at their first
        write in the transaction) and after (at commit) marked when a
        watched field changes."""
        specs = self._specs_for(records, vals) if records else ()
        if not specs:
            return write(vals)
        marks, after, seen = self._pending()
        marks.update(self._unseen_keys(records, specs, seen))
        result = write(vals)
        # the groups after the write: at commit, on the records as committed
        # (nothing computed in the user's write, several writes noted once)
        after[records._name, tuple(spec.id for spec in specs)].update(records.ids)
        return result

    @api.model
    def _after_keys(self):
        """The marks of the records created or written in this transaction,
        as they are now (see ``_write_and_mark``)."""
        data = self.env.cr.precommit.data
        after = data.pop(AFTER_KEY, None)
        data.pop(SEEN_KEY, None)
        keys = []
        for (model_name, spec_ids), ids in (after or {}).items():
            specs = tuple(
                spec for spec in self._metric_specs(model_name) if spec.id in spec_ids
            )
            if not specs:
                continue
            records = self.env[model_name].browse(sorted(ids))
            try:
                keys += self._keys(records, specs)
            except MissingError:
                # some were created in a savepoint rolled back since (the
                # deleted ones are taken out by _unlink_and_mark): checked
                # only then, not at every commit
                keys += self._keys(records.exists(), specs)
        return keys

    @api.model
    def _unlink_and_mark(self, records, unlink):
        specs = self._specs_for(records) if records else ()
        if not specs:
            return unlink()
        marks, after, seen = self._pending()
        before = self._unseen_keys(records, specs, seen)
        result = unlink()
        marks.update(before)
        gone = set(records.ids)
        for (model_name, _spec_ids), ids in after.items():
            if model_name == records._name:
                ids -= gone
        return result

    # ------------------------------------------------------------------
    # The scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_recompute_dirty(self, limit=MARKS_PER_RUN):
        """Recompute the active targets of the marked groups, then drop the
        marks. In the scheduled action the marks are taken (and committed)
        first, so that users' inserts never wait for the recompute; when the
        recompute fails they are put back."""
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        # the marks of this very transaction first
        self._flush_marks()
        # the marks taken, with the users of the documents' credit splits,
        # and their (metric, day, company) groups kept in the change log;
        # without JIT (see db_tuning.jit_off: the split lookup per mark is
        # estimated far above what it costs)
        with db_tuning.jit_off(self.env.cr):
            marks = self._take_marks(limit)
        if not marks:
            return 0
        marks = sorted(set(marks), key=repr)
        if in_cron:
            # commits: the marks are taken, the users' inserts never wait
            self.env["ir.cron"]._commit_progress(0)
        try:
            targets, touched = self._targets_of_marks(marks)
            _logger.info(
                "Recomputing %s sales targets for %s changed groups",
                len(targets),
                len(marks),
            )
            targets._recompute_batch(with_previous=False, touched=touched)
        except Exception:
            if in_cron:
                self.env.cr.rollback()
                self._put_back(marks)
                self.env["ir.cron"]._commit_progress(0)
            raise
        if in_cron:
            [[remaining]] = self.env.execute_query(
                SQL("SELECT count(*) FROM sales_performance_recompute_queue")
            )
            # more marks came in meanwhile: the job loops at once
            self.env["ir.cron"]._commit_progress(len(marks), remaining=remaining)
        return len(targets)

    @api.model
    def _take_marks(self, limit):
        """Delete up to ``limit`` marks (the oldest first) and return their
        groups ``[(metric id, day, company id, user id, team id)]``, with the
        users of the documents' credit splits; their (metric, day, company)
        groups are kept in the change log (one statement)."""
        return self.env.execute_query(
            SQL(
                """
                WITH taken AS (
                DELETE FROM sales_performance_recompute_queue
                 WHERE id IN (SELECT id FROM sales_performance_recompute_queue
                               ORDER BY id LIMIT %s)
             RETURNING metric_id, date, company_id, user_id, team_id, res_model,
                       res_id
                ), logged AS (
                INSERT INTO sales_performance_metric_change
                       (metric_id, date, company_id)
                SELECT DISTINCT metric_id, date, company_id FROM taken
                )
                %s
                """,
                limit,
                self._with_split_users(SQL("taken")),
            )
        )

    @api.model
    def _with_split_users(self, marks):
        """SQL of the distinct groups ``(metric id, day, company id, user id,
        team id)`` of the marks ``marks`` (a relation with the queue's
        columns), each also for the users of its document's credit split."""
        return SQL(
            """
            SELECT DISTINCT t.metric_id, t.date, t.company_id, u.user_id, t.team_id
              FROM %s t
             CROSS JOIN LATERAL (
                   SELECT t.user_id
                    UNION
                   SELECT s.user_id FROM sales_performance_credit_split s
                    WHERE s.res_model = t.res_model AND s.res_id = t.res_id
             ) AS u(user_id)
            """,
            marks,
        )

    @api.model
    def _put_back(self, marks):
        columns = list(zip(*marks, strict=True))
        self.env.execute_query(
            SQL(
                """
                INSERT INTO sales_performance_recompute_queue
                       (metric_id, date, company_id, user_id, team_id, create_date)
                SELECT *, %s FROM unnest(%s::int[], %s::date[], %s::int[], %s::int[],
                                         %s::int[])
                """,
                fields.Datetime.now(),
                *(bulk.array_literal(column) for column in columns),
            )
        )

    @api.model
    def _targets_of_marks(self, marks):
        """The active targets the marks ``[(metric id, day, company id, user
        id, team id)]`` concern, and the local days of each they concern:
        ``(targets, {target id: {day}})``. A target is on the metric and in
        the company, its period contains the day (a day either side:
        datetimes are marked by their UTC day, periods count days in the
        target's time zone), of the salesperson, of the team (the
        document's, or the salesperson's on that day), or of the company.
        For 'first records per key' metrics every target from that day on
        (a record becoming, or no longer being, the first of its key moves
        the next one): its days are from that day on. One query."""
        Target = self.env["sales.performance.target"].sudo()
        metric_ids = sorted({m[0] for m in marks})
        company_ids = {m[2] for m in marks}
        Metric = self.env["sales.performance.metric"].sudo()
        onward = set(
            Metric.browse(metric_ids)
            .exists()
            .filtered(lambda m: m.computation == "first")
            .ids
        )
        by_user, by_team, by_company = self._active_targets(
            marks, metric_ids, company_ids, onward
        )
        # the local days of each (metric, company, salesperson, team)
        utc_days_of = defaultdict(set)
        onward_from = {}
        for metric_id, day, company_id, user_id, team_id in marks:
            if metric_id in onward:
                key = (metric_id, company_id)
                onward_from[key] = min(onward_from.get(key, day), day)
            else:
                utc_days_of[(metric_id, company_id, user_id, team_id)].add(day)
        teams_of = self._teams_by_user(company_ids)
        touched = defaultdict(set)
        for (metric_id, company_id, user_id, team_id), utc_days in utc_days_of.items():
            days = set().union(*map(daily.local_days, utc_days))
            start, stop = min(days), max(days)
            candidates = list(by_company[(metric_id, company_id)])
            if user_id:
                candidates += by_user[(metric_id, company_id, user_id)]
            teams = {team_id} if team_id else set()
            for seg_from, seg_to, seg_team in teams_of.get(user_id, ()):
                if seg_from <= stop and seg_to >= start:
                    teams.add(seg_team)
            for team in teams:
                candidates += by_team[(metric_id, company_id, team)]
            for date_from, date_to, tid in candidates:
                if date_from <= stop and date_to >= start:
                    touched[tid].update(
                        day for day in days if date_from <= day <= date_to
                    )
        for (metric_id, company_id), day in onward_from.items():
            start = min(daily.local_days(day))
            for date_from, date_to, tid in by_company[(metric_id, company_id, "all")]:
                if date_to >= start:
                    touched[tid].add(max(start, date_from))
        return Target.browse(sorted(touched)), dict(touched)

    @api.model
    def _active_targets(self, marks, metric_ids, company_ids, onward):
        """``(by_user, by_team, by_company)``: ``[(date_from, date_to, target
        id)]`` of the active targets on ``metric_ids`` in ``company_ids``
        around the days of ``marks``, by (metric, company, salesperson), by
        (metric, company, team), by (metric, company) and, for the metrics
        of ``onward``, by (metric, company, "all") from those days on. One
        query."""
        first_day = min(m[1] for m in marks) - timedelta(days=1)
        last_day = max(m[1] for m in marks) + timedelta(days=1)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, metric_id, company_id, date_from, date_to, user_id, team_id
                  FROM sales_performance_target
                 WHERE state = 'active' AND metric_id = ANY(%s)
                   AND company_id = ANY(%s) AND date_to >= %s
                   AND (metric_id = ANY(%s) OR date_from <= %s)
                """,
                metric_ids,
                sorted(company_ids),
                first_day,
                sorted(onward) or [0],
                last_day,
            )
        )
        by_user, by_team, by_company = (defaultdict(list) for _i in range(3))
        for tid, metric_id, company_id, date_from, date_to, user_id, team_id in rows:
            period = (date_from, date_to, tid)
            if metric_id in onward:
                by_company[(metric_id, company_id, "all")].append(period)
            elif user_id:
                by_user[(metric_id, company_id, user_id)].append(period)
            elif team_id:
                by_team[(metric_id, company_id, team_id)].append(period)
            else:
                by_company[(metric_id, company_id)].append(period)
        return by_user, by_team, by_company

    @api.model
    def _teams_by_user(self, company_ids):
        """``{user id: [(first day, last day, team id)]}`` from the team
        history (one query)."""
        result = defaultdict(list)
        for segment in self.env["sales.performance.team.membership"]._timeline(
            company_ids
        ):
            result[segment.user].append(
                (
                    segment.date_from or datetime.min.date(),
                    segment.date_to or datetime.max.date(),
                    segment.team,
                )
            )
        return result


class SalesPerformanceMetric(models.Model):
    _inherit = "sales.performance.metric"

    # the watched fields of each model are cached: a metric change clears them
    @api.model_create_multi
    def create(self, vals_list):
        metrics = super().create(vals_list)
        self.env.registry.clear_cache()
        return metrics

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result


# The models metrics count that have no file of their own in this feature:
# activities, collections (made when payments are reconciled with invoices,
# see account_partial_reconcile.py) and satisfaction answers. The others
# (crm_lead.py, sale_order.py, account_move.py) inherit the same mixin.
class MailActivity(models.Model):
    _name = "mail.activity"
    _inherit = ["mail.activity", "sales.performance.freshness.mixin"]


class SalesPerformanceCollection(models.Model):
    _name = "sales.performance.collection"
    _inherit = ["sales.performance.collection", "sales.performance.freshness.mixin"]


class SurveyUserInput(models.Model):
    _name = "survey.user_input"
    _inherit = ["survey.user_input", "sales.performance.freshness.mixin"]
