using System;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// The few Linux calls the event loop's own readiness set needs (epoll, an eventfd to wake it, close). Event records
/// are read from byte buffers because their layout differs by architecture: packed (12 bytes) on x86-64, naturally
/// aligned (16 bytes) elsewhere.
/// </summary>
internal static partial class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;
    public const uint ReadHangUp = 0x2000;
    public const uint EdgeTriggered = 1u << 31;

    public const int ControlAdd = 1;
    public const int ControlDelete = 2;

    // O_CLOEXEC and O_NONBLOCK on the architectures enabled below (x86-64, arm64).
    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;

    /// <summary>EINTR: a signal interrupted the wait; waiting again is correct.</summary>
    public const int Interrupted = 4;

    private const string LibC = "libc";

    /// <summary>Whether this process can use epoll with a known event layout.</summary>
    public static bool IsSupported
        => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Bytes per event record.</summary>
    public static int EventSize => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static int DataOffset => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static void WriteEvent(Span<byte> record, uint events, ulong data)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record, events);
        BinaryPrimitives.WriteUInt64LittleEndian(record[DataOffset..], data);
    }

    public static uint ReadEvents(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt32LittleEndian(record);

    public static ulong ReadData(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt64LittleEndian(record[DataOffset..]);

    public static int CreateEpoll() => epoll_create1(CloseOnExec);

    public static int CreateWakeUpCounter() => eventfd(0, CloseOnExec | NonBlocking);

    [LibraryImport(LibC, EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport(LibC, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Control(int epoll, int operation, int descriptor, ref byte eventRecord);

    [LibraryImport(LibC, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int Wait(int epoll, ref byte eventRecords, int maxEvents, int timeoutMilliseconds);

    [LibraryImport(LibC, EntryPoint = "eventfd", SetLastError = true)]
    private static partial int eventfd(uint initialValue, int flags);

    [LibraryImport(LibC, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int descriptor, ref byte buffer, nint count);

    [LibraryImport(LibC, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int descriptor, ref byte buffer, nint count);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);
}
