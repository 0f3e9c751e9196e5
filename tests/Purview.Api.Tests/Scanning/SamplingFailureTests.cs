using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Purview.Api.Tests.ScanRuns;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Scanning;

/// <summary>A file the blob service fails to serve while it is sampled is recorded in the run's exception log, not silently left unclassified.</summary>
public sealed class SamplingFailureTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_5xx_while_sampling_a_file_is_logged_as_SampleFailed_and_the_other_files_are_classified()
    {
        var container = UniqueName.Container("samp");
        var client = TestBlobs.Container(azurite.ScanAccount, container);
        await client.CreateIfNotExistsAsync();
        await client.GetBlobClient("docs/customers.csv").UploadAsync(BinaryData.FromString("name,email\nAda,ada@contoso.com\nBob,bob@contoso.com\n"));
        await client.GetBlobClient("docs/orders.csv").UploadAsync(BinaryData.FromString("id,email\n1,ada@contoso.com\n"));

        // A real blob service behind a proxy that fails every read of orders.csv with 503 (listing works).
        await using var proxy = await FaultyProxy.StartAsync(azurite.ScanAccount.BlobEndpoint, failPathSuffix: "/docs/orders.csv");
        var endpoint = $"http://127.0.0.1:{proxy.Port}/{Azurite.ScanAccountName}";
        var registry = new InMemoryScanRegistry()
            .AddDataSource("flaky", DataSourceKinds.AzureStorage, endpoint, "root")
            .AddScan("flaky", "msi", filter: new ScanFilter([$"{endpoint}/{container}/"], []));
        await using var host = new ScanRunHost(azurite, registry);
        var id = Guid.NewGuid();
        await host.PutRunAsync("flaky", "msi", id);
        await host.DrainAsync();

        var (_, run) = await host.GetRunAsync("flaky", "msi", id);
        Assert.Equal(2, run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());
        var log = await host.Get<IScanRunExceptionLog>().ReadAsync(new ScanRunId(id), default).ToListAsync();
        var entry = Assert.Single(log);
        Assert.Equal("SampleFailed", entry.ErrorCode);
        Assert.Equal($"{endpoint}/{container}/docs/orders.csv", entry.OperationItem);
        Assert.Equal("The file could not be sampled: the blob service answered 503.", entry.Message);
        Assert.True(proxy.Failed > 0);
    }

    /// <summary>A reverse proxy over Kestrel that forwards to a blob endpoint and answers 503 for one path.</summary>
    private sealed class FaultyProxy : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _upstream = new();
        private int _failed;

        private FaultyProxy(WebApplication app) => _app = app;

        public int Port { get; private set; }

        public int Failed => Volatile.Read(ref _failed);

        public static async Task<FaultyProxy> StartAsync(Uri upstreamAccountEndpoint, string failPathSuffix)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var proxy = new FaultyProxy(app);
            var authority = upstreamAccountEndpoint.GetLeftPart(UriPartial.Authority);
            app.Run(async context => await proxy.ForwardAsync(context, authority, failPathSuffix));
            await app.StartAsync();
            proxy.Port = new Uri(app.Urls.First()).Port;
            return proxy;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _upstream.Dispose();
        }

        private async Task ForwardAsync(HttpContext context, string authority, string failPathSuffix)
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Value!.EndsWith(failPathSuffix, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _failed);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), authority + context.Request.Path + context.Request.QueryString);
            foreach (var (name, values) in context.Request.Headers)
            {
                if (!string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }

            using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!string.Equals(name, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
