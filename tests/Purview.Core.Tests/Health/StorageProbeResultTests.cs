using Purview.Core.Health;
using Xunit;

namespace Purview.Core.Tests.Health;

public sealed class StorageProbeResultTests
{
    [Fact]
    public void Healthy_only_when_no_service_reports_a_failure()
    {
        var ok = new StorageProbeResult("acct", new Dictionary<string, string?> { ["table"] = null, ["blob"] = null });
        var bad = new StorageProbeResult("acct", new Dictionary<string, string?> { ["table"] = null, ["blob"] = "403 AuthorizationFailure" });

        Assert.True(ok.IsHealthy);
        Assert.False(bad.IsHealthy);
    }
}
