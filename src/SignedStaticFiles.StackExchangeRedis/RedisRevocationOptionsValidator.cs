using Microsoft.Extensions.Options;

namespace SignedStaticFiles.StackExchangeRedis;

/// <summary>Stops the app at startup on settings that would make the farm's revocation guarantees false.</summary>
internal sealed class RedisRevocationOptionsValidator : IValidateOptions<RedisRevocationOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisRevocationOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add("RedisRevocationOptions.KeyPrefix must not be empty.");
        }
        else if (options.KeyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            failures.Add("RedisRevocationOptions.KeyPrefix must not contain '{' or '}': the keys put it in braces themselves (one hash slot).");
        }

        if (options.MaxStaleness < TimeSpan.FromMilliseconds(100) || options.MaxStaleness > TimeSpan.FromMinutes(1))
        {
            failures.Add($"RedisRevocationOptions.MaxStaleness ({options.MaxStaleness}) must be between 100 ms and 1 minute.");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero || options.HeartbeatInterval > options.MaxStaleness / 2)
        {
            failures.Add($"RedisRevocationOptions.HeartbeatInterval ({options.HeartbeatInterval}) must be positive and at most half of MaxStaleness ({options.MaxStaleness}), or a node in sync would go stale between two heartbeats.");
        }

        if (options.ClockSkewAllowance < TimeSpan.Zero || options.ClockSkewAllowance > TimeSpan.FromHours(1))
        {
            failures.Add($"RedisRevocationOptions.ClockSkewAllowance ({options.ClockSkewAllowance}) must be between 0 and 1 hour.");
        }

        if (options.StartupSyncTimeout < TimeSpan.Zero || options.StartupSyncTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"RedisRevocationOptions.StartupSyncTimeout ({options.StartupSyncTimeout}) must be between 0 and 5 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
