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
/// Applies one code fix to the diagnostics of one usage analyzer in an <see cref="AdhocWorkspace"/> (with
/// <see cref="UsageVerifier.Prelude"/>), and checks the text, that the result compiles without new warnings, and that the
/// analyzer reports nothing more (ANALYZERS §6.4).
/// </summary>
/// <typeparam name="TAnalyzer">The analyzer.</typeparam>
/// <typeparam name="TCodeFix">The code fix.</typeparam>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Fixes every diagnostic of <paramref name="before"/>, one at a time with <paramref name="equivalenceKey"/>, and compares with <paramref name="after"/>.</summary>
    /// <param name="before">The source with diagnostics.</param>
    /// <param name="after">The expected source.</param>
    /// <param name="equivalenceKey">The action to apply.</param>
    /// <param name="options">Global <c>.editorconfig</c> options, or null.</param>
    /// <returns>A task.</returns>
    public static async Task VerifyAsync(string before, string after, string equivalenceKey, IReadOnlyDictionary<string, string>? options = null)
    {
        (Document document, ImmutableArray<Diagnostic> diagnostics) = await CreateAsync(before, options);
        Assert.NotEmpty(diagnostics);
        string fixedId = diagnostics[0].Id;
        Dictionary<string, int> othersBefore = await CountOtherDiagnosticsAsync(document, fixedId);
        for (int i = 0; i < 10 && !diagnostics.IsEmpty; i++)
        {
            CodeAction action = Assert.Single(await GetActionsAsync(document, diagnostics[0]), a => a.EquivalenceKey == equivalenceKey);
            ApplyChangesOperation apply = Assert.Single((await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
            document = apply.ChangedSolution.GetDocument(document.Id)!;
            document = await Simplifier.ReduceAsync(document, Simplifier.Annotation);
            document = await Formatter.FormatAsync(document, Formatter.Annotation);
            diagnostics = await AnalyzeAsync(document);
        }

        await AssertFixedAsync(document, diagnostics, after, fixedId, othersBefore);
    }

    /// <summary>
    /// Fixes every diagnostic of <paramref name="before"/> at once with the provider's Fix All (scope Document) and
    /// <paramref name="equivalenceKey"/>, and compares with <paramref name="after"/> (ANALYZERS §6.4 step 5).
    /// </summary>
    /// <param name="before">The source with several diagnostics.</param>
    /// <param name="after">The expected source.</param>
    /// <param name="equivalenceKey">The action to apply.</param>
    /// <returns>A task.</returns>
    public static async Task VerifyFixAllAsync(string before, string after, string equivalenceKey)
    {
        (Document document, ImmutableArray<Diagnostic> diagnostics) = await CreateAsync(before, null);
        Assert.True(diagnostics.Length > 1, "A Fix All test needs several diagnostics.");
        string fixedId = diagnostics[0].Id;
        Dictionary<string, int> othersBefore = await CountOtherDiagnosticsAsync(document, fixedId);
        var provider = new TCodeFix();
        FixAllProvider fixAll = provider.GetFixAllProvider()!;
        Assert.NotNull(fixAll);
        var context = new FixAllContext(document, provider, FixAllScope.Document, equivalenceKey, [fixedId], new FixedDiagnosticProvider(diagnostics), CancellationToken.None);
        CodeAction action = (await fixAll.GetFixAsync(context))!;
        Assert.NotNull(action);
        ApplyChangesOperation apply = Assert.Single((await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
        document = apply.ChangedSolution.GetDocument(document.Id)!;
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation);
        document = await Formatter.FormatAsync(document, Formatter.Annotation);
        await AssertFixedAsync(document, await AnalyzeAsync(document), after, fixedId, othersBefore);
    }

    // The text matches; the result compiles without new warnings; the fixed ID and every other EN diagnostic added are absent.
    private static async Task AssertFixedAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string after, string fixedId, Dictionary<string, int> othersBefore)
    {
        string text = (await document.GetTextAsync()).ToString().Replace("\r\n", "\n", System.StringComparison.Ordinal);
        Assert.Equal(after.Replace("\r\n", "\n", System.StringComparison.Ordinal), text);
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1998"));
        Assert.Empty(diagnostics);

        // No new diagnostic from the whole EN analyzer set.
        foreach (KeyValuePair<string, int> other in await CountOtherDiagnosticsAsync(document, fixedId))
        {
            Assert.True(other.Value <= othersBefore.GetValueOrDefault(other.Key), $"The fix added {other.Key} diagnostics.");
        }
    }

    /// <summary>
    /// Applies the action <paramref name="equivalenceKey"/> to each diagnostic of <paramref name="source"/> on its own, each
    /// time on the original document, and returns the reduced and formatted texts, each asserted free of compiler errors; a
    /// diagnostic without that action gives no text.
    /// </summary>
    /// <param name="source">The source.</param>
    /// <param name="equivalenceKey">The action to apply.</param>
    /// <returns>The fixed texts, in diagnostic order.</returns>
    public static async Task<List<string>> ApplyToEachDiagnosticAsync(string source, string equivalenceKey)
    {
        (Document document, ImmutableArray<Diagnostic> diagnostics) = await CreateAsync(source, null);
        Assert.NotEmpty(diagnostics);
        var texts = new List<string>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if ((await GetActionsAsync(document, diagnostic)).Find(a => a.EquivalenceKey == equivalenceKey) is not { } action)
            {
                continue;
            }

            ApplyChangesOperation apply = Assert.Single((await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>());
            Document changed = apply.ChangedSolution.GetDocument(document.Id)!;
            changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation);
            changed = await Formatter.FormatAsync(changed, Formatter.Annotation);
            Compilation compilation = (await changed.Project.GetCompilationAsync())!;
            Assert.Empty(compilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error));
            texts.Add((await changed.GetTextAsync()).ToString().Replace("\r\n", "\n", System.StringComparison.Ordinal));
        }

        return texts;
    }

    /// <summary>Gets the actions the fix offers for the single diagnostic of <paramref name="source"/>.</summary>
    /// <param name="source">The source.</param>
    /// <param name="options">Global <c>.editorconfig</c> options, or null.</param>
    /// <returns>The actions.</returns>
    public static async Task<List<CodeAction>> GetActionsForSingleDiagnosticAsync(string source, IReadOnlyDictionary<string, string>? options = null)
    {
        (Document document, ImmutableArray<Diagnostic> diagnostics) = await CreateAsync(source, options);
        return await GetActionsAsync(document, Assert.Single(diagnostics));
    }

    /// <summary>Gets the actions the fix offers for every diagnostic of <paramref name="source"/> (which has at least one).</summary>
    /// <param name="source">The source.</param>
    /// <returns>The actions.</returns>
    public static async Task<List<CodeAction>> GetActionsForAllDiagnosticsAsync(string source)
    {
        (Document document, ImmutableArray<Diagnostic> diagnostics) = await CreateAsync(source, null);
        Assert.NotEmpty(diagnostics);
        var actions = new List<CodeAction>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            actions.AddRange(await GetActionsAsync(document, diagnostic));
        }

        return actions;
    }

    private static async Task<(Document Document, ImmutableArray<Diagnostic> Diagnostics)> CreateAsync(string source, IReadOnlyDictionary<string, string>? options)
    {
        var workspace = new AdhocWorkspace();
        Project project = workspace.CurrentSolution
            .AddProject("Test", "TestAssembly", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .WithParseOptions(new CSharpParseOptions(LanguageVersion.Latest))
            .AddMetadataReferences([.. TestReferences.Framework, TestReferences.Abstractions]);
        project = project.AddDocument("Prelude.cs", SourceText.From(UsageVerifier.Prelude), filePath: "/src/Prelude.cs").Project;
        if (options is not null)
        {
            string config = "is_global = true\n" + string.Concat(options.Select(static o => o.Key + " = " + o.Value + "\n"));
            project = project.AddAnalyzerConfigDocument(".globalconfig", SourceText.From(config), filePath: "/src/.globalconfig").Project;
        }

        Document document = project.AddDocument("Test0.cs", SourceText.From(source), filePath: "/src/Test0.cs");
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error));
        return (document, await AnalyzeAsync(document));
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.AnalyzeAsync(compilation, [new TAnalyzer()], document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider);
        return diagnostics.OrderBy(static d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    // Every DiagnosticAnalyzer of the Generator assembly, counted by ID, the fixed ID excluded.
    private static async Task<Dictionary<string, int>> CountOtherDiagnosticsAsync(Document document, string fixedId)
    {
        ImmutableArray<DiagnosticAnalyzer> analyzers = typeof(TAnalyzer).Assembly.GetTypes()
            .Where(static t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetConstructor(System.Type.EmptyTypes) is not null)
            .Select(static t => (DiagnosticAnalyzer)System.Activator.CreateInstance(t)!)
            .ToImmutableArray();
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> all = await UsageVerifier.AnalyzeAsync(compilation, analyzers, document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider);
        return all.Where(d => d.Id != fixedId).GroupBy(static d => d.Id).ToDictionary(static g => g.Key, static g => g.Count());
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
