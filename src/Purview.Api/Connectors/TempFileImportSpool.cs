using Purview.Core.Connectors;

namespace Purview.Api.Connectors;

/// <summary>Import bodies spooled to files in the host's temporary directory, deleted when closed (and by the OS if the process dies first).</summary>
public sealed class TempFileImportSpool : IImportSpool
{
    public Task<Stream> CreateAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"purview-import-{Guid.NewGuid():N}.json");
        Stream file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return Task.FromResult(file);
    }
}
