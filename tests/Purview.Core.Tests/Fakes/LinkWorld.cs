using Purview.Core.Access;
using Purview.Core.Links;
using Xunit;

namespace Purview.Core.Tests.Fakes;

/// <summary>
/// The link use cases over in-memory ports and an <see cref="AccessWorld"/>. "pusher" is a Data curator of finance;
/// links are connected by the bootstrap admin.
/// </summary>
public sealed class LinkWorld : IDisposable
{
    public LinkWorld()
    {
        Access.Grant("finance", Role.DataCurator, "pusher");
        Directory = new LinkDirectory(Links, Access.Clock);
        Writer = new LinkLineageWriter(DataMap, Rollups, Events, Aggregates);
        Service = new LinkService(Links, Runs, Directory, Writer, Access.Access, Access.Clock);
    }

    public AccessWorld Access { get; } = new();

    public InMemoryLinkRepository Links { get; } = new();

    public InMemoryLinkRunStore Runs { get; } = new();

    public InMemoryLinkEventStore Events { get; } = new();

    public InMemoryLinkAggregateStore Aggregates { get; } = new();

    public InMemoryDataMap DataMap { get; } = new();

    public InMemoryRollupStore Rollups { get; } = new();

    public LinkDirectory Directory { get; }

    public LinkLineageWriter Writer { get; }

    public LinkService Service { get; }

    public static Principal Pusher { get; } = AccessWorld.Caller("pusher");

    public DateTimeOffset Now => Access.Clock.GetUtcNow();

    public async Task<Link> ConnectAsync(string type = "AzureDataFactory", string name = "adf-prod", string collection = "finance", params string[] writers)
    {
        var (link, _) = ResultAssert.Ok(await Service.PutAsync(AccessWorld.Admin, type, name, collection, writers.Length == 0 ? ["pusher"] : writers, default));
        return link;
    }

    /// <summary>A Copy activity run from a blob to a SQL table that ended <paramref name="endedAgo"/> before now.</summary>
    public ActivityRunRequest CopyRun(string runId = "run-1", string status = "Succeeded", TimeSpan? endedAgo = null, string inputType = "azure_blob_path")
    {
        var end = Now - (endedAgo ?? TimeSpan.FromMinutes(1));
        return new ActivityRunRequest("daily", "copy-sales", "Copy", runId, "pipeline-run-1", status, end - TimeSpan.FromMinutes(5), end,
            [new DatasetRequest("https://contoso.blob.core.windows.net/raw/sales.csv", inputType, "sales.csv")],
            [new DatasetRequest("mssql://sql.contoso.com/db/dbo/sales", "azure_sql_table", "sales")]);
    }

    public void Dispose()
    {
        Directory.Dispose();
        Access.Dispose();
    }
}
