using Purview.Core.Scanners;

namespace Purview.Core.Links;

/// <summary>
/// Name normalisation of pushed datasets, before their lineage is written: a file path with partition-like parts
/// becomes the qualified name of its resource set, with the pattern scans use
/// (<see cref="ResourceSetPattern.OfQualifiedName"/>), so a daily partitioned copy writes one dataset and one process
/// for all its runs. A pushed name rolls up when a folder is partition-like (<c>2026/11/20</c>, <c>dt=2026-11-20</c>,
/// <c>run7</c>, a GUID) or its last segment holds a date, a GUID or a <c>key=value</c>; a number in a file name alone
/// (<c>exampledata1.txt</c>, <c>out/part-0.parquet</c>) does not: such a file is one a pipeline names on purpose, and
/// is the same file on every run. Datasets that are not files are left as they are. Pure.
/// </summary>
public static class LineageRollup
{
    /// <summary>Native file types whose partitioned paths roll up, and the Atlas resource-set type the set takes.</summary>
    public static readonly IReadOnlyDictionary<string, string> ResourceSetTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["azure_blob_path"] = ResourceSetPattern.ResourceSetType,
        ["azure_datalake_gen1_path"] = "azure_datalake_gen1_resource_set",
        ["azure_datalake_gen2_path"] = "azure_datalake_gen2_resource_set",
    };

    // OpenLineage dataset naming: the schemes whose names are file paths (database namespaces keep their table names).
    private static readonly HashSet<string> FileSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        "abfss", "abfs", "wasbs", "wasb", "s3", "s3a", "s3n", "gs", "hdfs", "file", "dbfs",
    };

    /// <summary>The dataset as its resource set, or null when it is not one (keep the dataset as pushed).</summary>
    public static DatasetRef? ResourceSetOf(DatasetRef dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return ResourceSetTypes.TryGetValue(dataset.Type, out var setType) && SetOf(dataset.QualifiedName) is { } set
            ? new DatasetRef(set, setType, dataset.Name)
            : null;
    }

    /// <summary>The OpenLineage dataset with its name rolled up (same namespace), or null when it is not a partitioned file path.</summary>
    public static OpenLineageDataset? ResourceSetOf(OpenLineageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!IsFileNamespace(dataset.Namespace))
        {
            return null;
        }

        var prefix = dataset.Namespace + "/";
        return SetOf(prefix + dataset.Name) is { } set && set.StartsWith(prefix, StringComparison.Ordinal)
            ? dataset with { Name = set[prefix.Length..] }
            : null;
    }

    /// <summary>The resource set of a pushed file's qualified name, or null when it stays as named (see the class summary).</summary>
    public static string? SetOf(string qualifiedName)
    {
        if (ResourceSetPattern.OfQualifiedName(qualifiedName) is not { } set)
        {
            return null;
        }

        // The pattern keeps the segments, so raw and set line up segment by segment.
        var raw = qualifiedName.Split('/');
        var generalized = set.Split('/');
        if (raw.Length != generalized.Length)
        {
            return set;
        }

        for (var i = 0; i < raw.Length - 1; i++)
        {
            if (!string.Equals(raw[i], generalized[i], StringComparison.Ordinal))
            {
                return set;
            }
        }

        return generalized[^1].Replace("{N}", string.Empty, StringComparison.Ordinal).Contains('{', StringComparison.Ordinal) ? set : null;
    }

    /// <summary>Whether an OpenLineage namespace names a file system (whose dataset names are paths).</summary>
    public static bool IsFileNamespace(string ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        if (ns is "file" or "dbfs")
        {
            return true;
        }

        var scheme = ns.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return false;
        }

        if (FileSchemes.Contains(ns[..scheme]))
        {
            return true;
        }

        // An https namespace is a storage account's endpoint only when it is one (the container is then the first path segment).
        var host = ns[(scheme + 3)..].Split('/')[0];
        return ns[..scheme].StartsWith("http", StringComparison.OrdinalIgnoreCase)
               && (host.EndsWith(".blob.core.windows.net", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".dfs.core.windows.net", StringComparison.OrdinalIgnoreCase));
    }
}
