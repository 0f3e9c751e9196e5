namespace Purview.Storage.Client.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions with every value rendered as a typed, escaped literal, so a value can
/// never change the expression's structure. Use <see cref="Create"/> with an interpolated string:
/// <c>TableFilter.Create($"PartitionKey eq {pk} and Count gt {10L}")</c>.
/// </summary>
public static class TableFilter
{
    /// <summary>Formats the interpolated string with the SDK's <see cref="TableClient.CreateQueryFilter(FormattableString)"/>: each hole an escaped OData literal of its type.</summary>
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var arguments = filter.GetArguments();
        foreach (var argument in arguments)
        {
            CheckValue(argument);
        }

        // The SDK writes a whole double as "3", an Int32 literal that the service never finds equal to a Double property.
        if (Array.Exists(arguments, a => a is double or float))
        {
            filter = WithDoubleLiterals(filter.Format, arguments);
        }

        return TableClient.CreateQueryFilter(filter);
    }

    /// <summary>The OData literal for one value: strings quoted with quotes doubled, typed prefixes for Guid, DateTime, Binary, an L for Int64, a decimal point for Double.</summary>
    public static string Literal(object? value) => Create($"{value}");

    /// <summary>The format with each double's hole replaced by its Double literal (always with a point or an exponent).</summary>
    private static FormattableString WithDoubleLiterals(string format, object?[] arguments)
    {
        var result = new StringBuilder(format.Length + 16);
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c is '{' or '}' && i + 1 < format.Length && format[i + 1] == c)
            {
                result.Append(c).Append(c);
                i++;
            }
            else if (c == '{')
            {
                var end = format.IndexOf('}', i);
                if (end < 0)
                {
                    throw new FormatException("The table filter's format has an unclosed '{'.");
                }

                var hole = format.AsSpan(i + 1, end - i - 1);
                var stop = hole.IndexOfAny(',', ':');
                var index = int.Parse(stop < 0 ? hole : hole[..stop], NumberStyles.None, CultureInfo.InvariantCulture);
                if (arguments[index] is double or float)
                {
                    var text = Convert.ToDouble(arguments[index], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
                    result.Append(text).Append(text.AsSpan().IndexOfAny(".Ee") < 0 ? ".0" : string.Empty);
                }
                else
                {
                    result.Append(format, i, end - i + 1);
                }

                i = end;
            }
            else
            {
                result.Append(c);
            }
        }

        return FormattableStringFactory.Create(result.ToString(), arguments);
    }

    /// <summary>Values the service cannot compare fail here, naming the value, rather than as an opaque 400.</summary>
    private static void CheckValue(object? value)
    {
        switch (value)
        {
            case double d when !double.IsFinite(d):
            case float f when !float.IsFinite(f):
                throw new ArgumentException("NaN and infinities cannot be compared in a table filter.", nameof(value));
            case null or string or bool or int or long or double or float or Guid or DateTimeOffset or DateTime or byte[] or BinaryData or char:
                return;
            default:
                throw new ArgumentException($"A {value.GetType().Name} cannot be a table filter value.", nameof(value));
        }
    }

    public static string PartitionKeyEquals(string partitionKey) => Equal(TableConstants.PartitionKey, partitionKey);

    public static string RowKeyEquals(string rowKey) => Equal(TableConstants.RowKey, rowKey);

    /// <summary><c>property eq value</c>, with the property name checked and the value escaped.</summary>
    public static string Equal(string property, object? value) => Compare(property, "eq", value);

    /// <summary>A comparison (<c>eq ne gt ge lt le</c>) with the property name checked and the value escaped.</summary>
    public static string Compare(string property, string op, object? value)
    {
        if (op is not ("eq" or "ne" or "gt" or "ge" or "lt" or "le"))
        {
            throw new ArgumentException($"'{op}' is not a comparison operator (eq, ne, gt, ge, lt, le).", nameof(op));
        }

        return PropertyName(property) + " " + op + " " + Literal(value);
    }

    /// <summary>RowKeys from <paramref name="fromInclusive"/> up to but excluding <paramref name="toExclusive"/>; either bound may be null.</summary>
    public static string RowKeyRange(string? fromInclusive, string? toExclusive)
    {
        var parts = new List<string>(2);
        if (fromInclusive is not null)
        {
            parts.Add(Compare(TableConstants.RowKey, "ge", fromInclusive));
        }

        if (toExclusive is not null)
        {
            parts.Add(Compare(TableConstants.RowKey, "lt", toExclusive));
        }

        return parts.Count == 0 ? string.Empty : And([.. parts]);
    }

    /// <summary>Joins non-empty expressions with <c>and</c>, each parenthesised.</summary>
    public static string And(params string[] expressions) => Join("and", expressions);

    /// <summary>Joins non-empty expressions with <c>or</c>, each parenthesised.</summary>
    public static string Or(params string[] expressions) => Join("or", expressions);

    /// <summary><c>not (expression)</c>.</summary>
    public static string Not(string expression) => "not (" + expression + ")";

    private static string Join(string op, string[] expressions)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        var present = expressions.Where(e => !string.IsNullOrWhiteSpace(e)).ToArray();
        return present.Length switch
        {
            0 => string.Empty,
            1 => present[0],
            _ => string.Join(" " + op + " ", present.Select(e => "(" + e + ")")),
        };
    }

    private static string PropertyName(string property)
    {
        if (property is TableConstants.PartitionKey or TableConstants.RowKey or TableConstants.Timestamp)
        {
            return property;
        }

        TableValidation.ValidatePropertyName(property);
        return property;
    }
}
