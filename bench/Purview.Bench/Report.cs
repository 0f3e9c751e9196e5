using System.Globalization;
using System.Text;

namespace Purview.Bench;

/// <summary>Prints figures as one table (and one JSON line), the way every benchmark and the suite end.</summary>
internal static class Report
{
    /// <summary>Prints the table; true when no figure misses its target.</summary>
    public static bool Print(IReadOnlyList<Figure> figures, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(figures);
        Console.WriteLine();
        if (title is not null)
        {
            Console.WriteLine(title);
        }

        var header = new[] { "section", "measurement", "ours", "reference (same run)", "ratio", "target", "" };
        var rows = figures.Select(f => new[] { f.Section, f.Name, f.ValueText, f.ReferenceText, f.RatioText, f.Target ?? "", f.Status }).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => Math.Min(c == 1 ? 90 : 60, rows.Select(r => r[c].Length).Append(header[c].Length).Max())).ToArray();
        string Line(string[] cells) => string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        Console.WriteLine(Line(header));
        Console.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            Console.WriteLine(Line(row));
        }

        Console.WriteLine(Json(figures));
        var missed = figures.Where(f => f.Met == false).ToList();
        Console.WriteLine(missed.Count == 0
            ? $"{figures.Count(f => f.Met == true)} target(s) met, none missed."
            : $"{missed.Count} target(s) NOT met: {string.Join("; ", missed.Select(f => f.Section + ": " + f.Name))}");
        return missed.Count == 0;
    }

    /// <summary>A Markdown table of the figures (what docs/PERFORMANCE.md records).</summary>
    public static string Markdown(IReadOnlyList<Figure> figures)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| section | measurement | ours | reference (same run) | ratio | target | |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var f in figures)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {f.Section} | {f.Name} | {f.ValueText} | {f.ReferenceText} | {f.RatioText} | {f.Target} | {f.Status} |");
        }

        return sb.ToString();
    }

    private static string Json(IReadOnlyList<Figure> figures) => System.Text.Json.JsonSerializer.Serialize(figures.Select(f => new
    {
        section = f.Section,
        name = f.Name,
        value = Math.Round(f.Value, 2),
        unit = f.Unit,
        reference = f.Reference is { } r ? Math.Round(r, 2) : (double?)null,
        ratio = f.Ratio is { } x ? Math.Round(x, 3) : (double?)null,
        target = f.Target,
        met = f.Met,
    }));
}
