/** @odoo-module */
/* Copyright 2026 Dunning Advanced Contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

// A collector opens the reminders waiting for validation, checks one and sends it,
// then finds the debtor in "Debtors to follow".
registry.category("web_tour.tours").add("account_dunning_advanced_validate", {
    url: "/odoo/action-account_dunning_advanced.dunning_action_action_to_validate",
    steps: () => [
        {
            content: "Open the reminder of the tour debtor",
            trigger: ".o_data_row td[name='partner_id']:contains('Tour Debtor')",
            run: "click",
        },
        {
            content: "The recipient chosen by role is shown",
            trigger: ".o_field_widget[name='partner_to_ids']:contains('AP Tour Debtor')",
        },
        {
            content: "The e-mail preview lists the invoice",
            trigger: ".o_notebook a:contains('E-mail preview')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='email_preview']:contains('payment reminder')",
        },
        {
            content: "Send it",
            trigger: ".o_form_statusbar button[name='action_execute']",
            run: "click",
        },
        {
            content: "The reminder is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            content: "Go to the debtors to follow",
            trigger: ".o_main_navbar button:contains('Collections'), .o_main_navbar a:contains('Collections')",
            run: "click",
        },
        {
            trigger: ".dropdown-menu a:contains('Debtors to follow'), .o-dropdown--menu a:contains('Debtors to follow')",
            run: "click",
        },
        {
            content: "The debtor is listed with its level",
            trigger: ".o_data_row:contains('Tour Debtor'):contains('First')",
        },
    ],
});
