namespace Purview.Core.Registry;

/// <summary>
/// The deployment's secret key for scheduled run ids. Every host of one deployment reads the same key (so they derive
/// the same id for a due time and start it once); nobody outside the deployment can compute an id ahead of time.
/// </summary>
public interface IScheduleKeyStore
{
    /// <summary>The key (32 bytes), created once by whichever host asks first.</summary>
    Task<ReadOnlyMemory<byte>> GetAsync(CancellationToken cancellationToken);
}
