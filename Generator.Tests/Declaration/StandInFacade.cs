namespace EasyNetwork.Generator.Tests.Declaration;

/// <summary>
/// A stand-in Abstractions with three primitives (a property, a method with a <c>ref</c> parameter, a method with an
/// optional parameter) and no derived member, compiled against the framework only: the real facade has one primitive,
/// and its names are published by Runtime.
/// </summary>
internal static class StandInFacade
{
    /// <summary>The stand-in types, with the usings the test sources need.</summary>
    public const string Source = """
        global using System;
        global using EasyNetwork;

        namespace EasyNetwork.Analysis
        {
            [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property)]
            public sealed class BackendPrimitiveAttribute : Attribute { }

            [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
            public sealed class AsyncBackendRegistrationAttribute(string name, Type backendType) : Attribute
            {
                public string Name => name;
                public Type BackendType => backendType;
            }
        }

        namespace EasyNetwork
        {
            [AttributeUsage(AttributeTargets.Class)]
            public sealed class AsyncBackendAttribute(string name) : Attribute { public string Name => name; }

            public static class AsyncBackendRegistry
            {
                public static bool Register(string name, Func<IAsyncBackend> factory) => name.Length > 0 && factory is not null;
            }

            public interface IAsyncBackend
            {
                string Name { get; }

                [EasyNetwork.Analysis.BackendPrimitive] long Clock { get; }

                [EasyNetwork.Analysis.BackendPrimitive] void Tick(ref int counter);

                [EasyNetwork.Analysis.BackendPrimitive] string Describe(string? prefix = null);
            }
        }

        namespace EasyNetwork.Backends
        {
            public interface IBackendBinding
            {
                IAsyncBackend Backend { get; }

                long Clock { get; }

                void Tick(ref int counter);

                string Describe(string? prefix);
            }

            public static class BackendDerivations
            {
            }
        }
        """;
}
