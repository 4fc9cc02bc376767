using System.Threading.Tasks;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Declaration;

/// <summary>EN1002's fix adds stubs with the facade signatures; the class then compiles and the generator completes it.</summary>
public sealed class EN1002CodeFixTests
{
    [Fact]
    public async Task One_missing_primitive_gets_a_stub()
    {
        GeneratorRun run = await DeclarationCodeFixVerifier<EN1002AddStubsCodeFix>.VerifyAsync(
            """
            namespace Decl;

            [AsyncBackend("x")]
            public sealed partial class B
            {
                private int _runs;
            }
            """,
            """
            namespace Decl;

            [AsyncBackend("x")]
            public sealed partial class B
            {
                private int _runs;

                public IRunLoop CreateRunLoop(RunnerOptions options)
                {
                    throw new NotImplementedException();
                }
            }
            """,
            EN1002AddStubsCodeFix.EquivalenceKey);
        Assert.Contains(run.Sources, static s => s.HintName == "Decl.B.AsyncBackend.g.cs");
    }

    [Fact]
    public async Task Three_missing_primitives_get_stubs_with_their_exact_signatures()
    {
        GeneratorRun run = await DeclarationCodeFixVerifier<EN1002AddStubsCodeFix>.VerifyAsync(
            """
            namespace Decl;

            [AsyncBackend("x")]
            public sealed partial class B
            {
            }
            """,
            """
            namespace Decl;

            [AsyncBackend("x")]
            public sealed partial class B
            {
                public long Clock
                {
                    get
                    {
                        throw new NotImplementedException();
                    }
                }

                public void Tick(ref int counter)
                {
                    throw new NotImplementedException();
                }

                public string Describe(string? prefix = null)
                {
                    throw new NotImplementedException();
                }
            }
            """,
            EN1002AddStubsCodeFix.EquivalenceKey,
            StandInFacade.Source,
            TestReferences.Framework);
        Assert.Contains(run.Sources, static s => s.HintName == "Decl.B.AsyncBackend.g.cs");
    }

    [Fact]
    public async Task Only_the_missing_primitives_are_added()
    {
        await DeclarationCodeFixVerifier<EN1002AddStubsCodeFix>.VerifyAsync(
            """
            namespace Decl;

            [AsyncBackend("x")]
            public sealed partial class B
            {
                public long Clock => 0;
            }
            """,
            """
            namespace Decl;

            [AsyncBackend("x")]
            public sealed partial class B
            {
                public long Clock => 0;

                public void Tick(ref int counter)
                {
                    throw new NotImplementedException();
                }

                public string Describe(string? prefix = null)
                {
                    throw new NotImplementedException();
                }
            }
            """,
            EN1002AddStubsCodeFix.EquivalenceKey,
            StandInFacade.Source,
            TestReferences.Framework);
    }

    [Fact]
    public async Task Fix_all_completes_every_backend()
    {
        GeneratorRun run = await DeclarationCodeFixVerifier<EN1002AddStubsCodeFix>.VerifyFixAllAsync(
            """
            namespace Decl;

            [AsyncBackend("a")]
            public sealed partial class A
            {
            }

            [AsyncBackend("b")]
            internal sealed partial class B
            {
            }
            """,
            """
            namespace Decl;

            [AsyncBackend("a")]
            public sealed partial class A
            {
                public IRunLoop CreateRunLoop(RunnerOptions options)
                {
                    throw new NotImplementedException();
                }
            }

            [AsyncBackend("b")]
            internal sealed partial class B
            {
                public IRunLoop CreateRunLoop(RunnerOptions options)
                {
                    throw new NotImplementedException();
                }
            }
            """,
            EN1002AddStubsCodeFix.EquivalenceKey);
        Assert.Contains(run.Sources, static s => s.HintName == "Decl.A.AsyncBackend.g.cs");
        Assert.Contains(run.Sources, static s => s.HintName == "Decl.B.AsyncBackend.g.cs");
    }

    [Theory]
    [InlineData("internal IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException();")]
    [InlineData("public int CreateRunLoop(RunnerOptions options) => 0;")]
    [InlineData("public IRunLoop CreateRunLoop => throw new NotSupportedException();")]
    public async Task No_action_when_a_stub_would_clash_with_a_declared_member(string member)
    {
        // The member has the primitive's name (EN1003) and would make a stub a duplicate.
        string source = "namespace Decl;\n[AsyncBackend(\"x\")] public sealed partial class B { " + member + " }\n";
        Assert.Empty(await DeclarationCodeFixVerifier<EN1002AddStubsCodeFix>.GetActionsAsync(source));
    }
}
