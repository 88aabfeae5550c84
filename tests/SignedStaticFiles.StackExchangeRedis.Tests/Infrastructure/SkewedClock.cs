namespace SignedStaticFiles.StackExchangeRedis.Tests.Infrastructure;

/// <summary>
/// The system clock, read <see cref="Offset"/> ahead (or behind): a node whose wall clock is off, as NTP drift or a
/// resumed VM leaves it. Timers and timestamps stay the system's, so the node's heartbeat runs in real time.
/// </summary>
internal sealed class SkewedClock(TimeSpan offset) : TimeProvider
{
    /// <summary>How far this clock is from the system's; can be moved during a test (a clock jump).</summary>
    public TimeSpan Offset { get; set; } = offset;

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;
}
