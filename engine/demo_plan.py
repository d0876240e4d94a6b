"""The plan of the demo organisation: who is who, and a year of deals.

Pure Python (no Odoo): ``models/sales_performance_demo.py`` turns this plan
into records. Everything random comes from one ``random.Random(seed)``, so
the same seed and the same day give the same organisation; dates are
relative to ``today`` so the history always ends today.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

SEED = 2026
MONTHS = 12

# The three teams: (key, name, time zone of its people).
TEAMS = [
    ("key", "Key Accounts East", "Asia/Shanghai"),
    ("mid", "Mid-Market Europe", "Europe/Brussels"),
    ("inside", "Inside Sales Americas", "America/New_York"),
]

# How each kind of salesperson sells: opportunities opened per month, share
# won and lost among those decided, typical deal size, days to decide, and
# share of invoices paid late or partly.
PROFILES = {
    "top": {
        "opps": 5,
        "win": 0.55,
        "amount": 14000,
        "cycle": 25,
        "late": 0.10,
        "partial": 0.10,
    },
    "steady": {
        "opps": 3,
        "win": 0.42,
        "amount": 9000,
        "cycle": 30,
        "late": 0.15,
        "partial": 0.10,
    },
    "thin": {
        "opps": 1.5,
        "win": 0.45,
        "amount": 8000,
        "cycle": 40,
        "late": 0.25,
        "partial": 0.15,
    },
    "new": {
        "opps": 2.5,
        "win": 0.30,
        "amount": 6000,
        "cycle": 30,
        "late": 0.20,
        "partial": 0.10,
    },
}

# What the year-to-date confirmed sales of each profile should look like
# against the annual target: the status the demo target shows, and the ratio
# forecast / target (or achieved / target once achieved) that gives it.
WANTED_STATUS = {
    "top": ("achieved", 1.08),
    "steady": ("on_track", 1.04),
    "thin": ("at_risk", 0.88),
    "new": ("off_track", 0.62),
}

# key, name, team, role, profile, job key, months since hired (None: years)
PEOPLE = [
    ("helen", "Helen Zhao", None, "head", None, "head", None),
    ("grace", "Grace Lin", None, "hr", None, "hr", None),
    ("lina", "Li Na", "key", "leader", None, "leader", None),
    ("wangfang", "Wang Fang", "key", "salesperson", "top", "senior", None),
    ("zhanglei", "Zhang Lei", "key", "salesperson", "steady", "ae", None),
    ("liuyang", "Liu Yang", "key", "salesperson", "thin", "ae", None),
    ("sunmei", "Sun Mei", "key", "salesperson", "new", "ae", 3),
    ("thomas", "Thomas Meyer", "mid", "leader", None, "leader", None),
    ("lukas", "Lukas Becker", "mid", "salesperson", "top", "senior", None),
    ("sophie", "Sophie Laurent", "mid", "salesperson", "steady", "ae", None),
    ("elena", "Elena Rossi", "mid", "salesperson", "steady", "ae", None),
    ("jan", "Jan de Vries", "mid", "salesperson", "thin", "ae", None),
    ("rachel", "Rachel Adams", "inside", "leader", None, "leader", None),
    ("emily", "Emily Davis", "inside", "salesperson", "top", "senior", None),
    ("mike", "Mike Johnson", "inside", "salesperson", "steady", "ae", None),
    ("priya", "Priya Patel", "inside", "salesperson", "steady", "ae", None),
    ("carlos", "Carlos Gomez", "inside", "salesperson", "new", "ae", 5),
]

JOBS = {
    "head": "Head of Sales",
    "leader": "Sales Team Leader",
    "senior": "Senior Account Executive",
    "ae": "Account Executive",
    "hr": "HR Business Partner",
}

OPEN_STAGES = ("new", "qualified", "proposition")


def team_tz(team_key):
    return {key: tz for key, _name, tz in TEAMS}[team_key]


def person_tz(person):
    """Time zone of a person: their team's, the company's HQ otherwise."""
    team_key = person[2]
    return team_tz(team_key) if team_key else "Asia/Shanghai"


def salespeople():
    return [p for p in PEOPLE if p[3] == "salesperson"]


def month_start(today, offset):
    """First day of the month ``offset`` months before ``today``'s."""
    return today.replace(day=1) - relativedelta(months=offset)


def hire_date(person, today):
    months = person[6]
    if months is None:
        return today.replace(day=1) - relativedelta(years=3, months=2)
    return month_start(today, months)


def local_to_utc(day, hour, tz_name):
    """The naive UTC datetime of ``hour`` o'clock on ``day`` in ``tz_name``."""
    local = datetime.combine(day, time(hour)).replace(tzinfo=ZoneInfo(tz_name))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def plan_deals(today, seed=SEED, months=MONTHS):
    """The opportunities of every salesperson over the ``months`` months
    ending ``today`` (this month included), as a list of dicts:

    ``person`` (key), ``created`` (date), ``outcome`` (won, lost, open),
    ``closed`` (date, won/lost), ``stage`` (open: new, qualified,
    proposition), ``amount``, ``probability``, ``quotation`` (open deals
    with a quotation sent), ``invoice`` (date or None), ``payment`` (None,
    "full", "partial", "late", "unpaid"), ``paid_on`` (date or None),
    ``refund`` (share of the invoice credited back, 0 when none),
    ``hour`` (local hour of the events).
    """
    rng = random.Random(seed)
    deals = []
    first_month = month_start(today, months - 1)
    for person in salespeople():
        key, profile_key = person[0], person[4]
        profile = PROFILES[profile_key]
        start = max(first_month, hire_date(person, today))
        month = start
        while month <= today:
            count = max(1, round(rng.gauss(profile["opps"], 1)))
            month_end = min(month + relativedelta(months=1, days=-1), today)
            for _index in range(count):
                created = month + timedelta(days=rng.randint(0, month_end.day - 1))
                deals.append(_plan_deal(rng, key, profile, created, today))
            month += relativedelta(months=1)
    return deals


def _plan_deal(rng, key, profile, created, today):
    amount = round(max(800.0, rng.gauss(profile["amount"], profile["amount"] * 0.35)))
    amount = round(amount / 50) * 50
    closed = created + timedelta(days=rng.randint(5, profile["cycle"] * 2))
    deal = {
        "person": key,
        "created": created,
        "amount": float(amount),
        "hour": rng.randint(9, 17),
        "outcome": "open",
        "closed": None,
        "stage": None,
        "probability": 0.0,
        "quotation": False,
        "invoice": None,
        "payment": None,
        "paid_on": None,
        "refund": 0.0,
        "lost_reason": None,
    }
    draw = rng.random()
    if closed > today:
        deal["stage"] = rng.choice(OPEN_STAGES)
        deal["probability"] = {"new": 10.0, "qualified": 30.0, "proposition": 60.0}[
            deal["stage"]
        ]
        deal["quotation"] = deal["stage"] == "proposition"
        deal["expected_close"] = closed
        return deal
    if draw < profile["win"]:
        deal.update(outcome="won", closed=closed, probability=100.0)
        _plan_invoice(rng, deal, profile, today)
    else:
        deal.update(outcome="lost", closed=closed, lost_reason=rng.randint(0, 2))
    return deal


def _plan_invoice(rng, deal, profile, today):
    invoice = deal["closed"] + timedelta(days=rng.randint(1, 12))
    if invoice > today:
        return
    deal["invoice"] = invoice
    draw = rng.random()
    if draw < profile["late"]:
        deal["payment"], paid_on = "late", invoice + timedelta(rng.randint(40, 80))
    elif draw < profile["late"] + profile["partial"]:
        deal["payment"], paid_on = "partial", invoice + timedelta(rng.randint(10, 30))
    else:
        deal["payment"], paid_on = "full", invoice + timedelta(rng.randint(5, 30))
    if paid_on > today:
        deal["payment"], paid_on = "unpaid", None
    deal["paid_on"] = paid_on
    if rng.random() < 0.06:
        deal["refund"] = rng.choice((0.1, 0.2, 1.0))


def target_for_status(achieved, forecast, wanted):
    """The target value that gives ``wanted`` = (status, ratio) for a target
    whose period figures are ``achieved`` so far and ``forecast`` at its end:
    achieved ÷ ratio for *achieved* (reached already), forecast ÷ ratio for
    the others (on track ≥ 1, at risk between the at-risk share and 1, off
    track below it). Rounded to hundreds, never below 100."""
    status, ratio = wanted
    basis = achieved if status == "achieved" else forecast
    if ratio <= 0:
        raise ValueError("The ratio must be positive.")
    value = basis / ratio
    if status == "achieved":
        # rounding down keeps the target reached
        return max(100.0, float(int(value // 100) * 100))
    return max(100.0, float(round(value / 100) * 100))


def months_with_documents(deals):
    """The first days of the months in which a deal was opened, closed,
    invoiced or paid."""
    days = set()
    for deal in deals:
        for key in ("created", "closed", "invoice", "paid_on"):
            if deal.get(key):
                days.add(deal[key].replace(day=1))
    return days
