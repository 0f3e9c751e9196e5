namespace Purview.Testing;

/// <summary>Names that no other test uses: tables (letters and digits), containers and queues (lowercase, dashes).</summary>
public static class UniqueName
{
    public static string Table(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..16];

    public static string Container(string prefix = "c") => (prefix + "-" + Guid.NewGuid().ToString("N")[..16]).ToLowerInvariant();

    public static string Queue(string prefix = "q") => (prefix + "-" + Guid.NewGuid().ToString("N")[..16]).ToLowerInvariant();
}
