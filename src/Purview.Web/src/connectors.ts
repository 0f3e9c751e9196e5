// Connectors: each connector's admin logs of the last 7 days, with the day's counters read from the log itself.
import { ApiError, download, enc, getJson, request } from "./api";
import { empty, errorState, h, loading, num, render, utc } from "./ui";

interface Connector { id: string; name: string; sourceType: string; createdAt: string }
interface AdminLog { connectorId: string; date: string; sizeBytes: number; generatedAt: string | null; invariantViolations: number; downloadLink: string }
export interface DayCounters { imports: number; fromSource: number; forImport: number; imported: number; partial: number; skipped: number; failed: number }

/** Sums the summary rows of an admin log (CSV; see docs/CONNECTORS.md). A day without items has none. */
export function countersOf(csv: string): DayCounters {
  const c: DayCounters = { imports: 0, fromSource: 0, forImport: 0, imported: 0, partial: 0, skipped: 0, failed: 0 };
  const lines = csv.split(/\r?\n/);
  let inSummary = false;
  for (const line of lines) {
    if (line.startsWith("Import completion time,")) { inSummary = true; continue; }
    if (!inSummary) continue;
    const cells = line.split(",");
    if (cells.length !== 7 || !/^\d{4}-\d{2}-\d{2}T/.test(cells[0])) { inSummary = false; continue; }
    const n = cells.slice(1).map(Number);
    c.imports++; c.fromSource += n[0]; c.forImport += n[1]; c.imported += n[2]; c.partial += n[3]; c.skipped += n[4]; c.failed += n[5];
  }
  return c;
}

const headers = ["Day (UTC)", "Imports", "Items from source", "Available for import", "Imported", "Partially imported", "Skipped", "Failed", "Generated (UTC)", "Log"];

export async function connectorsPage(main: HTMLElement) {
  const body = h("section", { "aria-live": "polite" }, loading("the connectors"));
  render(main, h("h1", {}, "Data connectors"), h("p", { class: "lede" }, "Each connector's daily admin logs, kept 7 days. A day's log is written after the UTC day closes (or on demand)."), body);
  let auditing: boolean;
  let connectors: Connector[];
  try {
    const [settings, list] = await Promise.all([getJson<{ auditingEnabled: boolean }>("/connectors/settings"), getJson<{ value: Connector[] }>("/connectors")]);
    auditing = settings.auditingEnabled;
    connectors = list.value;
  } catch (e) {
    render(body, errorState(e, () => connectorsPage(main)));
    return;
  }
  if (!auditing) {
    render(body, h("div", { class: "state warn", role: "alert", "data-testid": "auditing-off" }, h("p", {}, h("strong", {}, "Auditing is turned off for the organisation, so no admin logs are produced or shown.")),
      h("p", {}, "Turn it on with PUT /connectors/settings {\"auditingEnabled\": true}. Logs appear from the next day's run (or POST /connectors/admin-logs:generate?date=yyyy-MM-dd).")));
    main.dataset.ready = "connectors";
    return;
  }
  if (connectors.length === 0) {
    render(body, empty("No data connector yet.", "Create one with PUT /connectors/{id} {\"name\", \"sourceType\"}, map its users and import items; or start the demo with ./run.sh --demo."));
    main.dataset.ready = "connectors";
    return;
  }
  const sections = connectors.map((c) => {
    const holder = h("div", {}, loading(`the admin logs of ${c.name}`));
    return { c, holder, section: h("section", { class: "connector", "data-connector": c.id, "aria-labelledby": `c-${c.id}` }, h("h2", { id: `c-${c.id}` }, `${c.name} `, h("span", { class: "muted" }, `(${c.id}, ${c.sourceType})`)), holder) };
  });
  render(body, ...sections.map((s) => s.section));
  // Every connector and every day at once: none waits for another.
  await Promise.all(sections.map(async ({ c, holder }) => {
    let logs: AdminLog[];
    try {
      logs = (await getJson<{ value: AdminLog[] }>(`/connectors/${enc(c.id)}/admin-logs`)).value;
    } catch (e) {
      render(holder, errorState(e));
      return;
    }
    if (logs.length === 0) {
      render(holder, empty("No admin log in the last 7 days.", "Logs are written daily at 00:10 UTC for the previous day; it can take a day after the first import."));
      return;
    }
    const rows = logs.map((log) => {
      const counters = h("td", { colspan: 7, "data-label": "Counters" }, "loading counters…");
      const tr = h("tr", { "data-date": log.date }, h("th", { scope: "row", "data-label": headers[0] }, log.date), counters);
      const button = h("button", { type: "button", "data-testid": "download-log", "aria-label": `Download the admin log of ${log.date}` }, "Download");
      const status = h("span", { role: "status", class: "muted download-status" });
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          status.textContent = `Downloaded ${await download(log.downloadLink, `${c.id}-admin-log-${log.date}.csv`)}`;
        } catch (e) {
          status.textContent = `Download failed: ${(e as Error).message}`;
        } finally {
          button.disabled = false;
        }
      });
      tr.append(h("td", { "data-label": "Generated (UTC)" }, log.generatedAt ? utc(log.generatedAt) : "–"), h("td", { "data-label": "Log" }, button, status));
      void (async () => {
        try {
          const text = await (await request(log.downloadLink)).text();
          const n = countersOf(text);
          const cells = [n.imports, n.fromSource, n.forImport, n.imported, n.partial, n.skipped, n.failed];
          const keys = ["imports", "fromSource", "forImport", "imported", "partial", "skipped", "failed"];
          counters.replaceWith(...cells.map((v, i) => h("td", { "data-col": keys[i], "data-label": headers[i + 1] }, num(v))));
        } catch (e) {
          counters.textContent = e instanceof ApiError ? e.message : String(e);
        }
      })();
      return tr;
    });
    render(holder, h("div", { class: "table-wrap" }, h("table", { "data-testid": `admin-logs-${c.id}` },
      h("caption", {}, `Admin logs of the last 7 days (UTC days), ${c.name}`),
      h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...rows))));
  }));
  main.dataset.ready = "connectors";
}
