namespace KycPortal.Services;

/// <summary>An upload that passed every check, re-encoded: its bytes and the extension of its real format.</summary>
public sealed record ProcessedImage(byte[] Bytes, string Extension);

/// <summary>The three images of a submission.</summary>
public sealed record ProcessedImages(ProcessedImage IdFront, ProcessedImage IdBack, ProcessedImage Selfie);
