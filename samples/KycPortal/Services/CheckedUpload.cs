using SixLabors.ImageSharp.Formats;

namespace KycPortal.Services;

/// <summary>
/// An upload that passed every check that needs no decoding: its bytes (at most
/// <see cref="ImageUploadProcessor.MaxBytes"/>), its format by content, and what its header declares.
/// </summary>
public sealed record CheckedUpload(byte[] Bytes, IImageFormat Format, int Width, int Height, long DecodedBytes);
