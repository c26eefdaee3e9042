using System;
using BlazorIot.Firmware.Core;

namespace BlazorIot.Firmware.Simulator
{
    public sealed class ConsoleLog : ILog
    {
        private static readonly object Gate = new object();
        private readonly string device;

        public ConsoleLog(string device)
        {
            this.device = device;
        }

        public void Write(string message)
        {
            lock (Gate)
            {
                Console.WriteLine(DateTime.Now.ToString("HH:mm:ss.fff") + " [" + device + "] " + message);
            }
        }
    }
}
