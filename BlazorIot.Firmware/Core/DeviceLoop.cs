using System;

namespace BlazorIot.Firmware.Core
{
    /// <summary>
    /// Everything the device does, one step at a time, for a single worker loop (no overlapping
    /// timers): sample when the schedule says so, buffer the reading, send what is buffered when
    /// the backoff allows. <see cref="Step"/> returns how long the loop may sleep.
    /// </summary>
    public sealed class DeviceLoop
    {
        /// <summary>
        /// 2021-01-01 in Unix milliseconds: a wall clock behind it has not been set by SNTP yet
        /// (nanoFramework's network helper waits for the same year). No reading is taken before,
        /// so none carries a 1970 timestamp and each boot's ids start from its real boot time.
        /// </summary>
        public const long ClockSetFloorMs = 1609459200000L;

        /// <summary>How often an unset clock is looked at again.</summary>
        public const long ClockPollMs = 1000;

        private readonly DeviceSettings settings;
        private readonly ISensor sensor;
        private readonly IClock clock;
        private readonly ITransport transport;
        private readonly ILog log;
        private readonly ReadingBuffer buffer;
        private readonly Backoff backoff;
        private SampleSchedule schedule;
        private ReadingIds ids;
        private bool toldClockUnset;
        private readonly BufferedReading[] batch;
        private readonly string postUrl;
        private long nextSendMs;

        public DeviceLoop(DeviceSettings settings, ISensor sensor, IClock clock, ITransport transport, ILog log, Random random)
        {
            string problem = settings.Validate();
            if (problem != null)
            {
                throw new ArgumentException(problem);
            }
            this.settings = settings;
            this.sensor = sensor;
            this.clock = clock;
            this.transport = transport;
            this.log = log;
            buffer = new ReadingBuffer(settings.BufferCapacity);
            backoff = new Backoff(settings.BackoffInitialMs, settings.BackoffMaxMs, random);
            batch = new BufferedReading[settings.Mode == DeviceSettings.LegacyMode ? 1 : settings.BatchSize];
            postUrl = settings.ServerUrl + "/api/readings";
        }

        public ReadingBuffer Buffer
        {
            get { return buffer; }
        }

        public long Sampled { get; private set; }

        public long Sent { get; private set; }

        /// <summary>Readings the server refused as invalid (400, 413, 415, 422): sending them again cannot succeed.</summary>
        public long Rejected { get; private set; }

        /// <summary>Failed sends in a row; the device reconnects or restarts when this grows too large.</summary>
        public int ConsecutiveFailures
        {
            get { return backoff.Failures; }
        }

        /// <summary>True once the wall clock was set and the first sample scheduled.</summary>
        public bool Started
        {
            get { return schedule != null; }
        }

        /// <summary>Samples if due, sends if allowed; returns the milliseconds until there is something to do.</summary>
        public long Step()
        {
            long now = clock.MonotonicMilliseconds();
            if (schedule == null)
            {
                long wall = clock.UnixTimeMilliseconds();
                if (wall < ClockSetFloorMs)
                {
                    if (!toldClockUnset)
                    {
                        log.Write("waiting for the clock to be set (SNTP) before the first reading");
                        toldClockUnset = true;
                    }
                    return ClockPollMs;
                }
                schedule = new SampleSchedule(now, settings.PeriodMs);
                ids = new ReadingIds(wall / 1000);
            }
            if (schedule.IsDue(now))
            {
                Sample();
                schedule.Advance(now);
            }
            if (buffer.Count > 0 && now >= nextSendMs)
            {
                Send(now);
            }
            now = clock.MonotonicMilliseconds();
            long wait = schedule.MillisecondsUntilDue(now);
            if (buffer.Count > 0)
            {
                long untilSend = nextSendMs - now;
                if (untilSend < wait)
                {
                    wait = untilSend > 0 ? untilSend : 0;
                }
            }
            return wait;
        }

        private void Sample()
        {
            double value = sensor.Read();
            long dropped = buffer.Dropped;
            buffer.Add(new BufferedReading(ids.Next(), value, clock.UnixTimeMilliseconds()));
            Sampled++;
            if (buffer.Dropped > dropped)
            {
                log.Write("buffer full: dropped the oldest reading (" + buffer.Dropped.ToString() + " dropped so far)");
            }
        }

        private void Send(long now)
        {
            int count = buffer.Peek(batch);
            int status;
            if (settings.Mode == DeviceSettings.LegacyMode)
            {
                status = transport.Get(LegacyUrl.For(settings.ServerUrl, batch[0].Value, settings.ApiKey));
            }
            else
            {
                status = transport.PostJson(postUrl, JsonText.Batch(settings.SensorId, batch, count), settings.ApiKey);
            }
            for (int i = 0; i < count; i++)
            {
                batch[i] = null;
            }

            if (status >= 200 && status < 300)
            {
                buffer.RemoveOldest(count);
                Sent += count;
                backoff.Reset();
                nextSendMs = now;
                log.Write("sent " + count.ToString() + " (status " + status.ToString() + "), " + buffer.Count.ToString() + " still buffered");
            }
            else if (status == 400 || status == 413 || status == 415 || status == 422)
            {
                buffer.RemoveOldest(count);
                Rejected += count;
                backoff.Reset();
                nextSendMs = now;
                log.Write("server refused " + count.ToString() + " reading(s) (status " + status.ToString() + "): dropped");
            }
            else
            {
                long delay = backoff.NextDelayMs();
                nextSendMs = now + delay;
                log.Write("send failed (" + (status == TransportStatus.NetworkError ? "no answer" : "status " + status.ToString())
                    + "), retry in " + delay.ToString() + " ms, " + buffer.Count.ToString() + " buffered");
            }
        }
    }
}
