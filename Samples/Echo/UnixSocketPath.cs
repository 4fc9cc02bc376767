namespace EasyNetwork.Samples.Echo;

/// <summary>
/// The path of the sample's Unix socket: the one asked for, or one in a new temporary directory. Disposing it deletes
/// what the sample created (the library never deletes files), and never a file that was there before.
/// </summary>
internal sealed class UnixSocketPath : IDisposable
{
    private readonly DirectoryInfo? _temporaryDirectory;
    private readonly bool _existedBefore;

    private UnixSocketPath(string path, DirectoryInfo? temporaryDirectory)
    {
        Path = path;
        _temporaryDirectory = temporaryDirectory;
        _existedBefore = File.Exists(path);
    }

    /// <summary>Gets the socket path.</summary>
    public string Path { get; }

    /// <summary>Chooses the socket path.</summary>
    /// <param name="requested">The path asked for, or null for <c>echo.sock</c> in a new temporary directory.</param>
    /// <returns>The path.</returns>
    public static UnixSocketPath Create(string? requested)
    {
        if (requested is not null)
        {
            return new UnixSocketPath(System.IO.Path.GetFullPath(requested), null);
        }

        DirectoryInfo directory = Directory.CreateTempSubdirectory("easynetwork-echo-");
        return new UnixSocketPath(System.IO.Path.Combine(directory.FullName, "echo.sock"), directory);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_existedBefore)
        {
            File.Delete(Path);
        }

        _temporaryDirectory?.Delete(recursive: true);
    }
}
