using System.Text;
using System.Text.RegularExpressions;

namespace Purview.Core.Scanners;

/// <summary>
/// The resource-set pattern of a file path: partition-like parts are replaced by placeholders, so files whose paths
/// differ only there share a pattern. Per path segment: <c>key=value</c> folders become <c>key={Value}</c>; GUIDs
/// <c>{GUID}</c>; dates (yyyy-MM-dd, yyyyMMdd, yyyy-MM-ddTHH...) <c>{Date}</c>; any other run of digits <c>{N}</c>
/// (so part-00001, 2024/01/15, run7 all generalize). The first segment (the container) and the file extension are kept. A path with no such part has no
/// pattern (it is not in a resource set). Pure.
/// </summary>
public static partial class ResourceSetPattern
{
    public const string ResourceSetType = "azure_blob_resource_set";

    /// <summary>The pattern of <paramref name="path"/>, or null when nothing in it is partition-like.</summary>
    public static string? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        var changed = false;
        var result = new StringBuilder(path.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var extension = string.Empty;
            if (i == segments.Length - 1 && segment.LastIndexOf('.') is var dot and > 0)
            {
                extension = segment[dot..];
                segment = segment[..dot];
            }

            // The first segment is the container (file system): never a partition, and sets do not span containers.
            var generalized = i == 0 && segments.Length > 1 ? segment : Generalize(segment);
            changed |= !string.Equals(generalized, segment, StringComparison.Ordinal);
            if (i > 0)
            {
                result.Append('/');
            }

            result.Append(generalized).Append(extension);
        }

        return changed ? result.ToString() : null;
    }

    /// <summary>The resource set's qualified name: the asset's qualified name with its path part replaced by the pattern.</summary>
    public static string? QualifiedNameOf(DiscoveredAsset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        if (Of(asset.Path) is not { } pattern || !asset.QualifiedName.EndsWith(asset.Path, StringComparison.Ordinal))
        {
            return null;
        }

        return asset.QualifiedName[..^asset.Path.Length] + pattern;
    }

    /// <summary>
    /// The resource set a qualified name belongs to, or null when nothing in its path is partition-like: the same
    /// generalization as <see cref="Of"/>, applied to the path part of a URL-like name. For <c>http(s)://</c> storage
    /// URLs the first path segment is the container and is kept (as a scan's qualified names); for schemes that carry the
    /// container or bucket in the authority (<c>abfss://c@acct...</c>, <c>wasbs://</c>, <c>s3://bucket</c>, <c>gs://</c>,
    /// <c>hdfs://host</c>, <c>file://</c>) every path segment may generalize; a name without a scheme is a path.
    /// </summary>
    public static string? OfQualifiedName(string qualifiedName)
    {
        ArgumentNullException.ThrowIfNull(qualifiedName);
        var scheme = qualifiedName.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return Of(qualifiedName);
        }

        var slash = qualifiedName.IndexOf('/', scheme + 3);
        if (slash < 0 || slash == qualifiedName.Length - 1)
        {
            return null;
        }

        var authority = qualifiedName[..slash];
        var containerInPath = authority.StartsWith("http", StringComparison.OrdinalIgnoreCase);
        // A leading empty segment stands in for the container that the authority already names, so none of the path is kept as one.
        var path = containerInPath ? qualifiedName[(slash + 1)..] : qualifiedName[slash..];
        return Of(path) is { } pattern ? authority + (containerInPath ? "/" : string.Empty) + pattern : null;
    }

    private static string Generalize(string segment)
    {
        if (KeyValue().Match(segment) is { Success: true } kv)
        {
            return kv.Groups[1].Value + "={Value}";
        }

        var s = Guid().Replace(segment, "{GUID}");
        s = Date().Replace(s, "{Date}");
        return Digits().Replace(s, "{N}");
    }

    [GeneratedRegex(@"\A([A-Za-z_][A-Za-z0-9_ -]{0,63})=(.+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex Guid();

    [GeneratedRegex(@"(?<!\d)(?:19|20)\d{2}-?(?:0[1-9]|1[0-2])-?(?:0[1-9]|[12]\d|3[01])(?:[T_ ]?\d{2}[:-]?\d{2}(?:[:-]?\d{2})?)?(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Date();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();
}
