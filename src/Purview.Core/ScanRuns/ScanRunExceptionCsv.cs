using System.Globalization;
using System.Text;

namespace Purview.Core.ScanRuns;

/// <summary>
/// The exception log download: RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote
/// or line break, quotes doubled), timestamps ISO 8601 UTC with milliseconds.
/// </summary>
/// <remarks>
/// Messages and item names come from scanned sources, i.e. from whoever controls the data. A cell that
/// starts with = + - @ (or tab / carriage return, per OWASP) would run as a formula when the file is
/// opened in a spreadsheet, so such cells get a leading single quote. The encoding (and any BOM) is the
/// HTTP layer's choice.
/// </remarks>
public static class ScanRunExceptionCsv
{
    public const string Header = "TimeStamp,ErrorCode,OperationItem,Message";
    public const string LineEnding = "\r\n";

    public static string Format(IEnumerable<ScanRunException> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sb = new StringBuilder();
        using var writer = new StringWriter(sb, CultureInfo.InvariantCulture);
        Write(writer, entries);
        return sb.ToString();
    }

    public static void Write(TextWriter writer, IEnumerable<ScanRunException> entries)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entries);
        writer.Write(Header);
        writer.Write(LineEnding);
        foreach (var entry in entries)
        {
            writer.Write(FormatRow(entry));
            writer.Write(LineEnding);
        }
    }

    /// <summary>One record without its line ending, for callers that stream.</summary>
    public static string FormatRow(ScanRunException entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return string.Join(
            ',',
            entry.TimeStamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            Cell(entry.ErrorCode),
            Cell(entry.OperationItem),
            Cell(entry.Message));
    }

    internal static string Cell(string? value)
    {
        var text = value ?? string.Empty;
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
    }
}
