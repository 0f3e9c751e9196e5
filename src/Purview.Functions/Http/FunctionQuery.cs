using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Purview.Functions.Http;

/// <summary>
/// Whole-number and boolean query parameters as the local host's parameter binding reads them for the handlers the
/// functions share: an <c>int?</c> or an optional <c>bool</c> takes its default when absent or empty, and a value that does
/// not parse is a 400 naming it.
/// (Strings need nothing: <c>request.Query["name"]</c> converts to null when absent, as the binding does.)
/// </summary>
public static class FunctionQuery
{
    /// <summary>The whole number in <paramref name="name"/>; call after <see cref="NotWholeNumber"/> has passed.</summary>
    public static int? WholeNumber(HttpRequest request, string name) =>
        Text(request, name) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    /// <summary>Null when each named parameter is absent, empty or a whole number, else the 400 naming the first that is not.</summary>
    public static ProblemHttpResult? NotWholeNumber(HttpRequest request, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (Text(request, name) is { } text && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                return ApiResults.Validation(name, $"'{name}' is a whole number.");
            }
        }

        return null;
    }

    /// <summary>The boolean in <paramref name="name"/>, false when absent or empty; call after <see cref="NotBoolean"/> has passed.</summary>
    public static bool Boolean(HttpRequest request, string name) =>
        Text(request, name) is { } text && bool.Parse(text);

    /// <summary>Null when the parameter is absent, empty, true or false (any case), else the 400 naming it.</summary>
    public static ProblemHttpResult? NotBoolean(HttpRequest request, string name) =>
        Text(request, name) is { } text && !bool.TryParse(text, out _) ? ApiResults.Validation(name, $"'{name}' is true or false.") : null;

    private static string? Text(HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? text = request.Query[name];
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
