using Purview.Storage.Client;
using Xunit;

namespace Purview.Storage.Tests.Client;

/// <summary>How <see cref="StorageErrors"/> reads the code and message out of an error body (the SDK does not for every path).</summary>
public sealed class StorageErrorsTests
{
    [Fact]
    public void A_table_error_body_gives_its_code_and_the_first_line_of_its_message()
    {
        var body = """{"odata.error":{"code":"EntityAlreadyExists","message":{"lang":"en-US","value":"The specified entity already exists.\nRequestId:abc\nTime:2026-11-22T00:00:00Z"}}}""";

        Assert.Equal(("EntityAlreadyExists", "The specified entity already exists."), StorageErrors.ParseErrorBody(body));
    }

    [Fact]
    public void A_json_error_with_a_plain_message_is_read_too()
    {
        Assert.Equal(("InvalidInput", "One of the request inputs is not valid."),
            StorageErrors.ParseErrorBody("""  {"error":{"code":"InvalidInput","message":"One of the request inputs is not valid."}}"""));
    }

    [Fact]
    public void A_blob_or_queue_xml_error_body_gives_its_code_and_message()
    {
        var body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.\nRequestId:1</Message></Error>";

        Assert.Equal(("BlobNotFound", "The specified blob does not exist."), StorageErrors.ParseErrorBody(body));
    }

    [Fact]
    public void An_xml_body_with_a_dtd_is_not_parsed_and_is_kept_as_text()
    {
        var body = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Error><Code>&e;</Code></Error>";

        Assert.Equal((null, body), StorageErrors.ParseErrorBody(body));
    }

    [Fact]
    public void A_body_that_is_not_a_storage_error_is_kept_as_text_cut_at_500_characters()
    {
        Assert.Equal((null, "<html>Bad gateway</html>"), StorageErrors.ParseErrorBody("<html>Bad gateway</html>"));
        Assert.Equal((null, "{\"other\":1}"), StorageErrors.ParseErrorBody("{\"other\":1}"));
        Assert.Equal((null, "{ truncated"), StorageErrors.ParseErrorBody("{ truncated"));
        var (code, message) = StorageErrors.ParseErrorBody(new string('x', 2000));
        Assert.Null(code);
        Assert.Equal(new string('x', 500), message);
        Assert.Equal((null, null), StorageErrors.ParseErrorBody("   "));
    }

    [Fact]
    public void Exceptions_that_are_not_storage_failures_are_not_mapped()
    {
        Assert.False(StorageErrors.TryMap(new InvalidOperationException("bug"), default, out _));
        Assert.False(StorageErrors.TryMap(new StorageException(404, "X", null, "m"), default, out _));
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        Assert.False(StorageErrors.TryMap(new OperationCanceledException(canceled.Token), canceled.Token, out _));
        Assert.True(StorageErrors.TryMap(new OperationCanceledException(), default, out var timeout));
        Assert.Equal((0, "Timeout"), (timeout.Status, timeout.ErrorCode));
    }
}
