namespace VnGovSign.Remote.Tests;

/// <summary>
/// A TimeProvider whose time moves only when the test says so: waits (Task.Delay with this provider)
/// end when <see cref="AdvanceToNextTimer"/> passes their due time. The durations asked for are
/// recorded, so a polling back-off can be checked without waiting for real.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<Timer> _timers = new();
    private readonly List<TimeSpan> _requested = new();
    private DateTimeOffset _now;

    public ManualClock(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() { lock (_gate) return _now.UtcTicks; }

    /// <summary>The due times of the timers created so far, in order (the polling intervals).</summary>
    public IReadOnlyList<TimeSpan> Requested { get { lock (_gate) return _requested.ToList(); } }

    public bool HasPendingTimer { get { lock (_gate) return _timers.Any(t => t.Due is not null); } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var t = new Timer(this, callback, state);
        lock (_gate) { _timers.Add(t); _requested.Add(dueTime); }
        t.Change(dueTime, period);
        return t;
    }

    /// <summary>Moves time to the earliest pending timer and fires it.</summary>
    public void AdvanceToNextTimer()
    {
        Timer? next;
        lock (_gate)
        {
            next = _timers.Where(t => t.Due is not null).OrderBy(t => t.Due).FirstOrDefault();
            if (next is null) return;
            if (next.Due!.Value > _now) _now = next.Due.Value;
            next.Due = null;
        }
        next.Fire();
    }

    /// <summary>Lets <paramref name="work"/> run, advancing time whenever it waits on this clock, until it ends (20 s real at most).</summary>
    public async Task<T> RunAsync<T>(Task<T> work, Action? onWait = null)
    {
        var guard = DateTime.UtcNow.AddSeconds(20);
        while (!work.IsCompleted)
        {
            if (DateTime.UtcNow > guard) throw new TimeoutException("the work neither finished nor waited on the clock");
            if (HasPendingTimer)
            {
                onWait?.Invoke();
                AdvanceToNextTimer();
            }
            else await Task.Delay(5);
        }
        return await work;
    }

    /// <summary>Waits (real time, 20 s at most) until something waits on this clock.</summary>
    public async Task WaitUntilWaitingAsync(Task work)
    {
        var guard = DateTime.UtcNow.AddSeconds(20);
        while (!HasPendingTimer && !work.IsCompleted)
        {
            if (DateTime.UtcNow > guard) throw new TimeoutException("nothing waited on the clock");
            await Task.Delay(5);
        }
    }

    private sealed class Timer : ITimer
    {
        private readonly ManualClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        public Timer(ManualClock clock, TimerCallback callback, object? state) { _clock = clock; _callback = callback; _state = state; }
        public DateTimeOffset? Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_clock._gate) Due = dueTime == Timeout.InfiniteTimeSpan ? null : _clock._now + dueTime;
            return true;
        }

        public void Fire() => _callback(_state);

        public void Dispose() { lock (_clock._gate) { Due = null; _clock._timers.Remove(this); } }
        public ValueTask DisposeAsync() { Dispose(); return default; }
    }
}
