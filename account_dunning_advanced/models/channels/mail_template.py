# Copyright 2026 Dunning Advanced Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from lxml import html
from markupsafe import Markup

from odoo import api, models
from odoo.tools import safe_eval
from odoo.tools.rendering_tools import parse_inline_template


class MailTemplate(models.Model):
    """Render a template's QWeb body for many records with one compilation."""

    _inherit = "mail.template"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """Compile the body once for all ``res_ids`` when sending a batch.

        Odoo parses and compiles the source again for every record (QWeb
        caches only the templates stored as views): most of the time of
        rendering many reminders. Within ``dunning_render_once``
        (``dunning.channel.email._render_emails``) it is parsed and compiled
        once, then run for each record as ``ir.qweb._render`` does. Any
        failure renders again the Odoo way, which raises its own error.
        """
        if (
            not self.env.context.get("dunning_render_once")
            or len(res_ids) < 2
            or not template_src
            or not self._has_unsafe_expression_template_qweb(template_src, model)
        ):
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        variables = self._render_eval_context()
        variables.update(add_context or {})
        render_options = dict(options or {})
        if (
            not self._unrestricted_rendering
            and not self.env.is_admin()
            and not self.env.user.has_group("mail.group_mail_template_editor")
        ):
            render_options["raise_on_forbidden_code_for_model"] = model
        element = html.fragment_fromstring(template_src, create_parent="div")
        QWeb = self.env["ir.qweb"].with_context(**render_options)
        results = {}
        try:
            # What ir.qweb._render does for each record, the compilation
            # (parsing the code, Python's compile) done once.
            functions, name = QWeb._prepare_environment(dict(variables))._compile(
                element
            )
            for record in self.env[model].browse(res_ids):
                values = dict(variables, object=record)
                qweb = QWeb._prepare_environment(values)
                safe_eval.check_values(values)
                rendered = Markup("".join(functions[name](qweb, values)))
                # Without the <div> wrapping the fragment's nodes.
                results[record.id] = rendered[5:-6]
        except Exception:  # noqa: BLE001 - Odoo's own render says what is wrong
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        return results

    @api.model
    def _render_template_inline_template(
        self, template_txt, model, res_ids, add_context=None, options=None
    ):
        """Compile each ``{{ expression }}`` once for all ``res_ids`` when
        sending a batch (the subject, the sender, the reply-to).

        Odoo's ``render_inline_template`` runs ``safe_eval`` for every record,
        which checks and compiles the expression again each time. Within
        ``dunning_render_once``, each expression is checked and compiled once
        (``safe_eval.test_expr``, the same opcodes), then evaluated for each
        record as ``safe_eval`` does (checked values, restricted builtins).
        Whatever is refused or fails renders again the Odoo way, which raises
        its own error.
        """
        text = str(template_txt or "")
        if (
            not self.env.context.get("dunning_render_once")
            or len(res_ids) < 2
            or not self._has_unsafe_expression_template_inline_template(text, model)
            or (
                not self._unrestricted_rendering
                and not self.env.is_admin()
                and not self.env.user.has_group("mail.group_mail_template_editor")
            )
        ):
            return super()._render_template_inline_template(
                template_txt, model, res_ids, add_context=add_context, options=options
            )
        variables = self._render_eval_context()
        variables.update(add_context or {})
        results = {}
        try:
            instructions = [
                (
                    string,
                    expression
                    and safe_eval.test_expr(
                        expression, safe_eval._SAFE_OPCODES, mode="eval"
                    ),
                    default,
                )
                for string, expression, default in parse_inline_template(text)
            ]
            for record in self.env[model].browse(res_ids):
                values = dict(variables, object=record)
                safe_eval.check_values(values)
                values["__builtins__"] = dict(safe_eval._BUILTINS)
                parts = []
                for string, code, default in instructions:
                    parts.append(string)
                    if code:
                        result = safe_eval.unsafe_eval(code, values) or default
                        if result:
                            parts.append(str(result))
                results[record.id] = "".join(parts)
        except Exception:  # noqa: BLE001 - Odoo's own render says what is wrong
            return super()._render_template_inline_template(
                template_txt, model, res_ids, add_context=add_context, options=options
            )
        return results
