using System.Globalization;

namespace Purview.Core.Connectors;

/// <summary>The admin log's lines (CRLF-terminated CSV, RFC 4180 quoting).</summary>
public static class AdminLogCsv
{
    public const string NewLine = "\r\n";

    public const string SummaryHeader = "Import completion time,Items available from source,Items available for import,Items imported successfully,Items partially imported,Items skipped,Items failed" + NewLine;

    public const string FailedSectionTitle = "Failed item details" + NewLine;

    public const string FailedHeader = "Item id,Source User ID,M365 User ID,Failure Reason" + NewLine;

    /// <summary>The whole file of a day without items (no line break after it).</summary>
    public static string NoItemsLine(DateOnly day) => $"No items ingested on {day.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture)}.";

    public static string SummaryRow(ImportSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return string.Join(',',
            s.ImportCompletionTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            N(s.ItemsAvailableFromSource), N(s.ItemsAvailableForImport), N(s.ItemsImportedSuccessfully), N(s.ItemsPartiallyImported), N(s.ItemsSkipped), N(s.ItemsFailed)) + NewLine;
    }

    public static string FailedRow(FailureRecord f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return string.Join(',', Cell(f.ItemId), Cell(f.SourceUserId), Cell(f.UserPrincipalName ?? string.Empty), Cell(f.Reason)) + NewLine;
    }

    /// <summary>
    /// One field. Item ids and user ids come from connector callers, and admins open this file in spreadsheets, which
    /// run a cell starting with = + - @ (or tab/CR) as a formula: such a cell gets a leading ' and is quoted (OWASP
    /// CSV injection guidance), so it shows as the text it was. Other cells keep their value, quoted per RFC 4180 when needed.
    /// </summary>
    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && FormulaStart.Contains(value[0]))
        {
            return "\"'" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private const string FormulaStart = "=+-@\t\r";

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A read-only stream over lines produced on demand: the CSV is encoded as the uploader reads, never held whole.</summary>
public sealed class LineStream(IAsyncEnumerable<string> lines) : Stream
{
    private readonly IAsyncEnumerator<string> _lines = lines.GetAsyncEnumerator();
    private byte[] _pending = [];
    private int _offset;
    private bool _done;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_offset == _pending.Length)
            {
                if (_done || !await _lines.MoveNextAsync())
                {
                    _done = true;
                    break;
                }

                _pending = System.Text.Encoding.UTF8.GetBytes(_lines.Current);
                _offset = 0;
                continue;
            }

            var n = Math.Min(buffer.Length - written, _pending.Length - _offset);
            _pending.AsMemory(_offset, n).CopyTo(buffer[written..]);
            _offset += n;
            written += n;
        }

        return written;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _lines.DisposeAsync();
        await base.DisposeAsync();
    }
}
