using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>A scan's scope: include and exclude URI prefixes under its data source's endpoint (Data source admin on its collection).</summary>
public sealed class ScanFilterService(IScanRegistryStore store, RegistryAccess guard, AccessService access)
{
    public const int MaxFilterPrefixes = 1000;
    public const int MaxPrefixLength = 2048;
    public const int MaxFilterCharacters = 400_000;

    public async Task<Result<ScanFilter>> GetFilterAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var (dataSource, scan, error) = await guard.FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        return error is null ? await store.GetFilterAsync(dataSource!.Name, scan!.Name, cancellationToken) : error;
    }

    public async Task<Result<ScanFilter>> PutFilterAsync(
        Principal caller, string dataSourceName, string scanName, IReadOnlyList<string>? include, IReadOnlyList<string>? exclude, CancellationToken cancellationToken)
    {
        var (dataSource, scan, error) = await guard.FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<ValidationError>();
        var includes = ValidatePrefixes(dataSource!, include ?? [], "properties.includeUriPrefixes", errors);
        var excludes = ValidatePrefixes(dataSource!, exclude ?? [], "properties.excludeUriPrefixes", errors);
        if (errors.Count == 0 && includes.Concat(excludes).Sum(p => p.Length) > MaxFilterCharacters)
        {
            errors.Add(new ValidationError("properties", $"The prefixes add up to more than {MaxFilterCharacters:N0} characters."));
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var filter = new ScanFilter(includes, excludes);
        await store.PutFilterAsync(dataSource!.Name, scan!.Name, filter, cancellationToken);
        await access.AuditAsync(caller, "scan.filter.put", $"{dataSource.Name}/{scan.Name}", dataSource.CollectionName, $"include={includes.Count} exclude={excludes.Count}", cancellationToken);
        return filter;
    }

    private static List<string> ValidatePrefixes(DataSource dataSource, IReadOnlyList<string> prefixes, string field, List<ValidationError> errors)
    {
        if (prefixes.Count > MaxFilterPrefixes)
        {
            errors.Add(new ValidationError(field, $"{field} holds at most {MaxFilterPrefixes} prefixes."));
            return [];
        }

        var list = new List<string>(prefixes.Count);
        for (var i = 0; i < prefixes.Count; i++)
        {
            var prefix = prefixes[i];
            var target = $"{field}[{i}]";
            if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxPrefixLength || prefix.Any(UnsafeText.IsUnsafe))
            {
                errors.Add(new ValidationError(target, $"{target} is 1-{MaxPrefixLength} characters without control characters."));
            }
            else if (DataSourceKinds.HasUrlEndpoint(dataSource.Kind) &&
                     (!Uri.TryCreate(prefix, UriKind.Absolute, out _) || !prefix.StartsWith(dataSource.Endpoint, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(new ValidationError(target, $"{target} must be an absolute URL under the data source's endpoint ({dataSource.Endpoint})."));
            }
            else
            {
                list.Add(prefix);
            }
        }

        return list;
    }
}
