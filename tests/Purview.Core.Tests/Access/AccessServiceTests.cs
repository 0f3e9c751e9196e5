using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.Tests.Fakes;
using Xunit;
using static Purview.Core.Tests.Fakes.ResultAssert;

namespace Purview.Core.Tests.Access;

public sealed class AccessServiceTests : IDisposable
{
    private readonly AccessWorld _world = new();
    private readonly Principal _alice = AccessWorld.Caller("alice");
    private readonly Principal _bob = AccessWorld.Caller("bob");

    private AccessService Access => _world.Access;

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task The_first_snapshot_creates_a_missing_root_collection_and_later_ones_reuse_it()
    {
        var repository = new InMemoryAccessRepository();
        using var access = new AccessService(repository, new InMemoryAuditLog(), [], new AccessOptions { RootCollection = "top" }, _world.Clock);

        var snapshot = await access.GetSnapshotAsync(default);
        await access.GetSnapshotAsync(default);

        Assert.Equal("top", snapshot.RootName);
        Assert.True(snapshot.Find("top")!.IsRoot);
        Assert.Equal(AccessWorld.T0, snapshot.Find("top")!.CreatedAt);
        Assert.Equal(2, repository.CollectionListings); // before and after creating the root, then cached
    }

    [Fact]
    public async Task A_change_made_on_another_host_is_seen_once_the_snapshot_lifetime_has_passed()
    {
        await Access.GetSnapshotAsync(default);
        Assert.True(await _world.Repository.TryAddCollectionAsync(new Collection("ops", "Ops", "root", null, AccessWorld.T0, AccessWorld.T0, "elsewhere"), default));

        Assert.Null((await Access.GetSnapshotAsync(default)).Find("ops"));
        _world.Clock.Advance(_world.Options.SnapshotLifetime);
        Assert.NotNull((await Access.GetSnapshotAsync(default)).Find("ops"));
    }

    [Fact]
    public async Task A_collection_created_here_is_visible_at_once_and_audited()
    {
        _world.Grant("finance", Role.CollectionAdmin, "alice");
        await Access.GetSnapshotAsync(default);

        var (created, isNew) = Ok(await Access.PutCollectionAsync(_alice, "finance-us", "Finance US", "finance", null, default));

        Assert.True(isNew);
        Assert.Equal("finance", created.ParentName);
        Assert.Equal("alice", created.CreatedBy);
        Assert.Equal("finance-us", Ok(await Access.GetCollectionAsync(_alice, "finance-us", default)).Name);
        var entry = Assert.Single(_world.Audit.Entries);
        Assert.Equal(("collection.create", "finance-us", "finance"), (entry.Action, entry.Target, entry.Collection));
    }

    [Fact]
    public async Task Creating_a_collection_needs_collection_admin_on_the_parent()
    {
        _world.Grant("finance", Role.DataSourceAdmin, "alice");

        Fails(await Access.PutCollectionAsync(_alice, "finance-us", null, "finance", null, default), ErrorKind.Forbidden, "Forbidden");
        Assert.Empty(_world.Audit.Entries);
    }

    [Fact]
    public async Task A_parent_the_caller_cannot_see_is_reported_as_missing_but_the_root_is_not_hidden()
    {
        _world.Grant("finance", Role.CollectionAdmin, "alice");

        var hidden = Invalid(await Access.PutCollectionAsync(_alice, "sales-eu", null, "sales", null, default), "parentCollection.referenceName");
        Assert.Contains("does not exist", hidden.Message, StringComparison.Ordinal);
        Fails(await Access.PutCollectionAsync(_alice, "top-level", null, "root", null, default), ErrorKind.Forbidden, "Forbidden");
    }

    [Theory]
    [InlineData("finance", "finance-eu")]
    [InlineData("finance", "finance")]
    public async Task A_collection_cannot_be_moved_under_itself_or_one_of_its_sub_collections(string name, string newParent)
    {
        Invalid(await Access.PutCollectionAsync(AccessWorld.Admin, name, null, newParent, null, default), "parentCollection.referenceName");
        Assert.Equal("root", (await Access.GetSnapshotAsync(default)).Find("finance")!.ParentName);
    }

    [Fact]
    public async Task Moving_a_collection_needs_collection_admin_on_the_new_parent_too()
    {
        _world.Grant("finance", Role.CollectionAdmin, "alice");

        Fails(await Access.PutCollectionAsync(_alice, "finance-eu", null, "sales", null, default), ErrorKind.Validation, "InvalidInput"); // sales is hidden from alice
        _world.Grant("sales", Role.DataReader, "alice");
        Fails(await Access.PutCollectionAsync(_alice, "finance-eu", null, "sales", null, default), ErrorKind.Forbidden, "Forbidden");
        _world.Grant("sales", Role.CollectionAdmin, "alice");
        var (moved, created) = Ok(await Access.PutCollectionAsync(_alice, "finance-eu", null, "sales", null, default));

        Assert.False(created);
        Assert.Equal("sales", moved.ParentName);
        Assert.Equal("collection.move", _world.Audit.Entries[^1].Action);
        Assert.Equal("from finance", _world.Audit.Entries[^1].Details);
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("has space", "name")]
    public async Task Invalid_collection_names_are_refused_before_anything_is_read(string name, string field)
    {
        Invalid(await Access.PutCollectionAsync(AccessWorld.Admin, name, null, "root", null, default), field);
        Assert.Equal(0, _world.Repository.CollectionListings);
    }

    [Fact]
    public async Task A_collection_the_caller_holds_no_role_on_is_not_found_and_one_with_another_role_is_forbidden()
    {
        _world.Grant("sales", Role.DataReader, "bob");

        Fails(await Access.GetCollectionAsync(_bob, "finance", default), ErrorKind.NotFound, "NotFound");
        Fails(await Access.DeleteCollectionAsync(_bob, "finance", default), ErrorKind.NotFound, "NotFound");
        Fails(await Access.DeleteCollectionAsync(_bob, "sales", default), ErrorKind.Forbidden, "Forbidden");
        Assert.Equal(["sales"], (await Access.ListCollectionsAsync(_bob, default)).Select(c => c.Name));
    }

    [Fact]
    public async Task The_root_cannot_be_deleted()
    {
        Fails(await Access.DeleteCollectionAsync(AccessWorld.Admin, "root", default), ErrorKind.Conflict, "RootCollection");
    }

    [Fact]
    public async Task A_collection_with_sub_collections_or_holdings_cannot_be_deleted()
    {
        var nested = Fails(await Access.DeleteCollectionAsync(AccessWorld.Admin, "finance", default), ErrorKind.Conflict, "CollectionNotEmpty");
        Assert.Contains("finance-eu", nested.Message, StringComparison.Ordinal);

        _world.Usage.Held["finance-eu"] = "2 data sources";
        var holding = Fails(await Access.DeleteCollectionAsync(AccessWorld.Admin, "finance-eu", default), ErrorKind.Conflict, "CollectionNotEmpty");
        Assert.Contains("2 data sources", holding.Message, StringComparison.Ordinal);
        Assert.NotNull((await Access.GetSnapshotAsync(default)).Find("finance-eu"));
    }

    [Fact]
    public async Task Deleting_a_collection_removes_its_assignments_and_is_seen_at_once()
    {
        _world.Grant("sales", Role.DataCurator, "bob");

        Ok(await Access.DeleteCollectionAsync(AccessWorld.Admin, "sales", default));

        Assert.Null((await Access.GetSnapshotAsync(default)).Find("sales"));
        Assert.DoesNotContain(await _world.Repository.ListAssignmentsAsync(default), a => a.CollectionName == "sales");
        Assert.Equal("collection.delete", _world.Audit.Entries[^1].Action);
    }

    [Fact]
    public async Task Granting_twice_answers_the_first_assignment_and_audits_once()
    {
        var (first, created) = Ok(await Access.GrantAsync(AccessWorld.Admin, "finance", "dataCurator", "bob", default));
        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        var (again, createdAgain) = Ok(await Access.GrantAsync(AccessWorld.Admin, "finance", "DataCurator", "BOB", default));

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.GrantedAt, again.GrantedAt);
        Assert.Single(_world.Audit.Entries, e => e.Action == "role.grant");
        Assert.True((await Access.GetSnapshotAsync(default)).HasRole(_bob, Role.DataCurator, "finance-eu"));
    }

    [Fact]
    public async Task Assignment_changes_check_role_principal_and_collection()
    {
        Invalid(await Access.GrantAsync(AccessWorld.Admin, "finance", "owner", "bob", default), "role");
        Invalid(await Access.GrantAsync(AccessWorld.Admin, "finance", "dataReader", "bob smith", default), "principal");
        Invalid(await Access.GrantAsync(AccessWorld.Admin, "finance", "connectorAdmin", "bob", default), "role");
        Fails(await Access.GrantAsync(AccessWorld.Admin, "nowhere", "dataReader", "bob", default), ErrorKind.NotFound, "NotFound");
        Assert.True(Ok(await Access.GrantAsync(AccessWorld.Admin, "root", "connectorAdmin", "bob", default)).Created);
    }

    [Fact]
    public async Task Only_collection_admins_change_or_read_assignments()
    {
        _world.Grant("finance", Role.DataSourceAdmin, "alice");

        Fails(await Access.GrantAsync(_alice, "finance", "dataReader", "bob", default), ErrorKind.Forbidden, "Forbidden");
        Fails(await Access.ListAssignmentsAsync(_alice, "finance", includeInherited: false, default), ErrorKind.Forbidden, "Forbidden");
    }

    [Fact]
    public async Task Inherited_assignments_are_listed_only_when_asked()
    {
        _world.Grant("finance", Role.DataReader, "bob").Grant("finance-eu", Role.DataCurator, "carol");

        var own = Ok(await Access.ListAssignmentsAsync(AccessWorld.Admin, "finance-eu", includeInherited: false, default));
        var all = Ok(await Access.ListAssignmentsAsync(AccessWorld.Admin, "finance-eu", includeInherited: true, default));

        Assert.Equal(["carol"], own.Select(a => a.PrincipalName));
        Assert.Contains(all, a => a.PrincipalName == "bob" && a.CollectionName == "finance");
    }

    [Fact]
    public async Task Revoking_an_assignment_that_does_not_exist_is_not_found()
    {
        Fails(await Access.RevokeAsync(AccessWorld.Admin, "finance", "dataReader", "bob", default), ErrorKind.NotFound, "NotFound");

        Ok(await Access.GrantAsync(AccessWorld.Admin, "finance", "dataReader", "bob", default));
        Assert.True(Ok(await Access.RevokeAsync(AccessWorld.Admin, "finance", "dataReader", "bob", default)));
        Assert.False((await Access.GetSnapshotAsync(default)).HasRole(_bob, Role.DataReader, "finance"));
    }

    [Fact]
    public async Task The_audit_shows_a_sub_collection_admin_only_the_changes_to_what_they_administer()
    {
        Ok(await Access.GrantAsync(AccessWorld.Admin, "finance", "collectionAdmin", "alice", default));
        Ok(await Access.GrantAsync(AccessWorld.Admin, "sales", "dataReader", "bob", default));
        Ok(await Access.GrantAsync(AccessWorld.Admin, "finance-eu", "dataReader", "bob", default));
        var from = AccessWorld.T0 - TimeSpan.FromDays(1);
        var to = AccessWorld.T0 + TimeSpan.FromDays(1);

        var seen = Ok(await Access.ReadAuditAsync(_alice, from, to, 100, default));
        var everything = Ok(await Access.ReadAuditAsync(AccessWorld.Admin, from, to, 100, default));

        Assert.Equal(["finance", "finance-eu"], seen.Select(e => e.Collection).Order());
        Assert.Equal(3, everything.Count);
        Fails(await Access.ReadAuditAsync(_bob, from, to, 100, default), ErrorKind.Forbidden, "Forbidden");
        Invalid(await Access.ReadAuditAsync(AccessWorld.Admin, to, from, 100, default), "to");
    }
}
