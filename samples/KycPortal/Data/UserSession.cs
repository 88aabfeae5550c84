using System.ComponentModel.DataAnnotations;

namespace KycPortal.Data;

/// <summary>
/// One signed-in session, kept server-side: the auth cookie carries only <see cref="Id"/> (encrypted), so
/// deleting the row ends the session for every copy of that cookie at once.
/// </summary>
public sealed class UserSession
{
    /// <summary>A random key (24 bytes, hex): the only thing the cookie holds.</summary>
    [MaxLength(64)]
    public required string Id { get; set; }

    [MaxLength(450)]
    public required string UserId { get; set; }

    /// <summary>The serialized authentication ticket (claims and properties).</summary>
    public required byte[] Ticket { get; set; }

    public DateTime? ExpiresUtc { get; set; }
}
