/** @odoo-module */
/* Copyright 2026 Dunning Advanced Contributors
   License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

// Dashboards > Collections: the dashboard loads with its charts and filters,
// then the figures are filtered on a collector and the analysis behind the
// first chart is opened.
registry.category("web_tour.tours").add("account_dunning_spreadsheet_dashboard_tour", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            content: "Open the Collections dashboard (Finance)",
            trigger: ".o_search_panel_category_value[data-name='Collections']",
            // The first load of a busy test server may take longer.
            timeout: 30000,
            run: "click",
        },
        {
            content: "The Collections dashboard is the active one",
            trigger: ".o_search_panel_category_value.active[data-name='Collections']",
        },
        {
            content: "The ageing chart is drawn",
            trigger: ".o-figure[data-id='c0a1b2c3-0001-4000-8000-000000000001'] canvas",
            timeout: 30000,
        },
        {
            content: "The overdue month by month chart is drawn",
            trigger: ".o-figure[data-id='c0a1b2c3-0001-4000-8000-000000000002'] canvas",
        },
        {
            content: "The period filter is set (last 365 days)",
            trigger: ".o-filter-value[title='Period'] select",
        },
        {
            content: "The company and scenario filters are there",
            trigger: ".o-filter-value[title='Company'] input, .o-filter-value[title='Scenario'] input",
        },
        {
            content: "Filter on a collector",
            trigger: ".o-filter-value[title='Collector'] input",
            run: "edit Tour Collector",
        },
        {
            content: "Pick the collector",
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Collector')",
            run: "click",
        },
        {
            content: "The collector filter is applied",
            trigger: ".o-filter-value[title='Collector'] .o_tag:contains('Tour Collector')",
        },
        {
            content: "The dashboard is redrawn with the filter",
            trigger: ".o-filter-value[title='Collector'] .fa-times",
        },
        {
            content: "The charts are still drawn",
            trigger: ".o-figure[data-id='c0a1b2c3-0001-4000-8000-000000000001'] canvas",
        },
        {
            content: "Open the analysis behind the ageing chart (its title)",
            trigger: ".o-dashboard-clickable-cell:first",
            run: "click",
        },
        {
            content: "The receivables analysis opens",
            trigger: ".o_breadcrumb:contains('Receivables analysis')",
        },
        {
            content: "As a chart of the ageing",
            trigger: ".o_graph_view",
        },
    ],
});
