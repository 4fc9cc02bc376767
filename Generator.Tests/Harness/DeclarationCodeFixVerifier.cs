using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace EasyNetwork.Generator.Tests.Harness;

/// <summary>
/// Applies one declaration code fix the way the IDE sees it (ANALYZERS §6.2, §6.4): the generator runs first and the
/// declaration analyzers analyze its output; the fix is applied in an <see cref="AdhocWorkspace"/>, simplified and
/// formatted; the text is compared; then the generator runs on the fixed sources, and its output must compile without
/// errors and carry no EN diagnostic the original lacked.
/// </summary>
/// <typeparam name="TCodeFix">The code fix.</typeparam>
internal static class DeclarationCodeFixVerifier<TCodeFix>
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Fixes the diagnostics of <paramref name="before"/> one at a time with <paramref name="equivalenceKey"/>, and compares with <paramref name="after"/>.</summary>
    /// <param name="before">The source (<c>Test0.cs</c>) with at least one diagnostic the fix handles.</param>
    /// <param name="after">The expected source.</param>
    /// <param name="equivalenceKey">The action to apply.</param>
    /// <param name="prelude">The second tree; default: <see cref="DeclarationVerifier.Prelude"/>.</param>
    /// <param name="references">The references; default: framework, Abstractions and Runtime.</param>
    /// <returns>The generator's run on the fixed sources.</returns>
    public static async Task<GeneratorRun> VerifyAsync(string before, string after, string equivalenceKey, string? prelude = null, IEnumerable<MetadataReference>? references = null)
    {
        Document document = CreateDocument(before, prelude, references);
        (ImmutableArray<Diagnostic> fixable, Dictionary<string, int> othersBefore) = await AnalyzeAsync(document);
        Assert.NotEmpty(fixable);
        for (int i = 0; i < 10 && !fixable.IsEmpty; i++)
        {
            CodeAction action = Assert.Single(await GetActionsAsync(document, fixable[0]), a => a.EquivalenceKey == equivalenceKey);
            document = await ApplyAsync(document, action);
            (fixable, _) = await AnalyzeAsync(document);
        }

        return await AssertFixedAsync(document, after, othersBefore);
    }

    /// <summary>Fixes every diagnostic of <paramref name="before"/> at once with the provider's Fix All (scope Document), and compares with <paramref name="after"/>.</summary>
    /// <param name="before">The source with several diagnostics the fix handles.</param>
    /// <param name="after">The expected source.</param>
    /// <param name="equivalenceKey">The action to apply.</param>
    /// <param name="prelude">The second tree; default: <see cref="DeclarationVerifier.Prelude"/>.</param>
    /// <param name="references">The references; default: framework, Abstractions and Runtime.</param>
    /// <returns>The generator's run on the fixed sources.</returns>
    public static async Task<GeneratorRun> VerifyFixAllAsync(string before, string after, string equivalenceKey, string? prelude = null, IEnumerable<MetadataReference>? references = null)
    {
        Document document = CreateDocument(before, prelude, references);
        (ImmutableArray<Diagnostic> fixable, Dictionary<string, int> othersBefore) = await AnalyzeAsync(document);
        Assert.True(fixable.Length > 1, "A Fix All test needs several diagnostics.");
        var provider = new TCodeFix();
        FixAllProvider fixAll = provider.GetFixAllProvider()!;
        Assert.NotNull(fixAll);
        var context = new FixAllContext(document, provider, FixAllScope.Document, equivalenceKey, provider.FixableDiagnosticIds, new FixedDiagnosticProvider(fixable), CancellationToken.None);
        CodeAction action = (await fixAll.GetFixAsync(context))!;
        Assert.NotNull(action);
        document = await ApplyAsync(document, action);
        return await AssertFixedAsync(document, after, othersBefore);
    }

    /// <summary>Gets the actions the fix offers for the diagnostics of <paramref name="source"/> it handles (there must be one).</summary>
    /// <param name="source">The source.</param>
    /// <param name="prelude">The second tree; default: <see cref="DeclarationVerifier.Prelude"/>.</param>
    /// <param name="references">The references; default: framework, Abstractions and Runtime.</param>
    /// <returns>The actions.</returns>
    public static async Task<List<CodeAction>> GetActionsAsync(string source, string? prelude = null, IEnumerable<MetadataReference>? references = null)
    {
        Document document = CreateDocument(source, prelude, references);
        (ImmutableArray<Diagnostic> fixable, _) = await AnalyzeAsync(document);
        return await GetActionsAsync(document, Assert.Single(fixable));
    }

    private static Document CreateDocument(string source, string? prelude, IEnumerable<MetadataReference>? references)
    {
        var workspace = new AdhocWorkspace();
        Project project = workspace.CurrentSolution
            .AddProject("Test", "TestAssembly", LanguageNames.CSharp)
            .WithCompilationOptions(GeneratorHarness.CompilationOptions)
            .WithParseOptions(GeneratorHarness.ParseOptions)
            .AddMetadataReferences(references ?? TestReferences.All);
        project = project.AddDocument("Test1.cs", SourceText.From(prelude ?? DeclarationVerifier.Prelude), filePath: "Test1.cs").Project;
        return project.AddDocument("Test0.cs", SourceText.From(source), filePath: "Test0.cs");
    }

    // The generator's run on the document's project (the workspace does not run it).
    private static async Task<GeneratorRun> RunGeneratorAsync(Document document)
        => GeneratorHarness.Run(GeneratorHarness.CreateDriver(), (CSharpCompilation)(await document.Project.GetCompilationAsync())!);

    // The diagnostics of Test0.cs the fix handles, and the other EN diagnostics counted by ID (every analyzer of the Generator assembly).
    private static async Task<(ImmutableArray<Diagnostic> Fixable, Dictionary<string, int> Others)> AnalyzeAsync(Document document)
    {
        GeneratorRun run = await RunGeneratorAsync(document);
        ImmutableArray<DiagnosticAnalyzer> analyzers = typeof(EasyNetwork.Generator.Analyzers.Declaration.AsyncBackendDeclarationAnalyzer).Assembly.GetTypes()
            .Where(static t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetConstructor(System.Type.EmptyTypes) is not null)
            .Select(static t => (DiagnosticAnalyzer)System.Activator.CreateInstance(t)!)
            .ToImmutableArray();
        ImmutableArray<Diagnostic> all = await DeclarationVerifier.AnalyzeAsync(run.Output, analyzers);
        ImmutableArray<string> ids = new TCodeFix().FixableDiagnosticIds;
        ImmutableArray<Diagnostic> fixable = all
            .Where(d => ids.Contains(d.Id) && d.Location.SourceTree?.FilePath == "Test0.cs")
            .OrderBy(static d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
        Dictionary<string, int> others = all.Where(d => !ids.Contains(d.Id)).GroupBy(static d => d.Id).ToDictionary(static g => g.Key, static g => g.Count());
        return (fixable, others);
    }

    private static async Task<Document> ApplyAsync(Document document, CodeAction action)
    {
        ApplyChangesOperation apply = Assert.Single((await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
        document = apply.ChangedSolution.GetDocument(document.Id)!;
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation);
        return await Formatter.FormatAsync(document, Formatter.Annotation);
    }

    // The text matches; the generator's output compiles without errors; no diagnostic of the fixed IDs remains and no other EN diagnostic was added.
    private static async Task<GeneratorRun> AssertFixedAsync(Document document, string after, Dictionary<string, int> othersBefore)
    {
        string text = (await document.GetTextAsync()).ToString().Replace("\r\n", "\n", System.StringComparison.Ordinal);
        Assert.Equal(after.Replace("\r\n", "\n", System.StringComparison.Ordinal), text);

        GeneratorRun run = await RunGeneratorAsync(document);
        Diagnostic[] errors = run.OutputDiagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "The fixed code does not compile:\n" + string.Join("\n", errors.Select(static d => d.ToString())) + "\n\n" + text);

        (ImmutableArray<Diagnostic> fixable, Dictionary<string, int> others) = await AnalyzeAsync(document);
        Assert.Empty(fixable);
        foreach (KeyValuePair<string, int> other in others)
        {
            Assert.True(other.Value <= othersBefore.GetValueOrDefault(other.Key), $"The fix added {other.Key} diagnostics.");
        }

        return run;
    }

    private static async Task<List<CodeAction>> GetActionsAsync(Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        await new TCodeFix().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions;
    }

    /// <summary>Hands Fix All the diagnostics computed before the fix.</summary>
    private sealed class FixedDiagnosticProvider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
