using System.Collections.Concurrent;
using Azure.Data.Tables;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary>
/// The service refuses a transaction body over 4 MiB, and the SDK does not check it: <see cref="EntityTable"/> checks an
/// estimate before sending. These tests send real transactions and weigh the bodies the SDK actually wrote, so the
/// estimate is proved to be an upper bound for the content that makes it grow fastest (escaped characters, typed values,
/// long property names, keys in URLs).
/// </summary>
public sealed class TablePayloadLimitTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const int Limit = 4 * 1024 * 1024;

    /// <summary>Text the JSON writer escapes or widens: quotes, backslashes, controls, HTML-sensitive, non-ASCII, emoji.</summary>
    private const string Awkward = "a\"b\\c\u0001<>&'+é日🎉\u2028";

    public static TheoryData<string> Shapes => ["ascii", "awkward", "binary", "typed", "longnames", "keys"];

    /// <summary>
    /// One entity of <paramref name="shape"/> with about <paramref name="size"/> units of content, spread over properties
    /// the service accepts (a value of at most 64 KiB, an entity of at most 1 MiB, 252 properties).
    /// </summary>
    private static TableEntity Shape(string shape, string pk, int index, int size)
    {
        var rk = shape == "keys" ? $"{index:D3} {string.Concat(Enumerable.Repeat("é'日🎉 +", 40))}" : $"r{index:D3}";
        var entity = new TableEntity(pk, rk);
        void Strings(string unit)
        {
            var text = string.Concat(Enumerable.Repeat(unit, Math.Max(1, size / unit.Length)));
            for (var p = 0; p * 15_000 < text.Length; p++)
            {
                entity[$"Text{p}"] = text.Substring(p * 15_000, Math.Min(15_000, text.Length - (p * 15_000)));
            }
        }

        switch (shape)
        {
            case "ascii":
            case "keys":
                Strings("x");
                break;
            case "awkward":
                Strings(Awkward);
                break;
            case "binary":
                // 0xFB 0xEF 0xBE is "++++" in base64: the worst case for the writer's escaping.
                var bytes = Enumerable.Range(0, Math.Max(3, size / 3 * 3)).Select(i => (byte)(i % 3 switch { 0 => 0xFB, 1 => 0xEF, _ => 0xBE })).ToArray();
                for (var p = 0; p * 48_000 < bytes.Length; p++)
                {
                    entity[$"Data{p}"] = bytes.AsSpan(p * 48_000, Math.Min(48_000, bytes.Length - (p * 48_000))).ToArray();
                }

                break;
            case "typed":
                for (var p = 0; p < Math.Min(250, Math.Max(1, size / 60)); p++)
                {
                    entity[$"P{p}"] = (p % 4) switch
                    {
                        0 => (object)long.MinValue,
                        1 => DateTimeOffset.MaxValue,
                        2 => Guid.Empty,
                        _ => double.MinValue,
                    };
                }

                break;
            case "longnames":
                for (var p = 0; p < Math.Min(250, Math.Max(1, size / 600)); p++)
                {
                    entity[$"Ü{p:D3}{new string('ß', 251)}"] = (long)p;
                }

                break;
        }

        return entity;
    }

    /// <summary>A transaction of <paramref name="count"/> entities of <paramref name="shape"/>, as large as the estimate allows.</summary>
    private static List<TableTransactionAction> LargestAllowed(string shape, string pk, int count, TableTransactionActionType type)
    {
        List<TableTransactionAction> Build(int size) =>
            Enumerable.Range(0, count).Select(i => new TableTransactionAction(type, Shape(shape, pk, i, size))).ToList();

        bool Fits(int size)
        {
            try
            {
                TableValidation.ValidateTransaction(Build(size));
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        var (fits, fails) = (1, Limit);
        while (fails - fits > 1)
        {
            var mid = fits + ((fails - fits) / 2);
            (fits, fails) = Fits(mid) ? (mid, fails) : (fits, mid);
        }

        return Build(fits);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task The_largest_transaction_the_check_allows_sends_at_most_4_MiB(string shape)
    {
        var recorder = new BodyRecorder();
        var options = new StorageClientOptions { HttpClient = new HttpClient(recorder) };
        var table = new EntityTable(StorageClients.Tables(azurite.Account, options), UniqueName.Table());
        await table.CreateIfNotExistsAsync();
        try
        {
            var count = shape is "typed" or "longnames" ? 100 : 10;
            var inserts = LargestAllowed(shape, "p", count, TableTransactionActionType.Add);
            await table.SubmitTransactionAsync(inserts);
            // Updates carry the keys in the URL too, and an If-Match header.
            var updates = LargestAllowed(shape, "p", count, TableTransactionActionType.UpdateReplace)
                .Select(a => new TableTransactionAction(a.ActionType, a.Entity, Azure.ETag.All)).ToList();
            await table.SubmitTransactionAsync(updates);

            var batches = recorder.Batches.ToArray();
            var estimate = inserts.Sum(a => TableValidation.EstimatePayload((TableEntity)a.Entity));
            output.WriteLine($"{shape}: estimated {estimate:N0} bytes, sent {string.Join(" and ", batches.Select(b => b.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}");
            Assert.Equal(2, batches.Length);
            Assert.All(batches, sent => Assert.InRange(sent, Limit / 4, Limit));
            Assert.Equal(count, await table.QueryAsync(select: ["RowKey"]).CountAsync());
        }
        finally
        {
            await table.DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task A_transaction_over_the_limit_is_refused_with_the_estimate_and_the_limit_before_any_request()
    {
        var client = TempTable.Missing(azurite);
        // 5 entities of ~900 KB of binary each: under 100 operations, over 4 MiB.
        var big = Enumerable.Range(0, 5).Select(i => new TableTransactionAction(TableTransactionActionType.Add,
            new TableEntity("p", $"r{i}") { ["Blob"] = new byte[900_000] })).ToList();

        var oversized = await Assert.ThrowsAsync<ArgumentException>(() => client.SubmitTransactionAsync(big));

        Assert.Contains("4,194,304", oversized.Message, StringComparison.Ordinal);
        Assert.Equal("actions", oversized.ParamName);
    }

    /// <summary>Weighs each $batch request body on its way out (a real handler underneath: the request still reaches Azurite).</summary>
    private sealed class BodyRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public ConcurrentQueue<long> Batches { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal) && request.Content is { } content)
            {
                var body = await content.ReadAsByteArrayAsync(cancellationToken);
                Batches.Enqueue(body.Length);
                var copy = new ByteArrayContent(body);
                foreach (var header in content.Headers)
                {
                    copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                request.Content = copy;
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
