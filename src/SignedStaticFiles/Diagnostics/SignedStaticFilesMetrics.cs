using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SignedStaticFiles.Diagnostics;

/// <summary>
/// The package's one <see cref="Meter"/> (<c>SignedStaticFiles</c>): a request counter tagged by outcome
/// and a duration histogram of the decision plus the answer.
/// </summary>
internal sealed class SignedStaticFilesMetrics
{
    public const string MeterName = "SignedStaticFiles";

    private static readonly string[] OutcomeTags = Enum.GetValues<SignedFileOutcome>()
        .Select(o => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(o.ToString()))
        .ToArray();

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public SignedStaticFilesMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>(
            "signedstaticfiles.requests", "{request}", "Requests of the protected path, by outcome.");
        _duration = meter.CreateHistogram<double>(
            "signedstaticfiles.request.duration", "s", "Time to decide and answer a request of the protected path.");
    }

    /// <summary>The start of a request's duration: 0, and no clock read, while nobody listens to the histogram.</summary>
    public long Start() => _duration.Enabled ? Stopwatch.GetTimestamp() : 0;

    public void Record(SignedFileOutcome outcome, long startTimestamp)
    {
        var tag = new KeyValuePair<string, object?>("outcome", OutcomeTags[(int)outcome]);
        _requests.Add(1, tag);

        // A listener that arrived during the request has no start to measure from.
        if (startTimestamp != 0 && _duration.Enabled)
        {
            _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tag);
        }
    }
}
