namespace BlazorIot.Firmware.Core
{
    /// <summary>Where a measurement comes from: the LDR on the ADC on the device, a simulated light in the Simulator.</summary>
    public interface ISensor
    {
        double Read();
    }
}
