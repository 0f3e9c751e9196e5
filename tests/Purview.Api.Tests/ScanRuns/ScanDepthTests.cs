using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Classification;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.ScanRuns;

/// <summary>Classification, resource sets, incremental runs and partial ingestion, end to end over HTTP on Azurite.</summary>
public sealed class ScanDepthTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly string StorageKey = Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)(255 - i)).ToArray());

    private async Task<(ScanRunHost Host, string Ds, BlobContainerClient Container)> HostAsync(Action<IServiceCollection>? services = null, string kind = "AzureStorage")
    {
        var name = UniqueName.Container("d");
        var container = StorageClients.Blobs(azurite.ScanAccount, new StorageClientOptions()).GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync();
        var ds = "ds-" + Guid.NewGuid().ToString("N")[..8];
        var prefix = ScanRunHost.BlobEndpoint(azurite.ScanAccount) + "/" + name + "/";
        var registry = new InMemoryScanRegistry().AddDataSource(ds, kind, ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root");
        registry.AddScan(ds, "scan0", filter: new ScanFilter([prefix], []), kind: kind + "Msi");
        return (new ScanRunHost(azurite, registry, services: services), ds, container);
    }

    private static async Task<JsonElement> RunAsync(ScanRunHost host, string ds, string level = "Full")
    {
        var id = Guid.NewGuid();
        await host.PutRunAsync(ds, "scan0", id, scanLevel: level);
        await host.DrainAsync();
        var (_, run) = await host.GetRunAsync(ds, "scan0", id);
        return run;
    }

    private static long Stat(JsonElement run, string phase, string name) =>
        run.GetProperty(phase).GetProperty("statistics").GetProperty("assets").GetProperty(name).GetInt64();

    /// <summary>
    /// The data source's rows, straight from storage: its assets' data-map entities (one per raw asset, with schema and
    /// classifications), then the catalog's resource sets and deletion marks.
    /// </summary>
    private static async Task<List<TableEntity>> DataMapAsync(ScanRunHost host, string ds)
    {
        var rows = new List<TableEntity>();
        foreach (var table in new[] { "dmscanned", "datamapassets" })
        {
            await foreach (var e in host.Get<StorageLayout>().Table(table).QueryAsync(TableFilter.Equal("DataSource", ds)))
            {
                rows.Add(e);
            }
        }

        return rows;
    }

    /// <summary>The data source's assets as the scan engine lists them (<see cref="IAssetCatalog"/>): inventory, resource sets, marks.</summary>
    private static async Task<List<CatalogEntry>> CatalogAsync(ScanRunHost host, string ds)
    {
        var entries = new List<CatalogEntry>();
        await foreach (var entry in host.Get<IAssetCatalog>().ListAsync(ds, CancellationToken.None))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static Task<Azure.Response<Azure.Storage.Blobs.Models.BlobContentInfo>> Upload(BlobContainerClient container, string name, string content, CancellationToken cancellationToken = default) =>
        container.GetBlobClient(name).UploadAsync(BinaryData.FromString(content), overwrite: true, cancellationToken);

    [Fact]
    public async Task Planted_values_are_classified_on_their_columns_and_decoys_are_not_and_every_sampled_file_counts_as_classified()
    {
        var (host, ds, container) = await HostAsync();
        await using var _ = host;
        var header = "email,card,ssn,iban,ip,phone,key,decoy_card,note\n";
        var rows = new StringBuilder(header);
        for (var i = 0; i < 20; i++)
        {
            rows.Append($"user{i}@example.com,4111111111111111,123-45-{6000 + i},GB82WEST12345698765432,10.0.0.{i},(212) 555-{1000 + i},{StorageKey},411111111111111{(i % 9) + 2},hello\n");
        }

        await Upload(container, "people.csv", rows.ToString());
        await Upload(container, "people.tsv", rows.ToString().Replace(',', '\t'));
        await Upload(container, "events.jsonl", string.Concat(Enumerable.Range(0, 10).Select(i => $"{{\"ip\":\"2001:db8::{i + 1}\",\"n\":{i}}}\n")));
        await Upload(container, "notes.txt", "Call me at 415-555-2671 or write to ada@example.com.\n");
        await Upload(container, "image.bin", "not a known type");

        var run = await RunAsync(host, ds);

        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(5, Stat(run, "discoveryExecutionDetails", "discovered"));
        Assert.Equal(4, Stat(run, "discoveryExecutionDetails", "classified")); // image.bin is discovered, not sampled
        var assets = (await DataMapAsync(host, ds)).ToDictionary(e => e.GetString("Name")!);
        Assert.True(assets["people.csv"].GetString("Columns") is not null, string.Join(" | ", assets["people.csv"].Select(p => p.Key + "=" + p.Value)));
        var columns = JsonSerializer.Deserialize<List<AssetColumn>>(assets["people.csv"].GetString("Columns")!, Web)!
            .ToDictionary(c => c.Name);
        Assert.Equal([SystemClassifications.Email], columns["email"].Classifications);
        Assert.Equal([SystemClassifications.CreditCardNumber], columns["card"].Classifications);
        Assert.Equal([SystemClassifications.UsSocialSecurityNumber], columns["ssn"].Classifications);
        Assert.Equal([SystemClassifications.Iban], columns["iban"].Classifications);
        Assert.Equal([SystemClassifications.IpAddress], columns["ip"].Classifications);
        Assert.Equal([SystemClassifications.UsPhoneNumber], columns["phone"].Classifications);
        Assert.Equal([SystemClassifications.AzureStorageAccountKey], columns["key"].Classifications);
        Assert.Empty(columns["decoy_card"].Classifications);
        Assert.Empty(columns["note"].Classifications);
        Assert.Equal(assets["people.csv"].GetString("Classifications"), assets["people.tsv"].GetString("Classifications"));
        Assert.Contains(SystemClassifications.IpAddress, assets["events.jsonl"].GetString("Classifications")!, StringComparison.Ordinal);
        Assert.Contains(SystemClassifications.UsPhoneNumber, assets["notes.txt"].GetString("Classifications")!, StringComparison.Ordinal);
        Assert.Null(assets["image.bin"].GetString("Columns"));
    }

    [Fact]
    public async Task Identifiers_of_many_countries_are_classified_in_the_data_map_by_their_checksums_and_near_misses_are_not()
    {
        var (host, ds, container) = await HostAsync();
        await using var _ = host;
        string[] ibans = ["GB82WEST12345698765432", "ES9121000418450200051332", "DE89 3704 0044 0532 0130 00", "FR1420041010050500013M02606", "NL91ABNA0417164300"];
        string[] cpfs = ["111.444.777-35", "529.982.247-25", "390.533.447-05"];
        string[] aadhaars = ["2341 2341 2346", "4991 8751 3249", "6359 2417 8108"];
        string[] residentIds = ["11010519491231002X", "440301199003071230", "110101198001010010"];
        var rows = new StringBuilder("iban,cpf,cpf_typo,cnpj,aadhaar,resident_id,bank_account,reference\n");
        for (var i = 0; i < 12; i++)
        {
            var cpf = cpfs[i % 3];
            var typo = cpf[..^1] + (char)('0' + ((cpf[^1] - '0' + 1) % 10)); // last check digit off by one
            rows.Append($"{ibans[i % 5]},{cpf},{typo},11.222.333/0001-81,{aadhaars[i % 3]},{residentIds[i % 3]},00{1234567 + i}89,00{1234567 + i}89\n");
        }

        await Upload(container, "customers.csv", rows.ToString());
        await Upload(container, "wire.txt", "Please wire the balance to ES9121000418450200051332 before Friday.\n");

        var run = await RunAsync(host, ds);

        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        var assets = (await DataMapAsync(host, ds)).ToDictionary(e => e.GetString("Name")!);
        var columns = JsonSerializer.Deserialize<List<AssetColumn>>(assets["customers.csv"].GetString("Columns")!, Web)!.ToDictionary(c => c.Name);
        Assert.Equal([SystemClassifications.Iban], columns["iban"].Classifications);
        Assert.Equal([SystemClassifications.BrazilCpfNumber], columns["cpf"].Classifications);
        Assert.Empty(columns["cpf_typo"].Classifications);
        Assert.Equal(["MICROSOFT.GOVERNMENT.BRAZIL.LEGAL_ENTITY_NUMBER"], columns["cnpj"].Classifications);
        Assert.Contains("MICROSOFT.GOVERNMENT.INDIA.UNIQUE_IDENTIFICATION_NUMBER", columns["aadhaar"].Classifications);
        Assert.Equal(["MICROSOFT.GOVERNMENT.CHINA.RESIDENT_IDENTITY_CARD_NUMBER"], columns["resident_id"].Classifications);
        // A bank account number has no checksum: only a column named like one is classified.
        Assert.Equal([SystemClassifications.UsBankAccountNumber], columns["bank_account"].Classifications);
        Assert.Empty(columns["reference"].Classifications);
        var fileClassifications = assets["customers.csv"].GetString("Classifications")!;
        Assert.Contains(SystemClassifications.BrazilCpfNumber, fileClassifications, StringComparison.Ordinal);
        Assert.Contains(SystemClassifications.Iban, fileClassifications, StringComparison.Ordinal);
        Assert.Contains(SystemClassifications.Iban, assets["wire.txt"].GetString("Classifications")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thousand_partitioned_files_become_one_resource_set_of_1000_while_1000_assets_are_ingested_and_5_sampled()
    {
        var (host, ds, container) = await HostAsync();
        await using var _ = host;
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await Upload(container, $"sales/year={2020 + (i % 4)}/part-{i:D5}.csv", $"id,email\n{i},u{i}@example.com\n", ct));

        var run = await RunAsync(host, ds);

        Assert.Equal(1000, Stat(run, "discoveryExecutionDetails", "discovered"));
        Assert.Equal(5, Stat(run, "discoveryExecutionDetails", "classified"));
        Assert.Equal(1000, Stat(run, "ingestionExecutionDetails", "succeeded"));
        var rows = await DataMapAsync(host, ds);
        var set = Assert.Single(rows, r => r.GetBoolean("IsResourceSet") == true);
        Assert.Equal(1000, set.GetInt64("FileCount"));
        Assert.Equal("part-{N}.csv", set.GetString("Name"));
        Assert.EndsWith("/sales/year={Value}/part-{N}.csv", set.GetString("QualifiedName"), StringComparison.Ordinal);
        Assert.Contains(SystemClassifications.Email, set.GetString("Classifications")!, StringComparison.Ordinal);
        Assert.Equal(1000, rows.Count(r => r.GetBoolean("IsResourceSet") != true && r.GetString("QualifiedName")!.Contains("/sales/year=", StringComparison.Ordinal)));
        var catalog = await CatalogAsync(host, ds);
        Assert.Equal(1000, catalog.Count(e => !e.IsResourceSet && !e.Deleted));
        Assert.Equal(set.GetString("QualifiedName"), Assert.Single(catalog, e => e.IsResourceSet).QualifiedName);

        // A second full run counts the set again from scratch: still 1000, not 2000.
        await RunAsync(host, ds);
        Assert.Equal(1000, Assert.Single(await DataMapAsync(host, ds), r => r.GetBoolean("IsResourceSet") == true).GetInt64("FileCount"));
    }

    [Fact]
    public async Task An_incremental_run_after_changing_3_of_500_files_discovers_500_ingests_3_and_marks_deleted_files_deleted()
    {
        var (host, ds, container) = await HostAsync();
        await using var _ = host;
        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await Upload(container, $"docs/report-{i:D3}.csv", $"id,ip\n{i},10.0.0.1\n", ct));
        await Task.Delay(1100); // blob times have a one-second resolution: keep the uploads before the first run's second
        var full = await RunAsync(host, ds);
        Assert.Equal(500, Stat(full, "ingestionExecutionDetails", "succeeded"));

        await Task.Delay(1100);
        foreach (var i in new[] { 7, 250, 499 })
        {
            await Upload(container, $"docs/report-{i:D3}.csv", $"id,ip\n{i},10.0.0.2\n");
        }

        await Task.Delay(1100);

        var incremental = await RunAsync(host, ds, "Incremental");

        Assert.Equal("Incremental", incremental.GetProperty("scanLevelType").GetString());
        Assert.Equal(500, Stat(incremental, "discoveryExecutionDetails", "discovered"));
        Assert.Equal(3, Stat(incremental, "discoveryExecutionDetails", "classified"));
        Assert.Equal(3, Stat(incremental, "ingestionExecutionDetails", "succeeded"));
        Assert.Equal(500, Assert.Single(await DataMapAsync(host, ds), r => r.GetBoolean("IsResourceSet") == true).GetInt64("FileCount"));

        await Task.Delay(1100);
        await container.GetBlobClient("docs/report-100.csv").DeleteAsync();
        await container.GetBlobClient("docs/report-101.csv").DeleteAsync();
        var afterDelete = await RunAsync(host, ds, "Incremental");

        Assert.Equal(498, Stat(afterDelete, "discoveryExecutionDetails", "discovered"));
        Assert.Equal(0, Stat(afterDelete, "ingestionExecutionDetails", "succeeded"));
        Assert.Equal("Succeeded", afterDelete.GetProperty("ingestionExecutionDetails").GetProperty("status").GetString());
        var rows = await DataMapAsync(host, ds);
        Assert.Equal(["report-100.csv", "report-101.csv"], rows.Where(r => r.GetBoolean("Deleted") == true).Select(r => r.GetString("QualifiedName")![(r.GetString("QualifiedName")!.LastIndexOf('/') + 1)..]).Order());
        var catalog = await CatalogAsync(host, ds);
        Assert.Equal(498, catalog.Count(e => !e.IsResourceSet && !e.Deleted));
        Assert.Equal(["report-100.csv", "report-101.csv"], catalog.Where(e => e.Deleted).Select(e => e.QualifiedName[(e.QualifiedName.LastIndexOf('/') + 1)..]).Order());

        // Re-created: written again and its mark cleared, in the inventory once more.
        await Task.Delay(1100);
        await Upload(container, "docs/report-100.csv", "id,ip\n100,10.0.0.3\n");
        var recreated = await RunAsync(host, ds, "Incremental");
        Assert.Equal(1, Stat(recreated, "ingestionExecutionDetails", "succeeded"));
        catalog = await CatalogAsync(host, ds);
        Assert.Equal(499, catalog.Count(e => !e.IsResourceSet && !e.Deleted));
        Assert.Equal("report-101.csv", Assert.Single(catalog, e => e.Deleted).QualifiedName.Split('/')[^1]);
        Assert.Equal(498, Assert.Single(rows, r => r.GetBoolean("IsResourceSet") == true).GetInt64("FileCount"));
    }

    [Fact]
    public async Task An_asset_that_cannot_be_written_fails_alone_and_ingestion_ends_partially_completed_with_exact_counts()
    {
        var (host, ds, _) = await HostAsync(s => s.AddSingleton<IScanner>(new FixedScanner()), kind: "AdlsGen2");
        await using var _h = host;

        var run = await RunAsync(host, ds);

        Assert.Equal(250, Stat(run, "discoveryExecutionDetails", "discovered"));
        Assert.Equal(248, Stat(run, "ingestionExecutionDetails", "succeeded"));
        Assert.Equal(2, Stat(run, "ingestionExecutionDetails", "failed"));
        Assert.Equal("PartialSucceeded", run.GetProperty("ingestionExecutionDetails").GetProperty("status").GetString());
        var rows = await DataMapAsync(host, ds);
        Assert.Equal(248, rows.Count(r => r.GetBoolean("IsResourceSet") != true));
        Assert.Equal(249, Assert.Single(rows, r => r.GetBoolean("IsResourceSet") == true).GetInt64("FileCount")); // the set counts what was discovered
        var csv = await (await host.Admin.GetAsync(new Uri($"{ScanRunHost.RunsPath(ds, "scan0")}/{run.GetProperty("id").GetString()}/exceptions", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.Contains("PropertyValueTooLarge", csv, StringComparison.Ordinal);
        Assert.Equal(3, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header + 2 lines
    }

    /// <summary>A source of 250 assets in one partition-sized page, two of which the data map cannot hold.</summary>
    private sealed class FixedScanner : IScanner
    {
        public bool CanScan(string dataSourceKind) => dataSourceKind == "AdlsGen2";

        public Task<ScanPageResult> ScanAsync(ScanPageRequest request, CancellationToken cancellationToken)
        {
            var endpoint = request.DataSource.Endpoint.TrimEnd('/');
            var assets = Enumerable.Range(0, 250).Select(i => new DiscoveredAsset($"{endpoint}/fs/file{i:D3}.bin", $"file{i:D3}.bin", "adls_gen2_path", 10, null, $"fs/file{i:D3}.bin")).ToList();
            assets[17] = assets[17] with { Name = new string('x', 40_000) };
            assets[123] = assets[123] with { Path = "fs/" + new string('y', 40_000) };
            return Task.FromResult(new ScanPageResult(assets, null));
        }
    }
}
