using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Purview.Api.Identity;
using Purview.LocalHost.Demo;
using Purview.Testing;
using Xunit;

namespace Purview.Web.Tests;

/// <summary>
/// One local host on a real port over Azurite, seeded with the demo data set, and one Chromium, shared by every
/// page test (the seeding and the browser start are the slow parts). Scan-run workers are off, so a run started by a
/// test stays in progress until the test cancels it.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly AzuriteFixture _azurite = new();
    private IPlaywright? _playwright;

    /// <summary>Why browser tests cannot run here, or null when they can.</summary>
    public static string? MissingBrowser => File.Exists(ChromiumPath) ? null : $"no Chromium at {ChromiumPath}: install it with 'apt-get install -y chromium' (.ci/run does)";

    public static string WebRoot => Path.Combine(RepoPaths.Root, "src", "Purview.Web", "dist");

    public TestHost Host { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public string Token { get; private set; } = "";

    public DemoSummary Demo { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(WebRoot, "index.html")))
        {
            throw new InvalidOperationException($"The front end is not built ({WebRoot}): run ./test.sh, or 'npm ci && npm run build' in src/Purview.Web.");
        }

        await _azurite.InitializeAsync();
        Host = new TestHost(_azurite, null, new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Workers:Enabled"] = "false",
            ["Web:Root"] = WebRoot,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        Host.Factory.UseKestrel();
        Host.Factory.StartServer();
        var address = Host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        Token = Host.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue("admin");
#pragma warning disable CA2000 // disposed in DisposeAsync
        Api = new HttpClient { BaseAddress = BaseAddress };
#pragma warning restore CA2000
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Demo = await new DemoData(Host.Services, TimeProvider.System).SeedAsync(CancellationToken.None);

        if (MissingBrowser is null)
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        }
    }

    /// <summary>A new tab already signed in as admin (the token the sign-in page would keep in session storage).</summary>
    public async Task<IPage> SignedInPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), AcceptDownloads = true, ViewportSize = new ViewportSize { Width = width, Height = height } });
        await context.AddInitScriptAsync($"sessionStorage.setItem('purview.token', {JsonSerializer.Serialize(Token)});");
        return await context.NewPageAsync();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Api.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}

/// <summary>A fact that needs Chromium: reported as skipped, with the reason, where there is none.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (DashboardFixture.MissingBrowser is { } reason)
        {
            Skip = "SKIPPED browser test: " + reason;
        }
    }
}
