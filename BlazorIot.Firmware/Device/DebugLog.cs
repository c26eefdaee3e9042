using System.Diagnostics;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Device
{
    public sealed class DebugLog : ILog
    {
        public void Write(string message)
        {
            Debug.WriteLine(message);
        }
    }
}
