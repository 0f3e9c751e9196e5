using Purview.Core.Access;
using Purview.Core.Scanners;
using Purview.Storage.Scanning;

namespace Purview.Testing;

/// <summary>The scan-target guard a Development host builds (loopback allowed, plain connections allowed), for scanners made by hand.</summary>
public static class TestScanTargets
{
    public static ScanTargetGuard Development(Uri? ownBlobEndpoint = null) =>
        new(new ScanTargetOptions { Development = true, AllowLoopback = true, RequireTls = false }, new DnsHostResolver(), new AccessOptions()) { OwnBlobEndpoint = ownBlobEndpoint };
}
