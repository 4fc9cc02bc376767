namespace EasyNetwork.Generator.Diagnostics;

/// <summary>The diagnostic categories.</summary>
internal static class DiagnosticCategories
{
    /// <summary>Usage rules about cancel scopes, shields and cancellation (EN0001, ...).</summary>
    public const string Cancellation = "EasyNetwork.Cancellation";

    /// <summary>Usage rules about the lifetime of inline scopes (EN0004, EN0005, EN0006).</summary>
    public const string Scoping = "EasyNetwork.Scoping";

    /// <summary>Usage rules about waits that no scope or backend clock governs (EN0009, EN0011).</summary>
    public const string Blocking = "EasyNetwork.Blocking";

    /// <summary>Usage rules about task groups, their children and the tasks that escape them (EN0007, EN0008, EN0013, EN0017).</summary>
    public const string Concurrency = "EasyNetwork.Concurrency";

    /// <summary>Usage rules about API and loop shapes that fight the cancel scopes (EN0015, EN0016).</summary>
    public const string Design = "EasyNetwork.Design";

    /// <summary>Backend declaration rules (EN1001–EN1007): the generator's input rules.</summary>
    public const string Declaration = "EasyNetwork.Declaration";
}
