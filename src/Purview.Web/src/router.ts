// Hash routes ("#/scanruns/status?period=7d"): the page is always "/", so the host's fallback never has to guess.

export interface Route {
  path: string[];
  query: URLSearchParams;
}

export function current(): Route {
  const raw = location.hash.replace(/^#\/?/, "");
  const [pathPart, queryPart = ""] = raw.split("?", 2);
  return { path: pathPart.split("/").filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(queryPart) };
}

export function href(path: (string | number)[], query: Record<string, string | number | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  const qs = q.toString();
  return "#/" + path.map((p) => encodeURIComponent(String(p))).join("/") + (qs ? "?" + qs : "");
}

export function go(path: (string | number)[], query: Record<string, string | number | null | undefined> = {}) {
  location.hash = href(path, query);
}
