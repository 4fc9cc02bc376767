using System;
using System.Threading.Tasks;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>One row of the bad-input table: a call made inside a task, the typed error it must raise, and what its message must name.</summary>
/// <param name="Name">What the row tries.</param>
/// <param name="Expected">The exact exception type SPEC documents.</param>
/// <param name="Mentions">Text the message (or parameter name) must contain: the bad value or the parameter it was given for.</param>
/// <param name="Call">The call, made in a task of the run.</param>
internal sealed record BadInput(string Name, Type Expected, string[] Mentions, Func<IAsyncBackend, ValueTask> Call)
{
    public override string ToString() => Name;
}
