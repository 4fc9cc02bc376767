using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using EasyNetwork.Internal;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// An epoll set owned by one event loop: sockets are registered once, edge-triggered, for both directions, and the
/// loop thread waits here (instead of on a monitor) when its ready queue is empty; other threads wake it through an
/// eventfd. Readiness wakes the registration's parked reader or writer inline, on the loop thread, so a receive that
/// was waiting resumes with no queue hop and no other thread involved.
/// </summary>
/// <remarks>
/// Registrations are found from an event by slot and generation (the event's 64-bit user data), so an event that
/// arrives for a registration closed meanwhile, or for a slot reused since, is ignored. Spurious wake-ups are harmless:
/// a woken reader or writer retries its non-blocking call and parks again on <see cref="SocketError.WouldBlock"/>.
/// </remarks>
internal sealed class SocketPoller : IDisposable
{
    private const int MaxEventsPerWait = 256;
    private const ulong WakeUpData = ulong.MaxValue;
    private const uint SocketEvents = Epoll.In | Epoll.Out | Epoll.ReadHangUp | Epoll.EdgeTriggered;

    private readonly int _epoll;
    private readonly int _wakeUpCounter;
    private readonly int _eventSize = Epoll.EventSize;
    private readonly byte[] _events;
    private readonly byte[] _counter = new byte[8];
    private readonly Lock _table = new();
    private readonly Stack<int> _freeSlots = new();
    private PollRegistration?[] _slots = new PollRegistration?[64];
    private int _slotsUsed;
    private uint _nextGeneration;
    private bool _disposed;

    private SocketPoller(int epoll, int wakeUpCounter)
    {
        _epoll = epoll;
        _wakeUpCounter = wakeUpCounter;
        _events = new byte[_eventSize * MaxEventsPerWait];
        Span<byte> record = stackalloc byte[16];
        Epoll.WriteEvent(record, Epoll.In, WakeUpData);
        if (Epoll.Control(_epoll, Epoll.ControlAdd, _wakeUpCounter, ref MemoryMarshal.GetReference(record)) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            Epoll.Close(_wakeUpCounter);
            Epoll.Close(_epoll);
            throw new SocketException(error);
        }
    }

    /// <summary>A new readiness set, or null where epoll is unavailable or cannot be created now (the caller then uses .NET's socket engine).</summary>
    public static SocketPoller? TryCreate()
    {
        if (!Epoll.IsSupported)
        {
            return null;
        }

        try
        {
            int epoll = Epoll.CreateEpoll();
            if (epoll < 0)
            {
                return null;
            }

            int counter = Epoll.CreateWakeUpCounter();
            if (counter < 0)
            {
                Epoll.Close(epoll);
                return null;
            }

            return new SocketPoller(epoll, counter);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException or SocketException)
        {
            return null;
        }
    }

    /// <summary>Adds <paramref name="socket"/> to the set; false if the kernel refused (the caller falls back to .NET's socket engine).</summary>
    public bool TryRegister(PollRegistration registration, Socket socket)
    {
        lock (_table)
        {
            if (_disposed)
            {
                return false;
            }

            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slotsUsed++;
            if (slot == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
            }

            uint generation = ++_nextGeneration;
            Span<byte> record = stackalloc byte[16];
            Epoll.WriteEvent(record, SocketEvents, ((ulong)generation << 32) | (uint)slot);
            if (Epoll.Control(_epoll, Epoll.ControlAdd, (int)socket.SafeHandle.DangerousGetHandle(), ref MemoryMarshal.GetReference(record)) != 0)
            {
                _freeSlots.Push(slot);
                return false;
            }

            registration.Slot = slot;
            registration.Generation = generation;
            registration.Descriptor = (int)socket.SafeHandle.DangerousGetHandle();
            Volatile.Write(ref _slots[slot], registration);
            return true;
        }
    }

    /// <summary>Removes a registration; call before its socket is closed (the descriptor number may be reused at once).</summary>
    public void Unregister(PollRegistration registration)
    {
        lock (_table)
        {
            int slot = registration.Slot;
            if (_disposed || slot < 0 || !ReferenceEquals(_slots[slot], registration))
            {
                return;
            }

            Span<byte> record = stackalloc byte[16];
            Epoll.Control(_epoll, Epoll.ControlDelete, registration.Descriptor, ref MemoryMarshal.GetReference(record));
            _slots[slot] = null;
            _freeSlots.Push(slot);
            registration.Slot = -1;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> (-1: no limit, 0: just look) on the loop thread, with the
    /// loop's gate released, and wakes the registrations that became ready. Returns whether anything woke the wait
    /// (readiness, <see cref="WakeUp"/>, or a signal), as opposed to the timeout running out.
    /// </summary>
    public bool Wait(int timeoutMilliseconds)
    {
        int count = Epoll.Wait(_epoll, ref _events[0], MaxEventsPerWait, timeoutMilliseconds);
        if (count < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error == Epoll.Interrupted)
            {
                return true;
            }

            throw new SocketException(error, $"Waiting on the event loop's readiness set failed (errno {error}).");
        }

        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> record = _events.AsSpan(i * _eventSize, _eventSize);
            ulong data = Epoll.ReadData(record);
            if (data == WakeUpData)
            {
                Epoll.Read(_wakeUpCounter, ref _counter[0], _counter.Length);
                continue;
            }

            // Read the table afresh per event: a woken task may have grown it.
            PollRegistration?[] slots = Volatile.Read(ref _slots);
            int slot = (int)(uint)data;
            if (slot < slots.Length && Volatile.Read(ref slots[slot]) is { } registration && registration.Generation == (uint)(data >> 32))
            {
                // May run the woken task's next steps inline, which may register, close, or wake other registrations.
                registration.OnReady(Epoll.ReadEvents(record));
            }
        }

        return count > 0;
    }

    /// <summary>Interrupts a <see cref="Wait"/> in progress (or the next one). Thread-safe.</summary>
    public void WakeUp()
    {
        Span<byte> one = stackalloc byte[8];
        one[0] = 1;
        Epoll.Write(_wakeUpCounter, ref MemoryMarshal.GetReference(one), one.Length);
    }

    public void Dispose()
    {
        lock (_table)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Array.Clear(_slots);
        }

        Epoll.Close(_wakeUpCounter);
        Epoll.Close(_epoll);
    }
}
