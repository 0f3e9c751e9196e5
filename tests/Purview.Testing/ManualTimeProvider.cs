namespace Purview.Testing;

/// <summary>A clock that tests move by hand (Microsoft.Extensions.TimeProvider.Testing cannot be restored here).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start.ToUniversalTime();

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_timers)
        {
            return _now;
        }
    }

    public void SetUtcNow(DateTimeOffset value)
    {
        List<ManualTimer> due;
        lock (_timers)
        {
            if (value < _now)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "Time only moves forward.");
            }

            _now = value;
            due = _timers.Where(t => t.DueAt <= value).ToList();
        }

        foreach (var timer in due)
        {
            timer.Fire(value);
        }
    }

    public void Advance(TimeSpan delta) => SetUtcNow(GetUtcNow() + delta);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;

        public DateTimeOffset DueAt { get; private set; } = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._timers)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : owner._now + dueTime;
                if (!owner._timers.Contains(this))
                {
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        public void Fire(DateTimeOffset now)
        {
            lock (owner._timers)
            {
                DueAt = _period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan ? now + _period : DateTimeOffset.MaxValue;
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (owner._timers)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
