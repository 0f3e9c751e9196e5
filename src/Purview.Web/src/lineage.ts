// Lineage: an asset's upstream and downstream graph from the Atlas lineage read, laid out in columns by hop.
import { enc, getJson } from "./api";
import { go, href, type Route } from "./router";
import { empty, errorState, h, loading, render } from "./ui";

interface Header { guid: string; typeName: string; displayText: string; attributes: { qualifiedName: string; name: string } }
interface Lineage {
  baseEntityGuid: string;
  guidEntityMap: Record<string, Header>;
  relations: { fromEntityId: string; toEntityId: string; relationshipId: string }[];
  parentRelations?: { childEntityId: string; parentEntityId: string; relationshipId: string }[];
}

/** The column of containers (pipelines, activities, jobs) that hold the processes: right of everything else. */
const ParentsColumn = 1_000;

const Namespace = "6f1c3b8e-2a4d-5e7f-9a0b-1c2d3e4f5a6b";

/** The data map's entity GUID: a version-5 UUID of "{typeName}|{qualifiedName}" (DataMapIds.EntityGuid). */
export async function entityGuid(typeName: string, qualifiedName: string): Promise<string> {
  const ns = Uint8Array.from(Namespace.replace(/-/g, "").match(/../g)!.map((b) => parseInt(b, 16)));
  const name = new TextEncoder().encode(`${typeName}|${qualifiedName}`);
  const input = new Uint8Array(16 + name.length);
  input.set(ns);
  input.set(name, 16);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-1", input)).slice(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Column of each entity: negative upstream, 0 the asset, positive downstream (shortest hop count). */
export function columns(g: Lineage): Map<string, number> {
  const col = new Map<string, number>([[g.baseEntityGuid, 0]]);
  const walk = (forward: boolean) => {
    let frontier = [g.baseEntityGuid];
    for (let step = 1; frontier.length > 0 && step < 64; step++) {
      const next: string[] = [];
      for (const id of frontier)
        for (const r of g.relations) {
          const [from, to] = forward ? [r.fromEntityId, r.toEntityId] : [r.toEntityId, r.fromEntityId];
          if (from === id && !col.has(to)) {
            col.set(to, forward ? step : -step);
            next.push(to);
          }
        }
      frontier = next;
    }
  };
  walk(true);
  walk(false);
  // Containers reached only through parent relations get a column of their own.
  for (const id of Object.keys(g.guidEntityMap)) if (!col.has(id)) col.set(id, ParentsColumn);
  return col;
}

export async function lineagePage(main: HTMLElement, route: Route) {
  const guid = route.query.get("guid") ?? "";
  const depth = route.query.get("depth") ?? "3";
  const direction = route.query.get("direction") ?? "BOTH";
  const guidInput = h("input", { id: "l-guid", value: guid, size: 38, placeholder: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "data-testid": "lineage-guid" });
  const typeInput = h("input", { id: "l-type", placeholder: "azure_sql_table", size: 16 });
  const qnInput = h("input", { id: "l-qn", placeholder: "mssql://server/db/dbo/table", size: 40 });
  const depthSelect = h("select", { id: "l-depth", "data-testid": "lineage-depth" }, ...Array.from({ length: 10 }, (_, i) => String(i + 1)).map((d) => h("option", { value: d, selected: d === depth }, d)));
  const dirSelect = h("select", { id: "l-dir" }, ...[["BOTH", "Upstream and downstream"], ["INPUT", "Upstream"], ["OUTPUT", "Downstream"]].map(([v, t]) => h("option", { value: v, selected: v === direction }, t)));
  const form = h("form", { class: "filters", "data-testid": "lineage-form" },
    h("label", { for: "l-guid" }, "Asset GUID"), guidInput,
    h("span", { class: "filter-label" }, "or type"), typeInput, h("label", { for: "l-qn" }, "qualified name"), qnInput,
    h("label", { for: "l-depth" }, "Depth"), depthSelect, h("label", { for: "l-dir" }, "Direction"), dirSelect,
    h("button", { type: "submit" }, "Show lineage"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    let id = guidInput.value.trim();
    if (typeInput.value.trim() && qnInput.value.trim()) id = await entityGuid(typeInput.value.trim(), qnInput.value.trim());
    go(["lineage"], { guid: id, depth: depthSelect.value, direction: dirSelect.value });
  });
  const body = h("section", { "aria-live": "polite" });
  render(main, h("h1", {}, "Lineage"), h("p", { class: "lede" }, "Upstream and downstream of an asset in the data map, as far as the depth you choose. Select a node to centre on it."), form, body);
  if (!guid) {
    render(body, empty("Choose an asset.", "Enter its GUID, or its type name and qualified name (for example azure_sql_table and mssql://srv.database.windows.net/db/dbo/sales). Lineage is pushed by connected Data Factory, Synapse and OpenLineage sources."));
    main.dataset.ready = "lineage";
    return;
  }
  render(body, loading("the lineage"));
  let g: Lineage;
  try {
    g = await getJson<Lineage>(`/datamap/api/atlas/v2/lineage/${enc(guid)}?direction=${enc(direction)}&depth=${enc(depth)}`);
  } catch (e) {
    render(body, errorState(e, () => lineagePage(main, route)));
    return;
  }
  render(body, graph(g, depth, direction));
  main.dataset.ready = "lineage";
}

function graph(g: Lineage, depth: string, direction: string): HTMLElement {
  const col = columns(g);
  const byCol = new Map<number, string[]>();
  for (const [id, c] of col) if (g.guidEntityMap[id]) byCol.set(c, [...(byCol.get(c) ?? []), id]);
  const cols = [...byCol.keys()].sort((a, b) => a - b);
  const W = 210, H = 54, GX = 70, GY = 22;
  const pos = new Map<string, { x: number; y: number }>();
  cols.forEach((c, ci) => byCol.get(c)!.sort().forEach((id, ri) => pos.set(id, { x: 20 + ci * (W + GX), y: 20 + ri * (H + GY) })));
  const width = 40 + cols.length * (W + GX) - GX;
  const height = 40 + Math.max(...cols.map((c) => byCol.get(c)!.length)) * (H + GY) - GY;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", `Lineage graph: ${col.size} entities, ${g.relations.length} relations`);
  svg.innerHTML = `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#4d5b6a"/></marker></defs>`;
  const edges = [
    ...g.relations.map((r) => ({ from: r.fromEntityId, to: r.toEntityId, parent: false })),
    ...(g.parentRelations ?? []).map((r) => ({ from: r.childEntityId, to: r.parentEntityId, parent: true })),
  ];
  for (const r of edges) {
    const a = pos.get(r.from), b = pos.get(r.to);
    if (!a || !b) continue;
    const path = document.createElementNS(ns, "path");
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
    path.setAttribute("d", `M${x1},${y1} C${x1 + GX / 2},${y1} ${x2 - GX / 2},${y2} ${x2},${y2}`);
    path.setAttribute("class", r.parent ? "edge parent" : "edge");
    path.setAttribute("marker-end", "url(#arrow)");
    svg.append(path);
  }
  for (const [id, p] of pos) {
    const e = g.guidEntityMap[id];
    const a = document.createElementNS(ns, "a");
    a.setAttribute("href", href(["lineage"], { guid: id, depth, direction }));
    a.setAttribute("data-guid", id);
    a.setAttribute("aria-label", `${e.typeName} ${e.displayText}${id === g.baseEntityGuid ? " (this asset)" : ""}`);
    const process = /process|operation|activity|job/i.test(e.typeName);
    a.innerHTML = `<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="${process ? 27 : 6}" class="node${id === g.baseEntityGuid ? " base" : ""}${process ? " process" : ""}"/>` +
      `<text x="${p.x + 10}" y="${p.y + 22}" class="node-name"></text><text x="${p.x + 10}" y="${p.y + 40}" class="node-type"></text>`;
    const [nameText, typeText] = a.querySelectorAll("text");
    nameText.textContent = e.displayText.length > 28 ? e.displayText.slice(0, 27) + "…" : e.displayText;
    typeText.textContent = e.typeName;
    const title = document.createElementNS(ns, "title");
    title.textContent = `${e.typeName}: ${e.attributes.qualifiedName}`;
    a.prepend(title);
    svg.append(a);
  }
  const upstream = [...col.values()].filter((c) => c < 0).length;
  const downstream = [...col.values()].filter((c) => c > 0 && c !== ParentsColumn).length;
  const containers = [...col.values()].filter((c) => c === ParentsColumn).length;
  const base = g.guidEntityMap[g.baseEntityGuid];
  return h("div", {},
    h("p", { "data-testid": "lineage-summary" }, `${base?.displayText ?? g.baseEntityGuid} (${base?.typeName ?? "?"}): `, h("span", { "data-upstream": upstream }, `${upstream} upstream`), ", ", h("span", { "data-downstream": downstream }, `${downstream} downstream`), ` entities, ${g.relations.length} relations within ${depth} hops`, containers ? `; ${containers} containers (pipelines, activities, jobs) on the right, linked by dashed lines.` : "."),
    h("div", { class: "graph", "data-testid": "lineage-graph" }, svg));
}
