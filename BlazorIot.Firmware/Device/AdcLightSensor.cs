using System;
using System.Device.Adc;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Device
{
    /// <summary>
    /// A light-dependent resistor in a divider on ADC1 channel 6 (GPIO34): more light, higher
    /// voltage. The ratio (0..1) is scaled to 0..<c>fullScale</c> so the server gets a luminosity
    /// number as the lab's device did (the ESP32's hall sensor is gone since ESP-IDF 5).
    /// </summary>
    public sealed class AdcLightSensor : ISensor, IDisposable
    {
        private readonly AdcChannel channel;
        private readonly double fullScale;

        public AdcLightSensor(int channelNumber, double fullScale)
        {
            AdcController adc = new AdcController();
            channel = adc.OpenChannel(channelNumber);
            this.fullScale = fullScale;
        }

        public double Read()
        {
            // Averaging a few conversions smooths the ESP32 ADC's noise.
            double sum = 0;
            for (int i = 0; i < 8; i++)
            {
                sum += channel.ReadRatio();
            }
            return sum / 8 * fullScale;
        }

        public void Dispose()
        {
            channel.Dispose();
        }
    }
}
