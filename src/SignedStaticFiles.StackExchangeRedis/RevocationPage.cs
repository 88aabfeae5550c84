using SignedStaticFiles.Revocation;

namespace SignedStaticFiles.StackExchangeRedis;

/// <summary>One read of the stream: the epoch, Redis's clock when it ran, the entries (null for one this version cannot read).</summary>
internal sealed record RevocationPage(string Epoch, DateTimeOffset ServerTime, IReadOnlyList<(string Id, RevocationEntry? Entry)> Entries);
