namespace BlazorIot.Firmware.Core
{
    /// <summary>Where the device tells what it does: Debug output on the board, the console in the Simulator.</summary>
    public interface ILog
    {
        void Write(string message);
    }
}
