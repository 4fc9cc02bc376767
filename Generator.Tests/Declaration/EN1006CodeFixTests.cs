using System.Threading.Tasks;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Declaration;

/// <summary>EN1006's fix makes the containing types partial (that shape only); the generator then completes the class.</summary>
public sealed class EN1006CodeFixTests
{
    private const string Primitive = DeclarationCases.Primitive;

    [Fact]
    public async Task Containers_become_partial_then_the_generator_completes_the_class()
    {
        GeneratorRun run = await DeclarationCodeFixVerifier<EN1006AddPartialToContainersCodeFix>.VerifyAsync(
            $"namespace Decl;\npublic class Outer\n{{\n    internal sealed class Middle\n    {{\n        [AsyncBackend(\"x\")]\n        public sealed partial class B {{ {Primitive} }}\n    }}\n}}\n",
            $"namespace Decl;\npublic partial class Outer\n{{\n    internal sealed partial class Middle\n    {{\n        [AsyncBackend(\"x\")]\n        public sealed partial class B {{ {Primitive} }}\n    }}\n}}\n",
            EN1006AddPartialToContainersCodeFix.EquivalenceKey);
        Assert.Contains(run.Sources, static s => s.HintName.EndsWith("B.AsyncBackend.g.cs", System.StringComparison.Ordinal));
    }

    [Fact]
    public async Task Container_without_modifiers()
    {
        GeneratorRun run = await DeclarationCodeFixVerifier<EN1006AddPartialToContainersCodeFix>.VerifyAsync(
            $"namespace Decl;\n[Obsolete(\"old\")] class Outer\n{{\n    [AsyncBackend(\"x\")] internal sealed partial class B {{ {Primitive} }}\n}}\n",
            $"namespace Decl;\n[Obsolete(\"old\")] partial class Outer\n{{\n    [AsyncBackend(\"x\")] internal sealed partial class B {{ {Primitive} }}\n}}\n",
            EN1006AddPartialToContainersCodeFix.EquivalenceKey);
        Assert.Contains(run.Sources, static s => s.HintName.EndsWith("B.AsyncBackend.g.cs", System.StringComparison.Ordinal));
    }

    [Fact]
    public Task Fix_all_over_two_containers() => DeclarationCodeFixVerifier<EN1006AddPartialToContainersCodeFix>.VerifyFixAllAsync(
        $"namespace Decl;\npublic class First {{ [AsyncBackend(\"a\")] public sealed partial class A {{ {Primitive} }} }}\npublic class Second {{ [AsyncBackend(\"b\")] public sealed partial class B {{ {Primitive} }} }}\n",
        $"namespace Decl;\npublic partial class First {{ [AsyncBackend(\"a\")] public sealed partial class A {{ {Primitive} }} }}\npublic partial class Second {{ [AsyncBackend(\"b\")] public sealed partial class B {{ {Primitive} }} }}\n",
        EN1006AddPartialToContainersCodeFix.EquivalenceKey);

    [Fact]
    public Task Fix_all_over_two_backends_of_one_container() => DeclarationCodeFixVerifier<EN1006AddPartialToContainersCodeFix>.VerifyFixAllAsync(
        $"namespace Decl;\npublic class Outer\n{{\n    [AsyncBackend(\"a\")] public sealed partial class A {{ {Primitive} }}\n    [AsyncBackend(\"b\")] public sealed partial class B {{ {Primitive} }}\n}}\n",
        $"namespace Decl;\npublic partial class Outer\n{{\n    [AsyncBackend(\"a\")] public sealed partial class A {{ {Primitive} }}\n    [AsyncBackend(\"b\")] public sealed partial class B {{ {Primitive} }}\n}}\n",
        EN1006AddPartialToContainersCodeFix.EquivalenceKey);

    [Theory]
    [InlineData("[AsyncBackend(\"x\")] public sealed partial class B<T> { PRIMITIVE }")]
    [InlineData("public partial class Outer<T> { [AsyncBackend(\"x\")] public sealed partial class B { PRIMITIVE } }")]
    [InlineData("[AsyncBackend(\"x\")] public abstract partial class B { PRIMITIVE }")]
    [InlineData("public partial class Outer { [AsyncBackend(\"x\")] private sealed partial class B { PRIMITIVE } }")]
    [InlineData("[AsyncBackend(\"x\")] file sealed partial class B { PRIMITIVE }")]
    [InlineData("public class Outer<T> { public class Middle { [AsyncBackend(\"x\")] public sealed partial class B { PRIMITIVE } } }")]
    [InlineData("public class Outer { private class Middle { [AsyncBackend(\"x\")] internal sealed partial class B { PRIMITIVE } } }")]
    public async Task No_action_for_other_shapes(string declaration)
    {
        string source = "namespace Decl;\n" + declaration.Replace("PRIMITIVE", Primitive, System.StringComparison.Ordinal) + "\n";
        Assert.Empty(await DeclarationCodeFixVerifier<EN1006AddPartialToContainersCodeFix>.GetActionsAsync(source));
    }
}
