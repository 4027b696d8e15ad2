# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Demo data of the collections: French debtors, their invoices and history.

Everything is generated relative to the install date so that the demo always
looks alive: invoices of the last six months, payments on time, late, partial
or missing, nine months of weekly collections runs, and reminders due today
for the demo user's first "Run now".  A second group of debtors have
persistent habits (:data:`HABITS`: they pay after the first reminder, after
the call, after the formal notice, or never), their payments triggered by
the reminders the runs send: the history the scenario advisor learns from.

A plain module, not a model: production databases never load it.  The demo
data of the addon (``demo/dunning_demo_data.xml``) calls
``res.company._dunning_demo_generate``, which imports this module and calls
:func:`generate`.  The generated data needs a chart of accounts: install the
accounting and its chart first (``setup/run.sh`` does, for a French company),
or let ``account``'s own demo data load the generic chart (company without a
country or in the United States, as in ``setup/test.sh``).
"""

import logging
import math
import random
import re
import unicodedata
from datetime import timedelta
from typing import NamedTuple

from odoo import Command, fields

from .challenger import _create_challenger_demo

_logger = logging.getLogger(__name__)

SEED = 20260101
TAG_XMLID_PREFIX = "account_dunning_advanced.res_partner_category_demo_"
#: Weekly runs over the past: nine months, the history of the habits below
#: (the scenario advisor needs a few hundred reminders to judge a level).
HISTORY_WEEKS = 39

# The company's bank account (La Banque Postale, Lyon), for the bank details
# of the reminder letters and the transfer block of the payment page.
COMPANY_BANK = {"name": "La Banque Postale", "bic": "PSSTFRPPLYO"}
COMPANY_IBAN = "FR1420041010050500013M02606"

# Payment behaviours.
GOOD, LATE, PARTIAL, BAD = "good", "late", "partial", "bad"
# Persistent habits (the scenario advisor's demo): what makes the debtor pay,
# whatever the invoice: the first reminder after the due date, the level
# with a phone call, the formal notice, nothing.
FIRST_EMAIL, AFTER_CALL, AFTER_NOTICE, NEVER = (
    "first_email",
    "after_call",
    "after_notice",
    "never",
)
HABITS = (FIRST_EMAIL, AFTER_CALL, AFTER_NOTICE, NEVER)
#: Their own random stream: the debtors above keep their figures.
HABIT_SEED = SEED + 16
#: Days of due dates of their invoices, back from today.
HABIT_DAYS = 260
#: Share of their invoices paid at a random date, whatever the reminders.
HABIT_NOISE = 0.1


class DebtorSpec(NamedTuple):
    """A demo debtor: identity, payment behaviour and special flags."""

    name: str
    street: str
    zip_code: str
    city: str
    area: str  # first digit of the French landline numbers of the region
    behaviour: str
    # Space-separated: key, risk, opt_out, paused, no_contact, no_role,
    # invoice_address.
    flags: str = ""


DEBTORS = [
    # Key accounts: "Key accounts (gentle)" scenario, whole account mode.
    DebtorSpec("Groupe Hôtelier Belle Rive", "8 promenade des Anglais", "06000",
               "Nice", "4", LATE, "key"),
    DebtorSpec("Clinique Saint-Roch", "560 avenue du Père Soulas", "34000",
               "Montpellier", "4", GOOD, "key"),
    DebtorSpec("Société Lyonnaise de Restauration", "41 cours Lafayette", "69003",
               "Lyon", "4", LATE, "key"),
    DebtorSpec("Menuiseries Roussel & Fils", "17 rue de la Fosse", "44000",
               "Nantes", "2", PARTIAL, "key"),
    DebtorSpec("Cave Coopérative des Coteaux", "3 quai des Chartrons", "33000",
               "Bordeaux", "5", GOOD, "key"),
    # High risk: "High risk (strict)" scenario.
    DebtorSpec("Bâtiment Rénovation Durand", "112 boulevard Michelet", "13008",
               "Marseille", "4", BAD, "risk"),
    DebtorSpec("Transports Express Lemaire", "25 rue de Tournai", "59000",
               "Lille", "3", BAD, "risk"),
    DebtorSpec("Garage Central Auto", "9 allée Jean Jaurès", "31000",
               "Toulouse", "5", PARTIAL, "risk"),
    DebtorSpec("Événements Prestige Organisation", "64 rue Oberkampf", "75011",
               "Paris", "1", BAD, "risk"),
    DebtorSpec("Imprimerie Nouvelle Vasseur", "5 rue Jeanne d'Arc", "76000",
               "Rouen", "2", LATE, "risk"),
    # Everybody else: the default "Standard B2B" scenario.
    DebtorSpec("Boulangerie Artisanale Morel", "12 rue des Tanneurs", "69002",
               "Lyon", "4", GOOD),
    DebtorSpec("Cabinet d'Architecture Faure", "2 place Grenette", "38000",
               "Grenoble", "4", GOOD),
    DebtorSpec("Pharmacie du Marché", "30 rue du Vieux-Marché-aux-Poissons",
               "67000", "Strasbourg", "3", GOOD),
    DebtorSpec("Librairie Le Point Virgule", "7 rue Saint-Malo", "35000",
               "Rennes", "2", GOOD),
    DebtorSpec("Atelier Mécanique Girard", "48 rue de la Montat", "42000",
               "Saint-Étienne", "4", LATE),
    DebtorSpec("Fromagerie Lambert", "14 rue Sainte-Claire", "74000",
               "Annecy", "4", GOOD),
    DebtorSpec("Hôtel Le Relais du Port", "1 quai Duperré", "17000",
               "La Rochelle", "5", LATE),
    DebtorSpec("Électricité Générale Bonnet", "23 rue de la Liberté", "21000",
               "Dijon", "3", BAD),
    DebtorSpec("Paysages & Jardins Mercier", "88 route de Nantes", "49000",
               "Angers", "2", GOOD),
    DebtorSpec("Laboratoire d'Analyses Chevalier", "10 place de Jaude", "63000",
               "Clermont-Ferrand", "4", LATE),
    DebtorSpec("Plomberie Chauffage Blanc", "56 rue de Vesle", "51100",
               "Reims", "3", PARTIAL),
    DebtorSpec("Agence Immobilière Dupuis", "19 rue Nationale", "37000",
               "Tours", "2", GOOD),
    DebtorSpec("Restaurant La Table de Louise", "6 rue de Buci", "75006",
               "Paris", "1", LATE),
    DebtorSpec("Transports Fontaine", "140 faubourg Bannier", "45000",
               "Orléans", "2", BAD),
    DebtorSpec("Ébénisterie Perrin", "4 rue Battant", "25000",
               "Besançon", "3", GOOD),
    DebtorSpec("Auto-École Rousseau", "27 avenue Garibaldi", "87000",
               "Limoges", "5", LATE),
    DebtorSpec("Carrosserie Moulin", "71 route de Thionville", "57000",
               "Metz", "3", PARTIAL),
    DebtorSpec("Studio Graphique Garnier", "33 rue Crébillon", "44100",
               "Nantes", "2", GOOD),
    DebtorSpec("Boucherie Charcuterie Marchand", "15 rue Saint-Jean", "14000",
               "Caen", "2", LATE),
    DebtorSpec("Centre Équestre des Pins", "200 allée des Dunes", "33120",
               "Arcachon", "5", BAD),
    DebtorSpec("Informatique Services Leroy", "9 rue Saint-Dizier", "54000",
               "Nancy", "3", GOOD),
    DebtorSpec("Traiteur Les Délices de Camille", "22 cours Mirabeau", "13100",
               "Aix-en-Provence", "4", PARTIAL),
    DebtorSpec("Serrurerie Henry", "46 boulevard de Strasbourg", "83000",
               "Toulon", "4", LATE),
    DebtorSpec("Camping Les Oliviers", "Chemin de la Barthelasse", "84000",
               "Avignon", "4", BAD),
    DebtorSpec("Domaine Viticole Arnaud", "5 rue d'Alsace", "21200",
               "Beaune", "3", LATE),
    # Fallbacks: nobody holds a role, the reminders go elsewhere.
    DebtorSpec("Fleurs & Créations Bertin", "11 rue Carnot", "86000",
               "Poitiers", "5", LATE, "no_contact"),
    DebtorSpec("Quincaillerie Picard", "38 rue des Trois-Cailloux", "80000",
               "Amiens", "2", BAD, "invoice_address"),
    DebtorSpec("Salon de Coiffure Élégance", "3 place de la Loge", "66000",
               "Perpignan", "4", BAD, "no_role"),
    # Never reminded, or not for now.
    DebtorSpec("Centre Hospitalier de Valmont", "1 avenue des Tilleuls", "26000",
               "Valence", "4", BAD, "opt_out"),
    DebtorSpec("Scierie Vidal", "Zone artisanale du Pont-Long", "64000",
               "Pau", "5", BAD, "paused"),
]  # fmt: skip

# Invoices due around today for some debtors, in days from today, so that the
# demo user's first "Run now" has reminders to create: the first reminder of
# the standard scenario (D+5), its courtesy reminder (D-2), the D-5 and D+1
# levels of the strict scenario and the friendly statement of key accounts.
DUE_AROUND_TODAY = {
    "Atelier Mécanique Girard": -5,
    "Hôtel Le Relais du Port": -5,
    "Restaurant La Table de Louise": -5,
    "Cabinet d'Architecture Faure": 2,
    "Paysages & Jardins Mercier": 2,
    "Agence Immobilière Dupuis": 1,
    "Transports Express Lemaire": 5,
    "Imprimerie Nouvelle Vasseur": -1,
    "Clinique Saint-Roch": -10,
}
# The debtors with a habit: standard scenario, key accounts for the calls.
HABIT_DEBTORS = [
    DebtorSpec("Menuiserie Aubert", "5 rue des Forges", "18000", "Bourges",
               "2", FIRST_EMAIL),
    DebtorSpec("Opticiens Lemoine", "18 rue Thiers", "10000", "Troyes", "3",
               FIRST_EMAIL),
    DebtorSpec("Garage des Quatre Routes", "2 route de Paris", "72000",
               "Le Mans", "2", FIRST_EMAIL),
    DebtorSpec("Pâtisserie Colin", "9 place du Marché", "29000", "Quimper",
               "2", FIRST_EMAIL),
    DebtorSpec("Cabinet Comptable Renaud", "27 boulevard Carnot", "62000",
               "Arras", "3", FIRST_EMAIL),
    DebtorSpec("Jardinerie Barbier", "140 avenue de Lyon", "73000",
               "Chambéry", "4", FIRST_EMAIL),
    DebtorSpec("Imprimerie du Centre", "11 rue Porte-Jeune", "68100",
               "Mulhouse", "3", FIRST_EMAIL),
    DebtorSpec("Brasserie des Halles", "4 place des Halles", "41000", "Blois",
               "2", FIRST_EMAIL),
    DebtorSpec("Charpente Gauthier", "Zone artisanale des Prés", "88000",
               "Épinal", "3", FIRST_EMAIL),
    DebtorSpec("Pressing Étoile", "31 rue de Siam", "29200", "Brest", "2",
               FIRST_EMAIL),
    DebtorSpec("Maçonnerie Lucas", "7 chemin des Vignes", "30000", "Nîmes",
               "4", AFTER_NOTICE),
    DebtorSpec("Discothèque Le Phare", "1 boulevard de la Plage", "85100",
               "Les Sables-d'Olonne", "2", AFTER_NOTICE),
    DebtorSpec("Peinture Déco Fabre", "66 avenue Jean Médecin", "06000",
               "Nice", "4", AFTER_NOTICE),
    DebtorSpec("Couverture Schmitt", "3 rue du Rhin", "67100", "Strasbourg",
               "3", AFTER_NOTICE),
    DebtorSpec("Traiteur Royal Gourmet", "45 rue Paradis", "13001",
               "Marseille", "4", AFTER_NOTICE),
    DebtorSpec("Auto Pièces Marchal", "12 rue de Verdun", "55100", "Verdun",
               "3", AFTER_NOTICE),
    DebtorSpec("Salle de Sport Énergie", "80 rue de Paris", "95000",
               "Cergy", "1", NEVER),
    DebtorSpec("Bar Le Central", "2 place de la République", "03000",
               "Moulins", "4", NEVER),
    DebtorSpec("Hôtel du Golf", "Route du Golf", "64200", "Biarritz", "5",
               AFTER_CALL, "key"),
    DebtorSpec("Groupe Scolaire Saint-Exupéry", "9 allée des Écoles", "31400",
               "Toulouse", "5", AFTER_CALL, "key"),
    DebtorSpec("Maison de Retraite Les Glycines", "15 rue des Lilas", "37100",
               "Tours", "2", AFTER_CALL, "key"),
    DebtorSpec("Centre Commercial Grand Ouest", "Route de Rennes", "44300",
               "Nantes", "2", AFTER_CALL, "key"),
    DebtorSpec("Golf Club de Lyon", "Chemin du Golf", "69280", "Marcy-l'Étoile",
               "4", AFTER_CALL, "key"),
    DebtorSpec("Résidence Hôtelière Azur", "10 boulevard de la Croisette",
               "06400", "Cannes", "4", AFTER_CALL, "key"),
]  # fmt: skip
CREDIT_NOTE_DEBTOR = "Laboratoire d'Analyses Chevalier"
DISPUTED_DEBTOR = "Électricité Générale Bonnet"

FIRST_NAMES = [
    "Camille", "Julien", "Sophie", "Nicolas", "Isabelle", "Thomas", "Nathalie",
    "Antoine", "Céline", "Mathieu", "Aurélie", "Sébastien", "Émilie", "Laurent",
    "Claire", "François", "Hélène", "Olivier", "Manon", "Pierre", "Sandrine",
    "Guillaume", "Valérie", "Jérôme", "Chloé", "Benoît", "Élodie", "Xavier",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
    "Durand", "Leroux", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel",
    "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin",
]  # fmt: skip
# Role code -> job titles of the contacts holding it.
JOB_TITLES = {
    "accounting": ["Comptable fournisseurs", "Responsable comptable",
                   "Assistante de gestion", "Chef comptable"],
    "management": ["Gérant", "Directrice générale", "Directeur administratif "
                   "et financier", "Président"],
    "purchasing": ["Responsable des achats", "Acheteuse"],
    "sales": ["Chargé de clientèle", "Responsable commerciale"],
    "legal": ["Juriste", "Responsable juridique"],
}  # fmt: skip
INVOICE_LABELS = [
    "Maintenance préventive des installations",
    "Prestation de conseil",
    "Fourniture de matériel",
    "Formation du personnel (2 jours)",
    "Location de matériel",
    "Intervention de dépannage",
    "Abonnement logiciel de gestion",
    "Installation et mise en service",
    "Audit énergétique",
    "Nettoyage des locaux",
    "Contrat d'entretien annuel",
    "Transport et livraison",
]


class InvoicePlan(NamedTuple):
    """An invoice to create and the payments to register for it.

    ``payments``: list of (date, share of the total), in date order.
    """

    invoice_date: object
    due_date: object
    untaxed: float
    payments: list


def slugify(text, sep="-"):
    """Return text in lower-case ASCII words joined by sep (for e-mails)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
    return sep.join(re.findall(r"[a-z0-9]+", ascii_text.decode().lower()))


# ----------------------------------------------------------------------
# Entry point
# ----------------------------------------------------------------------
def generate(env):
    """Create the demo debtors, invoices, payments and reminder history.

    For the main company, in its sale journal, as the administrator (the
    collector of the demo); a company without a chart of accounts gets
    nothing (a warning is logged).  Only records created here are deleted
    here (the e-mails and text messages queued to the fake addresses).

    :return: True (an XML ``<function>`` needs a value)
    """
    company = env.ref("base.main_company")
    journal = _get_sale_journal(env, company)
    if not journal.default_account_id:
        _logger.warning(
            "Collections demo data skipped: %s has no chart of accounts "
            "(no sale journal with an income account). Install the accounting "
            "and its chart of accounts before account_dunning_advanced.",
            company.name,
        )
        return True
    collector = env.ref("base.user_admin", raise_if_not_found=False)
    demo_env = (
        env["res.company"]
        .with_user(collector or env.user)
        .sudo()
        .with_company(company)
        .with_context(mail_notify_force_send=False)
        .env
    )
    _generate_for(demo_env, company, journal.with_env(demo_env))
    return True


def _create_proceeding(env, company, today, debtors):
    """Put one high-risk debtor in receivership, judged 20 days ago and
    published in the BODACC 12 days ago: its earlier debts are stayed."""
    debtor = next(
        (
            partner
            for partner, _address, spec in debtors
            if spec.name.startswith("Transports")
        ),
        None,
    )
    if not debtor:
        return
    representative = env["res.partner"].create(
        {
            "name": "SELARL Mandataires du Nord",
            "is_company": True,
            "street": "12 rue Nationale",
            "zip": "59000",
            "city": "Lille",
            "country_id": env.ref("base.fr").id,
            "email": "mj-nord@example.com",
        }
    )
    env["dunning.proceeding"].create(
        {
            "company_id": company.id,
            "partner_id": debtor.id,
            "kind": "receivership",
            "judgment_date": today - timedelta(days=20),
            "bodacc_date": today - timedelta(days=12),
            "court": "Tribunal de commerce de Lille Métropole",
            "representative_id": representative.id,
        }
    ).action_confirm()


def _create_credit_insurance(env, company, today, debtors):
    """A credit insurance policy and one insured debtor over its limit: the
    debtor owing the most (not in proceedings), insured for half of it; its
    declaration activity is planned."""
    Limit = env["dunning.credit.limit"]
    partners = env["res.partner"].union(*(partner for partner, _a, _s in debtors))
    partners = partners.filtered(lambda p: not p.dunning_in_proceedings)
    exposures = Limit._dunning_exposures(partners, company)
    if not exposures:
        return
    debtor_id, exposure = max(exposures.items(), key=lambda item: item[1])
    if exposure < 200:
        return
    insurer = env["res.partner"].create(
        {
            "name": "Assurance Crédit Démo",
            "is_company": True,
            "street": "1 place de la Bourse",
            "zip": "75002",
            "city": "Paris",
            "country_id": env.ref("base.fr").id,
        }
    )
    policy = env["dunning.credit.policy"].create(
        {"company_id": company.id, "name": "PC-2025-0042", "insurer_id": insurer.id}
    )
    Limit.create(
        {
            "policy_id": policy.id,
            "partner_id": debtor_id,
            "amount": (exposure // 200) * 100,
            "date_start": today - timedelta(days=365),
        }
    )
    Limit._cron_declaration_activities(today)


def _get_sale_journal(env, company):
    """Return the first sale journal of company (empty without a chart)."""
    return env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
    )


def _generate_for(env, company, journal):
    """Generate everything for company, invoicing in journal."""
    rng = random.Random(SEED)
    today = fields.Date.context_today(env["res.company"])
    last_mail = env["mail.mail"].search([], order="id desc", limit=1)
    last_sms = env["sms.sms"].search([], order="id desc", limit=1)
    debtors = _create_debtors(env, rng, today)
    invoices, payments = _create_invoices(env, rng, journal, debtors, today)
    habit_rng = random.Random(HABIT_SEED)
    habit_debtors = _create_debtors(
        env, habit_rng, today, HABIT_DEBTORS, start=len(DEBTORS) + 1
    )
    habit_invoices, habit_payments = _create_habit_invoices(
        env, habit_rng, journal, habit_debtors, today
    )
    payments = sorted(payments + habit_payments, key=lambda p: (p[0], p[1].id))
    habits = {partner.id: spec.behaviour for partner, _address, spec in habit_debtors}
    _assign_collectors(env, debtors + habit_debtors)
    # Champion/challenger: half of the default scenario's debtors chased by a
    # faster variant over the last ten weeks of the history.
    _create_challenger_demo(env, company)
    runs = _simulate_history(
        env, company, today, payments, habits=habits, rng=habit_rng
    )
    debtors += habit_debtors
    invoices |= habit_invoices
    _create_company_bank_account(env, company)
    _create_proceeding(env, company, today, debtors)
    _create_credit_insurance(env, company, today, debtors)
    actions = runs.action_ids
    _create_payment_order(env, actions)
    _create_written_off_debt(env, company, today, invoices)
    # Ids are 0 on a database that never queued a message (a fresh install).
    _unlink_queued_messages(env, last_mail.id or 0, last_sms.id or 0)
    _logger.info(
        "Collections demo data: %s debtors, %s invoices, %s payments, %s runs, "
        "%s actions (%s to validate).",
        len(debtors),
        len(invoices),
        len(payments),
        len(runs),
        len(actions),
        len(actions.filtered(lambda a: a.state == "draft")),
    )


def _create_payment_order(env, actions):
    """One debtor with a payment order to file: the one that reached the
    latest level (a formal notice first); the request is prefilled from what
    it owes."""
    last = actions.filtered(lambda a: a.state == "done").sorted(
        lambda a: (a.level_id.level_type == "formal_notice", a.level_id.delay_days)
    )[-1:]
    if last:
        env["dunning.payment.order"].create(
            {
                "partner_id": last.partner_id.id,
                "company_id": last.company_id.id,
                "formal_notice_id": last.level_id.level_type == "formal_notice"
                and last.id,
            }
        )


#: The accounts of the doubtful debts missing from a chart other than the
#: French one (the demo company's generic chart): (key of
#: ``res.company._get_dunning_books_accounts``, code, name, type).
BOOKS_ACCOUNTS = [
    ("doubtful", "416000", "Clients douteux ou litigieux", "asset_current"),
    ("provision", "491000", "Dépréciations des comptes clients", "asset_current"),
    (
        "provision_expense",
        "681700",
        "Dotations aux dépréciations des actifs circulants",
        "expense",
    ),
    (
        "provision_reversal",
        "781700",
        "Reprises sur dépréciations des actifs circulants",
        "income_other",
    ),
    ("loss", "654000", "Pertes sur créances irrécouvrables", "expense"),
    ("recovery", "771400", "Recouvrements sur créances amorties", "income_other"),
]
#: The debtors that may be written off in the demo, first one not taken.
WRITTEN_OFF_DEBTORS = ("Événements Prestige Organisation", "Transports Fontaine")


def _create_books_accounts(env, company):
    """Create the doubtful-debts accounts the company's chart lacks (none
    with the French chart), 416 reconcilable."""
    found = company._get_dunning_books_accounts(raise_if_missing=False)
    Account = env["account.account"].with_company(company)
    for key, code, name, account_type in BOOKS_ACCOUNTS:
        if not found[key]:
            Account.create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": key == "doubtful",
                    "company_ids": [Command.set(company.ids)],
                }
            )


def _create_written_off_debt(env, company, today, invoices):
    """One debtor written off: its oldest open invoice (more than four months
    late) moved to doubtful debts three months ago, provisioned at 50 % two
    months ago, then written off as
    irrecoverable ten days ago (a liquidation closed for lack of assets):
    the doubtful-debts screens and the books show the whole path."""
    ordered = [
        partner
        for name in WRITTEN_OFF_DEBTORS
        for partner in invoices.commercial_partner_id
        if partner.name == name
        and not partner.sudo().dunning_in_proceedings
        and not env["dunning.payment.order"].search_count(
            [("partner_id", "=", partner.id)]
        )
    ]
    open_invoices = invoices.filtered(
        lambda move: ordered
        and move.commercial_partner_id == ordered[0]
        and move.amount_residual > 0
        and move.invoice_date_due < today - timedelta(days=120)
    ).sorted("invoice_date_due")[:1]
    if not open_invoices:
        return
    _create_books_accounts(env, company)
    Debt = env["dunning.doubtful.debt"].with_company(company)
    debt = Debt._dunning_transfer(open_invoices, today - timedelta(days=90))
    debt._dunning_set_provision(50.0, today - timedelta(days=60))
    debt._dunning_write_off(today - timedelta(days=10))


# ----------------------------------------------------------------------
# Debtors and contacts
# ----------------------------------------------------------------------
def _assign_collectors(env, debtors):
    """Split the debtors between two collectors, one in two each: the
    administrator and, when Odoo's demo user exists, Marc Demo (made a
    collections user), so that the figures per collector (cockpit, Collections
    dashboard) show two people. One write per collector.

    :param debtors: list of (debtor, invoice address, spec).
    """
    collectors = env.ref("base.user_admin")
    demo = env.ref("base.user_demo", raise_if_not_found=False)
    if demo:
        group = env.ref("account_dunning_advanced.group_dunning_user")
        demo.sudo().write({"groups_id": [Command.link(group.id)]})
        collectors |= demo
    for index, collector in enumerate(collectors):
        partners = env["res.partner"].union(
            *(debtor for debtor, _address, _spec in debtors[index :: len(collectors)])
        )
        partners.with_context(tracking_disable=True).write(
            {"dunning_collector_id": collector.id}
        )


def _create_debtors(env, rng, today, specs=None, start=1):
    """Create the debtor companies and their contacts.

    :param specs: the DebtorSpec list (default DEBTORS); start: the number
        of the first one's reference.
    :return: list of (debtor, invoice address, spec), the invoice address
        being the partner the invoices are made out to.
    """
    specs = DEBTORS if specs is None else specs
    Partner = env["res.partner"].with_context(
        tracking_disable=True, mail_create_nosubscribe=True
    )
    companies = Partner.create(
        [
            _prepare_debtor_vals(env, index, spec, rng, today)
            for index, spec in enumerate(specs, start=start)
        ]
    )
    contact_vals = [
        vals
        for debtor, spec in zip(companies, specs, strict=True)
        for vals in _prepare_contact_vals(env, debtor, spec, rng)
    ]
    contacts = Partner.create(contact_vals)
    result = []
    for debtor, spec in zip(companies, specs, strict=True):
        invoice_address = contacts.filtered(
            lambda c, d=debtor: c.parent_id == d and c.type == "invoice"
        )
        result.append((debtor, invoice_address or debtor, spec))
    return result


def _prepare_debtor_vals(env, index, spec, rng, today):
    """Return the values of the debtor company described by spec."""
    ref = env.ref
    domain = f"{slugify(spec.name)}.example"
    flags = spec.flags.split()
    vals = {
        "name": spec.name,
        "is_company": True,
        "ref": f"C{10000 + index}",
        "street": spec.street,
        "zip": spec.zip_code,
        "city": spec.city,
        "country_id": ref("base.fr").id,
        "email": f"contact@{domain}",
        "phone": _landline(rng, spec.area),
        "website": f"https://www.{domain}",
    }
    lang = env["res.lang"]._get_code("fr_FR")
    if lang:
        vals["lang"] = lang
    for segment in ("key", "risk"):
        if segment in flags:
            tag = ref(f"{TAG_XMLID_PREFIX}{segment}")
            vals["category_id"] = [Command.link(tag.id)]
    if "opt_out" in flags:
        vals["dunning_opt_out"] = True
        vals["dunning_opt_out_reason"] = (
            "Établissement public : le recouvrement passe par le comptable "
            "public (mandat administratif)."
        )
    if "paused" in flags:
        vals["dunning_paused_until"] = today + timedelta(days=18)
        vals["dunning_pause_reason"] = (
            "Échéancier en cours de négociation avec le gérant "
            "(trois mensualités proposées)."
        )
    return vals


def _prepare_contact_vals(env, debtor, spec, rng):
    """Return the values of the contacts of debtor (none to three).

    The accounts payable always holds the accounting role, the manager the
    management one; key accounts have a sales contact, high-risk debtors a
    legal one.  The fallback debtors have no contact holding a role.
    """
    flags = spec.flags.split()
    domain = f"{slugify(spec.name)}.example"
    if "no_contact" in flags:
        return []
    if "invoice_address" in flags:
        return [
            {
                "parent_id": debtor.id,
                "type": "invoice",
                "name": "Service comptabilité",
                "email": f"factures@{domain}",
                "phone": _landline(rng, spec.area),
            }
        ]
    if "no_role" in flags:
        return [_contact(env, debtor, domain, rng, "management", roles=())]
    if "key" in flags:
        roles = ["accounting", "management", "sales"]
    elif "risk" in flags:
        roles = ["accounting", "management", "legal"]
    else:
        count = rng.choice((1, 2, 2, 3))
        roles = ["accounting", "management", rng.choice(("purchasing", "sales"))]
        roles = roles[:count]
    if len(roles) == 1:
        # A small business: the manager pays the invoices.
        return [
            _contact(
                env, debtor, domain, rng, "management", ("accounting", "management")
            )
        ]
    return [_contact(env, debtor, domain, rng, role, (role,)) for role in roles]


def _contact(env, debtor, domain, rng, job, roles):
    """Return the values of a contact of debtor with a French name."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    role_ids = [
        env.ref(f"account_dunning_advanced.dunning_contact_role_{code}").id
        for code in roles
    ]
    return {
        "parent_id": debtor.id,
        "type": "contact",
        "name": f"{first} {last}",
        "function": rng.choice(JOB_TITLES[job]),
        "email": f"{slugify(first, '')}.{slugify(last, '')}@{domain}",
        "phone": _mobile(rng),
        "dunning_role_ids": [Command.set(role_ids)],
    }


def _landline(rng, area):
    pairs = " ".join(f"{rng.randint(0, 99):02d}" for _i in range(4))
    return f"+33 {area} {pairs}"


def _mobile(rng):
    pairs = " ".join(f"{rng.randint(0, 99):02d}" for _i in range(4))
    return f"+33 {rng.choice('67')} {pairs}"


# ----------------------------------------------------------------------
# Invoices and payments
# ----------------------------------------------------------------------
def _create_invoices(env, rng, journal, debtors, today):
    """Create and post the invoices (and a credit note) of the debtors.

    One invoice of a debtor is disputed: excluded from the reminders.

    :return: (invoices, payments): the posted customer invoices and the
        payments to register, a list of (date, invoice, amount or None for
        the whole residual) in date order.
    """
    planned = []
    for _debtor, invoice_address, spec in debtors:
        plans = _plan_invoices(rng, spec.behaviour, today)
        if spec.name in DUE_AROUND_TODAY:
            due = today + timedelta(days=DUE_AROUND_TODAY[spec.name])
            plans.append(InvoicePlan(due - timedelta(days=30), due, _amount(rng), []))
        planned += [(invoice_address, spec, plan) for plan in plans]
    planned.sort(key=lambda item: item[2].invoice_date)
    Move = env["account.move"].with_context(
        tracking_disable=True, mail_create_nosubscribe=True
    )
    invoices = Move.create(
        [
            _prepare_invoice_vals(rng, journal, partner, plan)
            for partner, _spec, plan in planned
        ]
    )
    invoices.action_post()
    payments = []
    for invoice, (_partner, _spec, plan) in zip(invoices, planned, strict=True):
        for day, share in plan.payments:
            amount = None if share == 1 else round(invoice.amount_total * share, 2)
            payments.append((day, invoice, amount))
    payments.sort(key=lambda payment: (payment[0], payment[1].id))
    pick = _latest_unpaid(invoices, planned)
    _create_credit_note(env, journal, pick[CREDIT_NOTE_DEBTOR], today)
    pick[DISPUTED_DEBTOR].write(
        {
            "dunning_excluded": True,
            "dunning_exclude_reason": "Litige : travaux contestés, expertise "
            "en cours.",
        }
    )
    return invoices, payments


def _latest_unpaid(invoices, planned):
    """Return, per debtor name, its latest invoice left unpaid (else latest)."""
    latest, unpaid = {}, {}
    for invoice, (_partner, spec, plan) in zip(invoices, planned, strict=True):
        latest[spec.name] = invoice
        if not plan.payments:
            unpaid[spec.name] = invoice
    return {**latest, **unpaid}


def _create_habit_invoices(env, rng, journal, debtors, today):
    """Create and post the invoices of the debtors with a habit: five to
    seven each, due over the last HABIT_DAYS days. Their payments come from
    the reminders (:func:`_habit_payments`), except a few paid at random.

    :return: (invoices, payments) as :func:`_create_invoices`.
    """
    planned = []
    for _debtor, invoice_address, _spec in debtors:
        for _i in range(rng.randint(5, 7)):
            due = today - timedelta(days=rng.randint(10, HABIT_DAYS))
            payments = []
            if rng.random() < HABIT_NOISE:
                payments = [(due + timedelta(days=rng.randint(0, 45)), 1)]
            planned.append(
                (
                    invoice_address,
                    InvoicePlan(due - timedelta(days=30), due, _amount(rng), [
                        (day, share) for day, share in payments if day < today
                    ]),
                )
            )  # fmt: skip
    planned.sort(key=lambda item: item[1].invoice_date)
    invoices = (
        env["account.move"]
        .with_context(tracking_disable=True, mail_create_nosubscribe=True)
        .create(
            [
                _prepare_invoice_vals(rng, journal, partner, plan)
                for partner, plan in planned
            ]
        )
    )
    invoices.action_post()
    payments = [
        (day, invoice, None)
        for invoice, (_partner, plan) in zip(invoices, planned, strict=True)
        for day, _share in plan.payments
    ]
    return invoices, payments


def _habit_payments(rng, actions, habits, today):
    """The payments the reminders of ``actions`` trigger: a debtor pays the
    invoices of the reminder its habit answers, one to five days later.

    :param habits: dict commercial partner id -> habit.
    :return: list of (date, invoice, None) before today.
    """
    payments = []
    for action in actions.filtered(lambda a: a.state == "done"):
        habit = habits.get(action.partner_id.commercial_partner_id.id)
        level = action.level_id
        first = level.scenario_id.level_ids.filtered(lambda lvl: lvl.delay_days > 0)
        triggered = {
            FIRST_EMAIL: first and level == first.sorted("delay_days")[0],
            AFTER_CALL: level.channel_phone,
            AFTER_NOTICE: level.level_type == "formal_notice",
        }.get(habit)
        if not triggered:
            continue
        day = action.date + timedelta(days=rng.randint(1, 5))
        if day < today:
            payments += [(day, invoice, None) for invoice in action.line_ids.move_id]
    return payments


def _plan_invoices(rng, behaviour, today):
    """Return the InvoicePlan list of a debtor paying the way behaviour says.

    Good payers pay on the due date, late payers 10 to 60 days late,
    partial payers part of the amount, bad payers hardly ever.  Payments
    falling today or later are not registered: those invoices are open.
    """
    plans = []
    for _i in range(rng.randint(3, 6)):
        term = timedelta(days=rng.choice((30, 45)))
        if behaviour == BAD:
            due = today - timedelta(days=rng.randint(30, 150))
            invoice_date = due - term
        else:
            invoice_date = today - timedelta(days=rng.randint(3, 180))
            due = invoice_date + term
        payments = _plan_payments(rng, behaviour, due)
        payments = [(day, share) for day, share in payments if day < today]
        plans.append(InvoicePlan(invoice_date, due, _amount(rng), payments))
    return plans


def _plan_payments(rng, behaviour, due):
    """Return the (date, share) payments of an invoice due on due."""
    days = timedelta
    if behaviour == GOOD:
        return [(due - days(days=rng.randint(0, 3)), 1)]
    if behaviour == LATE:
        return [(due + days(days=rng.randint(10, 60)), 1)]
    if behaviour == PARTIAL:
        first = due + days(days=rng.randint(0, 30))
        share = rng.choice((0.3, 0.4, 0.5, 0.6))
        rest = [(first + days(days=rng.randint(30, 60)), 1)]
        return [(first, share)] + (rest if rng.random() < 0.4 else [])
    if rng.random() < 0.25:  # a bad payer pays, once in a while, very late
        return [(due + days(days=rng.randint(60, 90)), 1)]
    return []


def _amount(rng):
    """Return an untaxed amount, 250 to 20,800, smaller ones more likely."""
    return round(math.exp(rng.uniform(math.log(250), math.log(20800))), -1)


def _prepare_invoice_vals(rng, journal, partner, plan):
    """Return the values of a customer invoice, without payment terms."""
    company = journal.company_id
    taxes = company.account_sale_tax_id
    labels = rng.sample(INVOICE_LABELS, rng.choice((1, 1, 2)))
    shares = [1.0] if len(labels) == 1 else [0.6, 0.4]
    vals = {
        "move_type": "out_invoice",
        "journal_id": journal.id,
        "partner_id": partner.id,
        "invoice_date": plan.invoice_date,
        "invoice_date_due": plan.due_date,
        "invoice_line_ids": [
            Command.create(
                {
                    "name": label,
                    "quantity": 1,
                    "price_unit": round(plan.untaxed * share, 2),
                    "account_id": journal.default_account_id.id,
                    "tax_ids": [Command.set(taxes.ids)],
                }
            )
            for label, share in zip(labels, shares, strict=True)
        ],
    }
    if rng.random() < 0.5:
        vals["ref"] = f"BC-{rng.randint(1000, 9999)}"
    return vals


def _create_credit_note(env, journal, invoice, today):
    """Create a credit note (commercial discount) applied to invoice."""
    line_vals = {
        "name": "Remise commerciale : retard de livraison",
        "quantity": 1,
        "price_unit": 500.0,
        "account_id": journal.default_account_id.id,
        "tax_ids": [Command.set(journal.company_id.account_sale_tax_id.ids)],
    }
    credit_note = (
        env["account.move"]
        .with_context(tracking_disable=True, mail_create_nosubscribe=True)
        .create(
            {
                "move_type": "out_refund",
                "journal_id": journal.id,
                "partner_id": invoice.partner_id.id,
                "reversed_entry_id": invoice.id,
                "invoice_date": today - timedelta(days=20),
                "ref": f"Avoir sur {invoice.name}",
                "invoice_line_ids": [Command.create(line_vals)],
            }
        )
    )
    credit_note.action_post()
    return credit_note


def _register_payments(env, payments, before):
    """Register the payments dated before before; return the others."""
    remaining = []
    for day, invoice, amount in payments:
        if day >= before:
            remaining.append((day, invoice, amount))
            continue
        if invoice.payment_state in ("paid", "in_payment"):
            continue
        values = {"payment_date": day}
        if amount is not None:
            values["amount"] = amount
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(values)._create_payments()
    return remaining


# ----------------------------------------------------------------------
# Reminder history
# ----------------------------------------------------------------------
def _simulate_history(env, company, today, payments, habits=None, rng=None):
    """Run the engine once a week over the last weeks, payments in between.

    The reminders waiting for validation are validated after each run, as
    a collector would, except those of the last run: they stay in
    "Actions to validate".  Nothing runs today: the demo user's "Run now"
    finds fresh reminders.  No PDF is rendered at install: the past
    reminders get no invoice or statement attached and no letter (the
    channel stays on for the reminders due from today on).

    :param habits: dict debtor id -> habit: after each run, the debtors pay
        the invoices of the reminders their habit answers
        (:func:`_habit_payments`, drawn from ``rng``).
    """
    dates = [today - timedelta(weeks=k) for k in range(HISTORY_WEEKS, 0, -1)]
    runs = env["dunning.run"].create(
        [{"company_id": company.id, "date": day} for day in dates]
    )
    pdf_options = ("attach_invoices", "attach_statement", "channel_letter")
    levels = {
        option: env["dunning.level"].search(
            [("company_id", "=", company.id), (option, "=", True)]
        )
        for option in pdf_options
    }
    for option, option_levels in levels.items():
        option_levels[option] = False
    try:
        for run in runs:
            payments = _register_payments(env, payments, before=run.date)
            run.action_run()
            # The collector validates the reminders and the formal notices;
            # the hand-offs to the agency stay to decide (and no collection
            # file is rendered at install).
            drafts = run.action_ids.filtered(
                lambda a: a.state == "draft" and a.level_id.level_type != "agency"
            )
            if drafts and run != runs[-1]:
                drafts.action_execute()
            if habits:
                payments = sorted(
                    payments + _habit_payments(rng, run.action_ids, habits, today),
                    key=lambda p: (p[0], p[1].id),
                )
        _register_payments(env, payments, before=today)
    finally:
        for option, option_levels in levels.items():
            option_levels[option] = True
    return runs


def _unlink_queued_messages(env, last_mail_id, last_sms_id):
    """Delete the e-mails and text messages the demo queued to its fake
    addresses: only those created since the generation started.

    The reminders stay in the chatter: flagged as notifications, the mails
    are deleted without their message.
    """
    mails = env["mail.mail"].search([("id", ">", last_mail_id)])
    mails.write({"is_notification": True})
    mails.unlink()
    env["sms.sms"].search(
        [("id", ">", last_sms_id), ("state", "=", "outgoing")]
    ).unlink()


def _create_company_bank_account(env, company):
    """Give company a French bank account (IBAN), unless it has one.

    Created after the invoices, which therefore name no bank account: the
    letters and the payment page fall back on the company's.  The accounting
    demo data of Odoo gives a company with the generic chart an account of
    its own: that one is kept.
    """
    if company.partner_id.bank_ids:
        return env["res.partner.bank"]
    bank = env["res.bank"].create(COMPANY_BANK)
    return env["res.partner.bank"].create(
        {
            "acc_number": COMPANY_IBAN,
            "partner_id": company.partner_id.id,
            "bank_id": bank.id,
        }
    )
