using System.Collections.Concurrent;

namespace SignedStaticFiles.Stores;

/// <summary>
/// A bounded, short-lived map from a folder-relative path to the file's metadata. Entries expire after a
/// fixed duration (read from the application's <see cref="TimeProvider"/>, so tests steer it); when full,
/// the oldest insertions go first. With durations of seconds, recency hardly matters: the bound is there so
/// that a burst of distinct paths cannot grow memory without limit.
/// </summary>
internal sealed class StoreMetadataCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<KeyValuePair<string, Entry>> _order = new();
    private readonly int _capacity;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private int _count;

    public StoreMetadataCache(int capacity, TimeSpan duration, TimeProvider time)
    {
        _capacity = capacity;
        _duration = duration;
        _time = time;
    }

    public bool Enabled => _capacity > 0 && _duration > TimeSpan.Zero;

    /// <summary>How many entries are held (expired ones included until they are replaced or pushed out).</summary>
    public int Count => Volatile.Read(ref _count);

    public bool TryGet(string path, out SignedFileInfo? file)
    {
        if (_entries.TryGetValue(path, out var entry))
        {
            if (_time.GetUtcNow().UtcTicks < entry.ExpiresTicks)
            {
                file = entry.File;
                return true;
            }

            Remove(path, entry);
        }

        file = null;
        return false;
    }

    public void Set(string path, SignedFileInfo file)
    {
        if (!Enabled)
        {
            return;
        }

        var entry = new Entry(file, (_time.GetUtcNow() + _duration).UtcTicks);
        var replaced = false;
        _entries.AddOrUpdate(path, entry, (_, _) =>
        {
            replaced = true;
            return entry;
        });
        if (!replaced)
        {
            Interlocked.Increment(ref _count);
        }

        _order.Enqueue(new(path, entry));
        Trim();
    }

    /// <summary>Removes <paramref name="path"/> and every path below it (<c>/kyc</c> removes <c>/kyc/1.jpg</c>); <c>/</c> removes everything.</summary>
    public void Evict(string path)
    {
        if (path.Length == 0 || path == "/")
        {
            foreach (var pair in _entries)
            {
                Remove(pair.Key, pair.Value);
            }

            return;
        }

        var folder = path.EndsWith('/') ? path : path + "/";
        foreach (var pair in _entries)
        {
            if (string.Equals(pair.Key, path, StringComparison.Ordinal) || pair.Key.StartsWith(folder, StringComparison.Ordinal))
            {
                Remove(pair.Key, pair.Value);
            }
        }
    }

    private void Trim()
    {
        // The queue holds one item per insertion; items of replaced or removed entries are skipped when they
        // come out. Dequeuing also whenever the queue is far longer than the map keeps it bounded when the
        // same few paths are refreshed again and again.
        while ((Count > _capacity || _order.Count > 2 * _capacity + 16) && _order.TryDequeue(out var oldest))
        {
            Remove(oldest.Key, oldest.Value);
        }
    }

    private void Remove(string path, Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, Entry>(path, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>A class, not a record: removal compares entries by reference, so an entry replaced meanwhile is never removed in its successor's place.</summary>
    private sealed class Entry(SignedFileInfo file, long expiresTicks)
    {
        public SignedFileInfo File { get; } = file;

        public long ExpiresTicks { get; } = expiresTicks;
    }
}
