using System.IO;
using Xunit;

namespace EasyNetwork.Samples.Echo.Tests;

/// <summary>The sample deletes the socket files it creates, and never a file that was there before.</summary>
public sealed class UnixSocketPathTests
{
    [Fact]
    public void A_default_path_lives_in_a_new_temporary_directory_that_is_deleted()
    {
        string directory;
        using (UnixSocketPath path = UnixSocketPath.Create(null))
        {
            directory = Path.GetDirectoryName(path.Path)!;
            Assert.True(Directory.Exists(directory));
            Assert.False(File.Exists(path.Path));
            File.WriteAllText(path.Path, string.Empty); // stands for the socket file a listener creates
        }

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void A_requested_path_is_deleted_only_when_the_sample_created_it()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("easynetwork-echo-test-");
        try
        {
            string created = Path.Combine(directory.FullName, "created.sock");
            using (UnixSocketPath path = UnixSocketPath.Create(created))
            {
                File.WriteAllText(path.Path, string.Empty);
            }

            Assert.False(File.Exists(created));

            string existing = Path.Combine(directory.FullName, "existing");
            File.WriteAllText(existing, "keep me");
            using (UnixSocketPath.Create(existing))
            {
            }

            Assert.Equal("keep me", File.ReadAllText(existing));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
