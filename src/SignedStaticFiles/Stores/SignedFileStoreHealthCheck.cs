using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SignedStaticFiles.Stores;

/// <summary>
/// Healthy when the folder's store answers a metadata request (for a path that need not exist) within the
/// folder's <see cref="SignedFileStoreOptions.Timeout"/>: the same call a request makes first, past the cache.
/// Any answer — found or not found — is healthy; an error or no answer is the check's failure status.
/// </summary>
internal sealed class SignedFileStoreHealthCheck(string folderName, CachedFileStore store) : IHealthCheck
{
    /// <summary>The path asked for: valid under the package's path rules would be pointless (it is never served), so a name no link can reach.</summary>
    internal const string ProbePath = "/.signedstaticfiles-health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["folder"] = folderName,
            ["store"] = store.Inner.GetType().Name,
        };
        try
        {
            await store.LookUpAsync(ProbePath, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The file store answers.", data);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The file store cannot be reached: " + e.GetType().Name + ".", e, data);
        }
    }
}
