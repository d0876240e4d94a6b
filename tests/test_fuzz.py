"""Hostile input through the RPC layer (issue #17).

Every model of the addon (found at run time from its ``ir.model`` xml ids, so
that models added later are covered too) and every public ``action_*``
method the addon defines (on its own models and on the Odoo models it
extends) receive malformed calls through JSON-RPC (``/web/dataset/call_kw``,
the web client's route: session, ``call_kw`` dispatch, ``retrying``, error
serialisation), as each role: salesperson, team leader, sales-performance
manager, HR officer, incentive administrator, each with one session.

Values: markup and ``<script>``, SQL metacharacters, 1 MB and
control-character strings in every text field; NaN, +-inf and 1e308 in every
number; wrong types; dates out of range; ids of another company's records;
missing required values; ids that do not exist.

Each call must end in a clear Odoo error (the exception name of the JSON-RPC
error payload is a ValidationError, UserError, AccessError or MissingError)
or store the value harmlessly (text as sent, html sanitised, numbers finite
and sane); a failed call must leave the rows of the tables it touches
unchanged (counts, and the row it wrote to). The test logs
``FUZZ calls=<n> clear=<n> unclear=<n> saved=<n> harmless=<n>`` and fails
when unclear or saved is not 0.

A second test renders text with markup where users see it: the QWeb reports
(statement, appraisal, training transcript) and the addon's mail templates,
and checks it comes out escaped; the form and kanban views of the addon never
output a field unescaped (no ``t-raw``, no html widget on a plain text field).
A third checks models/base.py directly: what Odoo cannot store is refused with
a ValidationError naming the field, what Odoo takes is still taken.
"""

import inspect
import json
import logging
import math
from collections import Counter
from datetime import datetime

from lxml import etree

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL, mute_logger

from .common import (
    FEB,
    HR_OFFICER,
    JAN,
    PERF_MANAGER,
    SALESMAN,
    IncentiveCommon,
)

_logger = logging.getLogger(__name__)

MODULE = "sales_performance"
CLEAR = {
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
}
SCRIPT = "<script>alert(1)</script>"
MARKUP = (
    SCRIPT + "<img src=x onerror=alert(2)><b>bold</b> "
    "' OR '1'='1'; DROP TABLE res_users; -- %s %(x)s \\ $$ \" ;"
)
HUGE = "A" * (1024 * 1024)
# every C0 control character (NUL included: PostgreSQL text cannot hold it),
# DEL, bidi overrides, a BOM
CONTROL = "".join(chr(c) for c in range(32)) + "\x7f\u202e\u2066\ufeff end"
NAN, INF = float("nan"), float("inf")
NUMBERS = [NAN, INF, -INF, 1e308, -1e308]
BAD_DATES = ["0000-00-00", "10000-01-01", "2026-02-30", "not a date", "-infinity"]
SKIP_FIELDS = {"id", "create_uid", "create_date", "write_uid", "write_date"}
# a sane bound for any number a user may set
BOUND = 1e15
TEXT_TYPES = ("char", "text", "html")
NUMBER_TYPES = ("float", "monetary", "integer")


def _own_model(model):
    return model._original_module == MODULE


def _addon_methods(model_class):
    """Public action_* methods that the addon defines on ``model_class``."""
    names = set()
    for klass in model_class.__mro__:
        if not klass.__module__.startswith("odoo.addons." + MODULE):
            continue
        names.update(
            name
            for name, value in vars(klass).items()
            if name.startswith("action_") and callable(value)
        )
    return sorted(names)


@tagged("post_install", "-at_install", "sales_performance", "fuzz")
class TestFuzzRpc(IncentiveCommon, HttpCase):
    """Malformed JSON-RPC calls as each role to every model and action of the
    addon (models and methods found in the registry at run time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._new_user("fuzz_manager", f"{SALESMAN},{PERF_MANAGER}")
        cls.hr_officer = cls._new_user(
            "fuzz_hr_officer", f"base.group_user,{HR_OFFICER}"
        )
        cls.roles = {
            "salesperson": cls.sp1,
            "team leader": cls.leader,
            "manager": cls.manager,
            "hr officer": cls.hr_officer,
            "incentive admin": cls.admin,
        }
        cls._fixtures()
        cls.addon_models = cls._discover_models()

    @classmethod
    def _fixtures(cls):
        """Records of the test company for the calls to work on, and records
        of company B whose ids the calls try to use."""
        env = cls.env
        before = {name: cls._max_id(name) for name in cls._model_names()}
        Employee = env["hr.employee"]
        emp_leader = Employee.create({"name": "Fuzz Leader", "user_id": cls.leader.id})
        cls.employee = Employee.create(
            {"name": "Fuzz Alice", "user_id": cls.sp1.id, "parent_id": emp_leader.id}
        )
        plan = cls._plan(
            [
                {
                    "kind": "commission",
                    "metric_id": cls.metric_won.id,
                    "basis": "attainment",
                    "mode": "flat",
                    "tiers": [(0, 80, 2), (80, 100, 5), (100, None, 8)],
                }
            ]
        )
        cls.statements = plan.generate_statements(*JAN)
        plan.generate_statements(*FEB)
        competency = env.ref("sales_performance.evaluation_competency_teamwork")
        template = env["sales.performance.evaluation.template"].create(
            {
                "name": "Fuzz Template",
                "line_ids": [
                    Command.create(
                        {"kind": "kpi", "metric_id": cls.metric_won.id, "weight": 50}
                    ),
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": competency.id,
                            "weight": 50,
                        }
                    ),
                ],
            }
        )
        env["sales.performance.evaluation"].create(
            {
                "employee_id": cls.employee.id,
                "date_from": JAN[0],
                "date_to": JAN[1],
                "template_id": template.id,
            }
        )
        course = env["sales.performance.training.course"].create(
            {"name": "Fuzz Course", "duration_hours": 4.0, "validity_months": 12}
        )
        session = env["sales.performance.training.session"].create(
            {
                "course_id": course.id,
                "date_start": datetime(2031, 3, 2, 9),
                "date_end": datetime(2031, 3, 2, 17),
                "capacity": 5,
            }
        )
        env["sales.performance.training.record"].create(
            {
                "employee_id": cls.employee.id,
                "course_id": course.id,
                "session_id": session.id,
            }
        )
        # company B: a salesperson, a team, a target, an employee, a plan
        cls.user_b = cls._new_user("fuzz_user_b", company=cls.company_b)
        cls.team_b = cls._new_team(
            "Fuzz Team B", members=cls.user_b, company=cls.company_b
        )
        env["hr.employee"].create(
            {
                "name": "Fuzz Otto B",
                "user_id": cls.user_b.id,
                "company_id": cls.company_b.id,
            }
        )
        env["sales.performance.target"].create(
            {
                "user_id": cls.user_b.id,
                "metric_id": cls.metric_won.id,
                "company_id": cls.company_b.id,
                "date_from": JAN[0],
                "date_to": JAN[1],
                "target_value": 1000,
            }
        )
        env["sales.performance.training.course"].create(
            {"name": "Fuzz Course B", "company_id": cls.company_b.id}
        )
        # the records created above, per model (never demo records)
        cls.own_records = {}
        cls.other_company_ids = {}
        for name, max_id in before.items():
            Model = env[name].with_context(active_test=False)
            records = Model.search([("id", ">", max_id)], order="id")
            company_field = Model._fields.get("company_id")
            if company_field and company_field.type == "many2one":
                other = records.filtered(lambda r: r.company_id == cls.company_b)
                if other:
                    cls.other_company_ids[name] = other[0].id
                records -= other
            if records:
                cls.own_records[name] = records[0].id
        for name, record in (
            ("res.users", cls.user_b),
            ("crm.team", cls.team_b),
            ("res.company", cls.company_b),
        ):
            cls.other_company_ids[name] = record.id
        cls.other_company_ids["hr.employee"] = (
            env["hr.employee"]
            .search([("company_id", "=", cls.company_b.id)], limit=1)
            .id
        )

    @classmethod
    def _model_names(cls):
        ids = (
            cls.env["ir.model.data"]
            .search([("module", "=", MODULE), ("model", "=", "ir.model")])
            .mapped("res_id")
        )
        names = cls.env["ir.model"].browse(ids).mapped("model")
        return sorted(
            name
            for name in names
            if name in cls.env and not cls.env[name]._abstract and cls.env[name]._auto
        )

    @classmethod
    def _max_id(cls, name):
        table = SQL.identifier(cls.env[name]._table)
        cls.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", table))
        return cls.env.cr.fetchone()[0]

    @classmethod
    def _discover_models(cls):
        """Every model of the addon: its own (stored, SQL views and wizards)
        and the Odoo models it adds action_* methods to."""
        names = set()
        ids = (
            cls.env["ir.model.data"]
            .search([("module", "=", MODULE), ("model", "=", "ir.model")])
            .mapped("res_id")
        )
        for name in cls.env["ir.model"].browse(ids).mapped("model"):
            if name in cls.env and not cls.env[name]._abstract:
                names.add(name)
        for name, model_class in cls.env.registry.items():
            if not model_class._abstract and _addon_methods(model_class):
                names.add(name)
        return sorted(names)

    # ------------------------------------------------------------------
    # One call
    # ------------------------------------------------------------------
    def _tables(self, model):
        Model = self.env[model]
        tables = {Model._table} if Model._auto else set()
        for field in Model._fields.values():
            if field.type == "one2many" and field.store is not False:
                comodel = self.env[field.comodel_name]
                if comodel._auto and _own_model(comodel):
                    tables.add(comodel._table)
        return sorted(tables | {"mail_message", "mail_activity"})

    def _state(self, tables, model, res_id):
        """Row counts of ``tables`` and a hash of the row ``res_id`` writes to."""
        counts = [
            SQL("(SELECT COUNT(*) FROM %s)", SQL.identifier(table)) for table in tables
        ]
        row = SQL("NULL")
        if res_id and self.env[model]._auto:
            row = SQL(
                "(SELECT md5(t::text) FROM %s t WHERE id = %s)",
                SQL.identifier(self.env[model]._table),
                int(res_id),
            )
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT %s, %s", SQL(", ").join(counts), row))
        return self.env.cr.fetchone()

    def _call(self, role, model, method, args, kwargs=None, res_id=None, vals=None):
        """Send one call; classify it; return the result on success."""
        tables = self._tables(model)
        before = self._state(tables, model, res_id)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": self.stats["calls"],
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": {"context": {"lang": "en_US"}, **(kwargs or {})},
            },
        }
        self.stats["calls"] += 1
        what = f"{role}: {model}.{method} {self._short(args)} {self._short(kwargs)}"
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload, allow_nan=True, default=str),
            headers={"Content-Type": "application/json"},
            timeout=120,
        )
        try:
            body = response.json()
        except ValueError:
            body = {
                "error": {
                    "data": {
                        "name": f"HTTP {response.status_code}",
                        "message": response.text[:200],
                    }
                }
            }
        self.env.invalidate_all()
        if "error" in body:
            data = body["error"].get("data", {})
            name = data.get("name", "?")
            if name in CLEAR:
                self.stats["clear"] += 1
                self.errors[name] += 1
            else:
                self.stats["unclear"] += 1
                self.problems.append(
                    f"UNCLEAR {name}: {data.get('message', '')[:300]} <- {what}"
                )
            if self._state(tables, model, res_id) != before:
                self.stats["saved"] += 1
                self.problems.append(f"SAVED after {name}: {what}")
            return None
        self.stats["harmless"] += 1
        result = body.get("result")
        if method in ("create", "write") and vals:
            ids = [res_id] if method == "write" else result
            ids = ids if isinstance(ids, list) else [ids]
            for problem in self._stored_problems(model, ids, vals):
                self.stats["saved"] += 1
                self.problems.append(f"STORED {problem}: {what}")
        return result

    @staticmethod
    def _short(value):
        text = repr(value) if value else ""
        return text if len(text) < 160 else text[:150] + f"...({len(text)} chars)"

    def _stored_problems(self, model, ids, vals):
        """What a successful create/write stored that it should not have."""
        problems = []
        vals = vals[0] if isinstance(vals, list) else vals
        for record in self.env[model].sudo().browse(ids).exists():
            for fname, sent in vals.items():
                field = record._fields.get(fname)
                if not field or not field.store or field.compute:
                    continue
                stored = record[fname]
                if field.type in ("float", "monetary") and (
                    not math.isfinite(stored) or abs(stored) > BOUND
                ):
                    problems.append(f"{model}.{fname} = {stored!r}")
                elif field.type == "integer" and abs(stored) > BOUND:
                    problems.append(f"{model}.{fname} = {stored!r}")
                elif field.type == "html" and stored and "<script" in str(stored):
                    problems.append(f"{model}.{fname} keeps a <script>")
                elif (
                    field.type in ("char", "text")
                    and isinstance(sent, str)
                    and not field.translate
                    and (stored or "") != sent
                    and sent.strip() == sent
                ):
                    problems.append(f"{model}.{fname} not stored as sent")
        return problems

    # ------------------------------------------------------------------
    # Hostile values
    # ------------------------------------------------------------------
    def _fields(self, model):
        return [
            f
            for f in self.env[model]._fields.values()
            if f.name not in SKIP_FIELDS
            and (f.store or f.inverse)
            and (not f.compute or f.inverse or not f.readonly)
            and not f.name.startswith(("message_", "activity_", "website_message"))
            and f.type
            not in (
                "binary",
                "properties",
                "properties_definition",
                "json",
                "reference",
                "many2one_reference",
            )
        ]

    def _variants(self, model):
        """(label, vals) hostile value sets for ``model``."""
        fields_ = self._fields(model)
        texts = [f.name for f in fields_ if f.type in TEXT_TYPES]
        numbers = [f.name for f in fields_ if f.type in NUMBER_TYPES]
        floats = [f.name for f in fields_ if f.type in ("float", "monetary")]
        dates = [f.name for f in fields_ if f.type in ("date", "datetime")]
        relations = [f for f in fields_ if f.type == "many2one"]
        selections = [f.name for f in fields_ if f.type == "selection"]
        x2many = [f.name for f in fields_ if f.type in ("one2many", "many2many")]
        variants = []
        if texts:
            variants.append(("markup", dict.fromkeys(texts, MARKUP)))
            variants.append(("control", dict.fromkeys(texts, CONTROL)))
            variants.append(("huge", {texts[0]: HUGE}))
            variants.append(("text as dict", {texts[0]: {"a": [1]}}))
        for number in NUMBERS:
            if floats:
                variants.append((f"number {number!r}", dict.fromkeys(floats, number)))
        if numbers:
            variants.append(("number as text", dict.fromkeys(numbers, "12abc")))
            variants.append(("number as list", dict.fromkeys(numbers, [1, 2])))
            variants.append(("number 2**63", dict.fromkeys(numbers, 2**63)))
        for bad in BAD_DATES if dates else ():
            variants.append((f"date {bad}", dict.fromkeys(dates, bad)))
        if dates:
            variants.append(("date as number", dict.fromkeys(dates, 20260101)))
        if relations:
            other = {
                f.name: self.other_company_ids[f.comodel_name]
                for f in relations
                if f.comodel_name in self.other_company_ids
            }
            if other:
                variants.append(("other company", other))
            variants.append(("missing ids", {f.name: 2**31 - 7 for f in relations}))
            variants.append(
                ("id as text", {f.name: "1; DROP TABLE x" for f in relations})
            )
            variants.append(("id as float", {f.name: 1.5 for f in relations}))
        if selections:
            variants.append(
                ("selection", dict.fromkeys(selections, "<script>x</script>"))
            )
        if x2many:
            variants.append(("x2many junk", dict.fromkeys(x2many, [[99, 1, 2]])))
            variants.append(("x2many text", dict.fromkeys(x2many, "1,2")))
        return variants

    def _action_args(self, model, method):
        """Hostile extra arguments of an action (by its signature)."""
        function = getattr(type(self.env[model]), method)
        params = [
            p
            for p in list(inspect.signature(function).parameters.values())[1:]
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        ]
        if not params:
            return [{}]
        sets = [
            {p.name: MARKUP for p in params},
            {p.name: NAN for p in params},
            {p.name: "10000-01-01" for p in params},
            {p.name: [2**31 - 7] for p in params},
            {p.name: HUGE for p in params[:1]},
        ]
        return sets

    # ------------------------------------------------------------------
    # The test
    # ------------------------------------------------------------------
    def _plan_calls(self):
        """(role, model, method, args, kwargs, res_id, vals) of every call:
        each model gets each hostile value set once, from a role rotating
        over those allowed to write it (and the others get refused)."""
        calls = []
        for m_index, model in enumerate(self.addon_models):
            if _own_model(self.env[model]):
                calls += self._model_calls(m_index, model)
            calls += self._action_calls(m_index, model)
        return calls

    def _allowed(self, model, operation):
        return [
            role
            for role, user in self.roles.items()
            if self.env[model].with_user(user).has_access(operation)
        ] or ["manager"]

    def _model_calls(self, m_index, model):
        roles = list(self.roles)
        Model = self.env[model]
        own_id = self.own_records.get(model)
        other_id = self.other_company_ids.get(model)

        def rotate(names, offset):
            return names[(m_index + offset) % len(names)]

        writers, creators = (
            self._allowed(model, "write"),
            self._allowed(model, "create"),
        )
        refused = [role for role in roles if role not in writers]
        variants = self._variants(model)
        calls = [(rotate(roles, 0), model, "create", [{}], None, None, {})]
        for v_index, (_label, vals) in enumerate(variants):
            if own_id:
                write = [[own_id], vals]
                calls.append(
                    (
                        rotate(writers, v_index),
                        model,
                        "write",
                        write,
                        None,
                        own_id,
                        vals,
                    )
                )
            if not own_id or v_index < 2:
                calls.append(
                    (
                        rotate(creators, v_index),
                        model,
                        "create",
                        [vals],
                        None,
                        None,
                        vals,
                    )
                )
        if own_id and refused and variants:
            vals = variants[0][1]
            write = [[own_id], vals]
            calls.append(
                (rotate(refused, 0), model, "write", write, None, own_id, vals)
            )
        if "name" in Model._fields and Model._fields["name"].store:
            domain = [["name", "ilike", "%' OR 1=1; --"]]
            kwargs = {"fields": ["display_name"], "limit": 5}
            calls.append(
                (rotate(roles, 2), model, "search_read", [domain], kwargs, None, None)
            )
        if other_id:
            for role in {rotate(roles, 3), "manager"}:
                write = [[other_id], {}]
                calls.append((role, model, "write", write, None, other_id, None))
        return calls

    def _action_calls(self, m_index, model):
        """A missing record, another company's, then ours with hostile
        arguments, for each action of the addon on ``model``."""
        roles = list(self.roles)
        own_id = self.own_records.get(model)
        other_id = self.other_company_ids.get(model)
        calls = []
        for a_index, method in enumerate(_addon_methods(type(self.env[model]))):
            offset = m_index + a_index
            if getattr(getattr(type(self.env[model]), method), "_api_model", False):
                # @api.model: no ids, hostile arguments only
                for k_index, kwargs in enumerate(self._action_args(model, method)):
                    role = roles[(offset + k_index) % 5]
                    calls.append((role, model, method, [], kwargs, None, None))
                continue
            calls.append(
                (roles[offset % 5], model, method, [[2**31 - 7]], None, None, None)
            )
            if other_id:
                role = roles[(offset + 1) % 5]
                calls.append((role, model, method, [[other_id]], None, other_id, None))
            if own_id:
                for k_index, kwargs in enumerate(self._action_args(model, method)):
                    for role in {roles[(offset + k_index + 2) % 5], "manager"}:
                        calls.append(
                            (role, model, method, [[own_id]], kwargs, own_id, None)
                        )
        return calls

    @mute_logger("odoo.http", "odoo.sql_db", "odoo.models", "odoo.service.model")
    def test_hostile_rpc_calls(self):
        self.stats = Counter(calls=0, clear=0, unclear=0, saved=0, harmless=0)
        self.errors = Counter()
        self.problems = []
        calls = self._plan_calls()
        covered_models = {call[1] for call in calls}
        covered_actions = {
            f"{c[1]}.{c[2]}" for c in calls if c[2].startswith("action_")
        }
        by_role = {role: [c for c in calls if c[0] == role] for role in self.roles}
        for role, role_calls in by_role.items():
            user = self.roles[role]
            self.authenticate(user.login, user.login)  # one session per role
            for _role, model, method, args, kwargs, res_id, vals in role_calls:
                self._call(role, model, method, args, kwargs, res_id=res_id, vals=vals)
        self.assertEqual(set(by_role), set(self.roles))
        stats = self.stats
        _logger.info(
            "FUZZ calls=%s clear=%s unclear=%s saved=%s harmless=%s models=%s "
            "actions=%s",
            stats["calls"],
            stats["clear"],
            stats["unclear"],
            stats["saved"],
            stats["harmless"],
            len(covered_models),
            len(covered_actions),
        )
        _logger.info("FUZZ errors: %s", dict(self.errors))
        for problem in self.problems:
            _logger.info("FUZZ %s", problem)
        self.assertGreaterEqual(stats["calls"], 200)
        self.assertGreater(len(covered_models), 10)
        self.assertFalse(
            self.problems,
            "%s unclear, %s saved:\n%s"
            % (stats["unclear"], stats["saved"], "\n".join(self.problems[:60])),
        )


@tagged("post_install", "-at_install", "sales_performance", "fuzz")
class TestFuzzMarkup(IncentiveCommon):
    """Text with markup is shown escaped where people read it."""

    def test_markup_is_escaped_in_reports_and_mails(self):
        evil = f"Mallory {SCRIPT}"
        self.sp1.name = evil
        plan = self._plan([self._commission("flat")], users=self.sp1)
        statement = plan.generate_statements(*JAN)
        statement.write({"payment_ref": evil})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sales_performance.action_report_incentive_statement", statement.ids
            )[0]
            .decode()
        )
        self._assert_escaped(html, "statement report")
        # the appraisal and the training transcript of an employee so named
        employee = self.env["hr.employee"].create(
            {"name": evil, "user_id": self.sp1.id}
        )
        competency = self.env.ref("sales_performance.evaluation_competency_teamwork")
        template = self.env["sales.performance.evaluation.template"].create(
            {
                "name": "Markup Template",
                "line_ids": [
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": competency.id,
                            "weight": 100,
                        }
                    )
                ],
            }
        )
        evaluation = self.env["sales.performance.evaluation"].create(
            {
                "employee_id": employee.id,
                "date_from": JAN[0],
                "date_to": JAN[1],
                "template_id": template.id,
                "self_comment": evil,
            }
        )
        for report, ids in (
            ("sales_performance.action_report_evaluation", evaluation.ids),
            ("sales_performance.action_report_training_transcript", employee.ids),
        ):
            html = self.env["ir.actions.report"]._render_qweb_html(report, ids)[0]
            self._assert_escaped(html.decode(), report)
        for template in (
            self.env["mail.template"]
            .search([("model", "=", "res.users")])
            .filtered(lambda t: t.get_external_id()[t.id].startswith(MODULE + "."))
        ):
            body = template._render_field("body_html", self.sp1.ids)[self.sp1.id]
            self._assert_escaped(str(body), template.name)

    def _assert_escaped(self, html, where):
        self.assertIn("Mallory &lt;script&gt;alert(1)&lt;/script&gt;", html, where)
        self.assertNotIn("<script>alert(1)", html, where)

    def test_views_never_output_text_unescaped(self):
        views = (
            self.env["ir.ui.view"]
            .search(
                [("type", "in", ("form", "kanban", "list")), ("model", "!=", False)]
            )
            .filtered(
                lambda v: (v.get_external_id()[v.id] or "").startswith(MODULE + ".")
            )
        )
        self.assertTrue(views)
        for view in views:
            arch = etree.fromstring(view.arch_db.encode())
            self.assertFalse(arch.xpath("//*[@t-raw]"), view.name)
            Model = self.env[view.model]
            for node in arch.xpath("//field[@widget='html']"):
                field = Model._fields.get(node.get("name"))
                self.assertEqual(
                    field.type if field else "html",
                    "html",
                    f"{view.name}: {node.get('name')} is plain text shown as html",
                )


@tagged("post_install", "-at_install", "sales_performance", "fuzz")
class TestFuzzValueGuard(IncentiveCommon):
    """The addon's models refuse values Odoo cannot store with a
    ValidationError naming the field (models/base.py), and still take what
    Odoo takes."""

    def _draft_target(self):
        return self.env["sales.performance.target"].create(
            {
                "user_id": self.sp3.id,
                "metric_id": self.metric_won.id,
                "date_from": JAN[0],
                "date_to": JAN[1],
                "target_value": 10.0,
            }
        )

    def test_malformed_values_are_validation_errors(self):
        target = self._draft_target()
        Target = self.env["sales.performance.target"]
        for vals in (
            {"target_value": "12abc"},
            {"target_value": [1, 2]},
            {"target_value": float("nan")},
            {"target_value": float("inf")},
            {"target_value": float("-inf")},
            {"target_value": 1e308},
            {"user_id": "1; DROP TABLE res_users"},
            {"user_id": 1.5},
            {"state": ["draft"]},
            {"date_from": "2026-02-30"},
            {"date_to": 20260101},
            {"state": "<script>"},
            {"description": "a\x00b"},
            {"child_ids": [[99, 1, 2]]},
            {"child_ids": "1,2"},
            {"user_id": -5},
            {"rank": 2**40},
        ):
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError) as caught:
                    target.write(vals)
                label = target._fields[next(iter(vals))].string
                self.assertIn(label, str(caught.exception))
                with self.assertRaises(ValidationError):
                    Target.create(
                        {
                            "user_id": self.sp3.id,
                            "metric_id": self.metric_won.id,
                            "date_from": FEB[0],
                            "date_to": FEB[1],
                            "target_value": 1.0,
                            **vals,
                        }
                    )

    def test_values_odoo_takes_are_still_taken(self):
        target = self._draft_target()
        target.write(
            {
                "target_value": "1234.5",
                "description": "Plain <b>text</b> \u202e kept",
                "date_to": "2031-01-31 00:00:00",
            }
        )
        self.assertEqual(target.target_value, 1234.5)
        self.assertEqual(target.description, "Plain <b>text</b> \u202e kept")
        self.assertEqual(str(target.date_to), "2031-01-31")
        # other models (not the addon's) keep Odoo's own behaviour
        self.sp1.partner_id.write({"comment": "x"})
