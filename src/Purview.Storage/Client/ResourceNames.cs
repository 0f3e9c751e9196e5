namespace Purview.Storage.Client;

/// <summary>
/// Client-side checks of container and queue names. The service would refuse a bad name too, but only with a
/// generic 400 (or, for names with '/', by addressing something else entirely), so we fail early and say which rule broke.
/// </summary>
internal static class ResourceNames
{
    public static void ValidateContainerOrQueue(string name, string kind, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length is < 3 or > 63)
        {
            throw new ArgumentException($"A {kind} name must be 3 to 63 characters long; '{name}' has {name.Length}.", paramName);
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                throw new ArgumentException($"A {kind} name may contain only lowercase letters, digits and dashes; '{name}' contains '{c}'.", paramName);
            }
        }

        if (name[0] == '-' || name[^1] == '-')
        {
            throw new ArgumentException($"A {kind} name must start and end with a letter or digit; '{name}' does not.", paramName);
        }

        if (name.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"A {kind} name must not contain consecutive dashes; '{name}' does.", paramName);
        }
    }

    /// <summary>Escapes each segment of a blob name but keeps '/' literal, as the service and the official SDKs address virtual folders.</summary>
    public static string EscapeBlobName(string name) =>
        string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
}
