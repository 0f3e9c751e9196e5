using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Tests.Access;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

/// <summary>
/// A host over Azurite with a manual clock (jobs off: tests run them), collections root ─ finance and root ─ sales, and
/// principals: adf-writer and ol-writer (Data curator of finance), curious (Data curator of finance, not a writer),
/// outsider (writer of factory1 but no role), dana (Data source admin of finance), rita (Data reader of finance).
/// Links: AzureDataFactory/factory1 and OpenLineage/airflow-prod in finance.
/// </summary>
public sealed class LinksHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private LinksHost(AzuriteFixture azurite, ManualTimeProvider time, Action<IServiceCollection>? configureServices, IReadOnlyDictionary<string, string?>? settings)
    {
        Time = time;
        var all = new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        Host = new TestHost(azurite, time, all, configureServices);
    }

    public ManualTimeProvider Time { get; }

    public TestHost Host { get; }

    public HttpClient Admin => Host.Client("admin");

    public static async Task<LinksHost> StartAsync(AzuriteFixture azurite, Action<IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = new LinksHost(azurite, new ManualTimeProvider(Start.AddMinutes(10)), configureServices, settings);
        var admin = host.Admin;
        await AccessHostFixture.PutCollection(admin, "finance", "root");
        await AccessHostFixture.PutCollection(admin, "sales", "root");
        foreach (var p in new[] { "adf-writer", "ol-writer", "curious" })
        {
            await AccessHostFixture.Grant(admin, "finance", "dataCurator", p);
        }

        await AccessHostFixture.Grant(admin, "finance", "dataSourceAdmin", "dana");
        await AccessHostFixture.Grant(admin, "finance", "dataReader", "rita");
        await host.ConnectAsync("AzureDataFactory", "factory1", "finance", "adf-writer", "outsider");
        await host.ConnectAsync("OpenLineage", "airflow-prod", "finance", "ol-writer");
        return host;
    }

    public async Task ConnectAsync(string type, string name, string collection, params string[] writers)
    {
        using var response = await Admin.PutAsJsonAsync($"/links/{type}/{Uri.EscapeDataString(name)}", new { collection, writers });
        Assert.True(response.IsSuccessStatusCode, $"connect {type}/{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static object CopyRun(string runId, DateTimeOffset start, string pipeline = "pipe1", string activity = "copy1", string activityType = "Copy",
        object[]? inputs = null, object[]? outputs = null, string status = "Succeeded") => new
        {
            pipelineName = pipeline,
            activityName = activity,
            activityType,
            activityRunId = runId,
            pipelineRunId = "p-" + runId,
            status,
            start,
            end = start.AddMinutes(2),
            inputs = inputs ?? new object[]
            {
                new { qualifiedName = "https://acct.blob.core.windows.net/raw/a.csv", type = "azure_blob_path", name = "a.csv" },
                new { qualifiedName = "https://acct.blob.core.windows.net/raw/b.csv", type = "azure_blob_path", name = "b.csv" },
            },
            outputs = outputs ?? new object[] { new { qualifiedName = "mssql://srv.database.windows.net/db/dbo/sales", type = "azure_sql_table", name = "sales" } },
        };

    public static Dictionary<string, object?> RunEvent(string eventType, string runId, DateTimeOffset time, string job = "load_sales", string? parent = "daily_dag",
        string ns = "airflow-prod", int inputs = 2, int outputs = 1)
    {
        var facets = new Dictionary<string, object?>();
        if (parent is not null)
        {
            facets["parent"] = new { run = new { runId = "11111111-2222-4333-8444-555555555555" }, job = new { @namespace = ns, name = parent } };
        }

        return new Dictionary<string, object?>
        {
            ["eventType"] = eventType,
            ["eventTime"] = time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["run"] = new { runId, facets },
            ["job"] = new { @namespace = ns, name = job },
            ["inputs"] = Enumerable.Range(0, inputs).Select(i => new { @namespace = "postgres://db:5432", name = $"public.source{i}" }).ToArray(),
            ["outputs"] = Enumerable.Range(0, outputs).Select(i => new { @namespace = "s3://lake", name = $"sales/part{i}" }).ToArray(),
            ["producer"] = "https://github.com/OpenLineage/OpenLineage/tree/1.0.0/integration/airflow",
            ["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        };
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, int expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
