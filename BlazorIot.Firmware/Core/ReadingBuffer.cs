namespace BlazorIot.Firmware.Core
{
    /// <summary>
    /// Readings not sent yet, oldest first, in a fixed array: memory on the board never grows.
    /// When full, adding drops the oldest reading and counts it in <see cref="Dropped"/>.
    /// </summary>
    public sealed class ReadingBuffer
    {
        private readonly BufferedReading[] ring;
        private int start;
        private int count;

        public ReadingBuffer(int capacity)
        {
            ring = new BufferedReading[capacity];
        }

        public int Count
        {
            get { return count; }
        }

        public int Capacity
        {
            get { return ring.Length; }
        }

        public long Dropped { get; private set; }

        public void Add(BufferedReading reading)
        {
            if (count == ring.Length)
            {
                ring[start] = null;
                start = (start + 1) % ring.Length;
                count--;
                Dropped++;
            }
            ring[(start + count) % ring.Length] = reading;
            count++;
        }

        /// <summary>Copies up to <c>into.Length</c> of the oldest readings into <paramref name="into"/>, leaving them buffered; returns how many.</summary>
        public int Peek(BufferedReading[] into)
        {
            int taken = count < into.Length ? count : into.Length;
            for (int i = 0; i < taken; i++)
            {
                into[i] = ring[(start + i) % ring.Length];
            }
            return taken;
        }

        /// <summary>Forgets the <paramref name="sent"/> oldest readings (after the server acknowledged them).</summary>
        public void RemoveOldest(int sent)
        {
            if (sent > count)
            {
                sent = count;
            }
            for (int i = 0; i < sent; i++)
            {
                ring[start] = null;
                start = (start + 1) % ring.Length;
            }
            count -= sent;
        }
    }
}
