using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Diagnostics;
using EasyNetwork.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace EasyNetwork.Generator.Tests.Declaration;

/// <summary>EN1001's fix adds <c>partial</c>; the generator then completes the class.</summary>
public sealed class EN1001CodeFixTests
{
    [Theory]
    [InlineData(
        "namespace Decl;\n[AsyncBackend(\"x\")]\npublic sealed class B\n{\n    public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException();\n}\n",
        "namespace Decl;\n[AsyncBackend(\"x\")]\npublic sealed partial class B\n{\n    public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException();\n}\n")]
    [InlineData(
        "namespace Decl;\n[AsyncBackend(\"x\")] class B { public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException(); }\n",
        "namespace Decl;\n[AsyncBackend(\"x\")] partial class B { public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException(); }\n")]
    [InlineData(
        "namespace Decl;\n[AsyncBackend(\"x\")]\ninternal sealed record class B { public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException(); }\n",
        "namespace Decl;\n[AsyncBackend(\"x\")]\ninternal sealed partial record class B { public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException(); }\n")]
    public async Task Adds_partial_then_the_generator_completes_the_class(string before, string after)
    {
        using var workspace = new AdhocWorkspace();
        Project project = workspace.CurrentSolution
            .AddProject("Test", "TestAssembly", LanguageNames.CSharp)
            .WithCompilationOptions(GeneratorHarness.CompilationOptions)
            .WithParseOptions(GeneratorHarness.ParseOptions)
            .AddMetadataReferences(TestReferences.All);
        project = project.AddDocument("Test1.cs", SourceText.From(DeclarationVerifier.Prelude)).Project;
        Document document = project.AddDocument("Test0.cs", SourceText.From(before));

        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> diagnostics = await DeclarationVerifier.AnalyzeAsync(compilation, DeclarationVerifier.CreateAnalyzers());
        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticIds.BackendNotPartial, diagnostic.Id);

        var fix = new EN1001AddPartialCodeFix();
        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        CodeAction codeAction = Assert.Single(actions);
        Assert.Equal(EN1001AddPartialCodeFix.EquivalenceKey, codeAction.EquivalenceKey);

        ApplyChangesOperation apply = Assert.Single((await codeAction.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
        string fixedText = (await apply.ChangedSolution.GetDocument(document.Id)!.GetTextAsync()).ToString();
        Assert.Equal(after, fixedText);

        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), GeneratorHarness.CreateCompilation([fixedText, DeclarationVerifier.Prelude]));
        Assert.Contains(run.Sources, static s => s.HintName == "Decl.B.AsyncBackend.g.cs");
        Assert.Empty(run.OutputDiagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(await DeclarationVerifier.AnalyzeAsync(run.Output, DeclarationVerifier.CreateAnalyzers()));
    }

    [Fact]
    public Task Fix_all_adds_partial_to_every_backend() => DeclarationCodeFixVerifier<EN1001AddPartialCodeFix>.VerifyFixAllAsync(
        "namespace Decl;\n[AsyncBackend(\"a\")] public sealed class A { public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException(); }\n[AsyncBackend(\"b\")] internal class B { public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException(); }\n",
        "namespace Decl;\n[AsyncBackend(\"a\")] public sealed partial class A { public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException(); }\n[AsyncBackend(\"b\")] internal partial class B { public IRunLoop CreateRunLoop(RunnerOptions options) => throw new NotSupportedException(); }\n",
        EN1001AddPartialCodeFix.EquivalenceKey);

    [Fact]
    public async Task No_fix_when_the_declaration_is_already_partial()
    {
        using var workspace = new AdhocWorkspace();
        Document document = workspace.CurrentSolution
            .AddProject("Test", "TestAssembly", LanguageNames.CSharp)
            .AddDocument("Test0.cs", SourceText.From("partial class B { }"));
        SyntaxTree tree = (await document.GetSyntaxTreeAsync())!;
        Diagnostic diagnostic = Diagnostic.Create(DiagnosticDescriptors.BackendNotPartial, Location.Create(tree, new TextSpan(14, 1)), "B");
        var actions = new List<CodeAction>();
        await new EN1001AddPartialCodeFix().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        Assert.Empty(actions);
    }
}
