using Microsoft.Playwright;
using Xunit;

namespace Purview.Web.Tests;

/// <summary>
/// Every page as a person sees it on a 1280 px screen and on a 390 px phone: the page never scrolls sideways, no table
/// container scrolls sideways, no element's box sticks out of its parent's (there is no scroll region to excuse it), and
/// Tab reaches every visible control. Measured in the browser on the rendered page, with the demo data.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class LayoutTests(DashboardFixture dashboard)
{
    // Returns one line per element that sticks out: the page, a table container, or any box outside its parent's.
    private const string OverflowScript = """
        () => {
          const problems = [];
          const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.getAttribute("data-testid") ? `[${el.getAttribute("data-testid")}]` : "")
            + (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "");
          const path = (el) => { const parts = []; for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) parts.unshift(name(e)); return parts.join(" > "); };
          const doc = document.documentElement;
          if (doc.scrollWidth > doc.clientWidth) problems.push(`the page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
          for (const wrap of document.querySelectorAll(".table-wrap")) {
            if (wrap.scrollWidth > wrap.clientWidth + 1) problems.push(`table container scrolls sideways: ${path(wrap.querySelector("table") ?? wrap)} ${wrap.scrollWidth} > ${wrap.clientWidth}`);
          }
          for (const el of document.querySelectorAll("body *")) {
            const style = getComputedStyle(el);
            if (style.display === "none" || style.visibility === "hidden") continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            // The skip link waits off-screen until it is focused, by design; a closed <details> shows only its summary.
            if (el.closest(".skip")) continue;
            const closed = el.closest("details:not([open])");
            if (closed && closed !== el && !el.closest("summary")) continue;
            const parent = el.parentElement;
            if (!parent || parent === document.documentElement) continue;
            const p = parent.getBoundingClientRect();
            if (r.left < p.left - 1 || r.right > p.right + 1 || r.top < p.top - 1 || r.bottom > p.bottom + 1) {
              problems.push(`${path(el)} [${Math.round(r.left)}..${Math.round(r.right)} x ${Math.round(r.top)}..${Math.round(r.bottom)}] is outside ${name(parent)} [${Math.round(p.left)}..${Math.round(p.right)} x ${Math.round(p.top)}..${Math.round(p.bottom)}]`);
            }
            const tag = el.tagName.toLowerCase();
            if (style.overflowX === "visible" && !["input", "select", "textarea", "svg", "canvas", "html", "body"].includes(tag) && el.namespaceURI === "http://www.w3.org/1999/xhtml"
                && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && style.display !== "inline") {
              problems.push(`${path(el)}: its content is wider than it (${el.scrollWidth} > ${el.clientWidth})`);
            }
          }
          return problems.slice(0, 25);
        }
        """;

    // Numbers every visible control (links, buttons, fields, summaries) and returns how many there are.
    private const string MarkControlsScript = """
        () => {
          const controls = [...document.querySelectorAll("a[href], button, input, select, textarea, summary")].filter((el) => {
            const r = el.getBoundingClientRect();
            const closed = el.closest("details:not([open])");
            return r.width > 0 && r.height > 0 && !el.closest(".skip") && !(closed && !el.closest("summary")) && getComputedStyle(el).visibility !== "hidden";
          });
          controls.forEach((el, i) => el.setAttribute("data-kb", String(i)));
          return controls.length;
        }
        """;

    [BrowserFact]
    public Task Every_page_fits_a_1280_px_screen_without_sideways_scrolling_or_boxes_outside_their_containers() => EveryPageFitsAsync(1280, 900);

    [BrowserFact]
    public Task Every_page_fits_a_390_px_phone_without_sideways_scrolling_or_boxes_outside_their_containers() => EveryPageFitsAsync(390, 844);

    private async Task EveryPageFitsAsync(int width, int height)
    {
        var history = (await dashboard.GetJsonAsync("/scan/datasources/crm-sql/scans/nightly/runs?api-version=2023-09-01&$top=100")).GetProperty("value");
        var failed = history.EnumerateArray().First(r => r.GetProperty("status").GetString() == "Failed").GetProperty("id").GetString();
        var pages = new (string Path, string Ready)[]
        {
            ("/#/scanruns", "scanruns"),
            ("/#/scanruns/status?period=30d", "scan-status"),
            ("/#/scanruns/history/crm-sql/nightly", "scan-history"),
            ($"/#/scanruns/run/crm-sql/nightly/{failed}", "scan-run"),
            ("/#/links", "links"),
            ("/#/links/status", "link-status"),
            ("/#/links/source/AzureDataFactory/contoso-adf", "link-source"),
            ("/#/connectors", "connectors"),
            ($"/#/lineage?guid={dashboard.Demo.LineageGuid}&depth=4&direction=BOTH", "lineage"),
            ("/#/lineage", "lineage"),
            ("/#/lineage?guid=00000000-0000-4000-8000-000000000000&depth=2&direction=BOTH", "error"),
            ("/#/signin", "signin"),
        };
        var problems = new List<string>();
        foreach (var ((path, ready), index) in pages.Select((p, i) => (p, i)))
        {
            var page = path == "/#/signin" ? await SignedOutPageAsync(width, height) : await dashboard.SignedInPageAsync(width, height);
            await page.GotoAsync(path);
            if (ready == "error")
            {
                await page.Locator("[data-state=error]").WaitForAsync();
            }
            else
            {
                await page.ReadyAsync(ready);
            }

            // Connector counters come from each day's log after the page is ready.
            await page.WaitForFunctionAsync("() => !document.body.innerText.includes('loading counters')");
            await PageAssertions.LayoutScreenshotAsync(page, $"{width}-{index:D2}-{ready}");
            problems.AddRange((await page.EvaluateAsync<string[]>(OverflowScript)).Select(p => $"{path} at {width} px: {p}"));
            problems.AddRange((await UnreachableByKeyboardAsync(page)).Select(p => $"{path} at {width} px: not reachable with Tab: {p}"));
            await page.Context.CloseAsync();
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Tabs through the page from its start and returns the visible controls focus never reached.</summary>
    private static async Task<IReadOnlyList<string>> UnreachableByKeyboardAsync(IPage page)
    {
        var count = await page.EvaluateAsync<int>(MarkControlsScript);
        if (count == 0)
        {
            return ["the page has no control at all (not even the sign-in or the navigation)"];
        }

        var reached = new HashSet<string>(StringComparer.Ordinal);
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        for (var i = 0; i < count + 5 && reached.Count < count; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('data-kb')") is { } id)
            {
                reached.Add(id);
            }
        }

        return await page.EvaluateAsync<string[]>(
            "reached => [...document.querySelectorAll('[data-kb]')].filter(el => !reached.includes(el.getAttribute('data-kb'))).map(el => el.tagName.toLowerCase() + ' ' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40))",
            reached.ToArray());
    }

    private async Task<IPage> SignedOutPageAsync(int width, int height)
    {
        var context = await dashboard.Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = dashboard.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height } });
        return await context.NewPageAsync();
    }
}
