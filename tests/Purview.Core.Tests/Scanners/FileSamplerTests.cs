using System.Text;
using Purview.Core.Classification;
using Purview.Core.Scanners;
using Xunit;

namespace Purview.Core.Tests.Scanners;

public sealed class FileSamplerTests
{
    private static AssetSample Sample(string text, SampleFormat format, char delimiter = ',', SamplingLimits? limits = null, bool complete = true) =>
        FileSampler.Sample(Encoding.UTF8.GetBytes(text), complete, format, delimiter, limits ?? SamplingLimits.Default);

    [Fact]
    public void A_CSV_header_is_detected_and_quoted_fields_keep_delimiters_quotes_and_line_breaks()
    {
        var sample = Sample("id,name,email\n1,\"Lovelace, Ada\",ada@example.com\r\n2,\"Say \"\"hi\"\"\nthere\",bob@example.com\n", SampleFormat.Delimited);

        Assert.Equal(["id", "name", "email"], sample.Columns.Select(c => c.Name));
        Assert.Equal("long", sample.Columns[0].DataType);
        Assert.Equal(["Lovelace, Ada", "Say \"hi\"\nthere"], sample.Columns[1].Values);
        Assert.Equal(["ada@example.com", "bob@example.com"], sample.Columns[2].Values);
    }

    [Fact]
    public void A_first_row_of_values_is_data_not_a_header()
    {
        var sample = Sample("1\tada@example.com\n2\tbob@example.com\n", SampleFormat.Delimited, '\t');

        Assert.Equal(["_col0", "_col1"], sample.Columns.Select(c => c.Name));
        Assert.Equal(["ada@example.com", "bob@example.com"], sample.Columns[1].Values);
    }

    [Fact]
    public void Sampling_stops_at_the_row_limit_and_drops_a_record_cut_by_the_byte_limit()
    {
        var text = "n,v\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"{i},value{i}\n"));
        Assert.Equal(128, Sample(text, SampleFormat.Delimited).Columns[0].Values.Count);

        var limits = new SamplingLimits(MaxRows: 1000, MaxBytes: 30);
        var cut = FileSampler.Sample(Encoding.UTF8.GetBytes(text).AsSpan(0, 30), complete: false, SampleFormat.Delimited, ',', limits);
        Assert.Equal(["0", "1"], cut.Columns[0].Values); // 30 bytes end in "2,value2" without its line break: that row is cut
    }

    [Fact]
    public void A_JSON_array_of_objects_gives_flattened_columns_and_a_cut_array_keeps_its_complete_elements()
    {
        var json = """[{"id":1,"person":{"email":"ada@example.com","tags":["a"]}},{"id":2,"person":{"email":"bob@example.com"}},{"id":3,"person":{"email":"c""";
        var sample = Sample(json, SampleFormat.Json, complete: false);

        Assert.Equal(["id", "person.email", "person.tags"], sample.Columns.Select(c => c.Name));
        Assert.Equal(["ada@example.com", "bob@example.com"], sample.Columns[1].Values);
        Assert.Equal(["[\"a\"]", null], sample.Columns[2].Values);
    }

    [Fact]
    public void JSON_Lines_and_a_single_JSON_object_are_read_as_rows()
    {
        var lines = Sample("{\"ip\":\"10.0.0.1\"}\nnot json\n{\"ip\":\"10.0.0.2\"}\n", SampleFormat.JsonLines);
        var single = Sample("{\"ip\":\"10.0.0.3\",\"n\":5}", SampleFormat.Json);

        Assert.Equal(["10.0.0.1", "10.0.0.2"], lines.Columns.Single().Values);
        Assert.Equal(["ip", "n"], single.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Plain_text_is_an_unstructured_sample_of_lines()
    {
        var sample = Sample("first line\r\nsecond line\n", SampleFormat.Text);

        var column = Assert.Single(sample.Columns);
        Assert.Equal(SampleDataTypes.Unstructured, column.DataType);
        Assert.Equal("first line", column.Values[0]);
    }

    [Fact]
    public async Task The_sampler_reads_no_more_than_its_byte_limit_from_a_stream_whatever_the_file_size()
    {
        await using var endless = new CountingStream(long.MaxValue);
        var sample = await FileSampler.SampleAsync(endless, SampleFormat.Delimited, ',', SamplingLimits.Default, default);

        Assert.Equal(SamplingLimits.Default.MaxBytes + 1, endless.BytesRead);
        Assert.Equal(128, sample.Columns[0].Values.Count);
    }

    /// <summary>A generated CSV of any length ("i,value\n" forever), counting what is read from it.</summary>
    internal sealed class CountingStream(long length) : Stream
    {
        private static readonly byte[] Line = Encoding.ASCII.GetBytes("12345,some value\n");

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = Line[(BytesRead + i) % Line.Length];
            }

            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
