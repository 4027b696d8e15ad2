/** @odoo-module */
/* Copyright 2026 Dunning Advanced Contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

// A manager opens the collections dashboard, then the ageing analysis, drills
// down from an ageing bucket to the receivable lines and opens the invoice.
registry.category("web_tour.tours").add("account_dunning_advanced_cockpit", {
    url: "/odoo/action-account_dunning_advanced.dunning_dashboard_action",
    steps: () => [
        {
            content: "The dashboard lists the tour debtor among the top debtors",
            trigger: ".o_dunning_top_debtors a:contains('Cockpit Debtor')",
        },
        {
            content: "The count tiles show their trend",
            trigger: ".o_field_widget[name='promises_week_trend']",
        },
        {
            content: "Open the Collections menu",
            trigger: ".o_main_navbar button:contains('Collections'), .o_main_navbar a:contains('Collections')",
            run: "click",
        },
        {
            content: "Open the ageing analysis",
            trigger: ".dropdown-menu a:contains('Ageing'), .o-dropdown--menu a:contains('Ageing')",
            run: "click",
        },
        {
            content: "Switch to the pivot view",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "Drill down from the 90+ bucket of the debtor",
            trigger: ".o_pivot table tbody tr:contains('Cockpit Debtor') td.o_pivot_cell_value:not(.o_empty)",
            run: "click",
        },
        {
            content: "The receivable lines of the bucket are listed",
            trigger: ".o_list_view .o_data_row td[name='partner_id']:contains('Cockpit Debtor')",
            run: "click",
        },
        {
            content: "Open the invoice",
            trigger: ".o_field_widget[name='move_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "The invoice form shows its number",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('INV/')",
        },
        {
            content: "Open the debtor from the invoice",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "Open the debtor's ageing from its smart button",
            trigger: ".o_form_view button[name='action_view_dunning_ageing']",
            run: "click",
        },
        {
            content: "The debtor's open items are grouped by ageing bucket",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('More than 90 days'), .o_pivot th:contains('More than 90 days')",
        },
    ],
});
