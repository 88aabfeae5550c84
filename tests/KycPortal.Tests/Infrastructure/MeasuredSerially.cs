namespace KycPortal.Tests.Infrastructure;

/// <summary>Tests that measure the process (CPU, memory, timing): run with no other test beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredSerially
{
    public const string Name = "Measured serially";
}
