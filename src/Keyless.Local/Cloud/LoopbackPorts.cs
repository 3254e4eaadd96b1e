using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Keyless.Local.Cloud;

/// <summary>Free loopback ports, and which process listens on one (so we talk only to our own servers).</summary>
public static class LoopbackPorts
{
    /// <summary>A port the kernel just gave out on 127.0.0.1; free unless someone takes it before we bind it.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Whether <paramref name="processId"/> holds the socket listening on 127.0.0.1:<paramref name="port"/>
    /// (Linux: the socket's inode in /proc/net/tcp among the process's descriptors). Elsewhere, unknown: true.
    /// </summary>
    public static bool IsListeningProcess(int port, int processId)
    {
        const string table = "/proc/net/tcp";
        if (!File.Exists(table))
        {
            return true;
        }

        var local = $"0100007F:{port:X4}";
        var inodes = File.ReadLines(table).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[1] == local && f[3] == "0A") // 0A = LISTEN
            .Select(f => f[9])
            .ToHashSet(StringComparer.Ordinal);
        if (inodes.Count == 0)
        {
            return false;
        }

        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/fd")
                .Select(fd => new FileInfo(fd).LinkTarget)
                .Any(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
