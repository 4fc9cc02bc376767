using System.Threading.Tasks;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Declaration;

/// <summary>EN1005's fix lowercases a name whose only fault is upper-case ASCII letters; other invalid names get no action.</summary>
public sealed class EN1005CodeFixTests
{
    private const string Primitive = DeclarationCases.Primitive;

    [Fact]
    public async Task EventLoop_becomes_eventloop()
    {
        // Runtime publishes 'eventloop', so this runs against the stand-in facade: with Runtime the name is taken.
        GeneratorRun run = await DeclarationCodeFixVerifier<EN1005LowercaseNameCodeFix>.VerifyAsync(
            "namespace Decl;\n[AsyncBackend(\"EventLoop\")]\npublic sealed partial class B\n{\n    public long Clock => 0;\n    public void Tick(ref int counter) { }\n    public string Describe(string? prefix = null) => \"b\";\n}\n",
            "namespace Decl;\n[AsyncBackend(\"eventloop\")]\npublic sealed partial class B\n{\n    public long Clock => 0;\n    public void Tick(ref int counter) { }\n    public string Describe(string? prefix = null) => \"b\";\n}\n",
            EN1005LowercaseNameCodeFix.EquivalenceKey,
            StandInFacade.Source,
            TestReferences.Framework);
        Assert.Contains("Name => \"eventloop\"", run.Source("Decl.B.AsyncBackend.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public Task Mixed_case_name_with_valid_punctuation_is_lowercased() => DeclarationCodeFixVerifier<EN1005LowercaseNameCodeFix>.VerifyAsync(
        $"namespace Decl;\n[AsyncBackend(\"My-Loop_2.Test\")] public sealed partial class B {{ {Primitive} }}\n",
        $"namespace Decl;\n[AsyncBackend(\"my-loop_2.test\")] public sealed partial class B {{ {Primitive} }}\n",
        EN1005LowercaseNameCodeFix.EquivalenceKey);

    [Fact]
    public Task Fix_all_lowercases_every_name() => DeclarationCodeFixVerifier<EN1005LowercaseNameCodeFix>.VerifyFixAllAsync(
        $"namespace Decl;\n[AsyncBackend(\"First\")] public sealed partial class A {{ {Primitive} }}\n[AsyncBackend(\"SECOND\")] public sealed partial class B {{ {Primitive} }}\n",
        $"namespace Decl;\n[AsyncBackend(\"first\")] public sealed partial class A {{ {Primitive} }}\n[AsyncBackend(\"second\")] public sealed partial class B {{ {Primitive} }}\n",
        EN1005LowercaseNameCodeFix.EquivalenceKey);

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\" \"")]
    [InlineData("\"thread pool\"")]
    [InlineData("\"Thread Pool\"")]
    [InlineData("\"é\"")]
    [InlineData("\"Élan\"")]
    [InlineData("null!")]
    [InlineData("Names.Loop")]
    [InlineData("\"EventLoop\"")]
    [InlineData("\"Taken\"")]
    public async Task No_action_unless_lowercasing_makes_a_free_valid_name(string argument)
    {
        // "EventLoop": Runtime publishes 'eventloop'; "Taken": another class of the compilation is named 'taken'.
        string source = $"namespace Decl;\nstatic class Names {{ public const string Loop = \"Loop\"; }}\n[AsyncBackend(\"taken\")] public sealed partial class Other {{ {Primitive} }}\n[AsyncBackend({argument})] public sealed partial class B {{ {Primitive} }}\n";
        Assert.Empty(await DeclarationCodeFixVerifier<EN1005LowercaseNameCodeFix>.GetActionsAsync(source));
    }
}
