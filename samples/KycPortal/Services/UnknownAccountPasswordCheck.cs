using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace KycPortal.Services;

/// <summary>
/// Makes a sign-in for an account that does not exist cost what a wrong password for a real one costs: a
/// password-hash verification (PBKDF2, about 100 ms here), against a hash of a random password made once.
/// Without it, "no such account" answers before any hash is computed, tens of times faster
/// (tests/KycPortal.Tests/SignInTests.cs measures both).
/// </summary>
public sealed class UnknownAccountPasswordCheck
{
    private readonly IdentityUser _nobody = new();
    private string? _hash;

    /// <param name="hasher">The app's hasher (<c>UserManager.PasswordHasher</c>), so the cost is the real one.</param>
    /// <param name="password">The password that was typed.</param>
    public void Verify(IPasswordHasher<IdentityUser> hasher, string password)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        _hash ??= hasher.HashPassword(_nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        _ = hasher.VerifyHashedPassword(_nobody, _hash, password);
    }
}
