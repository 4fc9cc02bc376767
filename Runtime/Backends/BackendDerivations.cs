using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;

namespace EasyNetwork.Backends;

/// <summary>
/// The shared derivations of the <see cref="IAsyncBackend"/> facade: one generic method per member a backend does not
/// have to write. The EasyNetwork generator completes every <see cref="AsyncBackendAttribute"/> class with one-line
/// members that forward here; call them only from generated code.
/// </summary>
/// <remarks>
/// <para>Each method takes the backend's generated <see cref="IBackendBinding"/> as a <see langword="struct"/> type
/// argument, so the JIT specialises it per backend and the calls it makes through the binding are direct. A method
/// is named after the facade member it derives (a property <c>P</c> is derived by <c>GetP</c>), with the binding as
/// an extra first parameter and the facade member's type parameters after the binding's, in order.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BackendDerivations
{
    // ---------------------------------------------------------------- runners

    /// <summary>The shared implementation of <see cref="IAsyncBackend.Run{TState, TResult}(Func{TState, ValueTask{TResult}}, TState, RunnerOptions?)"/>.</summary>
    public static TResult Run<TBinding, TState, TResult>(TBinding binding, Func<TState, ValueTask<TResult>> main, TState state, RunnerOptions? options)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.Run(binding.Backend, main, state, options);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.Run{TState}(Func{TState, ValueTask}, TState, RunnerOptions?)"/>.</summary>
    public static void Run<TBinding, TState>(TBinding binding, Func<TState, ValueTask> main, TState state, RunnerOptions? options)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.Run(binding.Backend, main, state, options);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateRunner(RunnerOptions?)"/>.</summary>
    public static IAsyncRunner CreateRunner<TBinding>(TBinding binding, RunnerOptions? options)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.CreateRunner(binding.Backend, options);

    // ---------------------------------------------------------------- time and checkpoints

    /// <summary>The shared implementation of <see cref="IAsyncBackend.YieldAsync"/>.</summary>
    public static ValueTask YieldAsync<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.YieldAsync();

    /// <summary>The shared implementation of <see cref="IAsyncBackend.SleepAsync(TimeSpan)"/>.</summary>
    public static ValueTask SleepAsync<TBinding>(TBinding binding, TimeSpan delay)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.SleepAsync(delay);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.SleepForeverAsync"/>.</summary>
    public static ValueTask SleepForeverAsync<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.SleepForeverAsync();

    /// <summary>The shared implementation of <see cref="IAsyncBackend.SleepUntilAsync(TimeSpan)"/>.</summary>
    public static ValueTask SleepUntilAsync<TBinding>(TBinding binding, TimeSpan deadline)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.SleepUntilAsync(deadline);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CurrentTime"/>.</summary>
    public static TimeSpan CurrentTime<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.CurrentTime();

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CancelledExceptionType"/>.</summary>
    public static Type GetCancelledExceptionType<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => typeof(CancelledException);

    // ---------------------------------------------------------------- shielding

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CancelShieldedYieldAsync"/>.</summary>
    public static ValueTask CancelShieldedYieldAsync<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.CancelShieldedYieldAsync();

    /// <summary>The shared implementation of <see cref="IAsyncBackend.IgnoreCancellationAsync{TState, TResult}(Func{TState, ValueTask{TResult}}, TState)"/>.</summary>
    public static ValueTask<TResult> IgnoreCancellationAsync<TBinding, TState, TResult>(TBinding binding, Func<TState, ValueTask<TResult>> func, TState state)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.IgnoreCancellationAsync(func, state);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.IgnoreCancellationAsync{TState}(Func{TState, ValueTask}, TState)"/>.</summary>
    public static ValueTask IgnoreCancellationAsync<TBinding, TState>(TBinding binding, Func<TState, ValueTask> func, TState state)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.IgnoreCancellationAsync(func, state);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.IgnoreCancellationAsync(Task)"/>.</summary>
    public static ValueTask IgnoreCancellationAsync<TBinding>(TBinding binding, Task task)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.IgnoreCancellationAsync(task);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.IgnoreCancellationAsync{TResult}(Task{TResult})"/>.</summary>
    public static ValueTask<TResult> IgnoreCancellationAsync<TBinding, TResult>(TBinding binding, Task<TResult> task)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.IgnoreCancellationAsync(task);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.ShieldAsync{TState}(TimeSpan, Func{CancelScope, TState, ValueTask}, TState)"/>.</summary>
    public static ValueTask<CancelScope> ShieldAsync<TBinding, TState>(TBinding binding, TimeSpan timeout, Func<CancelScope, TState, ValueTask> body, TState state)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.ShieldAsync(timeout, body, state);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.ShieldAsync{TState, TResult}(TimeSpan, Func{CancelScope, TState, ValueTask{TResult}}, TState)"/>.</summary>
    public static ValueTask<ScopeResult<TResult>> ShieldAsync<TBinding, TState, TResult>(TBinding binding, TimeSpan timeout, Func<CancelScope, TState, ValueTask<TResult>> body, TState state)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.ShieldAsync(timeout, body, state);

    // ---------------------------------------------------------------- cancel scopes

    /// <summary>The shared implementation of <see cref="IAsyncBackend.OpenCancelScope(in CancelScopeOptions)"/>.</summary>
    public static CancelScope OpenCancelScope<TBinding>(TBinding binding, in CancelScopeOptions options)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.OpenCancelScope(in options);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.EnterCancelScope(in CancelScopeOptions)"/>.</summary>
    public static CancelScope EnterCancelScope<TBinding>(TBinding binding, in CancelScopeOptions options)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.EnterCancelScope(in options);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.MoveOnAfterAsync{TState}(TimeSpan, Func{CancelScope, TState, ValueTask}, TState, CancellationToken)"/>.</summary>
    public static ValueTask<CancelScope> MoveOnAfterAsync<TBinding, TState>(TBinding binding, TimeSpan delay, Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.MoveOnAfterAsync(delay, body, state, cancellationToken);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.MoveOnAfterAsync{TState, TResult}(TimeSpan, Func{CancelScope, TState, ValueTask{TResult}}, TState, CancellationToken)"/>.</summary>
    public static ValueTask<ScopeResult<TResult>> MoveOnAfterAsync<TBinding, TState, TResult>(TBinding binding, TimeSpan delay, Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.MoveOnAfterAsync(delay, body, state, cancellationToken);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.MoveOnAtAsync{TState}(TimeSpan, Func{CancelScope, TState, ValueTask}, TState, CancellationToken)"/>.</summary>
    public static ValueTask<CancelScope> MoveOnAtAsync<TBinding, TState>(TBinding binding, TimeSpan deadline, Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.MoveOnAtAsync(deadline, body, state, cancellationToken);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.MoveOnAtAsync{TState, TResult}(TimeSpan, Func{CancelScope, TState, ValueTask{TResult}}, TState, CancellationToken)"/>.</summary>
    public static ValueTask<ScopeResult<TResult>> MoveOnAtAsync<TBinding, TState, TResult>(TBinding binding, TimeSpan deadline, Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.MoveOnAtAsync(deadline, body, state, cancellationToken);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.TimeoutAfterAsync{TState}(TimeSpan, Func{CancelScope, TState, ValueTask}, TState, CancellationToken)"/>.</summary>
    public static ValueTask TimeoutAfterAsync<TBinding, TState>(TBinding binding, TimeSpan delay, Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.TimeoutAfterAsync(delay, body, state, cancellationToken);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.TimeoutAfterAsync{TState, TResult}(TimeSpan, Func{CancelScope, TState, ValueTask{TResult}}, TState, CancellationToken)"/>.</summary>
    public static ValueTask<TResult> TimeoutAfterAsync<TBinding, TState, TResult>(TBinding binding, TimeSpan delay, Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.TimeoutAfterAsync(delay, body, state, cancellationToken);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.TimeoutAtAsync{TState}(TimeSpan, Func{CancelScope, TState, ValueTask}, TState, CancellationToken)"/>.</summary>
    public static ValueTask TimeoutAtAsync<TBinding, TState>(TBinding binding, TimeSpan deadline, Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.TimeoutAtAsync(deadline, body, state, cancellationToken);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.TimeoutAtAsync{TState, TResult}(TimeSpan, Func{CancelScope, TState, ValueTask{TResult}}, TState, CancellationToken)"/>.</summary>
    public static ValueTask<TResult> TimeoutAtAsync<TBinding, TState, TResult>(TBinding binding, TimeSpan deadline, Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.TimeoutAtAsync(deadline, body, state, cancellationToken);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CurrentCancellationToken"/>.</summary>
    public static CancellationToken GetCurrentCancellationToken<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.CurrentCancellationToken;

    // ---------------------------------------------------------------- tasks

    /// <summary>The shared implementation of <see cref="IAsyncBackend.RunTaskGroupAsync{TState}(Func{ITaskGroup, TState, ValueTask}, TState)"/>.</summary>
    public static ValueTask RunTaskGroupAsync<TBinding, TState>(TBinding binding, Func<ITaskGroup, TState, ValueTask> body, TState state)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.RunTaskGroupAsync(body, state);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.RunTaskGroupAsync{TState, TResult}(Func{ITaskGroup, TState, ValueTask{TResult}}, TState)"/>.</summary>
    public static ValueTask<TResult> RunTaskGroupAsync<TBinding, TState, TResult>(TBinding binding, Func<ITaskGroup, TState, ValueTask<TResult>> body, TState state)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.RunTaskGroupAsync(body, state);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.GetCurrentTask"/>.</summary>
    public static TaskInfo GetCurrentTask<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.GetCurrentTask();

    /// <summary>The shared implementation of <see cref="IAsyncBackend.GatherAsync{TResult}(IReadOnlyList{Func{ValueTask{TResult}}})"/>.</summary>
    public static ValueTask<TResult[]> GatherAsync<TBinding, TResult>(TBinding binding, IReadOnlyList<Func<ValueTask<TResult>>> funcs)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.GatherAsync(funcs);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.GatherAsync{TResult}(IReadOnlyList{Task{TResult}})"/>.</summary>
    public static ValueTask<TResult[]> GatherAsync<TBinding, TResult>(TBinding binding, IReadOnlyList<Task<TResult>> tasks)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.GatherAsync(tasks);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.SpawnSystemTask{TState, TResult}(Func{TState, ValueTask{TResult}}, TState, string?)"/>.</summary>
    public static TaskHandle<TResult> SpawnSystemTask<TBinding, TState, TResult>(TBinding binding, Func<TState, ValueTask<TResult>> func, TState state, string? name)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.SpawnSystemTask(func, state, name);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.SpawnSystemTask{TState}(Func{TState, ValueTask}, TState, string?)"/>.</summary>
    public static TaskHandle SpawnSystemTask<TBinding, TState>(TBinding binding, Func<TState, ValueTask> func, TState state, string? name)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.SpawnSystemTask(func, state, name);

    // ---------------------------------------------------------------- synchronisation

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateLock"/>.</summary>
    public static IAsyncLock CreateLock<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.CreateLock(binding.Backend);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateFairLock"/>.</summary>
    public static IAsyncLock CreateFairLock<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.CreateFairLock(binding.Backend);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateEvent"/>.</summary>
    public static IAsyncEvent CreateEvent<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.CreateEvent(binding.Backend);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateConditionVariable(IAsyncLock?)"/>.</summary>
    public static IAsyncCondition CreateConditionVariable<TBinding>(TBinding binding, IAsyncLock? lockObject)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.CreateConditionVariable(binding.Backend, lockObject);

    // ---------------------------------------------------------------- threads

    /// <summary>The shared implementation of <see cref="IAsyncBackend.RunInThreadAsync{TState, TResult}(Func{TState, TResult}, TState, bool)"/>.</summary>
    public static ValueTask<TResult> RunInThreadAsync<TBinding, TState, TResult>(TBinding binding, Func<TState, TResult> func, TState state, bool abandonOnCancel)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.RunInThreadAsync(func, state, abandonOnCancel);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.RunInThreadAsync{TState}(Action{TState}, TState, bool)"/>.</summary>
    public static ValueTask RunInThreadAsync<TBinding, TState>(TBinding binding, Action<TState> action, TState state, bool abandonOnCancel)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.RunInThreadAsync(action, state, abandonOnCancel);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateThreadsPortal"/>.</summary>
    public static ThreadsPortal CreateThreadsPortal<TBinding>(TBinding binding)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.CreateThreadsPortal(binding.Backend);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.WaitFutureAsync{T}(ThreadFuture{T})"/>.</summary>
    public static ValueTask<T> WaitFutureAsync<TBinding, T>(TBinding binding, ThreadFuture<T> future)
        where TBinding : struct, IBackendBinding
        => RuntimeCore.WaitFutureAsync(future);

    // ---------------------------------------------------------------- networking

    /// <summary>The shared implementation of <see cref="IAsyncBackend.GetAddrInfoAsync(string?, int, AddressFamily, SocketType, ProtocolType, AddressInfoFlags)"/>.</summary>
    public static ValueTask<IReadOnlyList<AddressInfo>> GetAddrInfoAsync<TBinding>(TBinding binding, string? host, int port, AddressFamily family, SocketType socketType, ProtocolType protocol, AddressInfoFlags flags)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Dns.DnsResolver.GetAddrInfoAsync(host, port, family, socketType, protocol, flags);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.GetNameInfoAsync(IPEndPoint, NameInfoFlags)"/>.</summary>
    public static ValueTask<NameInfo> GetNameInfoAsync<TBinding>(TBinding binding, IPEndPoint endPoint, NameInfoFlags flags)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Dns.DnsResolver.GetNameInfoAsync(endPoint, flags);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.ConnectTcpAsync(string, int, EndPoint?, TimeSpan?)"/>.</summary>
    public static ValueTask<IStreamTransport> ConnectTcpAsync<TBinding>(TBinding binding, string host, int port, EndPoint? localAddress, TimeSpan? happyEyeballsDelay)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.SocketConnector.ConnectTcpAsync(host, port, localAddress, happyEyeballsDelay);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.ConnectUnixStreamAsync(string, string?)"/>.</summary>
    public static ValueTask<IStreamTransport> ConnectUnixStreamAsync<TBinding>(TBinding binding, string path, string? localPath)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.SocketConnector.ConnectUnixStreamAsync(path, localPath);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.WrapStreamSocketAsync(Socket)"/>.</summary>
    public static ValueTask<IStreamTransport> WrapStreamSocketAsync<TBinding>(TBinding binding, Socket socket)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.SocketConnector.WrapStreamSocketAsync(socket);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateUdpEndpointAsync(string, int, EndPoint?, AddressFamily)"/>.</summary>
    public static ValueTask<IDatagramTransport> CreateUdpEndpointAsync<TBinding>(TBinding binding, string remoteHost, int remotePort, EndPoint? localAddress, AddressFamily family)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.DatagramConnector.CreateUdpEndpointAsync(remoteHost, remotePort, localAddress, family);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.ConnectUnixDatagramAsync(string, string?)"/>.</summary>
    public static ValueTask<IDatagramTransport> ConnectUnixDatagramAsync<TBinding>(TBinding binding, string path, string? localPath)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.DatagramConnector.ConnectUnixDatagramAsync(path, localPath);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.WrapConnectedDatagramSocketAsync(Socket)"/>.</summary>
    public static ValueTask<IDatagramTransport> WrapConnectedDatagramSocketAsync<TBinding>(TBinding binding, Socket socket)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.DatagramConnector.WrapConnectedDatagramSocketAsync(socket);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateTcpListenersAsync(string?, int, int, bool)"/>.</summary>
    public static ValueTask<IReadOnlyList<IListener<IStreamTransport>>> CreateTcpListenersAsync<TBinding>(TBinding binding, string? host, int port, int backlog, bool reusePort)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.ListenerBinder.CreateTcpListenersAsync(global::EasyNetwork.Net.Sockets.ListenerBinder.SingleHost(host), port, backlog, reusePort);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateTcpListenersAsync(IEnumerable{string}, int, int, bool)"/>.</summary>
    public static ValueTask<IReadOnlyList<IListener<IStreamTransport>>> CreateTcpListenersAsync<TBinding>(TBinding binding, IEnumerable<string> hosts, int port, int backlog, bool reusePort)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.ListenerBinder.CreateTcpListenersAsync(global::EasyNetwork.Net.Sockets.ListenerBinder.HostSequence(hosts, nameof(hosts)), port, backlog, reusePort);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateUnixStreamListenerAsync(string, int, UnixFileMode?)"/>.</summary>
    public static ValueTask<IListener<IStreamTransport>> CreateUnixStreamListenerAsync<TBinding>(TBinding binding, string path, int backlog, UnixFileMode? mode)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.ListenerBinder.CreateUnixStreamListenerAsync(path, backlog, mode);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateUdpListenersAsync(string?, int, bool)"/>.</summary>
    public static ValueTask<IReadOnlyList<IDatagramListener>> CreateUdpListenersAsync<TBinding>(TBinding binding, string? host, int port, bool reusePort)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.ListenerBinder.CreateUdpListenersAsync(global::EasyNetwork.Net.Sockets.ListenerBinder.SingleHost(host), port, reusePort);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateUdpListenersAsync(IEnumerable{string}, int, bool)"/>.</summary>
    public static ValueTask<IReadOnlyList<IDatagramListener>> CreateUdpListenersAsync<TBinding>(TBinding binding, IEnumerable<string> hosts, int port, bool reusePort)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.ListenerBinder.CreateUdpListenersAsync(global::EasyNetwork.Net.Sockets.ListenerBinder.HostSequence(hosts, nameof(hosts)), port, reusePort);

    /// <summary>The shared implementation of <see cref="IAsyncBackend.CreateUnixDatagramListenerAsync(string, UnixFileMode?)"/>.</summary>
    public static ValueTask<IDatagramListener> CreateUnixDatagramListenerAsync<TBinding>(TBinding binding, string path, UnixFileMode? mode)
        where TBinding : struct, IBackendBinding
        => global::EasyNetwork.Net.Sockets.ListenerBinder.CreateUnixDatagramListenerAsync(path, mode);
}
