using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Xml.Linq;

namespace EasyNetwork.Packaging.Tests;

/// <summary>The file list and the nuspec of one <c>.nupkg</c>.</summary>
internal sealed class PackageContents
{
    private PackageContents(IReadOnlySet<string> entries, XElement metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>Gets the paths of the files in the package, with forward slashes.</summary>
    public IReadOnlySet<string> Entries { get; }

    /// <summary>Gets the nuspec's <c>metadata</c> element.</summary>
    public XElement Metadata { get; }

    /// <summary>Reads a package.</summary>
    /// <param name="path">The <c>.nupkg</c> file.</param>
    /// <returns>Its contents.</returns>
    public static PackageContents Read(string path)
    {
        using ZipArchive archive = ZipFile.OpenRead(path);
        var entries = new HashSet<string>(StringComparer.Ordinal);
        XElement? metadata = null;
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            entries.Add(entry.FullName);
            if (entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !entry.FullName.Contains('/', StringComparison.Ordinal))
            {
                using Stream stream = entry.Open();
                XElement root = XDocument.Load(stream).Root ?? throw new InvalidDataException($"'{path}' has an empty nuspec.");
                metadata = root.Element(root.Name.Namespace + "metadata");
            }
        }

        return new PackageContents(entries, metadata ?? throw new InvalidDataException($"'{path}' has no nuspec."));
    }

    /// <summary>Returns the value of a nuspec metadata element, or null.</summary>
    /// <param name="name">The element's local name (<c>id</c>, <c>version</c>, <c>readme</c>...).</param>
    /// <returns>The element's text.</returns>
    public string? Value(string name) => Element(name)?.Value;

    /// <summary>Returns a nuspec metadata element, or null.</summary>
    /// <param name="name">The element's local name.</param>
    /// <returns>The element.</returns>
    public XElement? Element(string name) => Metadata.Element(Metadata.Name.Namespace + name);

    /// <summary>Lists the package's dependencies (every target framework group).</summary>
    /// <returns>The <c>dependency</c> elements.</returns>
    public IEnumerable<XElement> Dependencies() => Metadata.Descendants(Metadata.Name.Namespace + "dependency");
}
