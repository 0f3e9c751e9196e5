using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Tests.Access;
using Purview.Core.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

/// <summary>An OpenLineage push cannot create a job inside another link's namespace through <c>run.facets.parent</c>.</summary>
public sealed class ParentNamespaceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_parent_job_in_a_namespace_the_writer_may_not_push_to_is_refused_and_writes_nothing()
    {
        await using var links = await LinksHost.StartAsync(azurite);
        await AccessHostFixture.Grant(links.Admin, "sales", "dataCurator", "sales-writer");
        await links.ConnectAsync("OpenLineage", "airflow-sales", "sales", "sales-writer");
        using var writer = links.Host.Client("ol-writer");

        var hijack = LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(1), parent: "nightly_dag");
        ((Dictionary<string, object?>)hijack)["run"] = new
        {
            runId = Guid.NewGuid().ToString(),
            facets = new { parent = new { run = new { runId = "11111111-2222-4333-8444-555555555555" }, job = new { @namespace = "airflow-sales", name = "nightly_dag" } } },
        };
        using var response = await writer.PostAsJsonAsync("/api/v1/lineage", new object[] { hijack });
        var results = await LinksHost.JsonAsync(response, 200);

        var result = results.GetProperty("value")[0];
        Assert.Equal(403, result.GetProperty("status").GetInt32());
        Assert.Contains("airflow-sales", result.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var map = links.Host.Services.GetRequiredService<IDataMap>();
        Assert.Null(await map.GetEntityByGuidAsync(DataMapIds.EntityGuid("openlineage_job", "airflow-sales/nightly_dag"), default));
        Assert.Null(await map.GetEntityByGuidAsync(DataMapIds.EntityGuid("openlineage_job", "airflow-prod/load_sales"), default));

        // The same parent in the job's own namespace is accepted.
        var own = LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(2), parent: "nightly_dag");
        using var ok = await writer.PostAsJsonAsync("/api/v1/lineage", own);
        await LinksHost.JsonAsync(ok, 201);
    }
}
