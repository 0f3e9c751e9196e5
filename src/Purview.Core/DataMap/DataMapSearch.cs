using System.Globalization;
using System.Text.Json;
using Purview.Core.Common;

namespace Purview.Core.DataMap;

/// <summary>
/// The filter of a Data Map search (2023-09-01 <c>QueryOptions.filter</c>): a tree of <c>and</c> / <c>or</c> / <c>not</c>
/// over leaf conditions, each an object that may carry its <c>kind</c> (AndFilter, TypeFilter, AttributeFilter, ...).
/// Parsed once into a predicate over entities; every field is validated, unknown ones are refused.
/// </summary>
public abstract record SearchCondition
{
    public abstract bool Matches(DataMapEntity entity);

    /// <summary>The exact type every match has, when the tree says so at its top (lets storage narrow its read).</summary>
    public virtual string? RequiredType => null;
}

public sealed record AndCondition(IReadOnlyList<SearchCondition> All) : SearchCondition
{
    public override bool Matches(DataMapEntity entity) => All.All(c => c.Matches(entity));

    public override string? RequiredType => All.Select(c => c.RequiredType).FirstOrDefault(t => t is not null);
}

public sealed record OrCondition(IReadOnlyList<SearchCondition> Any) : SearchCondition
{
    public override bool Matches(DataMapEntity entity) => Any.Any(c => c.Matches(entity));
}

public sealed record NotCondition(SearchCondition Inner) : SearchCondition
{
    public override bool Matches(DataMapEntity entity) => !Inner.Matches(entity);
}

/// <summary>A predicate leaf; <see cref="Type"/> is set for an exact type filter without sub-types.</summary>
public sealed record LeafCondition(Func<DataMapEntity, bool> Predicate, string? Type = null) : SearchCondition
{
    public override bool Matches(DataMapEntity entity) => Predicate(entity);

    public override string? RequiredType => Type;
}

/// <summary>Parses and validates a search filter, naming the field of the first error (<c>filter.and[1].operator</c>).</summary>
public static class SearchFilterParser
{
    public const int MaxNodes = 200;
    public const int MaxDepth = 8;

    public static IReadOnlyList<string> Operators { get; } = ["eq", "ne", "contains", "prefix", "lt", "gt", "le", "ge", "timerange"];

    public static IReadOnlyList<string> ObjectTypes { get; } = ["Files", "Tables", "Folders", "Databases", "Dashboards", "Reports", "Data pipelines", "Glossary terms", "Stored procedures", "Schemas", "Other"];

    /// <summary>The kinds of filter object, their field, and what they mean here.</summary>
    private static readonly Dictionary<string, string> LeafKinds = new(StringComparer.Ordinal)
    {
        ["TypeFilter"] = "typeName",
        ["EntityTypeFilter"] = "entityType",
        ["ObjectTypeFilter"] = "objectType",
        ["CollectionFilter"] = "collectionId",
        ["ClassificationFilter"] = "classification",
        ["AssetTypeFilter"] = "assetType",
        ["IdFilter"] = "id",
        ["FileExtensionFilter"] = "fileExtension",
        ["TermFilter"] = "term",
        ["TermGuidFilter"] = "termGuid",
        ["LabelFilter"] = "label",
        ["ContactFilter"] = "contactId",
        ["AttributeFilter"] = "attributeName",
        ["CreateTimeFilter"] = "createTime",
        ["UpdateTimeFilter"] = "updateTime",
    };

    /// <summary>Parses a filter; <paramref name="now"/> anchors relative times (LAST_7D).</summary>
    public static Result<SearchCondition> Parse(JsonElement filter, DateTimeOffset now, string path = "filter")
    {
        var nodes = 0;
        var errors = new List<ValidationError>();
        var condition = Node(filter, path, 0, now, ref nodes, errors);
        return errors.Count > 0 ? Error.Validation(errors.Take(1).ToList()) : condition!;
    }

    private static SearchCondition? Node(JsonElement e, string path, int depth, DateTimeOffset now, ref int nodes, List<ValidationError> errors)
    {
        if (++nodes > MaxNodes || depth > MaxDepth)
        {
            errors.Add(new ValidationError(path, $"A filter holds at most {MaxNodes} conditions, nested at most {MaxDepth} deep."));
            return null;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ValidationError(path, $"{path} is an object: {{\"and\": [...]}}, {{\"or\": [...]}}, {{\"not\": {{...}}}} or a condition such as {{\"entityType\": \"azure_blob_path\"}}."));
            return null;
        }

        string? kind = null;
        if (e.TryGetProperty("kind", out var k))
        {
            kind = k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (kind is null || !(kind is "AndFilter" or "OrFilter" or "NotFilter" || LeafKinds.ContainsKey(kind)))
            {
                errors.Add(new ValidationError(path + ".kind", $"{path}.kind is one of AndFilter, OrFilter, NotFilter, {string.Join(", ", LeafKinds.Keys)}."));
                return null;
            }
        }

        foreach (var (name, combine) in new (string, Func<IReadOnlyList<SearchCondition>, SearchCondition>)[] { ("and", l => new AndCondition(l)), ("or", l => new OrCondition(l)) })
        {
            if (!e.TryGetProperty(name, out var list))
            {
                continue;
            }

            if (OnlyFields(e, path, errors, name) is false || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                errors.Add(new ValidationError(path + "." + name, $"{path}.{name} is a non-empty array of filters, alone in its object (with its kind)."));
                return null;
            }

            var children = new List<SearchCondition>();
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var child = Node(item, $"{path}.{name}[{i++}]", depth + 1, now, ref nodes, errors);
                if (child is null)
                {
                    return null;
                }

                children.Add(child);
            }

            return combine(children);
        }

        if (e.TryGetProperty("not", out var not))
        {
            if (!OnlyFields(e, path, errors, "not"))
            {
                return null;
            }

            // The spec's examples write not as an object; an array of one is accepted too.
            var inner = not.ValueKind == JsonValueKind.Array && not.GetArrayLength() == 1 ? not[0] : not;
            var child = Node(inner, path + ".not", depth + 1, now, ref nodes, errors);
            return child is null ? null : new NotCondition(child);
        }

        return Leaf(e, path, now, errors);
    }

    private static bool OnlyFields(JsonElement e, string path, List<ValidationError> errors, params string[] allowed)
    {
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name != "kind" && !allowed.Contains(p.Name, StringComparer.Ordinal))
            {
                errors.Add(new ValidationError($"{path}.{p.Name}", $"{path}.{p.Name} is not a field of this filter (fields: {string.Join(", ", allowed)})."));
                return false;
            }
        }

        return true;
    }

    private static LeafCondition? Leaf(JsonElement e, string path, DateTimeOffset now, List<ValidationError> errors)
    {
        foreach (var field in new[] { "createTime", "updateTime" })
        {
            if (e.TryGetProperty(field, out var time))
            {
                return OnlyFields(e, path, errors, field) ? SystemTime(field, time, $"{path}.{field}", now, errors) : null;
            }
        }

        string? Text(string field)
        {
            if (!e.TryGetProperty(field, out var v))
            {
                return null;
            }

            if (v.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(v.GetString()))
            {
                errors.Add(new ValidationError($"{path}.{field}", $"{path}.{field} is a non-empty string."));
                return null;
            }

            return v.GetString();
        }

        bool Flag(string field) => e.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.True;

        if (e.TryGetProperty("attributeName", out _) || e.TryGetProperty("operator", out _) || e.TryGetProperty("attributeValue", out _))
        {
            return OnlyFields(e, path, errors, "attributeName", "operator", "attributeValue") ? Attribute(e, path, errors) : null;
        }

        if ((Text("entityType") ?? Text("typeName")) is { } type)
        {
            if (!OnlyFields(e, path, errors, "entityType", "typeName", "includeSubTypes"))
            {
                return null;
            }

            // Sub-types: this service's types have no hierarchy, except the resource sets under azure_blob_path.
            var subTypes = Flag("includeSubTypes");
            return new LeafCondition(x => string.Equals(x.TypeName, type, StringComparison.Ordinal) || (subTypes && x.TypeName.StartsWith(type + "_", StringComparison.Ordinal)),
                subTypes ? null : type);
        }

        if (errors.Count > 0)
        {
            return null;
        }

        if (Text("objectType") is { } objectType)
        {
            return OnlyFields(e, path, errors, "objectType") ? new LeafCondition(x => string.Equals(ObjectTypeOf(x), objectType, StringComparison.OrdinalIgnoreCase)) : null;
        }

        if (Text("collectionId") is { } collection)
        {
            return OnlyFields(e, path, errors, "collectionId") ? new LeafCondition(x => string.Equals(x.Collection, collection, StringComparison.OrdinalIgnoreCase)) : null;
        }

        if (Text("classification") is { } classification)
        {
            if (!OnlyFields(e, path, errors, "classification", "includeSubClassifications"))
            {
                return null;
            }

            var sub = Flag("includeSubClassifications");
            return new LeafCondition(x => ClassificationsOf(x).Any(c => string.Equals(c, classification, StringComparison.Ordinal) ||
                (sub && c.StartsWith(classification + ".", StringComparison.Ordinal))));
        }

        if (Text("assetType") is { } assetType)
        {
            return OnlyFields(e, path, errors, "assetType") ? new LeafCondition(x => string.Equals(AssetTypeOf(x), assetType, StringComparison.OrdinalIgnoreCase)) : null;
        }

        if (Text("id") is { } id)
        {
            return OnlyFields(e, path, errors, "id") ? new LeafCondition(x => string.Equals(x.Guid, id, StringComparison.OrdinalIgnoreCase)) : null;
        }

        if (Text("fileExtension") is { } extension)
        {
            var dotted = extension.StartsWith('.') ? extension : "." + extension;
            return OnlyFields(e, path, errors, "fileExtension")
                ? new LeafCondition(x => ObjectTypeOf(x) == "Files" && x.Name.EndsWith(dotted, StringComparison.OrdinalIgnoreCase))
                : null;
        }

        foreach (var field in new[] { "term", "termGuid", "label", "contactId", "glossary", "glossaryType", "termStatus", "termTemplate", "domainId" })
        {
            if (Text(field) is not null)
            {
                // No glossary, labels or contacts are kept here: such a condition matches nothing (docs/CONFORMANCE.md).
                return OnlyFields(e, path, errors, field, "contactType", "includeSubTerms") ? new LeafCondition(_ => false) : null;
            }
        }

        if (errors.Count == 0)
        {
            var first = e.EnumerateObject().FirstOrDefault(p => p.Name != "kind").Name;
            errors.Add(first is null
                ? new ValidationError(path, $"{path} is empty: name a condition such as entityType, collectionId, classification or attributeName.")
                : new ValidationError($"{path}.{first}", $"{path}.{first} is not a filter field this service knows (docs/DATAMAP.md)."));
        }

        return null;
    }

    private static LeafCondition? Attribute(JsonElement e, string path, List<ValidationError> errors)
    {
        var name = e.TryGetProperty("attributeName", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var op = e.TryGetProperty("operator", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        if (name is not ("qualifiedName" or "name" or "createTime" or "updateTime" or "modifiedTime" or "size" or "description" or "owner"))
        {
            errors.Add(new ValidationError(path + ".attributeName", $"{path}.attributeName is one of qualifiedName, name, createTime, updateTime, modifiedTime, size, description, owner."));
            return null;
        }

        if (op is null || !Operators.Contains(op, StringComparer.Ordinal))
        {
            errors.Add(new ValidationError(path + ".operator", $"{path}.operator is one of {string.Join(", ", Operators)}."));
            return null;
        }

        if (!e.TryGetProperty("attributeValue", out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            errors.Add(new ValidationError(path + ".attributeValue", $"{path}.attributeValue is required."));
            return null;
        }

        if (name is "createTime" or "updateTime" or "modifiedTime" or "size")
        {
            return Numeric(name, op, value, path, errors);
        }

        if (value.ValueKind != JsonValueKind.String || op is "lt" or "gt" or "le" or "ge" or "timerange")
        {
            errors.Add(new ValidationError(path + ".attributeValue", $"{name} is compared as text: eq, ne, contains or prefix with a string value."));
            return null;
        }

        var text = value.GetString()!;
        Func<DataMapEntity, string?> get = name switch
        {
            "qualifiedName" => x => x.QualifiedName,
            "name" => x => x.Name,
            _ => _ => null, // no description or owner is kept here
        };
        return op switch
        {
            "eq" => new LeafCondition(x => string.Equals(get(x), text, StringComparison.OrdinalIgnoreCase)),
            "ne" => new LeafCondition(x => !string.Equals(get(x), text, StringComparison.OrdinalIgnoreCase)),
            "contains" => new LeafCondition(x => get(x)?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false),
            _ => new LeafCondition(x => get(x)?.StartsWith(text, StringComparison.OrdinalIgnoreCase) ?? false),
        };
    }

    /// <summary>Times are epoch milliseconds (as the search returns them); timerange takes {"from", "to"} (ISO 8601 or milliseconds) or a relative "LastDay"/"Last7Days"/"Last30Days".</summary>
    private static LeafCondition? Numeric(string name, string op, JsonElement value, string path, List<ValidationError> errors)
    {
        Func<DataMapEntity, long?> get = name switch
        {
            "createTime" => x => x.CreatedAt.ToUnixTimeMilliseconds(),
            "updateTime" => x => (x.Scanned?.UpdatedAt ?? x.CreatedAt).ToUnixTimeMilliseconds(),
            "modifiedTime" => x => x.Scanned?.LastModified?.ToUnixTimeMilliseconds(),
            _ => x => x.Scanned?.Size,
        };
        if (op == "timerange")
        {
            if (name == "size" || value.ValueKind != JsonValueKind.Object || !TryTime(value, "from", out var from) || !TryTime(value, "to", out var to) || from > to)
            {
                errors.Add(new ValidationError(path + ".attributeValue", $"{path}.attributeValue of timerange is {{\"from\": time, \"to\": time}} (ISO 8601 or epoch milliseconds, from <= to) on a time attribute."));
                return null;
            }

            return new LeafCondition(x => get(x) is { } t && t >= from && t <= to);
        }

        if (!(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) && !TryTimeText(value, out number))
        {
            errors.Add(new ValidationError(path + ".attributeValue", $"{path}.attributeValue of {name} is a number (times: epoch milliseconds or ISO 8601)."));
            return null;
        }

        if (op is "contains" or "prefix")
        {
            errors.Add(new ValidationError(path + ".operator", $"{name} is compared with eq, ne, lt, gt, le, ge (or timerange)."));
            return null;
        }

        return op switch
        {
            "eq" => new LeafCondition(x => get(x) == number),
            "ne" => new LeafCondition(x => get(x) != number),
            "lt" => new LeafCondition(x => get(x) < number),
            "gt" => new LeafCondition(x => get(x) > number),
            "le" => new LeafCondition(x => get(x) <= number),
            _ => new LeafCondition(x => get(x) >= number),
        };
    }

    /// <summary>Relative periods of the system-time filters, and their bounds as ages.</summary>
    private static readonly Dictionary<string, (TimeSpan Min, TimeSpan Max)> Periods = new(StringComparer.Ordinal)
    {
        ["LAST_24H"] = (TimeSpan.Zero, TimeSpan.FromHours(24)),
        ["LAST_7D"] = (TimeSpan.Zero, TimeSpan.FromDays(7)),
        ["LAST_30D"] = (TimeSpan.Zero, TimeSpan.FromDays(30)),
        ["LAST_365D"] = (TimeSpan.Zero, TimeSpan.FromDays(365)),
        ["MORE_THAN_365D"] = (TimeSpan.FromDays(365), TimeSpan.MaxValue),
    };

    /// <summary>
    /// createTime / updateTime: {"operator": lt|gt|le|ge|eq|ne, "timeThreshold": epoch ms} or a relative period (LAST_24H,
    /// LAST_7D, LAST_30D, LAST_365D, MORE_THAN_365D); several periods joined with '|' (as the spec's example writes them) mean any of them.
    /// </summary>
    private static LeafCondition? SystemTime(string field, JsonElement value, string path, DateTimeOffset now, List<ValidationError> errors)
    {
        Func<DataMapEntity, DateTimeOffset> get = field == "createTime" ? x => x.CreatedAt : x => x.Scanned?.UpdatedAt ?? x.CreatedAt;
        if (value.ValueKind == JsonValueKind.String)
        {
            var names = value.GetString()!.Split('|');
            if (names.Length == 0 || names.Any(n => !Periods.ContainsKey(n)))
            {
                errors.Add(new ValidationError(path, $"{path} is one of {string.Join(", ", Periods.Keys)} (or several joined with '|'), or {{\"operator\", \"timeThreshold\"}}."));
                return null;
            }

            var ranges = names.Select(n => Periods[n]).ToList();
            return new LeafCondition(x =>
            {
                var age = now - get(x);
                return ranges.Any(r => age >= r.Min && (r.Max == TimeSpan.MaxValue || age <= r.Max));
            });
        }

        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("operator", out var o) || o.ValueKind != JsonValueKind.String ||
            !value.TryGetProperty("timeThreshold", out var t) || !(t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var threshold)) ||
            value.EnumerateObject().Count() != 2 || o.GetString() is not ("lt" or "gt" or "le" or "ge" or "eq" or "ne"))
        {
            errors.Add(new ValidationError(path, $"{path} is {{\"operator\": lt|gt|le|ge|eq|ne, \"timeThreshold\": epoch milliseconds}} or a relative period such as LAST_7D."));
            return null;
        }

        var op = o.GetString();
        return new LeafCondition(x =>
        {
            var ms = get(x).ToUnixTimeMilliseconds();
            return op switch
            {
                "lt" => ms < threshold,
                "gt" => ms > threshold,
                "le" => ms <= threshold,
                "ge" => ms >= threshold,
                "eq" => ms == threshold,
                _ => ms != threshold,
            };
        });
    }

    private static bool TryTime(JsonElement range, string field, out long value)
    {
        value = 0;
        return range.TryGetProperty(field, out var v) && ((v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out value)) || TryTimeText(v, out value));
    }

    private static bool TryTimeText(JsonElement v, out long value)
    {
        value = 0;
        if (v.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            value = t.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }

    public static IReadOnlyList<string> ClassificationsOf(DataMapEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.Scanned?.Classifications ?? [];
    }

    /// <summary>The search's objectType of an entity, from its type.</summary>
    public static string ObjectTypeOf(DataMapEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var type = entity.TypeName;
        return type switch
        {
            "azure_blob_path" or "azure_blob_resource_set" or "azure_datalake_gen2_path" or "azure_datalake_gen2_resource_set" or "azure_file" => "Files",
            _ when type.EndsWith("_table", StringComparison.Ordinal) || type.EndsWith("_view", StringComparison.Ordinal) || type == "openlineage_dataset" => "Tables",
            _ when entity.IsProcess || type.StartsWith("adf_", StringComparison.Ordinal) || type.StartsWith("azure_synapse_", StringComparison.Ordinal) || type == "openlineage_job" => "Data pipelines",
            _ => "Other",
        };
    }

    /// <summary>The search's assetType of an entity (the source it comes from), from its type.</summary>
    public static string AssetTypeOf(DataMapEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var type = entity.TypeName;
        return type switch
        {
            _ when type.StartsWith("azure_blob_", StringComparison.Ordinal) => "Azure Blob Storage",
            _ when type.StartsWith("azure_datalake_gen2_", StringComparison.Ordinal) => "Azure Data Lake Storage Gen2",
            _ when type.StartsWith("azure_sql_mi_", StringComparison.Ordinal) => "Azure SQL Managed Instance",
            _ when type.StartsWith("azure_sql_dw_", StringComparison.Ordinal) => "Azure SQL Data Warehouse",
            _ when type.StartsWith("azure_sql_", StringComparison.Ordinal) => "Azure SQL Database",
            _ when type.StartsWith("azure_postgresql_", StringComparison.Ordinal) => "Azure Database for PostgreSQL",
            _ when type.StartsWith("postgresql_", StringComparison.Ordinal) => "PostgreSQL",
            _ when type.StartsWith("sqlite_", StringComparison.Ordinal) => "SQLite",
            _ when type.StartsWith("mssql_", StringComparison.Ordinal) => "SQL Server",
            _ when type.StartsWith("adf_", StringComparison.Ordinal) || type == "azure_data_factory" => "Azure Data Factory",
            _ when type.StartsWith("azure_synapse_", StringComparison.Ordinal) => "Azure Synapse Analytics",
            _ when type.StartsWith("openlineage_", StringComparison.Ordinal) => "OpenLineage",
            _ => "Other",
        };
    }
}

/// <summary>One key of <c>orderby</c>: name, qualifiedName, entityType, createTime or updateTime.</summary>
public sealed record SearchOrder(string Field, bool Descending)
{
    public static IReadOnlyList<string> Fields { get; } = ["name", "qualifiedName", "entityType", "createTime", "updateTime"];

    public static IComparer<DataMapEntity> Comparer(IReadOnlyList<SearchOrder> keys) => Comparer<DataMapEntity>.Create((a, b) =>
    {
        foreach (var key in keys)
        {
            var c = key.Field switch
            {
                "name" => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase),
                "qualifiedName" => string.Compare(a.QualifiedName, b.QualifiedName, StringComparison.OrdinalIgnoreCase),
                "entityType" => string.CompareOrdinal(a.TypeName, b.TypeName),
                "createTime" => a.CreatedAt.CompareTo(b.CreatedAt),
                _ => (a.Scanned?.UpdatedAt ?? a.CreatedAt).CompareTo(b.Scanned?.UpdatedAt ?? b.CreatedAt),
            };
            if (c != 0)
            {
                return key.Descending ? -c : c;
            }
        }

        return string.CompareOrdinal(a.Guid, b.Guid);
    });
}

/// <summary>A facet asked for: its name, how many values, sorted by count (default, descending) or by value.</summary>
public sealed record SearchFacetRequest(string Facet, int Count, bool ByValue, bool Descending)
{
    public static IReadOnlyList<string> Names { get; } = ["entityType", "assetType", "classification", "collectionId", "objectType", "term", "label", "contactId", "contactType", "glossaryType", "termStatus", "termTemplate"];

    public IReadOnlyList<SearchFacetValue> Compute(IEnumerable<DataMapEntity> entities)
    {
        Func<DataMapEntity, IEnumerable<string>> values = Facet switch
        {
            "entityType" => x => [x.TypeName],
            "assetType" => x => [SearchFilterParser.AssetTypeOf(x)],
            "classification" => SearchFilterParser.ClassificationsOf,
            "collectionId" => x => x.Collection is null ? [] : [x.Collection],
            "objectType" => x => [SearchFilterParser.ObjectTypeOf(x)],
            _ => _ => [], // no glossary, labels or contacts are kept here
        };
        var counted = entities.SelectMany(values).GroupBy(v => v, StringComparer.Ordinal).Select(g => new SearchFacetValue(g.Key, g.Count()));
        var ordered = ByValue
            ? (Descending ? counted.OrderByDescending(v => v.Value, StringComparer.Ordinal) : counted.OrderBy(v => v.Value, StringComparer.Ordinal))
            : (Descending ? counted.OrderByDescending(v => v.Count) : counted.OrderBy(v => v.Count)).ThenBy(v => v.Value, StringComparer.Ordinal);
        return ordered.Take(Count).ToList();
    }
}

public sealed record SearchFacetValue(string Value, int Count);
