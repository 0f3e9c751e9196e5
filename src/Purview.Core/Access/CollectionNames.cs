using System.Text.RegularExpressions;

namespace Purview.Core.Access;

/// <summary>Collection names: 3-36 letters, digits, '-' or '_', starting and ending with a letter or digit (Purview's rule).</summary>
public static partial class CollectionNames
{
    public static string? Validate(string? name) =>
        name is null || !Pattern().IsMatch(name)
            ? $"'{Shorten(name)}' is not a valid collection name: use 3-36 letters, digits, '-' or '_', starting and ending with a letter or digit."
            : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{1,34}[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    private static string Shorten(string? name) => name is null ? "(null)" : name.Length > 40 ? name[..40] + "..." : name;
}
