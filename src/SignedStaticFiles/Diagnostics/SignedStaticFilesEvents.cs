namespace SignedStaticFiles;

/// <summary>
/// Hooks called once per request of the protected path, after the middleware decided: the place to
/// write an audit trail. An exception thrown by a hook propagates like any middleware exception.
/// </summary>
public class SignedStaticFilesEvents
{
    /// <summary>Called after a file was answered through a valid link (200, 206, 304, 412 or 416). Default: no-op.</summary>
    public Func<SignedFileEventContext, Task> OnServed { get; set; } = NoOp;

    /// <summary>Called after a request of the protected path was refused (403, 404, 405, 410, 503…). Default: no-op.</summary>
    public Func<SignedFileEventContext, Task> OnRejected { get; set; } = NoOp;

    /// <summary>Invokes <see cref="OnServed"/>.</summary>
    /// <param name="context">The decision.</param>
    public virtual Task Served(SignedFileEventContext context) => OnServed(context);

    /// <summary>Invokes <see cref="OnRejected"/>.</summary>
    /// <param name="context">The decision.</param>
    public virtual Task Rejected(SignedFileEventContext context) => OnRejected(context);

    private static readonly Func<SignedFileEventContext, Task> NoOp = static _ => Task.CompletedTask;

    /// <summary>Whether <paramref name="events"/> does nothing (the default): the middleware then skips building the event.</summary>
    internal static bool IsDefault(SignedStaticFilesEvents events) =>
        events.GetType() == typeof(SignedStaticFilesEvents) && ReferenceEquals(events.OnServed, NoOp) && ReferenceEquals(events.OnRejected, NoOp);
}
