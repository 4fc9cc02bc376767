using System.Threading.Tasks;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Declaration;

/// <summary>EN1007's fix makes a hidden parameterless constructor internal; classes with only parameterised constructors get no action.</summary>
public sealed class EN1007CodeFixTests
{
    private const string Primitive = DeclarationCases.Primitive;

    [Theory]
    [InlineData("private B() { }", "internal B() { }")]
    [InlineData("protected B() { }", "internal B() { }")]
    [InlineData("private protected B() { }", "internal B() { }")]
    [InlineData("private B(int size = 4) { }", "internal B(int size = 4) { }")]
    [InlineData("[Obsolete(\"x\")] private B() { }", "[Obsolete(\"x\")] internal B() { }")]
    public async Task Hidden_constructor_becomes_internal_then_the_generator_completes_the_class(string constructor, string expected)
    {
        GeneratorRun run = await DeclarationCodeFixVerifier<EN1007MakeConstructorInternalCodeFix>.VerifyAsync(
            $"namespace Decl;\n[AsyncBackend(\"x\")]\npublic partial class B\n{{\n    {constructor}\n\n    {Primitive}\n}}\n",
            $"namespace Decl;\n[AsyncBackend(\"x\")]\npublic partial class B\n{{\n    {expected}\n\n    {Primitive}\n}}\n",
            EN1007MakeConstructorInternalCodeFix.EquivalenceKey);
        Assert.Contains(run.Sources, static s => s.HintName == "Decl.B.AsyncBackend.g.cs");
    }

    [Fact]
    public Task Fix_all_over_two_classes() => DeclarationCodeFixVerifier<EN1007MakeConstructorInternalCodeFix>.VerifyFixAllAsync(
        $"namespace Decl;\n[AsyncBackend(\"a\")] public sealed partial class A {{ private A() {{ }} {Primitive} }}\n[AsyncBackend(\"b\")] public partial class B {{ protected B() {{ }} {Primitive} }}\n",
        $"namespace Decl;\n[AsyncBackend(\"a\")] public sealed partial class A {{ internal A() {{ }} {Primitive} }}\n[AsyncBackend(\"b\")] public partial class B {{ internal B() {{ }} {Primitive} }}\n",
        EN1007MakeConstructorInternalCodeFix.EquivalenceKey);

    [Theory]
    [InlineData("[AsyncBackend(\"x\")] public sealed partial class B { public B(int size) { } PRIMITIVE }")]
    [InlineData("[AsyncBackend(\"x\")] public sealed partial class B(int size) { public int Size => size; PRIMITIVE }")]
    [InlineData("[AsyncBackend(\"x\")] public sealed partial class B { private B(int size) { } PRIMITIVE }")]
    public async Task No_action_when_every_constructor_needs_arguments(string declaration)
    {
        string source = "namespace Decl;\n" + declaration.Replace("PRIMITIVE", Primitive, System.StringComparison.Ordinal) + "\n";
        Assert.Empty(await DeclarationCodeFixVerifier<EN1007MakeConstructorInternalCodeFix>.GetActionsAsync(source));
    }
}
