using System.Text;
using System.Text.Json;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary>The JSON and multipart formats, checked without a server.</summary>
public sealed class TableWireFormatTests
{
    [Fact]
    public void Serialization_annotates_types_json_cannot_carry()
    {
        var entity = new TableEntity("p", "r")
        {
            ["L"] = long.MaxValue,
            ["D"] = 1.0,
            ["Neg"] = -0.0,
            ["N"] = double.NaN,
            ["I"] = double.NegativeInfinity,
            ["T"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-1)),
            ["G"] = Guid.Empty,
            ["B"] = new byte[] { 1, 2, 3 },
            ["S"] = "s",
            ["Int"] = 5,
            ["Null"] = null,
        };

        using var doc = JsonDocument.Parse(TableEntityJson.Serialize(entity));
        var root = doc.RootElement;

        Assert.Equal("p", root.GetProperty("PartitionKey").GetString());
        Assert.Equal("Edm.Int64", root.GetProperty("L@odata.type").GetString());
        Assert.Equal("9223372036854775807", root.GetProperty("L").GetString());
        Assert.Equal("Edm.Double", root.GetProperty("D@odata.type").GetString());
        Assert.Equal(1.0, root.GetProperty("D").GetDouble());
        Assert.Equal("-0", root.GetProperty("Neg").GetRawText());
        Assert.Equal("NaN", root.GetProperty("N").GetString());
        Assert.Equal("-Infinity", root.GetProperty("I").GetString());
        Assert.Equal("Edm.DateTime", root.GetProperty("T@odata.type").GetString());
        Assert.Equal("2026-01-02T04:04:05.0000000Z", root.GetProperty("T").GetString());
        Assert.Equal("Edm.Guid", root.GetProperty("G@odata.type").GetString());
        Assert.Equal("Edm.Binary", root.GetProperty("B@odata.type").GetString());
        Assert.Equal("AQID", root.GetProperty("B").GetString());
        Assert.False(root.TryGetProperty("S@odata.type", out _));
        Assert.False(root.TryGetProperty("Int@odata.type", out _));
        Assert.Equal(5, root.GetProperty("Int").GetInt32());
        Assert.False(root.TryGetProperty("Null", out _));
        Assert.False(root.TryGetProperty("Timestamp", out _));
    }

    [Fact]
    public void Parsing_honours_annotations_in_either_order_and_infers_unannotated_numbers()
    {
        var json = """
            {"odata.metadata":"x","odata.etag":"W/\"datetime'2026-01-01T00%3A00%3A00Z'\"","PartitionKey":"p","RowKey":"r",
             "Timestamp@odata.type":"Edm.DateTime","Timestamp":"2026-01-01T00:00:00.1234567Z",
             "Big":"12","Big@odata.type":"Edm.Int64",
             "Whole@odata.type":"Edm.Double","Whole":2,
             "After":3,"After@odata.type":"Edm.Double",
             "Int":7,"Frac":1.0,"Huge":3000000000,"Exp":1e3,"Str":"12","Flag":true,"Nothing":null}
            """;

        var entity = TableEntityJson.ParseEntity(Encoding.UTF8.GetBytes(json));

        Assert.Equal("W/\"datetime'2026-01-01T00%3A00%3A00Z'\"", entity.ETag.ToString());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567), entity.Timestamp);
        Assert.Equal(12L, entity["Big"]);
        Assert.Equal(2.0, Assert.IsType<double>(entity["Whole"]));
        Assert.Equal(3.0, Assert.IsType<double>(entity["After"]));
        Assert.Equal(7, Assert.IsType<int>(entity["Int"]));
        Assert.Equal(1.0, Assert.IsType<double>(entity["Frac"]));
        Assert.Equal(3e9, Assert.IsType<double>(entity["Huge"]));
        Assert.Equal(1000.0, Assert.IsType<double>(entity["Exp"]));
        Assert.Equal("12", entity["Str"]);
        Assert.Equal(true, entity["Flag"]);
        Assert.False(entity.ContainsKey("Nothing"));
        Assert.Equal(9, entity.Count);
    }

    private const string AzureStyleFailure =
        "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n" +
        "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
        "HTTP/1.1 409 Conflict\r\nX-Content-Type-Options: nosniff\r\nDataServiceVersion: 3.0;\r\nContent-Type: application/json;odata=minimalmetadata;streaming=true;charset=utf-8\r\n\r\n" +
        "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"7:The specified entity already exists.\\nRequestId:abc\\nTime:2026-01-01T00:00:00Z\"}}}\r\n" +
        "--changesetresponse_2--\r\n--batchresponse_1--\r\n";

    [Fact]
    public void A_failed_batch_reports_the_index_from_the_message_prefix()
    {
        var ex = Assert.Throws<StorageException>(() =>
            TableBatch.ReadResult("multipart/mixed; boundary=batchresponse_1", AzureStyleFailure, 10, "req"));

        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.Equal(7, ex.FailedOperationIndex);
        Assert.Equal("The specified entity already exists.", ex.ServiceMessage);
        Assert.Equal("req", ex.RequestId);
    }

    [Fact]
    public void Without_a_message_prefix_the_index_comes_from_the_one_based_content_id()
    {
        var body = AzureStyleFailure.Replace("7:The", "The", StringComparison.Ordinal)
            .Replace("X-Content-Type-Options: nosniff", "Content-ID: 4", StringComparison.Ordinal);

        var ex = Assert.Throws<StorageException>(() => TableBatch.ReadResult("multipart/mixed; boundary=batchresponse_1", body, 10, null));

        Assert.Equal(3, ex.FailedOperationIndex);
        Assert.Equal("The specified entity already exists.", ex.ServiceMessage);
    }

    [Fact]
    public void A_successful_batch_returns_each_operations_etag_in_order()
    {
        static string Part(string etag) =>
            "--cs\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            $"HTTP/1.1 204 No Content\r\nContent-ID: 1\r\nETag: {etag}\r\n\r\n\r\n";
        var body = "--b\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n" + Part("W/\"1\"") + Part("W/\"2\"") +
                   "--cs\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n--cs--\r\n--b--\r\n";

        var etags = TableBatch.ReadResult("multipart/mixed; boundary=b", body, 3, null);

        Assert.Equal(["W/\"1\"", "W/\"2\"", string.Empty], etags.Select(e => e.ToString()));
    }
}
