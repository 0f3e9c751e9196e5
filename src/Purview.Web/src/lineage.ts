// Lineage: an asset's upstream and downstream graph from the Atlas lineage read, laid out in columns by hop.
import { enc, getJson } from "./api";
import { go, href, type Route } from "./router";
import { empty, errorState, h, link, loading, num, render, utcDay } from "./ui";

interface Header {
  guid: string; typeName: string; displayText: string;
  attributes: { qualifiedName: string; name: string; runCount?: number; lastRunId?: string; lastRunTime?: number; partitionCount?: number };
}
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

/** A node as drawn: one entity, or the entities that still repeat in one column (same type and name) as one group. */
export interface GraphNode { id: string; members: string[]; col: number }

/**
 * Groups what still repeats: entities in the same column with the same type and name become one node (for example the
 * per-run datasets and operations pushed before names rolled up into resource sets). The asset itself stays alone.
 */
export function groupNodes(g: Lineage, col: Map<string, number>): GraphNode[] {
  const groups = new Map<string, GraphNode>();
  for (const [id, c] of [...col].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const e = g.guidEntityMap[id];
    if (!e) continue;
    const key = id === g.baseEntityGuid ? "base" : `${c}|${e.typeName}|${e.displayText}`;
    const node = groups.get(key);
    if (node) node.members.push(id);
    else groups.set(key, { id, members: [id], col: c });
  }
  return [...groups.values()];
}

/** What a node says besides its name and type: the asset itself, a group's size, a process's runs, a resource set's partitions. */
function infoOf(g: Lineage, node: GraphNode): string {
  const e = g.guidEntityMap[node.id];
  if (node.id === g.baseEntityGuid) return "This asset";
  if (node.members.length > 1) return `${node.members.length} alike, grouped`;
  const a = e.attributes;
  if (a.runCount) return `${num(a.runCount)} run${a.runCount === 1 ? "" : "s"}, last ${a.lastRunTime ? utcDay(new Date(a.lastRunTime)) : "–"}`;
  if (a.partitionCount) return `${num(a.partitionCount)} partition${a.partitionCount === 1 ? "" : "s"}`;
  return "";
}

function hopLabel(c: number): string {
  if (c === 0) return "The asset";
  if (c === ParentsColumn) return "Containers (pipelines, activities, jobs)";
  const n = Math.abs(c);
  return `${n} hop${n === 1 ? "" : "s"} ${c < 0 ? "upstream" : "downstream"}`;
}

function graph(g: Lineage, depth: string, direction: string): HTMLElement {
  const col = columns(g);
  const nodes = groupNodes(g, col);
  const nodeOf = new Map<string, GraphNode>();
  for (const n of nodes) for (const m of n.members) nodeOf.set(m, n);
  const byCol = new Map<number, GraphNode[]>();
  for (const n of nodes) byCol.set(n.col, [...(byCol.get(n.col) ?? []), n]);
  const cols = [...byCol.keys()].sort((a, b) => a - b);
  const name = (n: GraphNode) => g.guidEntityMap[n.id].displayText;
  for (const c of cols) byCol.get(c)!.sort((a, b) => name(a).localeCompare(name(b)) || (a.id < b.id ? -1 : 1));
  const W = 200, H = 64, GX = 56, GY = 18;
  const pos = new Map<GraphNode, { x: number; y: number }>();
  cols.forEach((c, ci) => byCol.get(c)!.forEach((n, ri) => pos.set(n, { x: 20 + ci * (W + GX), y: 20 + ri * (H + GY) })));
  const width = 40 + cols.length * (W + GX) - GX;
  const height = 40 + Math.max(...cols.map((c) => byCol.get(c)!.length)) * (H + GY) - GY;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  // Scales down to the container's width (never wider than drawn): the page never scrolls sideways.
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("style", `max-width: ${width}px`);
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", `Lineage graph: ${nodes.length} nodes for ${col.size} entities, ${g.relations.length} relations`);
  svg.innerHTML = `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#4d5b6a"/></marker></defs>`;
  const edges = new Map<string, { from: GraphNode; to: GraphNode; parent: boolean }>();
  const addEdge = (from: string, to: string, parent: boolean) => {
    const a = nodeOf.get(from), b = nodeOf.get(to);
    if (a && b && a !== b) edges.set(`${a.id}|${b.id}|${parent}`, { from: a, to: b, parent });
  };
  for (const r of g.relations) addEdge(r.fromEntityId, r.toEntityId, false);
  for (const r of g.parentRelations ?? []) addEdge(r.childEntityId, r.parentEntityId, true);
  for (const r of edges.values()) {
    const a = pos.get(r.from)!, b = pos.get(r.to)!;
    const path = document.createElementNS(ns, "path");
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
    path.setAttribute("d", `M${x1},${y1} C${x1 + GX / 2},${y1} ${x2 - GX / 2},${y2} ${x2},${y2}`);
    path.setAttribute("class", r.parent ? "edge parent" : "edge");
    path.setAttribute("marker-end", "url(#arrow)");
    svg.append(path);
  }
  for (const [n, p] of pos) {
    const e = g.guidEntityMap[n.id];
    const info = infoOf(g, n);
    const a = document.createElementNS(ns, "a");
    a.setAttribute("href", href(["lineage"], { guid: n.id, depth, direction }));
    a.setAttribute("data-guid", n.id);
    a.setAttribute("data-members", String(n.members.length));
    a.setAttribute("aria-label", `${e.typeName} ${e.displayText}${info ? ` (${info})` : ""}`);
    const process = /process|operation|activity|job/i.test(e.typeName);
    a.innerHTML = `<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="${process ? 27 : 6}" class="node${n.id === g.baseEntityGuid ? " base" : ""}${process ? " process" : ""}"/>` +
      `<text x="${p.x + 12}" y="${p.y + 20}" class="node-name"></text><text x="${p.x + 12}" y="${p.y + 37}" class="node-type"></text><text x="${p.x + 12}" y="${p.y + 54}" class="node-info"></text>`;
    const [nameText, typeText, infoText] = a.querySelectorAll("text");
    nameText.textContent = e.displayText.length > 24 ? e.displayText.slice(0, 23) + "…" : e.displayText;
    typeText.textContent = e.typeName.length > 28 ? e.typeName.slice(0, 27) + "…" : e.typeName;
    infoText.textContent = info;
    const title = document.createElementNS(ns, "title");
    title.textContent = `${e.typeName}: ${e.attributes.qualifiedName}${info ? ` (${info})` : ""}`;
    a.prepend(title);
    svg.append(a);
  }
  const upstream = [...col.values()].filter((c) => c < 0).length;
  const downstream = [...col.values()].filter((c) => c > 0 && c !== ParentsColumn).length;
  const containers = [...col.values()].filter((c) => c === ParentsColumn).length;
  const base = g.guidEntityMap[g.baseEntityGuid];
  const grouped = nodes.filter((n) => n.members.length > 1);
  // The same graph as text, hop by hop: readable on a phone, where the drawing is small, and by screen readers.
  const hops = h("section", { class: "hops", "aria-labelledby": "l-hops", "data-testid": "lineage-hops" }, h("h2", { id: "l-hops" }, "Entities by hop"),
    ...cols.map((c) => h("div", {}, h("h3", { class: "hint" }, hopLabel(c)), h("ul", {}, ...byCol.get(c)!.map((n) => {
      const e = g.guidEntityMap[n.id];
      const info = infoOf(g, n);
      const item = h("li", {}, link(href(["lineage"], { guid: n.id, depth, direction }), e.displayText), ` (${e.typeName})`, info ? ` – ${info}` : "");
      if (n.members.length > 1)
        item.append(" ", h("details", {}, h("summary", {}, `Show the ${n.members.length}`), h("ul", {}, ...n.members.map((m) => h("li", {}, link(href(["lineage"], { guid: m, depth, direction }), g.guidEntityMap[m].attributes.qualifiedName))))));
      return item;
    })))));
  return h("div", {},
    h("p", { "data-testid": "lineage-summary" }, `${base?.displayText ?? g.baseEntityGuid} (${base?.typeName ?? "?"}): `, h("span", { "data-upstream": upstream }, `${upstream} upstream`), ", ", h("span", { "data-downstream": downstream }, `${downstream} downstream`), ` entities, ${g.relations.length} relations within ${depth} hops`, containers ? `; ${containers} containers (pipelines, activities, jobs) on the right, linked by dashed lines.` : ".",
      grouped.length ? ` ${grouped.reduce((sum, n) => sum + n.members.length, 0)} entities that repeat are drawn as ${grouped.length} grouped node${grouped.length === 1 ? "" : "s"}.` : ""),
    h("div", { class: "graph", "data-testid": "lineage-graph" }, svg),
    hops);
}
