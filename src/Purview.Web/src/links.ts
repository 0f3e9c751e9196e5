// Links: KPIs and trend with filters -> link status -> a source's <pipeline>/<activity> rows.
import { enc, getJson } from "./api";
import { chart, palette } from "./charts";
import { go, href, type Route } from "./router";
import { cell, empty, errorState, h, link, loading, render, table, tile, utc, utcDay } from "./ui";

interface Summary { from: string; to: string; granularity: string; sources: number; assets: number; relationships: number; activityRuns: number; trend: { time: string; assets: number; relationships: number; activityRuns: number }[]; reportedTill: string | null }
interface Page<T> { from: string; to: string; reportedTill: string | null; value: T[]; count: number; total: number }
interface SourceRow { sourceName: string; sourceType: string; collection: string; assetsIngested: number; relationshipsIngested: number; activityRuns: number; lastRunTime: string | null }
interface SubRow { name: string; assetsIngested: number; relationshipsIngested: number; activityRuns: number; lastRunTime: string | null }

export const LinkTypes = ["AzureDataFactory", "AzureSynapse", "OpenLineage"];
const RetentionDays = 45;

interface Filters { sourceType: string; sourceName: string; period: string; from: string; to: string }

function filtersOf(route: Route): Filters {
  const q = route.query;
  const period = ["7d", "30d", "custom"].includes(q.get("period") ?? "") ? q.get("period")! : "30d";
  return { sourceType: q.get("sourceType") ?? "", sourceName: q.get("sourceName") ?? "", period, from: q.get("from") ?? "", to: q.get("to") ?? "" };
}

function apiQuery(f: Filters, withSource = true): string {
  const q = new URLSearchParams();
  if (withSource && f.sourceType) q.set("sourceType", f.sourceType);
  if (withSource && f.sourceName) q.set("sourceName", f.sourceName);
  if (f.period === "custom") {
    // Date inputs give whole UTC days; the end day is included.
    if (f.from) q.set("from", `${f.from}T00:00:00Z`);
    if (f.to) q.set("to", new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000).toISOString().replace(".000Z", "Z"));
  } else q.set("period", f.period);
  return q.toString();
}

function asQuery(f: Filters): Record<string, string> {
  return { sourceType: f.sourceType, sourceName: f.sourceName, period: f.period, from: f.period === "custom" ? f.from : "", to: f.period === "custom" ? f.to : "" };
}

function filterForm(f: Filters, page: string[], withSource = true): HTMLElement {
  const today = new Date();
  const min = utcDay(new Date(today.getTime() - (RetentionDays - 1) * 86_400_000));
  const max = utcDay(today);
  const type = h("select", { id: "f-type", "data-testid": "link-type" }, h("option", { value: "" }, "All source types"), ...LinkTypes.map((t) => h("option", { value: t, selected: t === f.sourceType }, t)));
  const name = h("input", { id: "f-name", type: "search", value: f.sourceName, placeholder: "any", "data-testid": "link-name", autocomplete: "off" });
  const period = h("select", { id: "f-period", "data-testid": "link-period" }, ...[["7d", "Last 7 days"], ["30d", "Last 30 days"], ["custom", "Custom range"]].map(([v, t]) => h("option", { value: v, selected: v === f.period }, t)));
  const from = h("input", { id: "f-from", type: "date", min, max, value: f.from || min, "data-testid": "link-from" });
  const to = h("input", { id: "f-to", type: "date", min, max, value: f.to || max, "data-testid": "link-to" });
  const custom = h("span", { class: "custom-range", hidden: f.period !== "custom" }, h("label", { for: "f-from" }, "From (UTC day)"), from, h("label", { for: "f-to" }, "to"), to);
  period.addEventListener("change", () => (custom.hidden = period.value !== "custom"));
  const form = h(
    "form",
    { class: "filters", "data-testid": "link-filters" },
    withSource ? h("label", { for: "f-type" }, "Source type") : null, withSource ? type : null,
    withSource ? h("label", { for: "f-name" }, "Source name") : null, withSource ? name : null,
    h("label", { for: "f-period" }, "Date range"), period, custom,
    h("button", { type: "submit", "data-testid": "apply-filters" }, "Apply"),
    h("span", { class: "hint" }, `Retention is ${RetentionDays} days; aggregation is hourly, in UTC.`),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go(page, asQuery({ sourceType: type.value, sourceName: name.value.trim(), period: period.value, from: from.value, to: to.value }));
  });
  return form;
}

function reported(till: string | null): HTMLElement {
  return h("p", { class: "reported", "data-testid": "reported-till" }, till ? `Reported till ${utc(till, false)}` : "Nothing aggregated yet (the hourly job runs at minute 5).");
}

export async function linksPage(main: HTMLElement, route: Route) {
  const f = filtersOf(route);
  const body = h("section", { "aria-live": "polite" }, loading("link monitoring"));
  const head = h("div", { class: "page-head" }, h("h1", {}, "Links"));
  render(main, head, h("p", { class: "lede" }, "Assets and relationships (lineage) pushed by Data Factory, Synapse and OpenLineage producers."), filterForm(f, ["links"]), body);
  let s: Summary;
  try {
    s = await getJson<Summary>(`/monitoring/links/summary?${apiQuery(f)}`);
  } catch (e) {
    render(body, errorState(e, () => linksPage(main, route)));
    return;
  }
  head.append(reported(s.reportedTill));
  const tiles = h("div", { class: "tiles", "data-testid": "link-kpis" }, tile("Sources", s.sources, "sources"), tile("Assets ingested", s.assets, "assets", "info"), tile("Relationships ingested", s.relationships, "relationships"), tile("Activity runs", s.activityRuns, "activityRuns"));
  const range = h("p", { class: "range", "data-testid": "range" }, `${utc(s.from, false)} to ${utc(s.to, false)}, ${s.granularity}.`);
  const more = h("p", {}, link(href(["links", "status"], asQuery(f)), "View more: link status →", { "data-testid": "view-more" }));
  if (s.sources === 0) {
    render(body, range, tiles, empty("No connected source matches.", "Connect one with PUT /links/{sourceType}/{sourceName}, or clear the filters."), more);
  } else {
    const labels = s.trend.map((p) => (s.granularity === "hourly" ? utc(p.time, false).replace(" UTC", "") : utcDay(p.time)));
    render(body, range, tiles,
      h("div", { class: "charts" },
        chart("line", "Assets and relationships ingested (UTC)", labels, [
          { label: "Assets", color: palette.assets, data: s.trend.map((p) => p.assets) },
          { label: "Relationships", color: palette.relationships, data: s.trend.map((p) => p.relationships) },
        ], false, "link-trend"),
        chart("bar", "Activity runs (UTC)", labels, [{ label: "Activity runs", color: palette.runs, data: s.trend.map((p) => p.activityRuns) }], false, "link-runs")),
      more);
  }
  main.dataset.ready = "links";
}

export async function linkStatusPage(main: HTMLElement, route: Route) {
  const f = filtersOf(route);
  const body = h("section", { "aria-live": "polite" }, loading("the link status list"));
  const head = h("div", { class: "page-head" }, h("h1", {}, "Link status"));
  render(main, h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("ol", {}, h("li", {}, link(href(["links"], asQuery(f)), "Links")), h("li", {}, h("span", { "aria-current": "page" }, "Link status")))), head, filterForm(f, ["links", "status"]), body);
  let page: Page<SourceRow>;
  try {
    page = await getJson<Page<SourceRow>>(`/monitoring/links?${apiQuery(f)}&orderBy=sourceName&top=1000`);
  } catch (e) {
    render(body, errorState(e, () => linkStatusPage(main, route)));
    return;
  }
  head.append(reported(page.reportedTill));
  if (page.value.length === 0) {
    render(body, empty("No connected source matches.", "Connect one with PUT /links/{sourceType}/{sourceName}, or clear the filters."));
  } else {
    render(body, table(`${page.total} sources, ${utc(page.from, false)} to ${utc(page.to, false)}`, ["Source name", "Source type", "Collection", "Assets ingested", "Relationships ingested", "Activity runs", "Last run (UTC)"],
      page.value.map((r) => [
        link(href(["links", "source", r.sourceType, r.sourceName], asQuery(f)), r.sourceName, { "data-source": `${r.sourceType}/${r.sourceName}` }),
        cell(r.sourceType), cell(r.collection), cell(r.assetsIngested, "assets"), cell(r.relationshipsIngested, "relationships"), cell(r.activityRuns, "runs"), cell(utc(r.lastRunTime)),
      ]), "link-status"));
  }
  main.dataset.ready = "link-status";
}

export async function linkSourcePage(main: HTMLElement, route: Route) {
  const [, , type, name] = route.path;
  const f = filtersOf(route);
  const body = h("section", { "aria-live": "polite" }, loading(`the activities of ${name}`));
  const head = h("div", { class: "page-head" }, h("h1", {}, `${name}`));
  render(main, h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("ol", {}, h("li", {}, link(href(["links"], asQuery(f)), "Links")), h("li", {}, link(href(["links", "status"], asQuery(f)), "Link status")), h("li", {}, h("span", { "aria-current": "page" }, name)))),
    head, h("p", { class: "lede" }, `${type}: what each pipeline activity reported, as <pipeline>/<activity>.`), filterForm(f, ["links", "source", type, name], false), body);
  let page: Page<SubRow>;
  try {
    page = await getJson<Page<SubRow>>(`/monitoring/links/${enc(type)}/${enc(name)}?${apiQuery(f, false)}&orderBy=sourceName&top=1000`);
  } catch (e) {
    render(body, errorState(e, () => linkSourcePage(main, route)));
    return;
  }
  head.append(reported(page.reportedTill));
  if (page.value.length === 0) render(body, empty("Nothing reported in this range.", "Choose a longer range, or run a pipeline whose copy activities report lineage."));
  else
    render(body, table(`${page.total} activities`, ["Pipeline / activity", "Assets ingested", "Relationships ingested", "Activity runs", "Last run (UTC)"],
      page.value.map((r) => [cell(r.name, "name"), cell(r.assetsIngested, "assets"), cell(r.relationshipsIngested, "relationships"), cell(r.activityRuns, "runs"), cell(utc(r.lastRunTime))]), "link-activities"));
  main.dataset.ready = "link-source";
}
