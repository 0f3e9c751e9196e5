// Scan runs: KPIs and chart -> scan status -> a scan's history -> a run's details.
import { download, enc, getJson, postJson } from "./api";
import { chart, palette } from "./charts";
import { href, type Route } from "./router";
import { between, cell, duration, empty, errorState, h, link, loading, num, render, statusBadge, table, tile, utc } from "./ui";

interface Counts { total: number; succeeded: number; failed: number; canceled: number; inProgress: number; queued: number; throttled: number }
interface Summary { from: string; to: string; granularity: string; sourceType: string | null; totals: Counts; series: { start: string; counts: Counts }[] }
interface ScanStatus { dataSource: string; scan: string; sourceType: string; collection: string; succeeded: number; failed: number; canceled: number; inProgress: number; queued: number; throttled: number; lastRun: { id: string; status: string; time: string } | null }
interface Run {
  id: string; status: string; startTime: string | null; endTime: string | null; scanLevelType: string; runType: string; dataSourceType: string;
  errorMessage: string | null; error: { code: string; message: string } | null;
  discoveryExecutionDetails: { discoveryStartTime: string | null; discoveryEndTime: string | null; status: string; statistics: { assets: { discovered: number; classified: number; failed: number } } };
  ingestionExecutionDetails: { ingestionStartTime: string | null; ingestionEndTime: string | null; status: string; statistics: { assets: { succeeded: number; failed: number; processing: number }; relationships: { succeeded: number; failed: number } }; isErrorLogAvailable: boolean; lastUpdatedAt: string };
  queuedDuration: number; throttledDuration: number; billableDuration: number; collection: { referenceName: string };
}

export const SourceTypes = ["AzureStorage", "AdlsGen2", "SqlDatabase"];
const finalStatuses = ["Succeeded", "Failed", "Canceled"];

function periodOf(route: Route): "7d" | "30d" {
  return route.query.get("period") === "7d" ? "7d" : "30d";
}

function crumbs(...items: [string, string | null][]): HTMLElement {
  return h("nav", { "aria-label": "Breadcrumb", class: "crumbs" }, h("ol", {}, ...items.map(([text, to]) => h("li", {}, to ? link(to, text) : h("span", { "aria-current": "page" }, text)))));
}

export async function summaryPage(main: HTMLElement, route: Route) {
  const period = periodOf(route);
  const granularity = route.query.get("granularity") === "day" || (route.query.get("granularity") !== "week" && period === "7d") ? "day" : "week";
  const sourceType = route.query.get("sourceType") ?? "";
  const toggles = h(
    "div",
    { class: "filters", role: "group", "aria-label": "Period and grouping" },
    h("span", { class: "filter-label" }, "Period:"),
    ...(["7d", "30d"] as const).map((p) => link(href(["scanruns"], { period: p, sourceType }), p === "7d" ? "Last 7 days" : "Last 30 days", { class: "toggle", "aria-current": p === period ? "true" : null, "data-period": p })),
    h("span", { class: "filter-label" }, "Bars by:"),
    ...(["day", "week"] as const).map((g) => link(href(["scanruns"], { period, granularity: g, sourceType }), g === "day" ? "Day" : "Week", { class: "toggle", "aria-current": g === granularity ? "true" : null, "data-granularity": g })),
  );
  const body = h("section", { "aria-live": "polite" }, loading("the scan-run summary"));
  render(main, h("h1", {}, "Scan runs"), h("p", { class: "lede" }, "Runs of the scans in the collections where you are a Data source admin, counted by the UTC day they were created."), toggles, body);

  let summary: Summary;
  try {
    summary = await getJson<Summary>(`/monitoring/scanruns/summary?period=${period}&granularity=${granularity}${sourceType ? "&sourceType=" + enc(sourceType) : ""}`);
  } catch (e) {
    render(body, errorState(e, () => summaryPage(main, route)));
    return;
  }
  performance.mark("scanruns:api-answered");
  const t = summary.totals;
  const inProgress = (c: Counts) => c.inProgress + c.queued + c.throttled;
  const tiles = h(
    "div",
    { class: "tiles", "data-testid": "scanrun-kpis" },
    tile("Total scan runs", t.total, "total"),
    tile("Succeeded", t.succeeded, "succeeded", "good"),
    tile("Failed", t.failed, "failed", "bad"),
    tile("Canceled", t.canceled, "canceled", "warn"),
    tile("In progress", t.inProgress, "inProgress", "info"),
    tile("Queued", t.queued, "queued"),
    tile("Throttled", t.throttled, "throttled"),
  );
  const range = h("p", { class: "range", "data-testid": "range" }, `From ${summary.from} to ${summary.to} (UTC days), by ${summary.granularity}.`);
  const more = h("p", {}, link(href(["scanruns", "status"], { period, sourceType }), "View more: scan status →", { "data-testid": "view-more" }));
  if (t.total === 0) {
    render(body, range, tiles, empty("No scan runs in this period.", "Register a data source and a scan (PUT /scan/datasources/…), then start a run with PUT …/runs/{runId}; or start the demo with ./run.sh --demo."), more);
  } else {
    const labels = summary.series.map((p) => (summary.granularity === "week" ? `week of ${p.start}` : p.start));
    render(
      body,
      range,
      tiles,
      chart("bar", `Scan runs by ${summary.granularity} (UTC)`, labels, [
        { label: "Succeeded", color: palette.succeeded, data: summary.series.map((p) => p.counts.succeeded) },
        { label: "Failed", color: palette.failed, data: summary.series.map((p) => p.counts.failed) },
        { label: "Canceled", color: palette.canceled, data: summary.series.map((p) => p.counts.canceled) },
        { label: "In progress (incl. queued, throttled)", color: palette.inProgress, data: summary.series.map((p) => inProgress(p.counts)) },
      ], true, "scanrun-chart"),
      more,
    );
  }
  // After the browser has laid out and painted the page.
  requestAnimationFrame(() => setTimeout(() => {
    performance.mark("scanruns:rendered");
    performance.measure("scanruns:render", "scanruns:api-answered", "scanruns:rendered");
    main.dataset.ready = "scanruns";
  }, 0));
}

export async function statusPage(main: HTMLElement, route: Route) {
  const period = periodOf(route);
  const sourceType = route.query.get("sourceType") ?? "";
  const select = h("select", { id: "source-type", "data-testid": "source-type" }, h("option", { value: "" }, "All source types"), ...SourceTypes.map((s) => h("option", { value: s, selected: s === sourceType }, s)));
  select.addEventListener("change", () => (location.hash = href(["scanruns", "status"], { period, sourceType: select.value })));
  const body = h("section", { "aria-live": "polite" }, loading("the scan status list"));
  render(
    main,
    crumbs(["Scan runs", href(["scanruns"], { period })], ["Scan status", null]),
    h("h1", {}, "Scan status"),
    h("div", { class: "filters" },
      h("label", { for: "source-type" }, "Source type"), select,
      h("span", { class: "filter-label" }, "Period:"),
      ...(["7d", "30d"] as const).map((p) => link(href(["scanruns", "status"], { period: p, sourceType }), p === "7d" ? "Last 7 days" : "Last 30 days", { class: "toggle", "aria-current": p === period ? "true" : null, "data-period": p }))),
    body,
  );
  let rows: ScanStatus[];
  try {
    rows = (await getJson<{ value: ScanStatus[] }>(`/monitoring/scans?period=${period}${sourceType ? "&sourceType=" + enc(sourceType) : ""}`)).value;
  } catch (e) {
    render(body, errorState(e, () => statusPage(main, route)));
    return;
  }
  if (rows.length === 0) {
    render(body, empty(`No scan ran in the last ${period === "7d" ? "7" : "30"} days${sourceType ? " for " + sourceType : ""}.`, sourceType ? "Choose “All source types”, or a longer period." : "Start a scan run, or choose a longer period."));
  } else {
    render(body, table(`${rows.length} scans, last ${period === "7d" ? "7" : "30"} days (UTC)`, ["Scan", "Data source", "Source type", "Collection", "Succeeded", "Failed", "Canceled", "In progress", "Last run (UTC)"],
      rows.map((r) => [
        link(href(["scanruns", "history", r.dataSource, r.scan], { period }), r.scan, { "data-scan": `${r.dataSource}/${r.scan}` }),
        cell(r.dataSource), cell(r.sourceType, "sourceType"), cell(r.collection),
        cell(r.succeeded, "succeeded"), cell(r.failed, "failed"), cell(r.canceled, "canceled"), cell(r.inProgress + r.queued + r.throttled, "inProgress"),
        r.lastRun ? h("span", {}, statusBadge(r.lastRun.status), " ", utc(r.lastRun.time)) : cell("–"),
      ]), "scan-status"));
  }
  main.dataset.ready = "scan-status";
}

export async function historyPage(main: HTMLElement, route: Route) {
  const [, , ds, scan] = route.path;
  const period = periodOf(route);
  const body = h("section", { "aria-live": "polite" }, loading("the run history"));
  render(main, crumbs(["Scan runs", href(["scanruns"], { period })], ["Scan status", href(["scanruns", "status"], { period })], [`${ds} / ${scan}`, null]),
    h("h1", {}, `Scan history: ${scan}`), h("p", { class: "lede" }, `Data source ${ds}. Newest first; select a run id for its details.`), body);
  const rows: Run[] = [];
  const tbodyHolder = h("div");
  const moreButton = h("button", { type: "button", "data-testid": "load-more" }, "Load older runs");
  let next: string | null = `/scan/datasources/${enc(ds)}/scans/${enc(scan)}/runs?api-version=2023-09-01&$top=25`;
  const loadPage = async () => {
    if (!next) return;
    moreButton.disabled = true;
    try {
      const page: { value: Run[]; nextLink?: string | null } = await getJson(next);
      rows.push(...page.value);
      next = page.nextLink ? new URL(page.nextLink).pathname + new URL(page.nextLink).search : null;
    } catch (e) {
      render(body, errorState(e, () => historyPage(main, route)));
      return;
    }
    if (rows.length === 0) {
      render(body, empty("This scan has no runs yet.", "Start one with PUT /scan/datasources/{ds}/scans/{scan}/runs/{runId}, or wait for its trigger."));
      return;
    }
    render(tbodyHolder, table(`${rows.length} runs`, ["Run id", "Status", "Run type", "Trigger", "Start (UTC)", "End (UTC)", "Duration", "Assets discovered", "Assets ingested"],
      rows.map((r) => [
        link(href(["scanruns", "run", ds, scan, r.id], { period }), r.id, { class: "mono", "data-run": r.id }),
        statusBadge(r.status), cell(r.scanLevelType), cell(r.runType), cell(utc(r.startTime)), cell(utc(r.endTime)),
        cell(duration(between(r.startTime, r.endTime))),
        cell(r.discoveryExecutionDetails.statistics.assets.discovered, "discovered"), cell(r.ingestionExecutionDetails.statistics.assets.succeeded, "ingested"),
      ]), "scan-history"));
    render(body, tbodyHolder, next ? moreButton : null);
    moreButton.disabled = false;
    main.dataset.ready = "scan-history";
  };
  moreButton.addEventListener("click", loadPage);
  await loadPage();
}

function fact(label: string, value: Node | string, key: string): HTMLElement[] {
  return [h("dt", {}, label), h("dd", { "data-field": key }, value)];
}

export async function runPage(main: HTMLElement, route: Route) {
  const [, , ds, scan, runId] = route.path;
  const period = periodOf(route);
  const path = `/scan/datasources/${enc(ds)}/scans/${enc(scan)}/runs/${enc(runId)}`;
  const body = h("section", { "aria-live": "polite" }, loading("the run"));
  render(main, crumbs(["Scan runs", href(["scanruns"], { period })], ["Scan status", href(["scanruns", "status"], { period })], [`${ds} / ${scan}`, href(["scanruns", "history", ds, scan], { period })], ["Run details", null]),
    h("h1", {}, "Scan run details"), body);
  let run: Run;
  try {
    run = await getJson<Run>(`${path}?api-version=2023-09-01`);
  } catch (e) {
    render(body, errorState(e, () => runPage(main, route)));
    return;
  }
  const d = run.discoveryExecutionDetails;
  const i = run.ingestionExecutionDetails;
  const notice = h("p", { role: "status", class: "notice", "data-testid": "run-notice" });
  const actions = h("div", { class: "actions" });
  if (!finalStatuses.includes(run.status)) {
    const cancel = h("button", { type: "button", class: "danger", "data-testid": "cancel-run" }, "Cancel this run");
    cancel.addEventListener("click", async () => {
      if (!confirm("Cancel this scan run? A canceled run cannot be resumed.")) return;
      cancel.disabled = true;
      notice.textContent = "Canceling…";
      try {
        await postJson(`${path}:cancel?api-version=2023-09-01`);
        notice.textContent = "Cancel requested.";
        await runPage(main, route);
      } catch (e) {
        notice.textContent = `Cancel failed: ${(e as Error).message}`;
        cancel.disabled = false;
      }
    });
    actions.append(cancel);
  }
  const exceptions = h("button", { type: "button", "data-testid": "download-exceptions" }, "Download exception log (CSV)");
  exceptions.addEventListener("click", async () => {
    exceptions.disabled = true;
    notice.textContent = "Downloading…";
    try {
      const name = await download(`${path}/exceptions?api-version=2023-09-01`, `scanrun-${run.id}-exceptions.csv`);
      notice.textContent = `Downloaded ${name}.`;
    } catch (e) {
      notice.textContent = `Download failed: ${(e as Error).message}`;
    } finally {
      exceptions.disabled = false;
    }
  });
  actions.append(exceptions);
  const error = run.error ?? (run.errorMessage ? { code: "", message: run.errorMessage } : null);
  render(
    body,
    h("dl", { class: "facts", "data-testid": "run-facts" },
      ...fact("Run id", h("span", { class: "mono" }, run.id), "id"),
      ...fact("Status", statusBadge(run.status), "status"),
      ...fact("Run type", run.scanLevelType, "scanLevelType"),
      ...fact("Scan type", run.runType, "runType"),
      ...fact("Source type", run.dataSourceType, "dataSourceType"),
      ...fact("Collection", run.collection.referenceName, "collection"),
      ...fact("Queued for", duration(run.queuedDuration), "queuedDuration"),
      ...fact("Throttled for", duration(run.throttledDuration), "throttledDuration"),
      ...fact("Billable time", duration(run.billableDuration), "billableDuration"),
    ),
    error
      // The whole message, wrapped to the page: a cut message hides what to do about the failure.
      ? h("div", { class: "state error", role: "alert", "data-testid": "run-error" }, h("strong", {}, "The run failed: "), h("span", { class: "banner-message", "data-testid": "run-error-message" }, error.message),
          h("details", { "data-testid": "more-info" }, h("summary", {}, "More info"), h("p", {}, `Code: ${error.code || "–"}`), h("pre", {}, error.message)))
      : null,
    h("div", { class: "phases" },
      h("section", { class: "phase", "data-testid": "phase-scan", "aria-labelledby": "h-scan" }, h("h2", { id: "h-scan" }, "Scan"),
        h("dl", { class: "facts" },
          ...fact("Scan status", statusBadge(d.status), "scanStatus"),
          ...fact("Assets discovered", num(d.statistics.assets.discovered), "discovered"),
          ...fact("Assets classified", num(d.statistics.assets.classified), "classified"),
          ...fact("Duration", duration(between(d.discoveryStartTime, d.discoveryEndTime)), "scanDuration"),
          ...fact("Start", utc(d.discoveryStartTime), "scanStart"),
          ...fact("End", utc(d.discoveryEndTime), "scanEnd"))),
      h("section", { class: "phase", "data-testid": "phase-ingestion", "aria-labelledby": "h-ingestion" }, h("h2", { id: "h-ingestion" }, "Data ingestion"),
        h("dl", { class: "facts" },
          ...fact("Ingestion status", statusBadge(i.status), "ingestionStatus"),
          ...fact("Assets ingested", num(i.statistics.assets.succeeded), "assetsIngested"),
          ...fact("Assets failed", num(i.statistics.assets.failed), "assetsFailed"),
          ...fact("Relationships ingested", num(i.statistics.relationships.succeeded), "relationshipsIngested"),
          ...fact("Duration", duration(between(i.ingestionStartTime, i.ingestionEndTime)), "ingestionDuration"),
          ...fact("Start", utc(i.ingestionStartTime), "ingestionStart"),
          ...fact("End", utc(i.ingestionEndTime), "ingestionEnd"))),
    ),
    actions,
    notice,
  );
  main.dataset.ready = "scan-run";
}
