using System;
using System.Globalization;
using System.IO;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Simulator
{
    /// <summary>Replays recorded values, one per read, from the last column of each CSV line (header lines are skipped); loops at the end.</summary>
    public sealed class CsvReplaySensor : ISensor
    {
        private readonly double[] values;
        private int next;

        public CsvReplaySensor(string path)
        {
            var parsed = new System.Collections.ArrayList();
            foreach (string line in File.ReadAllLines(path))
            {
                string[] fields = line.Split(',');
                if (double.TryParse(fields[fields.Length - 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    parsed.Add(value);
                }
            }
            if (parsed.Count == 0)
            {
                throw new ArgumentException("No numeric value in " + path + ".");
            }
            values = new double[parsed.Count];
            parsed.CopyTo(values);
        }

        public double Read()
        {
            double value = values[next];
            next = (next + 1) % values.Length;
            return value;
        }
    }
}
