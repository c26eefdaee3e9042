using System.Buffers;
using System.Text;
using BlazorIot.Server.Sensors;
using BlazorIot.Shared.Readings;

namespace BlazorIot.Tests.Sensors;

public sealed class CsvRowTests
{
    [Fact]
    public void The_longest_row_fits_a_buffer_of_exactly_the_size_the_writer_asks_for()
    {
        var time = new DateTimeOffset(2026, 12, 31, 23, 59, 59, 999, TimeSpan.Zero);
        var reading = new Reading(long.MinValue, "w" + new string('x', SensorId.MaxLength - 1), -1.7976931348623157E+308, time) { Received = time, DeviceId = long.MinValue };
        // A PipeWriter may hand back exactly the size hint, no more.
        var writer = new ExactSizeWriter();

        CsvRow.Write(writer, reading);

        var row = $"{long.MinValue},{reading.Sensor},2026-12-31T23:59:59.999Z,-1.7976931348623157E+308,2026-12-31T23:59:59.999Z,{long.MinValue}\n";
        Assert.Equal(row, writer.Text);
        Assert.Equal(CsvRow.MaxBytes, Encoding.ASCII.GetByteCount(row));
    }

    private sealed class ExactSizeWriter : IBufferWriter<byte>
    {
        private readonly List<byte> written = [];
        private byte[] buffer = [];

        public string Text => Encoding.ASCII.GetString([.. written]);

        public Memory<byte> GetMemory(int sizeHint = 0) => buffer = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public void Advance(int count) => written.AddRange(buffer.AsSpan(0, count));
    }
}
