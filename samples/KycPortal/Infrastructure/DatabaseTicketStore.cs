using System.Security.Claims;
using System.Security.Cryptography;
using KycPortal.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace KycPortal.Infrastructure;

/// <summary>
/// Keeps authentication tickets in the database (<see cref="UserSession"/>) instead of in the cookie
/// (<see cref="CookieAuthenticationOptions.SessionStore"/>). Sign-out deletes the row, so a cookie copied
/// before "Sign out" is refused on the very next request, and closing an account can end all its sessions
/// (<see cref="RemoveAllAsync"/>). Identity's security-stamp check would do the first only every 30 minutes
/// by default, and for every session of the user at once. Each call uses its own scope: the request's
/// <see cref="KycDbContext"/> may hold a controller's unsaved changes.
/// </summary>
public sealed class DatabaseTicketStore(IServiceScopeFactory scopes, TimeProvider time) : ITicketStore
{
    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KycDbContext>();
        var now = time.GetUtcNow().UtcDateTime;

        // Expired sessions go as new ones come: the table holds live sessions only, without a background job.
        await db.UserSessions.Where(s => s.ExpiresUtc != null && s.ExpiresUtc < now).ExecuteDeleteAsync();
        db.UserSessions.Add(new UserSession
        {
            Id = key,
            UserId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            Ticket = TicketSerializer.Default.Serialize(ticket),
            ExpiresUtc = ticket.Properties.ExpiresUtc?.UtcDateTime,
        });
        await db.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KycDbContext>();

        // Only a session that still exists is renewed: a sign-out in between must not be undone.
        var bytes = TicketSerializer.Default.Serialize(ticket);
        var expires = ticket.Properties.ExpiresUtc?.UtcDateTime;
        await db.UserSessions.Where(s => s.Id == key)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Ticket, bytes).SetProperty(s => s.ExpiresUtc, expires));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KycDbContext>();
        var session = await db.UserSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == key);
        if (session is null || session.ExpiresUtc < time.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        return TicketSerializer.Default.Deserialize(session.Ticket);
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KycDbContext>();
        await db.UserSessions.Where(s => s.Id == key).ExecuteDeleteAsync();
    }

    /// <summary>Ends every session of <paramref name="userId"/> (an account closed or its password changed).</summary>
    public async Task RemoveAllAsync(string userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KycDbContext>();
        await db.UserSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync();
    }
}
