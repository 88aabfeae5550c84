namespace SignedStaticFiles.Tests.Middleware;

/// <summary>The conformance table (<see cref="StaticFileConformance"/>) over the local folder: validators identical to UseStaticFiles'.</summary>
public sealed class StaticFileConformanceTests : StaticFileConformance;
