using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keyless.Bench.Deploy;

/// <summary>
/// A network in front of the local S3: an HTTP/1.1 relay on a free loopback port that holds every request
/// <see cref="Delay"/> before passing it on, as a round trip to a real endpoint would, and counts the requests by
/// kind. It works on the byte stream (one upstream connection per client connection, the answers copied back
/// untouched), so signatures, <c>Expect: 100-continue</c> and keep-alive work as they do without it, and it only
/// parses request heads: cheap enough that it does not set the pace (the benchmark measures it at 0 ms against
/// the direct endpoint).
/// </summary>
internal sealed class DelayProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;

    public DelayProxy(Uri target, TimeSpan delay)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        Delay = delay;
        _listener.Start(512);
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    public TimeSpan Delay { get; }

    /// <summary>Requests since the last call, by kind (PUT, COPY, GET, LIST, HEAD, DELETE, POST, …), and starts counting afresh.</summary>
    public IReadOnlyDictionary<string, int> TakeCounts()
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in _counts.Keys)
        {
            if (_counts.TryRemove(key, out var count))
            {
                counts[key] = count;
            }
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Quietly(_accepting);
        foreach (var connection in _connections)
        {
            await Quietly(connection);
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _connections.Add(Task.Run(() => RelayAsync(client)));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var upstream = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        await upstream.ConnectAsync(_target, _stop.Token);
        var toClient = client.GetStream();
        var toServer = upstream.GetStream();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var answers = AnswerAsync(client, toServer, toClient, done.Token);
        try
        {
            var requests = new RequestReader(toClient);
            while (await requests.ReadHeadAsync(done.Token) is { } head)
            {
                _counts.AddOrUpdate(head.Kind, 1, (_, n) => n + 1);
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, done.Token);
                }

                await toServer.WriteAsync(head.Bytes, done.Token);
                await requests.CopyBodyAsync(head, toServer, done.Token);
            }

            // The client closed its side: let the last answer through, then close.
            upstream.Client.Shutdown(SocketShutdown.Send);
            await answers;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // A connection dropped by either side ends the relay, as it would end a real one.
        }
        finally
        {
            await done.CancelAsync();
            await answers;
        }
    }

    /// <summary>Copies the answers back; when the server closes the connection (an idle keep-alive), so does the relay, as the server would have.</summary>
    private static async Task AnswerAsync(TcpClient client, Stream server, Stream toClient, CancellationToken token)
    {
        await Quietly(server.CopyToAsync(toClient, 81920, token));
        try
        {
            client.Client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
    }

    /// <summary>One request head as sent, with what the relay needs to find the end of its body.</summary>
    private sealed record RequestHead(byte[] Bytes, string Kind, long ContentLength, bool Chunked);

    /// <summary>Reads request heads and bodies off a client's stream, through a buffer of its own.</summary>
    private sealed class RequestReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<RequestHead?> ReadHeadAsync(CancellationToken token)
        {
            while (true)
            {
                var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    var bytes = _buffer.AsSpan(_start, end + 4).ToArray();
                    _start += end + 4;
                    return Parse(bytes);
                }

                if (!await FillAsync(token))
                {
                    return null;
                }
            }
        }

        public async Task CopyBodyAsync(RequestHead head, Stream target, CancellationToken token)
        {
            if (!head.Chunked)
            {
                await CopyAsync(head.ContentLength, target, token);
                return;
            }

            // Chunked: each chunk's size line, its bytes and CRLF, until the empty chunk and the trailer's end.
            while (true)
            {
                var line = await ReadLineAsync(target, token);
                var size = Convert.ToInt64(line.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    while ((await ReadLineAsync(target, token)).Length > 0)
                    {
                    }

                    return;
                }

                await CopyAsync(size + 2, target, token);
            }
        }

        private async Task<string> ReadLineAsync(Stream target, CancellationToken token)
        {
            while (true)
            {
                var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
                if (end >= 0)
                {
                    var line = Encoding.ASCII.GetString(_buffer, _start, end);
                    await target.WriteAsync(_buffer.AsMemory(_start, end + 2), token);
                    _start += end + 2;
                    return line;
                }

                if (!await FillAsync(token))
                {
                    throw new IOException("the client closed the connection inside a chunked body");
                }
            }
        }

        private async Task CopyAsync(long count, Stream target, CancellationToken token)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync(token))
                {
                    throw new IOException("the client closed the connection inside a body");
                }

                var take = (int)Math.Min(count, _end - _start);
                await target.WriteAsync(_buffer.AsMemory(_start, take), token);
                _start += take;
                count -= take;
            }
        }

        private async Task<bool> FillAsync(CancellationToken token)
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("a request head larger than the relay's buffer");
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), token);
            _end += read;
            return read > 0;
        }

        private static RequestHead Parse(byte[] bytes)
        {
            var lines = Encoding.ASCII.GetString(bytes).Split("\r\n");
            var parts = lines[0].Split(' ');
            var (method, target) = (parts[0], parts.Length > 1 ? parts[1] : "/");
            long length = 0;
            var chunked = false;
            var copy = false;
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                }
                else if (name.Equals("x-amz-copy-source", StringComparison.OrdinalIgnoreCase))
                {
                    copy = true;
                }
            }

            return new RequestHead(bytes, Kind(method, target, copy), length, chunked);
        }

        /// <summary>The S3 operation, told apart by what the relay can see: a PUT with a copy source is a copy, a GET of the bucket a listing.</summary>
        private static string Kind(string method, string target, bool copy)
        {
            var path = target.Split('?')[0];
            var bucketOnly = path.Trim('/').Split('/').Length <= 1;
            return method switch
            {
                "PUT" when copy => "COPY",
                "GET" when bucketOnly && !target.Contains("location", StringComparison.Ordinal) => "LIST",
                _ => method,
            };
        }
    }
}
