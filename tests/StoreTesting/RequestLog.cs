using System.Collections.Concurrent;

namespace SignedStaticFiles.StoreTesting;

/// <summary>
/// Every request an SDK client sent to the real server, as seen on its HTTP pipeline (a handler that
/// records and passes on; nothing is answered in the server's place).
/// </summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public void Clear() => _entries.Clear();

    public int Count(string method) => Entries.Count(e => e.Method == method);

    public HttpMessageHandler Wrap(HttpMessageHandler inner) => new Recorder(this) { InnerHandler = inner };

    public sealed record Entry(string Method, string Path, string? Range, string? IfMatch, int Status, long? ContentLength);

    private sealed class Recorder(RequestLog log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var range = request.Headers.TryGetValues("Range", out var r) ? string.Join(",", r)
                : request.Headers.TryGetValues("x-ms-range", out var xr) ? string.Join(",", xr) : null;
            var ifMatch = request.Headers.TryGetValues("If-Match", out var m) ? string.Join(",", m) : null;
            log._entries.Enqueue(new Entry(request.Method.Method, request.RequestUri!.AbsolutePath, range, ifMatch, (int)response.StatusCode, response.Content.Headers.ContentLength));
            return response;
        }
    }
}
