using Purview.Core.DataMap;
using Xunit;

namespace Purview.Core.Tests.DataMap;

public sealed class DataMapOwnershipTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static DataMapEntity Entity(string name, bool process = false) => DataMapEntity.Create(process ? "job" : "dataset", name, name, "beta", process, At);

    private static DataMapRelationship Lineage(DataMapEntity from, DataMapEntity to) => DataMapRelationship.Create(RelationKind.Lineage, "lineage", from.Guid, to.Guid);

    private static DataMapRelationship Parent(DataMapEntity from, DataMapEntity to) => DataMapRelationship.Create(RelationKind.Parent, "parent", from.Guid, to.Guid);

    [Fact]
    public void An_input_owned_elsewhere_keeps_its_edge_into_the_pushers_job_and_is_neither_written_nor_skipped()
    {
        var (input, job, output) = (Entity("in"), Entity("job", process: true), Entity("out"));
        var owners = new Dictionary<string, string?> { [input.Guid] = "alpha", [job.Guid] = "beta", [output.Guid] = "BETA" };

        var owned = DataMapOwnership.Apply([input, job, output], [Lineage(input, job), Lineage(job, output)], "beta", owners);

        Assert.Equal([job.Guid, output.Guid], owned.Entities.Select(e => e.Guid));
        Assert.Equal(2, owned.Relationships.Count);
        Assert.Empty(owned.Skipped);
    }

    [Fact]
    public void An_output_owned_elsewhere_is_skipped_with_the_edge_into_it()
    {
        var (input, job, output) = (Entity("in"), Entity("job", process: true), Entity("out"));
        var owners = new Dictionary<string, string?> { [input.Guid] = "beta", [job.Guid] = "beta", [output.Guid] = "alpha" };

        var owned = DataMapOwnership.Apply([input, job, output], [Lineage(input, job), Lineage(job, output)], "beta", owners);

        Assert.Equal([input.Guid, job.Guid], owned.Entities.Select(e => e.Guid));
        Assert.Equal([Lineage(input, job)], owned.Relationships);
        Assert.Equal([output], owned.Skipped);
    }

    [Fact]
    public void A_process_or_container_owned_elsewhere_is_skipped_and_nothing_is_attached_to_it()
    {
        var (ns, job, input, output) = (Entity("ns"), Entity("job", process: true), Entity("in"), Entity("out"));
        var owners = new Dictionary<string, string?> { [ns.Guid] = "alpha", [job.Guid] = "alpha", [input.Guid] = "beta", [output.Guid] = "beta" };

        var owned = DataMapOwnership.Apply([ns, job, input, output], [Parent(ns, job), Lineage(input, job), Lineage(job, output)], "beta", owners);

        Assert.Equal([input.Guid, output.Guid], owned.Entities.Select(e => e.Guid));
        Assert.Empty(owned.Relationships);
        Assert.Equal([ns.Guid, job.Guid], owned.Skipped.Select(e => e.Guid));
    }

    [Fact]
    public void A_lone_entity_owned_elsewhere_is_skipped_and_an_unknown_owner_counts_as_the_pushers()
    {
        var (theirs, fresh) = (Entity("theirs"), Entity("fresh"));

        var owned = DataMapOwnership.Apply([theirs, fresh], [], "beta", new Dictionary<string, string?> { [theirs.Guid] = null });

        Assert.Equal([fresh], owned.Entities);
        Assert.Equal([theirs], owned.Skipped);
    }
}
