// Small DOM helpers: elements, UTC formatting, and the loading / error / empty states every page uses.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(key.replace(/^on/, ""), value as EventListener);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const numberFormat = new Intl.NumberFormat("en-US");
export const num = (n: number | null | undefined) => (n === null || n === undefined ? "–" : numberFormat.format(n));

/** "2026-11-22 08:15:03 UTC": every time on the pages is UTC and says so. */
export function utc(value: string | number | Date | null | undefined, withSeconds = true): string {
  if (value === null || value === undefined || value === "") return "–";
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)} UTC`;
}

export function utcDay(value: string | Date): string {
  const d = value instanceof Date ? value : new Date(value);
  return d.toISOString().slice(0, 10);
}

/** 3725 -> "1 h 2 min 5 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h} h` : "", m ? `${m} min` : "", rest ? `${rest} s` : ""].filter(Boolean).join(" ");
}

export function between(start: string | null | undefined, end: string | null | undefined): number | null {
  if (!start || !end) return null;
  return (new Date(end).getTime() - new Date(start).getTime()) / 1000;
}

export function loading(what: string): HTMLElement {
  return h("p", { class: "state loading", role: "status", "data-state": "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), `Loading ${what}…`);
}

export function errorState(error: unknown, retry?: () => void): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status?: number }).status;
  const hint =
    status === 403
      ? "Your principal lacks the role this page needs (for example Data source admin on a collection). Ask a collection admin to grant it, or sign in as another principal."
      : status === undefined || status >= 500
        ? "Check that the local host is running (./run.sh) and try again."
        : "";
  return h(
    "div",
    { class: "state error", role: "alert", "data-state": "error" },
    h("strong", {}, "Could not load: "),
    message,
    hint ? h("p", {}, hint) : null,
    retry ? h("button", { type: "button", onclick: retry }, "Try again") : null,
  );
}

export function empty(message: string, todo: string): HTMLElement {
  return h("div", { class: "state empty", "data-state": "empty" }, h("p", {}, h("strong", {}, message)), h("p", {}, todo));
}

export function tile(label: string, value: number | string, key: string, tone = ""): HTMLElement {
  return h(
    "div",
    { class: `tile ${tone}`, "data-kpi": key },
    h("span", { class: "tile-label" }, label),
    h("span", { class: "tile-value", "data-value": typeof value === "number" ? value : "" }, typeof value === "number" ? num(value) : value),
  );
}

export function table(caption: string, headers: string[], rows: Node[][], testId: string): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { "data-testid": testId },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", { scope: "col" }, t)))),
      // data-label: on a phone each row is a card and each cell says which column it is.
      h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((c, i) => h("td", { "data-label": headers[i] }, c))))),
    ),
  );
}

export function cell(text: string | number, key?: string): Node {
  return h("span", key ? { "data-col": key } : {}, typeof text === "number" ? num(text) : text);
}

export function link(href: string, text: string, attrs: Attrs = {}): HTMLAnchorElement {
  return h("a", { href, ...attrs }, text);
}

export function statusBadge(status: string): HTMLElement {
  const tone = /fail/i.test(status) ? "bad" : /cancel/i.test(status) ? "warn" : /succe|complet/i.test(status) ? "good" : "info";
  return h("span", { class: `badge ${tone}`, "data-status": status }, status);
}

/** Replaces the page's content and moves focus to its heading so keyboard and screen-reader users land on it. */
export function render(main: HTMLElement, ...children: Child[]) {
  main.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
}

export function focusHeading(main: HTMLElement) {
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
}
