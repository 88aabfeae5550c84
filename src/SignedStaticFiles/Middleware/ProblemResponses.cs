using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SignedStaticFiles.Middleware;

/// <summary>
/// The problem+json answers the package decides itself. Bodies are serialised once: a flood of forged
/// links (T12) costs a table look-up and one write. They never echo the token or any request value.
/// </summary>
internal static class ProblemResponses
{
    private static readonly Problem[] Problems = Build();

    public static Task WriteAsync(HttpContext context, SignedFileOutcome outcome)
    {
        var problem = Problems[(int)outcome];
        var response = context.Response;
        response.StatusCode = problem.Status;
        response.ContentType = "application/problem+json";
        response.ContentLength = problem.Body.Length;
        response.Headers.ETag = default;
        response.Headers.LastModified = default;
        response.Headers.ContentDisposition = default;
        if (outcome == SignedFileOutcome.MethodNotAllowed)
        {
            response.Headers.Allow = "GET, HEAD";
        }
        else if (outcome == SignedFileOutcome.SingleUseStoreUnavailable)
        {
            // The store is asked again on the next request (a lost connection is retried at most once a
            // second), so a client may come back that soon. The watermark queue sets its own value.
            response.Headers.RetryAfter = "1";
        }

        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(problem.Body).AsTask();
    }

    private static Problem[] Build()
    {
        var problems = new Problem[Enum.GetValues<SignedFileOutcome>().Length];
        Add(SignedFileOutcome.MissingToken, 403, "Signed link required", "This file is served only through a signed link.");
        Add(SignedFileOutcome.InvalidToken, 403, "Invalid link", "The link is malformed, altered, or was signed with a key this server does not accept.");
        Add(SignedFileOutcome.WrongPath, 403, "Link not valid for this file", "The link was signed for another file.");
        Add(SignedFileOutcome.WrongUser, 403, "Link not valid for this user", "The link was issued to another user; sign in as that user or ask for a new link.");
        Add(SignedFileOutcome.Expired, 410, "Link expired", "The link has expired; ask for a new one.");
        Add(SignedFileOutcome.NotFound, 404, "File not found", "No file is served at this address.");
        Add(SignedFileOutcome.MethodNotAllowed, 405, "Method not allowed", "Only GET and HEAD are allowed here.");
        Add(SignedFileOutcome.AlreadyUsed, 410, "Link already used", "This link worked once and has been used; ask for a new one.");
        Add(SignedFileOutcome.SingleUseStoreUnavailable, 503, "Service unavailable", "Single-use links cannot be checked right now; try again shortly.");
        Add(SignedFileOutcome.WatermarkBusy, 503, "Server busy", "Too many images are being prepared; try again shortly.");
        Add(SignedFileOutcome.WatermarkFailed, 422, "Image cannot be served", "This image cannot be watermarked, and it is never served without its watermark.");
        return problems;

        void Add(SignedFileOutcome outcome, int status, string title, string detail) =>
            problems[(int)outcome] = new Problem(status, JsonSerializer.SerializeToUtf8Bytes(
                new ProblemBody(status, title, detail), ProblemJsonContext.Default.ProblemBody));
    }

    private sealed record Problem(int Status, byte[] Body);

    internal sealed record ProblemBody(int Status, string Title, string Detail)
    {
        public string Type { get; } = "about:blank";
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ProblemResponses.ProblemBody))]
internal sealed partial class ProblemJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
