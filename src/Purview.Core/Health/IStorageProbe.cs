namespace Purview.Core.Health;

/// <summary>Checks that the storage the app depends on answers.</summary>
public interface IStorageProbe
{
    Task<StorageProbeResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>The outcome per storage service ("table", "blob", "queue"): null when it answered, else why not.</summary>
public sealed record StorageProbeResult(string Account, IReadOnlyDictionary<string, string?> Failures)
{
    public bool IsHealthy => Failures.Values.All(f => f is null);
}
