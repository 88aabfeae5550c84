namespace KycPortal.Tests.Infrastructure;

/// <summary>Reads until a condition holds (at most 5 s): for what the server does just after the client has its answer.</summary>
public static class Eventually
{
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = await read();
        }

        return value;
    }
}
