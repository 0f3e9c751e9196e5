using System.Globalization;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary>Our adapter (<see cref="Purview.Storage.Client.Tables.EntityTable"/> over the .NET SDK) and the official JavaScript client (@azure/data-tables) read each other's entities identically.</summary>
public sealed class TableInteropTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    // Keys that need quoting and percent-encoding on both sides.
    private const string AwkwardPartition = "ünï 🎉 it's 100% ok";
    private const string AwkwardRow = "row 'one' + émoji 👩‍💻";

    private Dictionary<string, string> Env(string table, params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string> { ["CS"] = azurite.ConnectionString, ["TABLE"] = table };
        foreach (var (k, v) in extra)
        {
            env[k] = v;
        }

        return env;
    }

    private const string ReadScript = """
        const { TableClient } = require('@azure/data-tables');
        const t = TableClient.fromConnectionString(process.env.CS, process.env.TABLE, { allowInsecureConnection: true });
        (async () => {
          // Untyped: every value as { value: string, type }, so nothing is lost to JS numbers or Dates.
          const raw = await t.getEntity(process.env.PK, process.env.RK, { disableTypeConversion: true });
          // Converted: what a JS application sees.
          const conv = await t.getEntity(process.env.PK, process.env.RK);
          const kinds = {};
          for (const [k, v] of Object.entries(conv)) {
            kinds[k] = typeof v === 'bigint' ? 'bigint:' + v.toString()
              : v instanceof Date ? 'Date:' + v.toISOString()
              : v instanceof Uint8Array ? 'Uint8Array:' + v.length
              : (v !== null && typeof v === 'object') ? 'typed:' + v.type
              : typeof v;
          }
          console.log(JSON.stringify({ raw, kinds }));
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    [Fact]
    public async Task Entities_written_by_our_client_are_read_identically_by_the_js_client()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var written = EntitySamples.EveryType(AwkwardPartition, AwkwardRow);
        await table.Client.AddEntityAsync(written);

        var output = await NodeScript.RunAsync(ReadScript, Env(table.Name, ("PK", AwkwardPartition), ("RK", AwkwardRow)));

        using var doc = JsonDocument.Parse(output);
        var raw = doc.RootElement.GetProperty("raw");
        var kinds = doc.RootElement.GetProperty("kinds");
        Assert.Equal(AwkwardPartition, raw.GetProperty("partitionKey").GetString());
        Assert.Equal(AwkwardRow, raw.GetProperty("rowKey").GetString());
        foreach (var name in EntitySamples.PropertyNames(written))
        {
            var value = written[name];
            var property = raw.GetProperty(name);
            var type = property.GetProperty("type").GetString();
            var text = property.GetProperty("value").GetString()!;
            switch (value)
            {
                case string s:
                    Assert.Equal(("String", s), (type, text));
                    Assert.Equal("string", kinds.GetProperty(name).GetString());
                    break;
                case int i:
                    Assert.Equal(("Int32", i.ToString(CultureInfo.InvariantCulture)), (type, text));
                    Assert.Equal("number", kinds.GetProperty(name).GetString());
                    break;
                case long l:
                    Assert.Equal(("Int64", l.ToString(CultureInfo.InvariantCulture)), (type, text));
                    Assert.Equal("bigint:" + l.ToString(CultureInfo.InvariantCulture), kinds.GetProperty(name).GetString());
                    break;
                case double d:
                    // Minimal metadata leaves finite doubles unannotated (the literal keeps its ".0", which is how our
                    // reader still types 1.0 as Double); JSON.parse drops that, so JS's untyped view calls whole ones Int32.
                    Assert.Equal(double.IsInteger(d) && Math.Abs(d) < int.MaxValue ? "Int32" : "Double", type);
                    Assert.Equal(d, double.Parse(text, CultureInfo.InvariantCulture));
                    break;
                case bool b:
                    Assert.Equal(("Boolean", b ? "true" : "false"), (type, text));
                    Assert.Equal("boolean", kinds.GetProperty(name).GetString());
                    break;
                case DateTimeOffset dto:
                    Assert.Equal("DateTime", type);
                    Assert.Equal(dto.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), text);
                    // JS Dates hold milliseconds: the converted value is the same instant truncated to them.
                    Assert.Equal("Date:" + dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), kinds.GetProperty(name).GetString());
                    break;
                case DateTime dt:
                    Assert.Equal(("DateTime", dt.ToString("O", CultureInfo.InvariantCulture)), (type, text));
                    break;
                case Guid g:
                    Assert.Equal(("Guid", g.ToString("D")), (type, text));
                    break;
                case byte[] bytes:
                    Assert.Equal(("Binary", Convert.ToBase64String(bytes)), (type, text));
                    Assert.Equal("Uint8Array:" + bytes.Length.ToString(CultureInfo.InvariantCulture), kinds.GetProperty(name).GetString());
                    break;
                case BinaryData data:
                    Assert.Equal(("Binary", Convert.ToBase64String(data.ToArray())), (type, text));
                    break;
                default:
                    Assert.Fail($"Unexpected sample type for {name}");
                    break;
            }
        }
    }

    private const string WriteScript = """
        const { TableClient } = require('@azure/data-tables');
        const t = TableClient.fromConnectionString(process.env.CS, process.env.TABLE, { allowInsecureConnection: true });
        const large = new Uint8Array(64 * 1024);
        for (let i = 0; i < large.length; i++) large[i] = (i * 31) % 251;
        (async () => {
          await t.createEntity({
            partitionKey: process.env.PK, rowKey: process.env.RK,
            Str: 'hello', EmptyStr: '', Unicode: 'Grüße, 日本語, 🎉👩‍💻, quote \' and "double"',
            Int32Min: -2147483648, Int32Max: 2147483647, Int32Zero: 0,
            Int64Min: { value: '-9223372036854775808', type: 'Int64' },
            Int64Max: { value: '9223372036854775807', type: 'Int64' },
            Int64Small: { value: '42', type: 'Int64' },
            DoubleFraction: 3.141592653589793,
            DoubleBig: { value: '1e308', type: 'Double' },
            DoubleWhole: { value: '2', type: 'Double' },
            DoubleNaN: { value: 'NaN', type: 'Double' },
            DoublePosInf: { value: 'Infinity', type: 'Double' },
            DoubleNegInf: { value: '-Infinity', type: 'Double' },
            BoolTrue: true, BoolFalse: false,
            DateMin: { value: '1601-01-01T00:00:00.0000000Z', type: 'DateTime' },
            DateMax: { value: '9999-12-31T23:59:59.9999999Z', type: 'DateTime' },
            DateJs: new Date(Date.UTC(2026, 10, 22, 1, 2, 3, 456)),
            Guid: { value: '0f8fad5b-d9cb-469f-a165-70867728950e', type: 'Guid' },
            BinaryEmpty: new Uint8Array(0),
            BinarySmall: new Uint8Array([0, 1, 2, 254, 255]),
            BinaryLarge: large,
          });
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    [Fact]
    public async Task Entities_written_by_the_js_client_are_read_by_ours_with_identical_typed_values()
    {
        await using var table = await TempTable.CreateAsync(azurite);

        await NodeScript.RunAsync(WriteScript, Env(table.Name, ("PK", AwkwardPartition), ("RK", AwkwardRow)));
        var read = await table.Client.GetEntityAsync(AwkwardPartition, AwkwardRow);

        Assert.Equal(AwkwardPartition, read.PartitionKey);
        Assert.Equal(AwkwardRow, read.RowKey);
        Assert.Equal("hello", read["Str"]);
        Assert.Equal(string.Empty, read["EmptyStr"]);
        Assert.Equal("Grüße, 日本語, 🎉👩‍💻, quote ' and \"double\"", read["Unicode"]);
        Assert.Equal(int.MinValue, read["Int32Min"]);
        Assert.Equal(int.MaxValue, read["Int32Max"]);
        Assert.Equal(0, read["Int32Zero"]);
        Assert.Equal(long.MinValue, read["Int64Min"]);
        Assert.Equal(long.MaxValue, read["Int64Max"]);
        Assert.Equal(42L, read["Int64Small"]);
        Assert.Equal(3.141592653589793, read["DoubleFraction"]);
        Assert.Equal(1e308, read["DoubleBig"]);
        Assert.Equal(2.0, Assert.IsType<double>(read["DoubleWhole"]));
        Assert.True(double.IsNaN(Assert.IsType<double>(read["DoubleNaN"])));
        Assert.Equal(double.PositiveInfinity, read["DoublePosInf"]);
        Assert.Equal(double.NegativeInfinity, read["DoubleNegInf"]);
        Assert.Equal(true, read["BoolTrue"]);
        Assert.Equal(false, read["BoolFalse"]);
        Assert.Equal(EntitySamples.AzureMinimumDate, read["DateMin"]);
        Assert.Equal(EntitySamples.LatestDate, read["DateMax"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 2, 3, 456, TimeSpan.Zero), read["DateJs"]);
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), read["Guid"]);
        Assert.Equal(Array.Empty<byte>(), read["BinaryEmpty"]);
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, read["BinarySmall"]);
        Assert.Equal(Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31 % 251)), read.GetBinary("BinaryLarge")!);
        Assert.Equal(24, EntitySamples.PropertyNames(read).Length);
        Assert.NotEqual(default, read.ETag);
    }

    private const string BulkScript = """
        const { TableClient } = require('@azure/data-tables');
        const t = TableClient.fromConnectionString(process.env.CS, process.env.TABLE, { allowInsecureConnection: true });
        (async () => {
          for (let p = 0; p < 4; p++) {
            for (let start = 0; start < 275; start += 100) {
              const actions = [];
              for (let r = start; r < Math.min(start + 100, 275); r++) {
                actions.push(['create', { partitionKey: 'p' + p, rowKey: 'r' + String(r).padStart(4, '0'), N: p * 1000 + r, Big: { value: String(2 ** 40 + r), type: 'Int64' } }]);
              }
              await t.submitTransaction(actions);
            }
          }
          console.log('done');
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    [Fact]
    public async Task Over_a_thousand_entities_written_by_the_js_client_are_all_paged_through_by_ours()
    {
        await using var table = await TempTable.CreateAsync(azurite);

        Assert.Equal("done", (await NodeScript.RunAsync(BulkScript, Env(table.Name))).Trim());
        var all = await table.Client.QueryAsync(pageSize: 400).ToListAsync();

        Assert.Equal(1100, all.Count);
        Assert.Equal(1100, all.Select(e => e.PartitionKey + "/" + e.RowKey).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 4).SelectMany(p => Enumerable.Range(0, 275).Select(r => (p * 1000) + r)).Order(),
            all.Select(e => e.GetInt32("N")!.Value).Order());
        Assert.All(all, e => Assert.Equal((1L << 40) + (e.GetInt32("N")!.Value % 1000), e.GetInt64("Big")));
    }
}
