using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace SignedStaticFiles.Benchmarks;

/// <summary>Tallies the runtime's allocation ticks (one per ~100 KB allocated) by type and LOH/SOH: where B4's managed churn comes from.</summary>
internal sealed class AllocationTicks : EventListener
{
    public ConcurrentDictionary<string, long> ByType { get; } = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || e.PayloadNames is null)
        {
            return;
        }

        var type = e.Payload![e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var kind = e.Payload[e.PayloadNames.IndexOf("AllocationKind")]?.ToString();
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        ByType.AddOrUpdate($"{kind} {type}", amount, (_, v) => v + amount);
    }
}
