using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health check of the Redis that a farm's single-use links (and revocations) are kept in.</summary>
public static class SignedStaticFilesRedisHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that pings the Redis the farm's SignedStaticFiles state lives in: healthy when a
    /// <c>PING</c> answers within <paramref name="timeout"/>; the failure status when the multiplexer is not
    /// connected (reported at once, without waiting) or the ping fails or takes longer. Pass the same multiplexer
    /// the stores use (<c>PersistSingleUseLinksToStackExchangeRedis</c>, <c>PersistRevocationsToStackExchangeRedis</c>),
    /// so that the check sees what they see.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="connection">Returns the shared multiplexer (called on each check; not disposed by the check).</param>
    /// <param name="name">The check's name; default <c>signedstaticfiles-redis</c>.</param>
    /// <param name="timeout">The longest a ping may take; default 2 seconds.</param>
    /// <param name="failureStatus">The status when Redis does not answer; <see langword="null"/> (default) for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags of the check; default none.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connection"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative.</exception>
    public static IHealthChecksBuilder AddSignedStaticFilesRedis(
        this IHealthChecksBuilder builder,
        Func<IServiceProvider, IConnectionMultiplexer> connection,
        string name = "signedstaticfiles-redis",
        TimeSpan? timeout = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        var limit = timeout ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));

        return builder.Add(new HealthCheckRegistration(
            name,
            services => new RedisPingHealthCheck(() => connection(services), limit),
            failureStatus,
            tags,
            limit + TimeSpan.FromSeconds(1)));
    }

    /// <summary>One <c>PING</c>, bounded in time.</summary>
    private sealed class RedisPingHealthCheck(Func<IConnectionMultiplexer> connection, TimeSpan timeout) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var multiplexer = connection();
                if (!multiplexer.IsConnected)
                {
                    return new HealthCheckResult(context.Registration.FailureStatus, "Redis is not connected.");
                }

                var latency = await multiplexer.GetDatabase().PingAsync(CommandFlags.DemandMaster)
                    .WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy("Redis answers.", new Dictionary<string, object> { ["latencyMs"] = latency.TotalMilliseconds });
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Redis does not answer: " + e.GetType().Name + ".", e);
            }
        }
    }
}
