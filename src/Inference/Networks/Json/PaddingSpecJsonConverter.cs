using System.Text.Json;
using System.Text.Json.Serialization;
using ConvService.Contracts.Networks;

namespace ConvService.Inference.Networks.Json;

/// <summary>Reads 1, [vertical, horizontal], [top, left, bottom, right], "same" or "valid"; writes the shortest form.</summary>
public sealed class PaddingSpecJsonConverter : JsonConverter<PaddingSpec>
{
    private const string Expected = "expected a whole number, [vertical, horizontal], [top, left, bottom, right], \"same\" or \"valid\".";

    public override PaddingSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt32(out var all):
                return all;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.Equals(text, "same", StringComparison.OrdinalIgnoreCase))
                {
                    return PaddingSpec.Same;
                }

                if (string.Equals(text, "valid", StringComparison.OrdinalIgnoreCase))
                {
                    return PaddingSpec.Valid;
                }

                throw new JsonException($"unknown padding \"{text}\"; {Expected}");
            case JsonTokenType.StartArray:
                var values = new List<int>(4);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var v))
                    {
                        throw new JsonException(Expected);
                    }

                    values.Add(v);
                }

                return values.Count switch
                {
                    2 => new PaddingSpec(PaddingMode.Explicit, values[0], values[1], values[0], values[1]),
                    4 => new PaddingSpec(PaddingMode.Explicit, values[0], values[1], values[2], values[3]),
                    _ => throw new JsonException(Expected),
                };
            default:
                throw new JsonException(Expected);
        }
    }

    public override void Write(Utf8JsonWriter writer, PaddingSpec value, JsonSerializerOptions options)
    {
        switch (value.Mode)
        {
            case PaddingMode.Same:
                writer.WriteStringValue("same");
                return;
            case PaddingMode.Valid:
                writer.WriteStringValue("valid");
                return;
        }

        if (value.Top == value.Bottom && value.Left == value.Right)
        {
            if (value.Top == value.Left)
            {
                writer.WriteNumberValue(value.Top);
                return;
            }

            writer.WriteStartArray();
            writer.WriteNumberValue(value.Top);
            writer.WriteNumberValue(value.Left);
            writer.WriteEndArray();
            return;
        }

        writer.WriteStartArray();
        writer.WriteNumberValue(value.Top);
        writer.WriteNumberValue(value.Left);
        writer.WriteNumberValue(value.Bottom);
        writer.WriteNumberValue(value.Right);
        writer.WriteEndArray();
    }
}
