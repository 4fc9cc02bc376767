using System.IO.Pipelines;

namespace EasyNetwork.Net.Internal;

/// <summary>
/// An <see cref="IDuplexPipe"/> over a <see cref="TransportStream"/> (SPEC S8.28): the pipe reader and writer call the
/// adapter stream, so they follow its rules (asynchronous only, token cancellation as a bound scope).
/// </summary>
internal sealed class TransportDuplexPipe : IDuplexPipe
{
    public TransportDuplexPipe(TransportStream stream)
    {
        // Completing one side must not close the transport under the other: the transport's owner closes it.
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }
}
