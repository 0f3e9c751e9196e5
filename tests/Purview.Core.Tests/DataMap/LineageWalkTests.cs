using Purview.Core.DataMap;
using Xunit;

namespace Purview.Core.Tests.DataMap;

/// <summary>The lineage walk over a data map held in memory: hops, directions, hidden entities and parent chains.</summary>
public sealed class LineageWalkTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static DataMapEntity Dataset(string name, string? collection = "sales") => DataMapEntity.Create("azure_blob_path", "https://acct/c/" + name, name, collection, false, At);

    private static DataMapEntity Process(string name) => DataMapEntity.Create("adf_copy_activity", "adf://" + name, name, "sales", true, At);

    // a -> job1 -> b -> job2 -> c, and job1's parent pipeline.
    private readonly DataMapEntity _a = Dataset("a"), _b = Dataset("b"), _c = Dataset("c"), _secret = Dataset("secret", "hr");
    private readonly DataMapEntity _job1 = Process("job1"), _job2 = Process("job2"), _pipeline = Process("pipeline");

    private GraphDataMap Map() => new GraphDataMap([_a, _b, _c, _secret, _job1, _job2, _pipeline])
        .Link(RelationKind.Lineage, _a, _job1).Link(RelationKind.Lineage, _job1, _b)
        .Link(RelationKind.Lineage, _b, _job2).Link(RelationKind.Lineage, _job2, _c)
        .Link(RelationKind.Lineage, _secret, _job2)
        .Link(RelationKind.Parent, _pipeline, _job1);

    [Fact]
    public async Task Downstream_stops_at_the_depth_asked()
    {
        var graph = await LineageWalk.RunAsync(Map(), _a.Guid, LineageDirection.Output, 2, _ => true, default);

        Assert.NotNull(graph);
        Assert.Equal(new[] { _a.Guid, _b.Guid, _job1.Guid, _pipeline.Guid }.Order(), graph.Entities.Keys.Order());
        Assert.Equal(2, graph.Relations.Count);
        Assert.Equal(_pipeline.Guid, Assert.Single(graph.ParentRelations).FromGuid);
    }

    [Fact]
    public async Task Upstream_from_the_end_reaches_the_start_and_every_input()
    {
        var graph = await LineageWalk.RunAsync(Map(), _c.Guid, LineageDirection.Input, 10, _ => true, default);

        Assert.Equal(new[] { _a.Guid, _b.Guid, _c.Guid, _secret.Guid, _job1.Guid, _job2.Guid, _pipeline.Guid }.Order(), graph!.Entities.Keys.Order());
        Assert.Equal(5, graph.Relations.Count);
    }

    [Fact]
    public async Task An_entity_the_caller_cannot_read_is_neither_shown_nor_walked_through()
    {
        bool Visible(DataMapEntity e) => e.Collection != "hr" && e.Guid != _b.Guid;

        var graph = await LineageWalk.RunAsync(Map(), _c.Guid, LineageDirection.Input, 10, Visible, default);

        Assert.Equal(new[] { _c.Guid, _job2.Guid }.Order(), graph!.Entities.Keys.Order());
        Assert.Equal(_job2.Guid, Assert.Single(graph.Relations).FromGuid);
    }

    [Fact]
    public async Task A_missing_or_unreadable_start_has_no_graph()
    {
        Assert.Null(await LineageWalk.RunAsync(Map(), "00000000-0000-0000-0000-000000000000", LineageDirection.Both, 3, _ => true, default));
        Assert.Null(await LineageWalk.RunAsync(Map(), _secret.Guid, LineageDirection.Both, 3, e => e.Collection != "hr", default));
    }

    [Fact]
    public async Task Each_node_is_read_once_per_walk_even_in_both_directions()
    {
        var map = Map();

        await LineageWalk.RunAsync(map, _b.Guid, LineageDirection.Both, 10, _ => true, default);

        Assert.All(map.Reads.GroupBy(r => r), g => Assert.Single(g));
    }

    /// <summary>Entities and relationships in dictionaries; only what the walk reads is implemented.</summary>
    private sealed class GraphDataMap(IEnumerable<DataMapEntity> entities) : IDataMap
    {
        private readonly Dictionary<string, DataMapEntity> _entities = entities.ToDictionary(e => e.Guid);
        private readonly List<DataMapRelationship> _relations = [];

        public List<string> Reads { get; } = [];

        public GraphDataMap Link(RelationKind kind, DataMapEntity from, DataMapEntity to)
        {
            _relations.Add(DataMapRelationship.Create(kind, kind == RelationKind.Parent ? "parent" : "lineage", from.Guid, to.Guid));
            return this;
        }

        public Task<DataMapEntity?> GetEntityByGuidAsync(string guid, CancellationToken cancellationToken) =>
            Task.FromResult(_entities.GetValueOrDefault(guid));

        public Task<IReadOnlyList<DataMapRelationship>> GetRelationshipsOfAsync(string guid, CancellationToken cancellationToken)
        {
            Reads.Add(guid);
            return Task.FromResult<IReadOnlyList<DataMapRelationship>>(_relations.Where(r => r.FromGuid == guid || r.ToGuid == guid).ToList());
        }

        public Task<int> UpsertEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<int> UpsertRelationshipsAsync(IReadOnlyList<DataMapRelationship> relationships, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<DataMapWriteCounts>> WriteAsync(IReadOnlyList<DataMapWrite> writes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DataMapEntity?> GetByUniqueAttributeAsync(string typeName, string qualifiedName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ScannedWriteResult> WriteScannedEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, string?>> ClaimAsync(string collection, IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<string, string?>> GetOwnersAsync(IReadOnlyCollection<string> guids, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> MoveAsync(string guid, string? from, string to, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> AnyOwnedByAsync(string collection, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DataMapSearchPage> SearchAsync(DataMapQuery query, Func<DataMapEntity, bool> visible, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
