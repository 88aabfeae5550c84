namespace SignedStaticFiles;

/// <summary>The decision of the middleware for one request of the protected path.</summary>
public enum SignedFileOutcome
{
    /// <summary>A valid link: the file was answered as static files answer it (200, 206, 304, 412, 416).</summary>
    Served = 0,

    /// <summary>403: the request carried no token.</summary>
    MissingToken,

    /// <summary>403: the token is malformed, oversized, tampered, from another purpose or of a revoked or unknown key.</summary>
    InvalidToken,

    /// <summary>403: a genuine token minted for another path.</summary>
    WrongPath,

    /// <summary>403: a genuine link bound to another user, or to a user while the request is anonymous.</summary>
    WrongUser,

    /// <summary>410: a genuine link past its expiry.</summary>
    Expired,

    /// <summary>404: a valid link, but the file is missing, a directory, hidden, outside the root or of an unknown type.</summary>
    NotFound,

    /// <summary>405: a method other than GET or HEAD.</summary>
    MethodNotAllowed,

    /// <summary>410: a single-use link that was already used.</summary>
    AlreadyUsed,

    /// <summary>503: a single-use link while the single-use store cannot be reached (fail closed).</summary>
    SingleUseStoreUnavailable,

    /// <summary>503: the watermark queue is full; the answer carries <c>Retry-After</c>.</summary>
    WatermarkBusy,

    /// <summary>422: a watermark is required but the image cannot be processed (corrupt, too large, unsupported); the original is never sent.</summary>
    WatermarkFailed,

    /// <summary>The link was revoked (<c>ISignedUrlRevoker</c>): 410 "Link revoked".</summary>
    Revoked = 12,

    /// <summary>The client went away before the answer was complete; nothing (or not everything) was delivered.</summary>
    Aborted = 13,

    /// <summary>A folder that must stamp images holds a file that is neither a stampable image nor an allowed non-image: 415.</summary>
    UnsupportedMediaType = 14,

    /// <summary>The folder's file store did not answer: 503 with <c>Retry-After</c>.</summary>
    StoreUnavailable = 15,

    /// <summary>This node cannot confirm it knows every revocation (its revocation store is out of reach): 503 with <c>Retry-After</c>.</summary>
    RevocationStateUnknown = 16,
}
