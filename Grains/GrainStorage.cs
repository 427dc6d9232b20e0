using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Granary;

/// <summary>The grain storage Granary's durable grains use, and how their state is written.</summary>
public static class GrainStorage
{
    public const string Name = "granary";

    /// <summary>
    /// State is JSON written by System.Text.Json: it reads back immutable collections and records with
    /// constructors (Orleans' default Newtonsoft setup cannot), and property names are the schema.
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter());
    }

    /// <summary>
    /// Makes <paramref name="next"/> the state and writes it; if the write fails, the state in memory goes back to what
    /// was stored, so a change the caller is told failed is not saved later with the next one.
    /// </summary>
    public static async Task WriteOrRevertAsync<T>(this IPersistentState<T> state, T next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }

    public static ISiloBuilder UseGranaryStateSerializer(this ISiloBuilder silo)
    {
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.Services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o => ConfigureJson(o.JsonSerializerOptions));
        return silo;
    }
}
