using System.Globalization;
using Microsoft.Playwright;
using Purview.Testing;
using Xunit;

namespace Purview.Web.Tests;

internal static class PageAssertions
{
    /// <summary>Waits until the page has rendered its data (pages set main[data-ready] when done).</summary>
    public static async Task ReadyAsync(this IPage page, string name)
    {
        await page.Locator($"main[data-ready='{name}']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Equal(0, await page.Locator("[data-state=error]").CountAsync());
    }

    /// <summary>The number as a person reads it ("1,234").</summary>
    public static string Shown(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static async Task<string> KpiAsync(this IPage page, string key) => (await page.Locator($"[data-kpi='{key}'] .tile-value").InnerTextAsync()).Trim();

    /// <summary>The text of column <paramref name="key"/> of every row of table <paramref name="testId"/>.</summary>
    public static async Task<IReadOnlyList<string>> ColumnAsync(this IPage page, string testId, string key) =>
        (await page.Locator($"table[data-testid='{testId}'] tbody [data-col='{key}']").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();

    /// <summary>With LAYOUT_SCREENSHOTS=&lt;folder&gt;, saves the whole page there (to look at what the layout tests measured).</summary>
    public static async Task LayoutScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("LAYOUT_SCREENSHOTS") is not { Length: > 0 } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>With UPDATE_SCREENSHOTS=1, saves the page for the README (docs/screenshots/{name}.png).</summary>
    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") != "1")
        {
            return;
        }

        var folder = Path.Combine(RepoPaths.Root, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = false });
    }
}
