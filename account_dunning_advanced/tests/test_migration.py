# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The 18.0.2.0.0 migration: new wording only for templates never edited."""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

MODULE = "account_dunning_advanced"
MIGRATION = Path(__file__).resolve().parent.parent / "migrations" / "18.0.2.0.0"

# The body of the thank-you e-mail as shipped until b3915bb (before the
# amounts and the penalties still due were added).
OLD_THANKS_BODY = """<div style="margin: 0px; padding: 0px; font-size: 13px;">
            <p>Dear customer,</p>
            <p>We have received the payment of the invoice <strong t-out="object.name or ''">INV/2026/0001</strong> of <t t-out="format_amount(object.amount_total, object.currency_id)">100.00</t>. Thank you very much, the matter is settled.</p>
            <p>Best regards,<br>
                <t t-out="object.company_id.name or ''">My Company</t>
            </p>
            </div>"""  # noqa: E501


def load_script(name):
    spec = importlib.util.spec_from_file_location(
        f"dunning_migration_{name}", MIGRATION / name
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


@tagged("post_install", "-at_install")
class TestTemplateMigration(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wording = load_script("template_wording.py")
        cls.thanks = cls.env.ref(f"{MODULE}.mail_template_dunning_thanks")
        cls.first = cls.env.ref(f"{MODULE}.mail_template_dunning_first")
        cls.current_thanks = cls.thanks.body_html

    def _set_body(self, template, english, french):
        """Store a body as an older install would have it, in en and fr."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object("
            "'en_US', %s::text, 'fr_FR', %s::text) WHERE id = %s",
            (english, french, template.id),
        )
        self.env.invalidate_all()

    def _noupdate(self, template):
        self.env.cr.execute(
            "SELECT noupdate FROM ir_model_data"
            " WHERE model = 'mail.template' AND res_id = %s",
            (template.id,),
        )
        return self.env.cr.fetchone()[0]

    def _upgrade(self):
        """What -u does: pre-migrate, the data file, post-migrate, end-migrate."""
        reloaded = self.wording.reload_unedited_templates(self.env.cr)
        self.env.invalidate_all()
        convert_file(
            self.env,
            MODULE,
            "data/mail_template_data.xml",
            {},
            mode="update",
            noupdate=True,
        )
        self.assertEqual(
            sorted(self.wording.load_marked_templates(self.env)), sorted(reloaded)
        )
        self.wording.restore_noupdate(self.env.cr)
        self.env.invalidate_all()
        return reloaded

    def test_fresh_install_wording_is_known(self):
        """Every template of the current XML has its fingerprints (re-run
        setup/template_fingerprints.py after changing a template's wording)."""
        states = self.wording.template_states(self.env.cr)
        self.assertEqual(set(states), set(self.wording.load_fingerprints()["current"]))
        edited = sorted(
            name for name, (_m, _id, unedited) in states.items() if not unedited
        )
        self.assertEqual(edited, [])

    def test_unedited_old_wording_gets_the_new_one(self):
        # Never translated in this database: the French value is the English.
        self._set_body(self.thanks, OLD_THANKS_BODY, OLD_THANKS_BODY)
        self.assertIn("the matter is settled", self.thanks.body_html)

        reloaded = self._upgrade()

        self.assertIn("mail_template_dunning_thanks", reloaded)
        self.assertEqual(self.thanks.body_html, self.current_thanks)
        self.assertNotIn("the matter is settled", self.thanks.body_html)
        # The old French value is gone: the new fr.po fills it after the data.
        self.env.cr.execute(
            "SELECT body_html->>'fr_FR' FROM mail_template WHERE id = %s",
            (self.thanks.id,),
        )
        self.assertIsNone(self.env.cr.fetchone()[0])
        self.assertTrue(self._noupdate(self.thanks), "noupdate again after the upgrade")

    def test_edited_template_keeps_the_users_text(self):
        edited = OLD_THANKS_BODY.replace("Dear customer", "Hello dear partner")
        self._set_body(self.thanks, edited, "<p>Bonjour cher partenaire</p>")

        reloaded = self._upgrade()

        self.assertNotIn("mail_template_dunning_thanks", reloaded)
        self.assertIn("Hello dear partner", self.thanks.body_html)
        self.env.cr.execute(
            "SELECT body_html->>'fr_FR' FROM mail_template WHERE id = %s",
            (self.thanks.id,),
        )
        self.assertEqual(self.env.cr.fetchone()[0], "<p>Bonjour cher partenaire</p>")
        self.assertTrue(self._noupdate(self.thanks))

    def test_changed_setting_keeps_the_template(self):
        """auto_delete turned on by the user: the template is the user's now."""
        self.first.auto_delete = True
        self.env.flush_all()

        reloaded = self._upgrade()

        self.assertNotIn("mail_template_dunning_first", reloaded)
        self.assertIn("mail_template_dunning_thanks", reloaded)
        self.assertTrue(self.first.auto_delete)
