import "./styles.css";
import { ApiError, getJson, postJson, session, setUnauthorizedHandler } from "./api";
import { connectorsPage } from "./connectors";
import { lineagePage } from "./lineage";
import { linkSourcePage, linksPage, linkStatusPage } from "./links";
import { current, go, href } from "./router";
import { historyPage, runPage, statusPage, summaryPage } from "./scanruns";
import { errorState, focusHeading, h, render } from "./ui";

const main = document.getElementById("main")!;
const nav = document.getElementById("nav")!;
const who = document.getElementById("who")!;

const pages: [string, string][] = [["scanruns", "Scan runs"], ["links", "Links"], ["connectors", "Connectors"], ["lineage", "Lineage"]];

let signInMessage = "";
setUnauthorizedHandler(() => {
  session.token = null;
  signInMessage = "Your sign-in is no longer valid (expired, or the host's key changed): sign in again.";
  if (current().path[0] !== "signin") go(["signin"], { then: location.hash.slice(1) });
});

function drawChrome() {
  const page = current().path[0] ?? "";
  nav.replaceChildren(...(session.token ? pages.map(([p, label]) => h("a", { href: href([p]), "aria-current": p === page ? "page" : null, "data-page": p }, label)) : []));
  if (!session.token) who.replaceChildren();
  else void drawAlertBadges();
}

// Which alert summary page each nav entry shows firing rules for (/monitoring/alerts/summary).
const alertPages: Record<string, string> = { scanruns: "scans", links: "links", connectors: "connectors" };

async function drawAlertBadges() {
  delete nav.dataset.alerts;
  let summary: { firing: number; pages: Record<string, number> };
  try {
    summary = await getJson("/monitoring/alerts/summary");
  } catch {
    nav.dataset.alerts = "none"; // only root Collection admins may read alerts (403 otherwise): no badge
    return;
  }
  for (const a of Array.from(nav.querySelectorAll<HTMLAnchorElement>("a[data-page]"))) {
    const count = summary.pages[alertPages[a.dataset.page ?? ""] ?? ""] ?? 0;
    a.querySelector(".alert-badge")?.remove();
    if (count > 0) {
      a.append(" ", h("span", { class: "alert-badge", "data-testid": `alert-badge-${a.dataset.page}`, title: `${count} alert rule${count === 1 ? "" : "s"} firing`, "aria-label": `${count} firing` }, String(count)));
    }
  }
  nav.dataset.alerts = String(summary.firing);
}

async function showWho() {
  if (!session.token) return;
  try {
    const me = await getJson<{ name: string; authenticationKind: string }>("/account/me");
    who.replaceChildren(h("span", { "data-testid": "signed-in-as" }, `Signed in as ${me.name}`), " ", h("button", { type: "button", class: "link-button", onclick: signOut }, "Sign out"));
  } catch {
    // the page shows its own error
  }
}

function signOut() {
  session.token = null;
  go(["signin"]);
}

async function signInPage() {
  const then = current().query.get("then") ?? "/scanruns";
  let devAvailable = false;
  try {
    devAvailable = (await fetch("/devauth", { headers: { Accept: "application/json" } })).ok;
  } catch {
    // host unreachable: the token form still shows
  }
  const name = h("input", { id: "s-name", value: "admin", autocomplete: "username", required: true, "data-testid": "signin-name" });
  const token = h("textarea", { id: "s-token", rows: 3, cols: 60, placeholder: "eyJ…" });
  const message = h("p", { role: "alert", class: "notice" }, signInMessage);
  const finish = () => {
    signInMessage = "";
    location.hash = "#" + then;
  };
  const devForm = h("form", { class: "card", "data-testid": "dev-signin" },
    h("h2", {}, "Development sign-in"),
    h("p", {}, "This host runs in Development: it issues a development token for any principal name (\"admin\" holds every role at the root collection)."),
    h("label", { for: "s-name" }, "Principal name"), name, " ",
    h("button", { type: "submit" }, "Sign in"));
  devForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      session.token = (await postJson<{ token: string }>("/devauth/token", { name: name.value.trim() })).token;
      finish();
    } catch (err) {
      message.textContent = `Sign-in failed: ${(err as Error).message}`;
    }
  });
  const tokenForm = h("form", { class: "card" },
    h("h2", {}, "Sign in with a bearer token"),
    h("p", {}, "An Entra ID access token for this API, or the output of ./run.sh token <principal>. It is kept in this tab only (session storage)."),
    h("label", { for: "s-token" }, "Token"), token, h("br"),
    h("button", { type: "submit" }, "Use this token"));
  tokenForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    session.token = token.value.trim();
    try {
      await getJson("/account/me");
      finish();
    } catch (err) {
      session.token = null;
      message.textContent = err instanceof ApiError ? `The API refused the token: ${err.message}` : String(err);
    }
  });
  render(main, h("h1", {}, "Sign in"), message, devAvailable ? devForm : null, tokenForm);
  main.dataset.ready = "signin";
  (devAvailable ? name : token).focus();
}

async function route() {
  const r = current();
  delete main.dataset.ready;
  drawChrome();
  if (!session.token && r.path[0] !== "signin") {
    go(["signin"], { then: location.hash.slice(1) || "/scanruns" });
    return;
  }
  try {
    const [page, sub] = r.path;
    const view =
      page === "signin" ? signInPage()
      : page === "scanruns" && sub === "status" ? statusPage(main, r)
      : page === "scanruns" && sub === "history" ? historyPage(main, r)
      : page === "scanruns" && sub === "run" ? runPage(main, r)
      : page === "scanruns" ? summaryPage(main, r)
      : page === "links" && sub === "status" ? linkStatusPage(main, r)
      : page === "links" && sub === "source" ? linkSourcePage(main, r)
      : page === "links" ? linksPage(main, r)
      : page === "connectors" ? connectorsPage(main)
      : page === "lineage" ? lineagePage(main, r)
      : null;
    if (view === null) {
      go(["scanruns"]);
      return;
    }
    focusHeading(main);
    await view;
  } catch (e) {
    render(main, h("h1", {}, "Something went wrong"), errorState(e));
  }
}

window.addEventListener("hashchange", () => void route());
void route().then(showWho);
window.addEventListener("hashchange", () => {
  if (!who.hasChildNodes()) void showWho();
});
