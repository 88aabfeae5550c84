namespace SignedStaticFiles.StackExchangeRedis;

/// <summary>
/// How revocations are shared through Redis (<c>PersistRevocationsToStackExchangeRedis</c>). Configure with
/// <c>services.Configure&lt;RedisRevocationOptions&gt;(…)</c>; validated at startup. See docs/revocation.md.
/// </summary>
public sealed class RedisRevocationOptions
{
    /// <summary>
    /// The prefix of the Redis keys and of the pub/sub channel: the stream <c>{prefix}:log</c> (the prefix in braces,
    /// one hash slot), the key <c>{prefix}:epoch</c> and the channel <c>prefix:events</c>. Nodes sharing revocations
    /// use the same value. Default <c>"SignedStaticFiles:revocations"</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "SignedStaticFiles:revocations";

    /// <summary>
    /// How often a node reads what it may have missed, also when pub/sub is silent: its proof that it is in sync.
    /// Default 250 ms; must be positive and at most half of <see cref="MaxStaleness"/>.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long after its last confirmed read a node keeps serving links it does not know to be revoked. After that
    /// (Redis unreachable, hung, or the node stalled) such links answer 503 with <c>Retry-After</c> until the node has
    /// read everything again; links it knows to be revoked keep answering 410. It is also the bound on how late a
    /// node may enforce another node's revocation. Default 1 second; 100 ms to 1 minute.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Added to the revoking node's clock when stamping a revocation, so that a node whose clock runs ahead of the
    /// revoking node's by less than this cannot have minted, before the revocation, a link stamped after it. The cost:
    /// a link minted within this allowance after the revocation by a node that has not learned it yet is refused too
    /// (nodes that know the revocation stamp new links after it). Default 1 second; 0 to 1 hour.
    /// </summary>
    public TimeSpan ClockSkewAllowance { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long application startup waits for the first complete read of the revocations (a node then serves at once);
    /// when Redis does not answer in time the app starts anyway and answers 503 for links it cannot vouch for until it
    /// has read them. Default 10 seconds; 0 to 5 minutes.
    /// </summary>
    public TimeSpan StartupSyncTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
