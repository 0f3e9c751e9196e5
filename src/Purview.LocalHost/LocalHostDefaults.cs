namespace Purview.LocalHost;

internal static class LocalHostDefaults
{
    /// <summary>The port of <c>func start</c>, so that clients work unchanged against either host.</summary>
    public const string Url = "http://127.0.0.1:7071";
}
