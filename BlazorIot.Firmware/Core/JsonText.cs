namespace BlazorIot.Firmware.Core
{
    /// <summary>
    /// The few JSON pieces the device writes, built by hand (no serializer on the board). Numbers
    /// are formatted digit by digit so the output never depends on a culture's decimal separator.
    /// </summary>
    public static class JsonText
    {
        /// <summary>Decimal places kept for a fractional value.</summary>
        private const int FractionDigits = 6;

        public static string Number(double value)
        {
            bool negative = value < 0;
            double magnitude = negative ? -value : value;
            long whole = (long)magnitude;
            long fraction = (long)((magnitude - whole) * 1000000.0 + 0.5);
            if (fraction >= 1000000)
            {
                whole++;
                fraction -= 1000000;
            }
            string text = whole.ToString();
            if (fraction > 0)
            {
                string digits = fraction.ToString();
                while (digits.Length < FractionDigits)
                {
                    digits = "0" + digits;
                }
                int end = digits.Length;
                while (digits[end - 1] == '0')
                {
                    end--;
                }
                text = text + "." + digits.Substring(0, end);
            }
            return negative && (whole != 0 || fraction != 0) ? "-" + text : text;
        }

        /// <summary>A JSON array of readings for POST /api/readings.</summary>
        public static string Batch(string sensor, BufferedReading[] readings, int count)
        {
            string json = "[";
            for (int i = 0; i < count; i++)
            {
                BufferedReading reading = readings[i];
                if (i > 0)
                {
                    json += ",";
                }
                // Sensor ids are checked to be [a-z0-9._-]: nothing in them needs escaping.
                json += "{\"sensor\":\"" + sensor + "\",\"value\":" + Number(reading.Value)
                    + ",\"timestamp\":" + reading.TimestampMs.ToString()
                    + ",\"id\":" + reading.Id.ToString() + "}";
            }
            return json + "]";
        }
    }
}
