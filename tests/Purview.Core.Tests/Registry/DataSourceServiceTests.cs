using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.Registry;
using Purview.Core.Tests.Fakes;
using Xunit;
using static Purview.Core.Tests.Fakes.ResultAssert;

namespace Purview.Core.Tests.Registry;

public sealed class DataSourceServiceTests : IDisposable
{
    private readonly RegistryWorld _world = new();
    private readonly Principal _alice = AccessWorld.Caller("alice");
    private readonly Principal _bob = AccessWorld.Caller("bob");

    public DataSourceServiceTests() => _world.Access.Grant("finance", Role.DataSourceAdmin, "alice").Grant("finance", Role.DataReader, "bob");

    private DataSourceService DataSources => _world.DataSources;

    public void Dispose() => _world.Dispose();

    private static DataSourceInput Blob(string collection, string endpoint = "https://contoso.blob.core.windows.net") => new("AzureStorage", endpoint, collection);

    [Fact]
    public async Task A_registered_source_gets_a_normalized_endpoint_and_an_audit_entry()
    {
        var (source, created) = Ok(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("finance-eu"), default));

        Assert.True(created);
        Assert.Equal(RegistryWorld.Endpoint, source.Endpoint);
        Assert.Equal("finance-eu", source.CollectionName);
        Assert.Equal(AccessWorld.T0, source.CreatedAt);
        Assert.Equal(source, await _world.Store.GetDataSourceAsync("lake", default));
        var entry = Assert.Single(_world.Access.Audit.Entries);
        Assert.Equal(("datasource.put", "lake", "finance-eu"), (entry.Action, entry.Target, entry.Collection));
    }

    [Fact]
    public async Task Registering_again_keeps_the_creation_time_and_a_move_is_audited_as_one()
    {
        _world.Access.Grant("sales", Role.DataSourceAdmin, "alice");
        Ok(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("finance"), default));
        _world.Access.Clock.Advance(TimeSpan.FromHours(1));

        var (moved, created) = Ok(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("sales"), default));

        Assert.False(created);
        Assert.Equal(AccessWorld.T0, moved.CreatedAt);
        Assert.Equal(AccessWorld.T0.AddHours(1), moved.LastModifiedAt);
        Assert.Equal(("datasource.move", "from finance"), (_world.Access.Audit.Entries[^1].Action, _world.Access.Audit.Entries[^1].Details));
    }

    [Fact]
    public async Task A_collection_the_caller_cannot_see_is_reported_as_missing()
    {
        Invalid(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("sales"), default), "properties.collection.referenceName");
        Assert.Empty(await _world.Store.ListDataSourcesAsync(default));
    }

    [Fact]
    public async Task Registering_needs_data_source_admin_on_the_collection()
    {
        Fails(await DataSources.PutDataSourceAsync(_bob, "lake", Blob("finance"), default), ErrorKind.Forbidden, "Forbidden");
        Assert.Empty(_world.Access.Audit.Entries);
    }

    [Theory]
    [InlineData("Cassandra", "https://contoso.blob.core.windows.net/", "kind")]
    [InlineData("AzureStorage", "ftp://contoso.blob.core.windows.net/", "properties.endpoint")]
    [InlineData("AzureStorage", "https://contoso.blob.core.windows.net/?sv=1", "properties.endpoint")]
    [InlineData("AzureStorage", null, "properties.endpoint")]
    [InlineData("AzureStorage", "https://contoso.blob.core.windows.net/", "properties.collection.referenceName")]
    public async Task Invalid_input_names_its_field(string kind, string? endpoint, string field)
    {
        var collection = field == "properties.collection.referenceName" ? null : "finance";
        Invalid(await DataSources.PutDataSourceAsync(_alice, "lake", new DataSourceInput(kind, endpoint, collection), default), field);
    }

    [Fact]
    public async Task An_endpoint_that_resolves_to_a_private_address_is_refused()
    {
        var error = Fails(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("finance", "https://inside.blob.core.windows.net/"), default), ErrorKind.Validation, "EndpointNotAllowed");

        Assert.Equal("properties.endpoint", Assert.Single(error.Fields).Field);
    }

    [Fact]
    public async Task The_kind_of_a_source_cannot_change()
    {
        Ok(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("finance"), default));

        Invalid(await DataSources.PutDataSourceAsync(_alice, "lake", new DataSourceInput("AdlsGen2", "https://contoso.dfs.core.windows.net/", "finance"), default), "kind");
        Assert.Equal("AzureStorage", (await _world.Store.GetDataSourceAsync("lake", default))!.Kind);
    }

    [Fact]
    public async Task A_source_is_hidden_from_callers_without_a_role_and_refused_to_other_roles()
    {
        Ok(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("finance"), default));
        var carol = AccessWorld.Caller("carol");

        Fails(await DataSources.GetDataSourceAsync(carol, "lake", default), ErrorKind.NotFound, "NotFound");
        Fails(await DataSources.GetDataSourceAsync(_bob, "lake", default), ErrorKind.Forbidden, "Forbidden");
        Fails(await DataSources.DeleteDataSourceAsync(_bob, "lake", default), ErrorKind.Forbidden, "Forbidden");
        Assert.Equal("lake", Ok(await DataSources.GetDataSourceAsync(_alice, "lake", default)).Name);
    }

    [Fact]
    public async Task Listing_shows_the_sources_of_the_collections_the_caller_administers()
    {
        Ok(await DataSources.PutDataSourceAsync(AccessWorld.Admin, "zeta", Blob("finance-eu"), default));
        Ok(await DataSources.PutDataSourceAsync(AccessWorld.Admin, "alpha", Blob("finance"), default));
        Ok(await DataSources.PutDataSourceAsync(AccessWorld.Admin, "sales-lake", Blob("sales"), default));

        Assert.Equal(["alpha", "zeta"], (await DataSources.ListDataSourcesAsync(_alice, default)).Select(d => d.Name));
        Assert.Empty(await DataSources.ListDataSourcesAsync(_bob, default));
    }

    [Fact]
    public async Task A_source_with_scans_cannot_be_deleted()
    {
        Ok(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("finance"), default));
        Ok(await _world.Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi(), default));

        var error = Fails(await DataSources.DeleteDataSourceAsync(_alice, "lake", default), ErrorKind.Conflict, "DataSourceInUse");

        Assert.Contains("nightly", error.Message, StringComparison.Ordinal);
        Ok(await _world.Scans.DeleteScanAsync(_alice, "lake", "nightly", default));
        Ok(await DataSources.DeleteDataSourceAsync(_alice, "lake", default));
        Assert.Null(await _world.Store.GetDataSourceAsync("lake", default));
    }

    [Fact]
    public async Task A_source_cannot_move_where_its_scans_credentials_may_not_go()
    {
        Ok(await _world.Credentials.PutAsync(AccessWorld.Admin, "finance-key", RegistryWorld.AccountKey() with
        {
            AllowedEndpoints = ["contoso.blob.core.windows.net"],
            AllowedCollections = ["finance"],
        }, default));
        _world.Access.Grant("sales", Role.DataSourceAdmin, "alice");
        Ok(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("finance"), default));
        Ok(await _world.Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.WithCredential("finance-key"), default));

        Fails(await DataSources.PutDataSourceAsync(_alice, "lake", Blob("sales"), default), ErrorKind.Forbidden, "CredentialNotAllowed");
        Assert.Equal("finance", (await _world.Store.GetDataSourceAsync("lake", default))!.CollectionName);
    }
}
