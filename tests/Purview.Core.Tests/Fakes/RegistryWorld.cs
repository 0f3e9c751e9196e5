using System.Net;
using Purview.Core.Registry;
using Purview.Core.Scanners;

namespace Purview.Core.Tests.Fakes;

/// <summary>The registry's services over in-memory ports and an <see cref="AccessWorld"/>; DNS names public storage accounts and one private host.</summary>
public sealed class RegistryWorld : IDisposable
{
    public const string Endpoint = "https://contoso.blob.core.windows.net/";

    public RegistryWorld()
    {
        Resolver.Hosts["contoso.blob.core.windows.net"] = [IPAddress.Parse("20.60.1.1")];
        Resolver.Hosts["fabrikam.blob.core.windows.net"] = [IPAddress.Parse("20.60.1.2")];
        Resolver.Hosts["inside.blob.core.windows.net"] = [IPAddress.Parse("10.1.2.3")];
        var targets = new ScanTargetGuard(new ScanTargetOptions { RequireTls = true }, Resolver, Access.Options);
        Guard = new RegistryAccess(Store, Access.Access);
        DataSources = new DataSourceService(Store, Guard, Access.Access, Access.Clock, targets);
        Scans = new ScanService(Store, Guard, Access.Access, Access.Clock, Rules, targets);
        Filters = new ScanFilterService(Store, Guard, Access.Access);
        Triggers = new ScanTriggerService(Store, Guard, Access.Access, Access.Clock);
        Credentials = new CredentialService(Store, Access.Access, Access.Clock);
        Runtimes = new IntegrationRuntimeService(Store, Access.Access);
        Settings = new ScanSettingsService(Store, Access.Access);
    }

    public AccessWorld Access { get; } = new();

    public InMemoryScanRegistryStore Store { get; } = new();

    public InMemoryClassificationRuleStore Rules { get; } = new();

    public TableHostResolver Resolver { get; } = new();

    public RegistryAccess Guard { get; }

    public DataSourceService DataSources { get; }

    public ScanService Scans { get; }

    public ScanFilterService Filters { get; }

    public ScanTriggerService Triggers { get; }

    public CredentialService Credentials { get; }

    public IntegrationRuntimeService Runtimes { get; }

    public ScanSettingsService Settings { get; }

    public static ScanInput Msi(string kind = "AzureStorageMsi") => new(kind, null, null, false, null, null, null, null);

    public static ScanInput WithCredential(string credential, string kind = "AzureStorageCredential") => new(kind, null, null, true, credential, null, null, null);

    public static CredentialInput AccountKey(string key = "a2V5") => new(null, null, key, null, null, null, Kind: "AccountKey");

    public void Dispose() => Access.Dispose();
}
