using Purview.Core.Access;
using Xunit;

namespace Purview.Core.Tests.Access;

public sealed class AccessSnapshotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Principal Alice = new("alice@contoso.com", null, "test");
    private static readonly Principal Bob = new("bob@contoso.com", null, "test");
    private static readonly Principal Admin = new("admin", null, "test");

    // root ─ finance ─ finance-eu
    //      └ sales
    private static AccessSnapshot Snapshot(params RoleAssignment[] assignments) => new(
        "root",
        [
            new Collection("root", "Root", null, null, T0, T0, "system"),
            new Collection("finance", "Finance", "root", null, T0, T0, "admin"),
            new Collection("finance-eu", "Finance EU", "finance", null, T0, T0, "admin"),
            new Collection("sales", "Sales", "root", null, T0, T0, "admin"),
        ],
        assignments,
        ["admin"]);

    private static RoleAssignment Grant(string collection, Role role, string principal) => new(collection, role, principal, T0, "admin");

    [Fact]
    public void A_role_is_inherited_by_every_sub_collection_but_not_by_siblings_or_parents()
    {
        var snapshot = Snapshot(Grant("finance", Role.DataSourceAdmin, Alice.Name));

        Assert.True(snapshot.HasRole(Alice, Role.DataSourceAdmin, "finance"));
        Assert.True(snapshot.HasRole(Alice, Role.DataSourceAdmin, "finance-eu"));
        Assert.False(snapshot.HasRole(Alice, Role.DataSourceAdmin, "sales"));
        Assert.False(snapshot.HasRole(Alice, Role.DataSourceAdmin, "root"));
        Assert.False(snapshot.HasRole(Alice, Role.DataReader, "finance"));
    }

    [Fact]
    public void Bootstrap_principals_hold_every_role_everywhere()
    {
        var snapshot = Snapshot();

        foreach (var role in Roles.All)
        {
            Assert.True(snapshot.HasRole(Admin, role, "finance-eu"));
            Assert.True(snapshot.HasRoleAnywhere(Admin, role));
        }

        Assert.Equal(4, snapshot.CollectionsWhere(Admin, Role.DataSourceAdmin).Count);
    }

    [Fact]
    public void Collections_where_a_role_holds_include_descendants_only()
    {
        var snapshot = Snapshot(Grant("finance", Role.DataSourceAdmin, Alice.Name), Grant("sales", Role.DataReader, Alice.Name));

        var set = snapshot.CollectionsWhere(Alice, Role.DataSourceAdmin);

        Assert.Equal(["finance", "finance-eu"], set.OrderBy(x => x, StringComparer.Ordinal).ToArray());
        Assert.Empty(snapshot.CollectionsWhere(Bob, Role.DataSourceAdmin));
    }

    [Fact]
    public void Principal_names_compare_case_insensitively()
    {
        var snapshot = Snapshot(Grant("sales", Role.DataCurator, "Alice@Contoso.com"));

        Assert.True(snapshot.HasRole(Alice, Role.DataCurator, "sales"));
    }

    [Fact]
    public void A_grant_on_a_collection_that_no_longer_exists_gives_nothing()
    {
        var snapshot = Snapshot(Grant("deleted", Role.DataSourceAdmin, Alice.Name));

        Assert.False(snapshot.HasRoleAnywhere(Alice, Role.DataSourceAdmin));
        Assert.False(snapshot.HasRole(Alice, Role.DataSourceAdmin, "deleted"));
    }

    [Fact]
    public void Ancestry_walks_up_to_the_root()
    {
        var snapshot = Snapshot();

        Assert.Equal(["finance-eu", "finance", "root"], snapshot.SelfAndAncestors("finance-eu").ToArray());
        Assert.True(snapshot.IsSelfOrDescendant("finance-eu", "finance"));
        Assert.False(snapshot.IsSelfOrDescendant("finance", "finance-eu"));
    }

    [Theory]
    [InlineData("ab", false)]
    [InlineData("abc", true)]
    [InlineData("finance_eu-2", true)]
    [InlineData("-finance", false)]
    [InlineData("finance-", false)]
    [InlineData("fin/ance", false)]
    [InlineData("fin ance", false)]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdef", true)]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefg", false)]
    public void Collection_names_follow_the_Purview_rule(string name, bool valid) =>
        Assert.Equal(valid, CollectionNames.Validate(name) is null);
}
