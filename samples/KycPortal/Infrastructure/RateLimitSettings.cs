namespace KycPortal.Infrastructure;

/// <summary>
/// The app's rate limits, bound from <c>KycPortal:RateLimits</c>. Sign-in is limited per client address
/// (never per account: a per-account lockout is a switch anyone can flip to lock a reviewer out), uploads per
/// signed-in user.
/// </summary>
public sealed class RateLimitSettings
{
    public const string SectionName = "KycPortal:RateLimits";

    /// <summary>The policy on the sign-in POST: per client address.</summary>
    public const string SignInPolicy = "sign-in";

    /// <summary>The policy on the upload POST: per signed-in user.</summary>
    public const string UploadPolicy = "uploads";

    /// <summary>Sign-in attempts one client address may make per <see cref="SignInWindow"/>. Default 10.</summary>
    public int SignInPermitLimit { get; set; } = 10;

    /// <summary>Default 1 minute.</summary>
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Upload forms one user may post per <see cref="UploadWindow"/>, accepted or not. Default 5.</summary>
    public int UploadPermitLimit { get; set; } = 5;

    /// <summary>Default 10 minutes.</summary>
    public TimeSpan UploadWindow { get; set; } = TimeSpan.FromMinutes(10);
}
